; IA32_PAT (277H; SDM Vol. 3A §11.12.2, §11.12.4): after reset it holds
; 0007040600070406H (WB WT UC- UC, twice); each of its eight entries takes
; any valid memory type (UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7) and reads it
; back. CPUID.01H:EDX.PAT[bit 16] = 1.
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

main:
  mov eax, 1
  cpuid
  shr edx, 16
  and edx, 1
  SHOW "cpuid_pat", edx
  LM64_ENTER go
bits 64
go:
  MSR_SHOW "pat_reset", 0x277
  MSR_WR 0x277, 0x0001040506070001
  MSR_SHOW "pat", 0x277
  MSR_WR 0x277, 0x0706050401000706
  MSR_SHOW "pat", 0x277
  MSR_WR 0x277, 0x0000000000000000
  MSR_SHOW "pat", 0x277
  MSR_WR 0x277, 0x0007040600070406
  MSR_SHOW "pat", 0x277
  mov al, 0
  jmp exit
