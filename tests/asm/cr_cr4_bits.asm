; CR4 bits that read back (SDM Vol. 3A §2.5): VME PVI TSD DE PSE PAE MCE PGE
; PCE OSFXSR OSXMMEXCPT UMIP LA57 (paging off), FSGSBASE SMEP SMAP PKE keep
; what MOV to CR4 wrote; CPUID.(EAX=07H,ECX=0):ECX.OSPKE[bit 4] follows
; CR4.PKE (Vol. 2A "CPUID"). With CR4.OSXSAVE = 0, XGETBV and XSETBV are
; #UD (Vol. 2C "XGETBV", "XSETBV"). In 64-bit mode MOV CR4 moves 64 bits (bits 63:32 read as 0).
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

%macro CR4_SET 1
  mov eax, %1
  mov cr4, eax
  mov eax, cr4
  SHOW "cr4", eax
%endmacro

%macro OSPKE 0
  mov eax, 7
  xor ecx, ecx
  cpuid
  shr ecx, 4
  and ecx, 1
  SHOW "ospke", ecx
%endmacro

main:
  call idt32_setup
  CR4_SET 0x00000fff            ; VME .. UMIP
  CR4_SET 0x00001000            ; LA57 while paging is off
  CR4_SET 0x00710000            ; FSGSBASE SMEP SMAP PKE
  OSPKE
  CR4_SET 0x00000000
  OSPKE
  EXPECT .r1
  xor ecx, ecx
  xgetbv                        ; OSXSAVE = 0: #UD
.r1:
  EXPECT .r2
  xor ecx, ecx
  mov eax, 1
  xor edx, edx
  xsetbv                        ; OSXSAVE = 0: #UD
.r2:
  LM64_ENTER go
bits 64
go:
  mov rax, cr4
  SHOW64 "cr4_64", rax
  or eax, 0x00410fdf            ; as above but PAE (kept), LA57, SMEP, SMAP
                                ; (the pages are user pages)
  mov cr4, rax
  mov rax, cr4
  SHOW64 "cr4_64", rax
  mov eax, 0x20
  mov cr4, rax
  mov rax, cr4
  SHOW64 "cr4_64", rax
  mov al, 0
  jmp exit
