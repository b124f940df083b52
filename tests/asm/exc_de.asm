; #DE (SDM Vol. 3A §6.15 "Interrupt 0"): divide by zero and quotient
; overflow for 8/32/64-bit DIV and IDIV in 64-bit mode; a fault, so the
; saved RIP is the DIV itself; no error code.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  EXPECT64 .r1
  xor ecx, ecx
  div ecx
.r1:
  EXPECT64 .r2
  mov rax, 0x8000000000000000
  cqo
  mov rcx, -1
  idiv rcx
.r2:
  EXPECT64 .r3
  mov ax, 0x100
  mov cl, 1
  div cl
.r3:
  EXPECT64 .r4
  mov edx, 1
  xor eax, eax
  mov ecx, 1
  div ecx
.r4:
  EXPECT64 .r5
  mov ax, -0x8000 & 0xffff
  mov cl, -1
  idiv cl
.r5:
  mov ax, 0x7f00
  mov cl, 0xff
  div cl                                  ; 0x7f00 / 0xff = 0x7f r 0x7f: no fault
  movzx eax, ax
  SHOW "div8", eax
  mov al, 0
  jmp exit
