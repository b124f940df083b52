; When a pending interrupt is taken (SDM Vol. 3A §6.8.1, §6.8.3, Vol. 2B
; "STI", "POPF"): a request latched in the PIC (IRR read through OCW3)
; while IF = 0 waits; STI sets IF but interrupts stay inhibited until the
; instruction after STI completes, so the handler sees the first MOV after
; STI done and the second not yet; POPF setting IF has no such shadow (the
; handler sees neither MOV after it). PIT counter 0 mode 0 (interrupt on
; terminal count) makes one edge per count written.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

%macro ONE_SHOT 0
  PIT0 0, 0x200
  mov al, 0x0a                          ; OCW3: read IRR
  out 0x20, al
%%wait:
  in al, 0x20
  test al, 1
  jz %%wait
%endmacro

main:
  call idt32_setup
  IRQ32_SETUP
  mov eax, irq0
  mov [irq32_idt + 0x20 * 8], ax
  shr eax, 16
  mov [irq32_idt + 0x20 * 8 + 6], ax
  PIC_INIT 0xfe, 0xff
  ONE_SHOT
  mov dword [marker], 0
  sti
  mov dword [marker], 1                 ; inside the STI shadow
  mov dword [marker], 2
  cli
  SHOW "after_sti", [seen]
  SHOW "count", [n]
  ONE_SHOT
  mov dword [marker], 10
  pushfd
  or dword [esp], 0x200
  popfd                                 ; IF = 1, no shadow
  mov dword [marker], 11
  mov dword [marker], 12
  cli
  SHOW "after_popf", [seen]
  SHOW "count", [n]
  mov al, 0
  ret

irq0:
  push eax
  mov eax, [marker]
  mov [seen], eax
  add dword [n], 1
  mov al, 0x20
  out 0x20, al
  pop eax
  iret

section .bss
marker: resd 1
seen: resd 1
n: resd 1
