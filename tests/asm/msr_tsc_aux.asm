; IA32_TSC_AUX (C0000103H; SDM Vol. 4 Table 2-2, Vol. 2B "RDTSCP"):
; WRMSR/RDMSR read back its low 32 bits; RDTSCP loads ECX with it (RCX
; zero-extended in 64-bit mode) and EDX:EAX with a time stamp that does not
; go backwards; at CPL 3 RDTSCP works too while CR4.TSD = 0. (QEMU 7.2 TCG
; has no RDPID, so CPUID.7:ECX[22] is not printed and RDPID not run.)
%include "lib.inc"
%include "lm64.inc"

TSC_AUX equ 0xc0000103

main:
  mov eax, 0x80000001
  cpuid
  shr edx, 27
  and edx, 1
  SHOW "cpuid_rdtscp", edx
  mov ecx, TSC_AUX
  mov eax, 0xcafe1234
  xor edx, edx
  wrmsr
  mov ecx, TSC_AUX
  rdmsr
  SHOW "tsc_aux", eax
  SHOW "tsc_aux_hi", edx
  mov ecx, 0x55555555
  rdtscp
  SHOW "rdtscp_ecx", ecx
  mov esi, eax
  mov edi, edx
  rdtscp
  sub eax, esi
  sbb edx, edi
  mov eax, 1
  jnc .ok
  mov eax, 0xbad
.ok:
  SHOW "rdtscp_ge", eax
  LM64_ENTER go
bits 64
go:
  mov ecx, TSC_AUX
  mov eax, 0x00000abc
  xor edx, edx
  wrmsr
  mov rcx, -1
  rdtscp
  SHOW64 "rdtscp_rcx", rcx
  TO_USER64 user
user:
  mov rcx, -1
  rdtscp
  SHOW64 "user_rdtscp_rcx", rcx
  mov al, 0
  jmp exit
