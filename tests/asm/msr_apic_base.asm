; IA32_APIC_BASE (1BH; SDM Vol. 3A §10.4.4, Figure 10-5): after reset the
; boot processor reads base FEE00000H with the global enable bit (11) and
; the BSP flag (8) set; WRMSR of the same value keeps it; BSP is read-only
; (writing 0 to it leaves it set). CPUID.01H:EDX.MSR[bit 5] = 1.
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

main:
  mov eax, 1
  cpuid
  shr edx, 5
  and edx, 1
  SHOW "cpuid_msr", edx
  mov ecx, 0x1b
  rdmsr
  and eax, 0xfffff900           ; base, EN, BSP (x2APIC bit 10 not printed)
  SHOW "apic_base_lo", eax
  SHOW "apic_base_hi", edx
  LM64_ENTER go
bits 64
go:
  MSR_WR 0x1b, 0x00000000fee00900
  MSR_SHOW "apic_base", 0x1b
  MSR_WR 0x1b, 0x00000000fee00800 ; BSP written as 0
  MSR_SHOW "apic_base", 0x1b
  mov al, 0
  jmp exit
