; Process-context identifiers (SDM Vol. 3A §4.10.1, §4.5 Tables 4-12/4-13;
; Vol. 2B "MOV--Move to/from Control Registers"): setting CR4.PCIDE is
; #GP(0) outside IA-32e mode and while CR3[11:0] != 0; with PCIDE = 1,
; CR3[11:0] is the PCID and reads back, and bit 63 of a MOV to CR3 source
; (no-flush hint) is not stored; with PCIDE = 0, bit 63 and bits 51:40 of
; CR3 are reserved (#GP(0)). Required invalidations: MOV to CR3 without
; bit 63 invalidates the new PCID's entries; clearing PCIDE invalidates
; everything, global entries too (§4.10.4.1).
; golden: SDM. QEMU 7.2 TCG sets PCIDE outside IA-32e mode and with
; CR3[11:0] != 0, and takes CR3 bit 63 (PCIDE = 0) as an address bit, which
; derails the run. The golden file follows the rules above; each "vec=0d"
; line is the #GP(0) of the MOV just before it (RIP/EIP from the ELF).
%include "lib.inc"
%include "pg.inc"
%include "lm64.inc"

A1 equ 0x8000000000
main:
  call pg32_setup
  PG_EXPECT .p1
  mov eax, cr4
  or eax, 1 << 17                               ; not in IA-32e mode
  mov cr4, eax
.p1:
  mov eax, cr4
  and eax, 1 << 17
  SHOW "pcide_legacy", eax
  LM64_ENTER go
bits 64
go:
  mov rax, pdpt_a
  or rax, 3
  mov [lm64_pml4 + 8], rax
  mov rax, pd_a
  or rax, 3
  mov [pdpt_a], rax
  mov rax, pt_a
  or rax, 3
  mov [pd_a], rax
  mov rax, f0
  or rax, 3
  mov [pt_a], rax                               ; A1: f0
  mov rax, f0
  or rax, 0x103
  mov [pt_a + 8], rax                           ; A1 + 4 KiB: f0, global
  mov dword [f0], 0xf0
  mov dword [f1], 0xf1
  mov rax, cr4
  bts rax, 7                                    ; PGE
  mov cr4, rax
  mov rbx, A1
  mov rax, lm64_pml4 + 0x18                     ; PWT, PCD
  mov cr3, rax
  mov rax, cr3
  and eax, 0xfff
  SHOW "cr3_low", eax
  EXPECT64 .k1
  mov rax, cr4
  bts rax, 17                                   ; CR3[11:0] != 0
  mov cr4, rax
.k1:
  mov rax, cr4
  shr eax, 17
  and eax, 1
  SHOW "pcide_cr3_low", eax
  EXPECT64 .k2
  mov rax, lm64_pml4
  bts rax, 63                                   ; reserved with PCIDE = 0
  mov cr3, rax
.k2:
  EXPECT64 .k3
  mov rax, lm64_pml4
  bts rax, 40                                   ; above MAXPHYADDR
  mov cr3, rax
.k3:
  mov rax, cr3
  SHOW64 "cr3_after_gp", rax
  mov rax, lm64_pml4
  mov cr3, rax
  mov rax, cr4
  bts rax, 17
  mov cr4, rax
  mov rax, cr4
  shr eax, 17
  and eax, 1
  SHOW "pcide", eax
  SHOW "a1_pcid0", [rbx]
  SHOW "g_pcid0", [rbx + 0x1000]
  ; PCID 0x123: the new PTE is used
  mov rax, f1
  or rax, 3
  mov [pt_a], rax
  mov rax, lm64_pml4 + 0x123
  mov cr3, rax
  mov rax, cr3
  sub rax, lm64_pml4
  SHOW64 "cr3_pcid", rax
  SHOW "a1_pcid123", [rbx]
  ; bit 63: not stored
  mov rax, lm64_pml4 + 0x456
  bts rax, 63
  mov cr3, rax
  mov rax, cr3
  sub rax, lm64_pml4
  SHOW64 "cr3_noflush", rax
  ; back to PCID 0x123 without bit 63: its entries are invalidated
  mov rax, f0
  or rax, 3
  mov [pt_a], rax
  mov rax, lm64_pml4 + 0x123
  mov cr3, rax
  SHOW "a1_pcid123_again", [rbx]
  ; clearing PCIDE invalidates global entries as well
  mov rax, f1
  or rax, 0x103
  mov [pt_a + 8], rax
  mov rax, lm64_pml4
  mov cr3, rax
  mov rax, cr4
  btr rax, 17
  mov cr4, rax
  SHOW "g_after_pcide_off", [rbx + 0x1000]
  mov rax, cr3
  sub rax, lm64_pml4
  SHOW64 "cr3_pcide_off", rax
  PRINT `done\n`
  mov al, 0
  jmp exit

section .bss
alignb 4096
pdpt_a: resb 4096
pd_a: resb 4096
pt_a: resb 4096
f0: resb 4096
f1: resb 4096
