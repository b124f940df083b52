; WRMSR of a non-canonical address to IA32_FS_BASE, IA32_GS_BASE,
; IA32_KERNEL_GS_BASE, IA32_LSTAR, IA32_SYSENTER_EIP or IA32_SYSENTER_ESP
; is #GP(0) and leaves the MSR unchanged (SDM Vol. 2B "WRMSR", Protected
; Mode Exceptions: "If the source register contains a non-canonical
; address and ECX specifies one of the following MSRs: ..."), from 64-bit
; mode and from 32-bit protected mode alike; canonical values of either
; half are accepted.
;
; golden: SDM
; QEMU 7.2 TCG stores non-canonical values in these MSRs without a fault.
; The golden file has the #GP(0) line before each unchanged value that
; the section above requires.
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"
%include "msr.inc"

%macro TRY6 1                   ; each of the six MSRs <- %1
  MSR_TRY 0xc0000100, %1
  MSR_TRY 0xc0000101, %1
  MSR_TRY 0xc0000102, %1
  MSR_TRY 0xc0000082, %1
  MSR_TRY 0x175, %1
  MSR_TRY 0x176, %1
%endmacro

main:
  call idt32_setup
  EXPECT .r1
  mov ecx, 0x175                ; SYSENTER_ESP from 32-bit code
  mov edx, 0x00008000
  xor eax, eax
  wrmsr
.r1:
  mov ecx, 0x175
  rdmsr
  SHOW "sysenter_esp_hi", edx
  LM64_ENTER go
bits 64
go:
  TRY6 0xffff800000001000       ; canonical, upper half
  TRY6 0x0000800000000000       ; first non-canonical address: #GP
  TRY6 0x00007ffffffff000       ; canonical, lower half
  TRY6 0xfff0000000000000       ; #GP
  mov al, 0
  jmp exit
