; The MTRRs (SDM Vol. 3A §11.11.1, §11.11.2): IA32_MTRRCAP (FEH) reports 8
; variable ranges, fixed ranges and WC (508H) and CPUID.01H:EDX.MTRR[bit
; 12] = 1; IA32_MTRR_DEF_TYPE (2FFH: type, FE, E), the 11 fixed-range
; MTRRs (eight type bytes each) and the PHYSBASEn/PHYSMASKn pairs (type and
; base; valid bit and mask, below MAXPHYADDR) read back what WRMSR wrote.
; (The firmware may have programmed them: only written values are printed.)
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

main:
  mov eax, 1
  cpuid
  shr edx, 12
  and edx, 1
  SHOW "cpuid_mtrr", edx
  LM64_ENTER go
bits 64
go:
  MSR_SHOW "mtrrcap", 0xfe
  MSR_WR 0x2ff, 0x0000000000000000
  MSR_SHOW "def_type", 0x2ff
  MSR_WR 0x2ff, 0x0000000000000c06
  MSR_SHOW "def_type", 0x2ff
  MSR_WR 0x2ff, 0x0000000000000800
  MSR_SHOW "def_type", 0x2ff
  MSR_WR 0x250, 0x0606060606060606
  MSR_SHOW "fix64k_00000", 0x250
  MSR_WR 0x258, 0x0001040506000104
  MSR_SHOW "fix16k_80000", 0x258
  MSR_WR 0x259, 0x0000000000000000
  MSR_SHOW "fix16k_a0000", 0x259
  MSR_WR 0x268, 0x0505050505050505
  MSR_SHOW "fix4k_c0000", 0x268
  MSR_WR 0x26f, 0x0504010006060606
  MSR_SHOW "fix4k_f8000", 0x26f
  MSR_WR 0x200, 0x0000000080000000 ; base 2 GiB, UC
  MSR_SHOW "physbase0", 0x200
  MSR_WR 0x201, 0x000000ff80000800 ; 2 GiB, valid
  MSR_SHOW "physmask0", 0x201
  MSR_WR 0x20e, 0x000000fedc345006
  MSR_SHOW "physbase7", 0x20e
  MSR_WR 0x20f, 0x000000fffffff000 ; valid = 0
  MSR_SHOW "physmask7", 0x20f
  MSR_WR 0x20f, 0x0000000000000000
  MSR_WR 0x201, 0x0000000000000000
  mov al, 0
  jmp exit
