; CR4.UMIP (SDM Vol. 3A §2.5; Vol. 2B "SGDT", "SIDT", "SLDT", "SMSW",
; "STR"): with UMIP = 1, SGDT, SIDT, SLDT, SMSW and STR (register and memory
; forms) are #GP(0) at CPL 3 and the memory operand is not written; at
; CPL 0 they keep working. CPUID.(EAX=07H,ECX=0):ECX.UMIP[bit 2] = 1.
%include "lib.inc"
%include "lm64.inc"

%macro U 1+
  EXPECT64 %%r
  %1
%%r:
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  mov eax, 7
  xor ecx, ecx
  cpuid
  shr ecx, 2
  and ecx, 1
  SHOW "cpuid_umip", ecx
  mov rax, cr4
  bts rax, 11
  mov cr4, rax
  sgdt [buf]
  movzx eax, word [buf]
  SHOW "k_sgdt", eax
  str ax
  movzx eax, ax
  SHOW "k_str", eax
  smsw eax
  SHOW "k_smsw", eax
  mov qword [buf], 0
  mov qword [buf + 8], 0
  TO_USER64 user
user:
  U sgdt [buf]
  U sidt [buf]
  U sldt ax
  U sldt [buf]
  U str eax
  U str [buf]
  U smsw eax
  U smsw [buf]
  mov rax, [buf]
  or rax, [buf + 8]
  SHOW64 "buf_untouched", rax
  mov al, 0
  jmp exit

section .data
align 16
buf: times 16 db 0
