; 5-level paging (SDM Vol. 3A §4.5, Table 4-12 "PML5E"): CR4.LA57 can be set
; outside IA-32e mode, and IA-32e activation then uses 5-level paging with
; CR3 pointing to a PML5 table (bits 56:48 select a PML5E); a MOV to CR4
; that changes LA57 in IA-32e mode is #GP(0) (Vol. 2B "MOV to CR"). Linear
; addresses are canonical when bits 63:57 equal bit 56 (§3.3.7.1): bit 47
; alone is fine, bit 56 without 63:57 is #GP(0). Also PS in a PML5E is
; reserved (#PF with RSVD), A is set in PML5Es, INVLPG takes 57-bit
; addresses, and CPUID reports LA57 and 57 linear-address bits.
; The scaffolding: with LA57 set before LM64_ENTER, its PML4 acts as the
; PML5, its PDPT as the PML4 and its PD as the PDPT, whose entry 0 (0x87)
; is then a 1-GByte page identity-mapping the first GiB.
; golden: SDM. QEMU 7.2 TCG reports reserved-bit faults without P (§4.7:
; RSVD "can be set only if bit 0 is also set"); the golden file is QEMU's
; output with P added to those error codes.
%include "lib.inc"
%include "pg.inc"
%include "lm64.inc"

main:
  call pg32_setup
  mov eax, 7
  xor ecx, ecx
  cpuid
  shr ecx, 16
  and ecx, 1
  SHOW "cpuid_la57", ecx
  mov eax, 0x80000008
  cpuid
  movzx eax, ah
  SHOW "linear_bits", eax
  mov eax, cr4
  or eax, 1 << 12                               ; LA57 (protected mode, no paging)
  mov cr4, eax
  LM64_ENTER go
bits 64
go:
  mov rax, cr4
  shr eax, 12
  and eax, 1
  SHOW "la57", eax
  EXPECT64 .k1
  mov rax, cr4
  btr rax, 12
  mov cr4, rax
.k1:
  mov rax, cr4
  shr eax, 12
  and eax, 1
  SHOW "la57_after", eax
  ; PML5E 1 and 256 -> pml4_b -> pdpt_b: 1-GByte page at 0
  mov rax, pml4_b
  or rax, 3
  mov [lm64_pml4 + 8], rax
  mov [lm64_pml4 + 256 * 8], rax
  or rax, 0x80
  mov [lm64_pml4 + 2 * 8], rax                  ; PS in a PML5E
  mov rax, pdpt_b
  or rax, 3
  mov [pml4_b], rax
  mov qword [pdpt_b + 8], 0x83                  ; +1 GiB: 1-GByte page at 0
  mov qword [pdpt_b + 16], 0x83                 ; +2 GiB: the same
  mov rax, cr3
  mov cr3, rax
  mov dword [var], 0x57575757
  mov rbx, 0x0001000040000000
  add rbx, var                                  ; (a 64-bit immediate cannot carry the ELF32 relocation)
  SHOW "alias_pml5e1", [rbx]
  mov rbx, 0xff00000080000000
  add rbx, var                                  ; (a 64-bit immediate cannot carry the ELF32 relocation)
  SHOW "alias_pml5e256", [rbx]
  mov rax, [lm64_pml4 + 8]
  and eax, 0x60
  SHOW "pml5e1_ad", eax
  mov rax, [pml4_b]
  and eax, 0x60
  SHOW "pml4e_ad", eax
  mov rax, [pdpt_b + 8]
  and eax, 0x60
  SHOW "pdpte_ad", eax
  ; INVLPG of a 57-bit address
  mov qword [pdpt_b + 8], 0
  mov rbx, 0x0001000040000000
  add rbx, var                                  ; (a 64-bit immediate cannot carry the ELF32 relocation)
  invlpg [rbx]
  EXPECT64 .k2
  mov eax, [rbx]
.k2:
  mov rax, cr2
  SHOW64 "cr2", rax
  ; bit 47 alone: canonical, but not mapped (PML4E 256 of PML5E 0 absent)
  EXPECT64 .k3
  mov rbx, 0x0000800000000000
  mov eax, [rbx]
.k3:
  mov rax, cr2
  SHOW64 "cr2", rax
  ; bit 56 without 63:57: #GP(0)
  EXPECT64 .k4
  mov rbx, 0x0100000000000000
  mov eax, [rbx]
.k4:
  EXPECT64 .k5
  mov rbx, 0x0002000000000000
  mov eax, [rbx]
.k5:
  mov rax, cr2
  SHOW64 "cr2", rax
  PRINT `done\n`
  mov al, 0
  jmp exit

section .bss
alignb 4096
pml4_b: resb 4096
pdpt_b: resb 4096
var: resd 1
