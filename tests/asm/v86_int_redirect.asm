; Software interrupts in virtual-8086 mode with CR4.VME: the interrupt
; redirection bitmap in the TSS (the 32 bytes below the I/O map base)
; picks the method of SDM Vol. 3A §20.3.3, Table 20-2 (and Vol. 2A "INT n",
; Operation). Bit clear: the 8086 handler in the IVT at linear 0 gets
; FLAGS, CS, IP on the v86 stack; at IOPL 0 (method 6) the FLAGS image has
; VIF in the IF position and IOPL = 3 and VIF is cleared, at IOPL 3
; (method 5) the image is FLAGS and IF is cleared; TF is cleared in both.
; The handler's IRET restores VIF (IOPL 0) or IF (IOPL 3). Bit set: #GP(0)
; at IOPL 0 (method 3), the protected-mode IDT at IOPL 3 (method 4). INT3
; (CC) is not INT n: it always goes through the IDT.
; golden: SDM. QEMU 7.2 TCG accepts CR4.VME but does not implement the
; redirection bitmap (INT n at IOPL < 3 is always #GP, at IOPL 3 always
; the IDT); the golden file follows the INT n pseudo-code of the SDM.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 1                            ; CR4.VME
  VX_REDIRECT 0x1d
  VX_REDIRECT 0x03
  mov word [0x1d * 4], VX(h1d)          ; the 8086 program's IVT
  mov word [0x1d * 4 + 2], VX_SEG
  mov word [0x03 * 4], VX(h03)
  mov word [0x03 * 4 + 2], VX_SEG
  mov byte [idt32_table + 0x03 * 8 + 5], 0xee   ; DPL 3 gates
  mov byte [idt32_table + 0x1e * 8 + 5], 0xee
  VX_GO 0x200                           ; IOPL 0, IF 1, VIF 0
vx_done:
  ret

bits 16
align 16
v86_start:
  sti                                   ; VIF := 1
  sub ax, ax                            ; ZF PF
  int 0x1d                              ; method 6
  VCMD 0                                ; VIF 1 again (IRET)
  int 0x1e                              ; method 3: #GP(0)
  int 0x03                              ; CD 03: redirected
  int3                                  ; CC: IDT vector 3
  VCMD 3                                ; IOPL := 3
  int 0x1d                              ; method 5
  VCMD 0                                ; IF 1 again (IRET)
  int 0x1e                              ; method 4: IDT
  VCMD 0
  hlt

h1d:                                    ; [sp] IP, +2 CS, +4 FLAGS image
  pushf
  pop ax
  movzx eax, ax
  out 0xe1, al                          ; FLAGS in the handler
  mov bp, sp
  movzx eax, word [bp + 4]
  out 0xe1, al
  movzx eax, word [bp + 2]
  out 0xe1, al
  movzx eax, word [bp]
  out 0xe1, al
  VCMD 0
  iret
h03:
  mov eax, 0x03
  out 0xe1, al
  iret
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
