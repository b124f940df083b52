; #SS (SDM Vol. 3A §6.15 "Interrupt 12") in 64-bit mode: a push with a
; non-canonical RSP and a load through a non-canonical RBP both raise
; #SS(0). The gate uses IST 1 (SDM §6.14.5), so the handler does not
; need the broken stack.
;
; golden: SDM
; QEMU 7.2 TCG raises #GP(0) for the two non-canonical stack references;
; the SDM says #SS(0) (Vol. 2B "PUSH", 64-Bit Mode Exceptions: "#SS(0) If
; the stack address is in a non-canonical form"; Vol. 3A §6.15
; "Interrupt 12", and §3.3.7.1: non-canonical references through RSP or
; RBP raise #SS). The golden file is QEMU's with vec=0c on those lines.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 12, lm64_stub_12, 1, 0xee
  SET_GATE64 13, lm64_stub_13, 1, 0xee
  EXPECT64 .r1
  mov r15, rsp
  mov rsp, 0x8000000000001000
  push rax
.r1:
  mov rsp, r15
  EXPECT64 .r2
  mov rbp, 0xffff700000000000
  mov rax, [rbp + 8]
.r2:
  EXPECT64 .r3
  mov rbx, 0xffff700000000000
  mov rax, [rbx + 8]                      ; not a stack reference: #GP(0)
.r3:
  PRINT `done\n`
  mov al, 0
  jmp exit
