; #BP and INT n traps (SDM Vol. 3A §6.15 "Interrupt 3", Vol. 2A "INT n"):
; INT3 (CC) and INT 3 (CD 03) both save the RIP after the instruction,
; and INT n works from CPL 3 through a
; DPL 3 gate.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  EXPECT64 .r1
  int3
.r1:
  EXPECT64 .r2
  int 3
.r2:
.r3:
  EXPECT64 .r4
  int 0x1c
.r4:
  TO_USER64 user
user:
  EXPECT64 .u1
  int3
.u1:
  EXPECT64 .u2
  int 0x14
.u2:
  mov ax, cs
  movzx eax, ax
  SHOW "user_cs", eax
  mov al, 0
  jmp exit
