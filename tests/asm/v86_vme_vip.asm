; The virtual interrupt pending flag in virtual-8086 mode with CR4.VME at
; IOPL 0 (SDM Vol. 3A §20.3.2; Vol. 2B "STI", "POPF", Vol. 2A "IRET",
; Operation): with VIP = 1, STI and a POPF or IRET whose image has IF = 1
; are #GP(0) (the monitor would deliver the pending interrupt), while CLI
; and images with IF = 0 work; an IRET image with TF = 1 and a 32-bit IRET
; are #GP(0) too; the IRET image's IF goes to VIF. At IOPL 3, STI sets
; the real IF whatever VIP is. The monitor (v86.inc) sets and clears VIP
; in the v86 EFLAGS (VCMD 1 / 2).
; golden: SDM. QEMU 7.2 TCG accepts CR4.VME but does not implement it
; (STI, POPF, IRET at IOPL < 3 are always #GP); the golden file follows
; the SDM pseudo-code.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 1                            ; CR4.VME
  VX_GO 0x200                           ; IOPL 0, IF 1, VIF 0
vx_done:
  ret

bits 16
align 16
v86_start:
  VCMD 1                                ; VIP := 1
  sti                                   ; #GP(0): VIP
  cli                                   ; fine
  push word 0x0202
  popf                                  ; #GP(0): IF = 1 with VIP
  add sp, 2
  push word 0x0003                      ; CF, IF = 0
  popf                                  ; fine
  VCMD 0                                ; VIP VM IF
  push word 0x0202
  push cs
  push word VX(.r1)
  iret                                  ; #GP(0): IF = 1 with VIP
  add sp, 6
  push word 0x0102
  push cs
  push word VX(.r1)
  iret                                  ; #GP(0): TF = 1
  add sp, 6
  push word 0
  push word 0x0202
  push word 0
  push word VX_SEG
  push word 0
  push word VX(.r1)
  o32 iret                              ; #GP(0): 32-bit operand size
  add sp, 12
  push word 0x0002
  push cs
  push word VX(.r1)
  iret                                  ; fine: VIF := 0
.r1:
  VCMD 2                                ; VIP := 0
  push word 0x0202
  push cs
  push word VX(.r2)
  iret                                  ; VIF := 1
.r2:
  VCMD 1                                ; VIF 1, then VIP := 1
  cli                                   ; VIF := 0
  VCMD 3                                ; IOPL := 3
  cli                                   ; the real IF := 0
  sti                                   ; IF := 1 although VIP = 1
  VCMD 4                                ; IOPL := 0
  VCMD 2                                ; VIP := 0
  sti                                   ; VIF := 1
  VCMD 0
  hlt
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
