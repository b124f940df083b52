; CLI and STI in virtual-8086 mode with CR4.VME (SDM Vol. 3A §20.3.2,
; Vol. 2A "CLI", Vol. 2B "STI", Operation): at IOPL < 3 they clear and set
; VIF (bit 19) and leave IF alone, without a fault; at IOPL = 3 they change
; IF and leave VIF alone. The v86 monitor (v86.inc) prints the v86 EFLAGS
; (VIP VIF VM IOPL IF TF) after each step.
; golden: SDM. QEMU 7.2 TCG accepts CR4.VME but does not implement it (CLI
; and STI at IOPL < 3 are #GP as without VME); the golden file follows
; the CLI/STI pseudo-code of the SDM.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 1                            ; CR4.VME
  VX_GO 0x200                           ; IOPL 0, IF 1, VIF 0
vx_done:
  mov eax, cr4
  and eax, 3
  SHOW "cr4_vme_pvi", eax
  ret

bits 16
align 16
v86_start:
  VCMD 0                                ; VIF 0, IF 1
  sti
  VCMD 0                                ; VIF 1
  sti
  VCMD 0                                ; still VIF 1
  cli
  VCMD 0                                ; VIF 0, IF still 1
  cli
  VCMD 5                                ; VIF stays 0
  VCMD 3                                ; IOPL := 3
  cli                                   ; IOPL 3: the real IF
  VCMD 0                                ; IF 0, VIF 0
  VCMD 6                                ; VIF := 1 (monitor)
  sti
  VCMD 0                                ; IF 1, VIF still 1
  cli
  VCMD 4                                ; IF 0, VIF 1; then IOPL := 0
  cli                                   ; IOPL 0 again: VIF := 0, IF stays 0
  VCMD 0
  sti                                   ; VIF := 1
  VCMD 0
  hlt
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
