; EFLAGS images in virtual-8086 mode at IOPL 3 (SDM Vol. 2B "PUSHF",
; "POPF", Vol. 2A "IRET", Operation, Virtual-8086 mode): PUSHFD stores VM
; and RF as 0; POPFD and O32 IRET may change every non-reserved flag
; except IOPL, VIP, VIF, VM (and RF is cleared), so AC, ID, NT and IF
; change and IOPL stays 3; 16-bit POPF and IRET load FLAGS[15:0] except
; IOPL. The monitor (v86.inc) shows VIP VIF VM IOPL IF TF of the real
; EFLAGS after each step.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 0
  VX_GO 0x3200                          ; IOPL 3, IF 1
vx_done:
  ret

%macro PUSHFD_SHOW 0
  pushfd
  pop eax
  out 0xe1, al
%endmacro

bits 16
align 16
v86_start:
  sub ax, ax                            ; ZF PF
  PUSHFD_SHOW                           ; VM, RF read as 0 in the image
  push dword 0x003f4cd7 & ~0x300        ; ID VIP VIF AC VM RF NT IOPL 0, arith
  popfd
  PUSHFD_SHOW                           ; AC ID NT arith; IOPL 3; no VIP/VIF
  VCMD 0
  push dword 0x00000202                 ; everything clear but IF
  popfd
  PUSHFD_SHOW
  push dword 0x001b0002                 ; VIP VIF VM, IF 0
  push dword VX_SEG
  push dword VX(.r1)
  o32 iret                              ; IF := 0; VIP, VIF unchanged
.r1:
  VCMD 0
  PUSHFD_SHOW
  push word 0x48d5                      ; 16-bit: NT OF SF ZF AF PF CF, IF 0, IOPL 0
  popf
  VCMD 0                                ; IF 0, IOPL still 3
  push word 0x0202
  push cs
  push word VX(.r2)
  iret                                  ; IF := 1
.r2:
  VCMD 0
  hlt
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
