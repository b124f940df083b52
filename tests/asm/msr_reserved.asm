; WRMSR of a value that sets reserved bits is #GP(0) and leaves the MSR
; unchanged (SDM Vol. 2B "WRMSR", Protected Mode Exceptions: "If the value
; in EDX:EAX sets bits that are reserved in the MSR specified by ECX"):
; IA32_APIC_BASE bits 7:0 and 63:MAXPHYADDR (Vol. 3A Figure 10-5);
; IA32_TSC_AUX and IA32_FMASK bits 63:32 (Vol. 4 Table 2-2); a PAT entry
; with an undefined type (2, 3, 8+; Vol. 3A §11.12.2: "Attempting to write
; an undefined memory type encoding into the PAT causes a #GP"); an MTRR
; type outside 0, 1, 4, 5, 6 in IA32_MTRR_DEF_TYPE, a fixed-range MTRR or
; PHYSBASEn, DEF_TYPE bits 9:8 and 63:12, PHYSBASEn bits 11:8, PHYSMASKn
; bits 10:0 (§11.11.2.1-11.11.2.3); and any write to the read-only
; IA32_MTRRCAP (§11.11.1).
;
; golden: SDM
; QEMU 7.2 TCG checks none of these: it stores the value (or the bits it
; keeps) and never raises #GP. The golden file has a #GP(0) line before
; each unchanged value, as the sections above require.
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

main:
  LM64_ENTER go
bits 64
go:
  MSR_TRY 0x1b, 0x00000000fee00901          ; APIC_BASE bit 0
  MSR_TRY 0x1b, 0x80000000fee00900          ; APIC_BASE bit 63
  MSR_WR 0xc0000103, 0x0000000011223344
  MSR_TRY 0xc0000103, 0x0000000111223344    ; TSC_AUX bit 32
  MSR_WR 0xc0000084, 0x0000000000000700
  MSR_TRY 0xc0000084, 0x8000000000000700    ; FMASK bit 63
  MSR_TRY 0x277, 0x0007040600070402         ; PAT entry 0 = 2
  MSR_TRY 0x277, 0x0307040600070406         ; PAT entry 7 = 3
  MSR_TRY 0x277, 0x0007040600080406         ; PAT entry 2 = 8
  MSR_WR 0x2ff, 0x0000000000000c06
  MSR_TRY 0x2ff, 0x0000000000000c02         ; DEF_TYPE type 2
  MSR_TRY 0x2ff, 0x0000000000000d06         ; DEF_TYPE bit 8
  MSR_TRY 0x2ff, 0x0000000000001c06         ; DEF_TYPE bit 12
  MSR_WR 0x250, 0x0606060606060606
  MSR_TRY 0x250, 0x0606060603060606         ; fixed range byte = 3
  MSR_TRY 0x250, 0x0706060606060606         ; fixed range byte = 7 (UC- is PAT only)
  MSR_WR 0x202, 0x0000000000100006
  MSR_TRY 0x202, 0x0000000000100002         ; PHYSBASE1 type 2
  MSR_TRY 0x202, 0x0000000000100106         ; PHYSBASE1 bit 8
  MSR_WR 0x203, 0x000000fffff00000
  MSR_TRY 0x203, 0x000000fffff00001         ; PHYSMASK1 bit 0
  MSR_TRY 0xfe, 0x0000000000000508          ; MTRRCAP is read-only
  MSR_WR 0x203, 0
  MSR_WR 0x202, 0
  mov al, 0
  jmp exit
