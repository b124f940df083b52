; Canonical addresses with 5-level paging (SDM Vol. 3A §4.5, §3.3.7.1;
; Vol. 2B "WRMSR"): with CR4.LA57 = 1 an address is canonical when bits
; 63:57 equal bit 56, so 0000800000000000H, non-canonical with 4-level
; paging, is accepted by WRMSR to IA32_LSTAR, IA32_FS_BASE and
; IA32_KERNEL_GS_BASE and reads back, while 0100000000000000H is #GP(0) and
; leaves the MSR unchanged. FS: accesses use a base above 2^47.
; CPUID.(EAX=07H,ECX=0):ECX.LA57[bit 16] = 1.
;
; CR4.LA57 is set before LM64_ENTER, so its 4-level tables are walked one
; level higher: lm64_pml4 serves as the PML5 table, lm64_pdpt as the PML4
; table, lm64_pd as the page-directory-pointer table, whose entry 0 (87H:
; P, R/W, U/S, PS) maps the first GiB with one 1-GByte page (CPUID
; 80000001H:EDX[26]). Entries 1-511 are never used.
;
; golden: SDM
; QEMU 7.2 TCG accepts non-canonical values in these MSRs, so the
; 0100000000000000H writes do not fault there. The golden file is QEMU's
; output with those #GP(0) lines and unchanged values.
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

main:
  mov eax, 7
  xor ecx, ecx
  cpuid
  shr ecx, 16
  and ecx, 1
  SHOW "cpuid_la57", ecx
  mov eax, cr4
  or eax, 1 << 12               ; LA57, before IA-32e mode is entered
  mov cr4, eax
  LM64_ENTER go
bits 64
go:
  mov rax, cr4
  SHOW64 "cr4", rax
  MSR_TRY 0xc0000082, 0x0000800000000000
  MSR_TRY 0xc0000082, 0x0100000000000000
  MSR_TRY 0xc0000082, 0xff00000000001000
  MSR_TRY 0xc0000102, 0x00ffffffffff0000
  MSR_TRY 0xc0000102, 0x7f00000000000000
  MSR_TRY 0xc0000100, 0x0100000000000000
  ; FS base 00FF000000000000H (canonical only with LA57) plus an offset of
  ; FF01000000000000H + table wraps to table
  MSR_TRY 0xc0000100, 0x00ff000000000000
  mov rbx, 0xff01000000000000
  add rbx, table
  mov rax, [fs:rbx]
  SHOW64 "fs_read", rax
  mov al, 0
  jmp exit

section .data
align 8
table: dq 0x0123456789abcdef
