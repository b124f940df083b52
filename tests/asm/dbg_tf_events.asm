; Single-step and other events (SDM Vol. 3A §17.3.1.4, §6.9, §6.12.1):
; an instruction that faults (#GP) completes no single-step trap; its
; handler runs with TF = 0 and sees TF = 1 in the saved EFLAGS, and after
; its IRET the stepping goes on (trap after the next instruction); INT3
; under TF enters its handler with TF = 0 and the trap comes after the
; instruction following it; an external interrupt taken while stepping
; (IF = 1) enters its handler with TF = 0 (the saved EFLAGS have TF = 1).
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  IRQ32_SETUP
  mov eax, gp_handler
  mov [irq32_idt + 13 * 8], ax
  shr eax, 16
  mov [irq32_idt + 13 * 8 + 6], ax
  mov eax, bp_handler
  mov [irq32_idt + 3 * 8], ax
  shr eax, 16
  mov [irq32_idt + 3 * 8 + 6], ax
  mov eax, irq0
  mov [irq32_idt + 0x20 * 8], ax
  shr eax, 16
  mov [irq32_idt + 0x20 * 8 + 6], ax
  xor eax, eax
  mov dr6, eax
  pushfd
  or dword [esp], 0x100
  popfd
  mov ax, 0x1234                        ; trap
  mov ds, ax                            ; #GP: no trap for it
.after_gp:
  mov ebx, 1                            ; trap
  int3                                  ; no trap: handler with TF = 0
.after_bp:
  mov ebx, 2                            ; trap
  mov dword [db_clear_tf], 1            ; trap, TF cleared
  SHOW "count", [db_count]
  SHOW "gp_tf", [gp_tf]
  SHOW "gp_saved_tf", [gp_saved]
  SHOW "bp_tf", [bp_tf]
  SHOW "bp_saved_tf", [bp_saved]
  ; IRQ0 while stepping: a quiet #DB handler counts the traps
  mov eax, quiet_db
  mov [irq32_idt + 1 * 8], ax
  shr eax, 16
  mov [irq32_idt + 1 * 8 + 6], ax
  PIC_INIT 0xfe, 0xff
  PIT0 2, 0x1000
  pushfd
  or dword [esp], 0x300                 ; TF, IF
  popfd
.spin:
  cmp dword [irq_n], 1
  jb .spin
  cli
  pushfd
  and dword [esp], ~0x100
  popfd
  mov al, 0xff
  out 0x21, al
  SHOW "irq_tf", [irq_tf]
  SHOW "irq_saved_tf", [irq_saved]
  cmp dword [quiet_n], 0
  setne al
  movzx eax, al
  SHOW "stepped", eax
  mov al, 0
  ret

gp_handler:
  push eax
  pushfd
  pop eax
  and eax, 0x100
  mov [gp_tf], eax
  mov eax, [esp + 16]
  and eax, 0x100
  mov [gp_saved], eax
  mov dword [esp + 8], main.after_gp
  pop eax
  add esp, 4
  iret

bp_handler:
  push eax
  pushfd
  pop eax
  and eax, 0x100
  mov [bp_tf], eax
  mov eax, [esp + 12]
  and eax, 0x100
  mov [bp_saved], eax
  pop eax
  iret

irq0:
  push eax
  cmp dword [irq_n], 0
  jne .eoi
  pushfd
  pop eax
  and eax, 0x100
  mov [irq_tf], eax
  mov eax, [esp + 12]
  and eax, 0x100
  mov [irq_saved], eax
.eoi:
  add dword [irq_n], 1
  mov al, 0x20
  out 0x20, al
  pop eax
  iret

quiet_db:
  add dword [quiet_n], 1
  iret

section .bss
gp_tf: resd 1
gp_saved: resd 1
bp_tf: resd 1
bp_saved: resd 1
irq_tf: resd 1
irq_saved: resd 1
irq_n: resd 1
quiet_n: resd 1
