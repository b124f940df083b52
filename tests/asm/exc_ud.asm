; #UD (SDM Vol. 3A §6.15 "Interrupt 6"): UD2, opcodes invalid in 64-bit
; mode (PUSH ES, AAA, INTO), LOCK on a register destination, MOV to CS; the saved RIP is the instruction.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  EXPECT64 .r1
  ud2
.r1:
  EXPECT64 .r2
  db 0x06                                 ; PUSH ES
.r2:
  EXPECT64 .r3
  db 0x37                                 ; AAA
.r3:
  EXPECT64 .r4
  db 0xce                                 ; INTO
.r4:
  EXPECT64 .r5
  db 0xf0, 0x01, 0xd8                     ; LOCK ADD EAX, EBX
.r5:
.r6:
  EXPECT64 .r7
  db 0x8e, 0xc8                           ; MOV CS, AX
.r7:
  EXPECT64 .r8
  db 0x0f, 0x0b, 0x90                     ; UD2 again, via the decode cache
.r8:
  PRINT `done\n`
  mov al, 0
  jmp exit
