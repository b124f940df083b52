; Single-step around IRET and INT n (SDM Vol. 3A §17.3.1.4, §6.12.1.3):
; TF loaded by IRET takes effect after the first instruction at the return
; address; INT n clears TF on entry, so the handler is not stepped and the
; INT n itself gets no single-step trap; the IRET of that handler restores
; TF, and the instruction after the INT n is trapped. The #DB handler sees
; TF = 1 in the saved EFLAGS and runs with TF = 0.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  mov eax, int40
  mov [irq32_idt + 0x40 * 8], ax
  mov word [irq32_idt + 0x40 * 8 + 2], 0x08
  mov word [irq32_idt + 0x40 * 8 + 4], 0x8e00
  shr eax, 16
  mov [irq32_idt + 0x40 * 8 + 6], ax
  IRQ32_SETUP
  lidt [idt_ptr]
  xor eax, eax
  mov dr6, eax
  ; IRET to .t1 with TF = 1
  pushfd
  or dword [esp], 0x100
  push cs
  push dword .t1
  iret                                  ; no trap after the IRET
.t1:
  mov ebx, 5                            ; trap
  int 0x40                              ; no trap: the handler runs, TF clear
.t2:
  add ebx, 1                            ; trap after the handler's IRET + 1
  mov dword [db_clear_tf], 1            ; trap, handler clears TF
  nop
  SHOW "count", [db_count]
  SHOW "ebx", ebx
  SHOW "int40_tf", [int40_tf]
  SHOW "int40_saved_tf", [int40_saved]
  mov al, 0
  ret

int40:
  pushfd
  pop eax
  and eax, 0x100
  mov [int40_tf], eax
  mov eax, [esp + 8]
  and eax, 0x100
  mov [int40_saved], eax
  mov ebx, 0x40
  iret

section .rodata
idt_ptr:
  dw 0x41 * 8 - 1
  dd irq32_idt
section .bss
int40_tf: resd 1
int40_saved: resd 1
