; Debug-register access rules in 64-bit mode (SDM Vol. 3A §17.2, Vol. 2B
; "MOV--Move to/from Debug Registers"): DR0-DR3 hold 64-bit linear
; addresses; DR6 reads its reserved bits as 1 (0xffff0ff0 with nothing
; set, bit 12 as 0), DR7 bit 10 reads as 1; writing a 1 to bits 63:32 of
; DR6 or DR7 is #GP(0); MOV from DR at CPL 3 is #GP(0); with CR4.DE = 0,
; DR4/DR5 alias DR6/DR7.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov rax, 0x123456789abcdef0
  mov dr3, rax
  mov rbx, dr3
  SHOW64 "dr3", rbx
  xor eax, eax
  mov dr6, rax
  mov rax, dr6
  SHOW64 "dr6", rax
  mov eax, 0x0000e00f                   ; BT, BS, BD, B0-B3 are writable
  mov dr6, rax
  mov rax, dr6
  SHOW64 "dr6_w", rax
  mov rax, dr4
  SHOW64 "dr4", rax
  xor eax, eax
  mov dr6, rax
  mov dr7, rax
  mov rax, dr7
  SHOW64 "dr7", rax
  mov eax, 0x300
  mov dr5, rax                          ; LE, GE through the DR5 alias
  mov rax, dr7
  SHOW64 "dr7_le_ge", rax
  xor eax, eax
  mov dr7, rax
  EXPECT64 .r1
  mov rax, 1 << 32
  mov dr7, rax                          ; #GP(0)
.r1:
  EXPECT64 .r2
  mov rax, 1 << 40
  mov dr6, rax                          ; #GP(0)
.r2:
  mov rax, dr7
  SHOW64 "dr7", rax
  TO_USER64 user
user:
  EXPECT64 .u1
  mov rax, dr0                          ; #GP(0) at CPL 3
.u1:
  mov al, 0
  jmp exit
