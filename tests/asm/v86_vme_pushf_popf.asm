; PUSHF and POPF in virtual-8086 mode with CR4.VME at IOPL 0 (SDM Vol. 3A
; §20.3.2; Vol. 2B "PUSHF", "POPF", Operation): the 16-bit PUSHF image has
; VIF in the IF position and IOPL = 3; a 16-bit POPF copies the popped IF
; into VIF, leaves IF and IOPL alone and loads the other flags; a popped
; TF = 1 is #GP(0) with SP unchanged; the 32-bit forms (66h) are #GP(0).
; At IOPL 3 both work on the real FLAGS (IF, and IOPL unchanged by POPF).
; golden: SDM. QEMU 7.2 TCG accepts CR4.VME but does not implement it
; (PUSHF/POPF at IOPL < 3 are #GP as without VME); the golden file follows
; the PUSHF/POPF pseudo-code of the SDM.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 1                            ; CR4.VME
  VX_GO 0x200                           ; IOPL 0, IF 1, VIF 0
vx_done:
  ret

; PUSHF, then print the image (SUB first: defined arithmetic flags).
%macro PUSHF_SHOW 0
  sub ax, ax                            ; ZF PF, others 0
  pushf
  pop ax
  movzx eax, ax
  out 0xe1, al
%endmacro

bits 16
align 16
v86_start:
  PUSHF_SHOW                            ; IF image = VIF = 0, IOPL image 3
  sti
  PUSHF_SHOW                            ; IF image = VIF = 1
  cli
  push word 0x7ed5 | 0x200              ; NT IOPL OF DF IF SF ZF AF PF CF
  popf                                  ; VIF := 1; IF and IOPL unchanged
  VCMD 0
  o32 pushf                             ; 32-bit operand: #GP(0)
  pushf
  pop ax
  movzx eax, ax
  out 0xe1, al                          ; the flags POPF loaded, IF image = VIF
  push word 0x0002
  popf                                  ; VIF := 0, the rest cleared
  VCMD 0
  PUSHF_SHOW
  mov sp, VX(v86_stack_top)
  push word 0x0102                      ; TF = 1
  popf                                  ; #GP(0), SP unchanged
  pop ax
  movzx eax, ax
  out 0xe1, al                          ; 0102: the word is still on the stack
  movzx eax, sp
  out 0xe1, al
  push word 0
  push word 0x0202
  o32 popf                              ; #GP(0)
  add sp, 4
  VCMD 0                                ; VIF still 0
  VCMD 3                                ; IOPL := 3
  PUSHF_SHOW                            ; real FLAGS: IF 1, IOPL 3
  push word 0x0002
  popf                                  ; IF := 0; IOPL stays 3
  VCMD 0
  push word 0x0202
  popf                                  ; IF := 1, VIF untouched
  VCMD 0
  hlt
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
