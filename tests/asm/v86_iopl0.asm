; Virtual-8086 mode with IOPL 0 (SDM Vol. 3A §20.2.7, Table 20-2 / §20.2.8):
; CLI, STI, PUSHF, POPF, INT n and IRET are IOPL-sensitive and raise
; #GP(0) to the protected-mode handler; IN/OUT ignore IOPL and use the TSS
; I/O bitmap (port 0x21 denied, COM1's scratch register 0x3ff allowed);
; HLT is privileged. The #GP handler steps over each one and returns to
; virtual-8086 mode with IRET.
%include "lib.inc"
%include "idt32.inc"
%include "real16.inc"

main:
  call idt32_setup
  V86_ENTER 0
  ret

bits 16
v86_start:
  cli
  sti
  pushf
  popf
  int 0x30
  in al, 0x21
  out 0x21, al
  mov dx, 0x3ff
  mov al, 0x5a
  out dx, al
  in al, dx
  mov [V86(result)], al
  mov ax, 0x1234
  add ax, ax
  mov [V86(result) + 1], ax
  iret
  mov al, [V86(result)]
  cmp al, 0x5a
  jne .bad
  hlt
.bad:
  int3
result: db 0, 0, 0
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
