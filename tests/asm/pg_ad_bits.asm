; Accessed and dirty flags (SDM Vol. 3A §4.8) with 4-level paging: any
; access sets A in every entry used (PML4E, PDPTE, PDE, PTE); a write sets D
; in the PTE only (bit 6 of the other levels is ignored), also after the
; page was read first; software clears A or D, invalidates with INVLPG and
; the next access sets them again; an instruction fetch sets A, not D; a
; CMPXCHG whose comparison fails still writes its destination (Vol. 2A
; "CMPXCHG": "the destination operand receives a write cycle"), so sets D;
; a faulting access (a write to a read-only page with CR0.WP = 1) sets no
; D, but A in the entries above the leaf ("if a page fault is caused by a
; page-level protection violation, the access flag in the page-directory
; entry is set", §6.15 Interrupt 14; the leaf's A is model specific).
%include "lib.inc"
%include "lm64.inc"

A1 equ 0x8000000000             ; PML4 slot 1 -> pdpt_a -> pd_a -> pt_a
%macro SHOW_AD 2                ; name, entry: prints its bits 6:5
  mov rax, %2
  and eax, 0x60
  SHOW %1, eax
%endmacro
%macro SHOW_ALL 1
  PRINT %1
  PRINT `:\n`
  SHOW_AD " pml4e", [lm64_pml4 + 8]
  SHOW_AD " pdpte", [pdpt_a]
  SHOW_AD " pde", [pd_a]
  SHOW_AD " pte0", [pt_a]
%endmacro

main:
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
  mov [pt_a], rax                               ; A1 + 0: f0
  mov rax, f1
  or rax, 1
  mov [pt_a + 8], rax                           ; A1 + 0x1000: f1, read-only
  mov rax, f2
  or rax, 3
  mov [pt_a + 16], rax                          ; A1 + 0x2000: f2 (code)
  mov rax, f3
  or rax, 3
  mov [pt_a + 24], rax                          ; A1 + 0x3000: f3 (CMPXCHG)
  mov byte [f2], 0xc3
  mov dword [f3], 5
  mov rax, cr0
  bts rax, 16                                   ; WP
  mov cr0, rax
  mov rax, cr3
  mov cr3, rax
  SHOW_ALL "initial"
  mov rbx, A1
  mov eax, [rbx + 0x10]
  SHOW_ALL "read"
  mov dword [rbx + 0x10], 1
  SHOW_ALL "write"
  and qword [pt_a], ~0x40
  invlpg [rbx]
  mov eax, [rbx + 0x20]
  SHOW_AD "pte0_read_after_clear_d", [pt_a]
  mov byte [rbx + 0x20], 1
  SHOW_AD "pte0_write_after_clear_d", [pt_a]
  and qword [pt_a], ~0x60
  invlpg [rbx]
  mov eax, [rbx + 0x20]
  SHOW_AD "pte0_read_after_clear_ad", [pt_a]
  ; fetch
  lea rax, [rbx + 0x2000]
  call rax
  SHOW_AD "pte2_fetch", [pt_a + 16]
  ; CMPXCHG with a failing comparison
  mov eax, 7
  mov ecx, 9
  cmpxchg [rbx + 0x3000], ecx
  SHOW "cmpxchg_eax", eax
  SHOW_AD "pte3_cmpxchg", [pt_a + 24]
  ; a faulting write leaves A and D of the leaf alone
  EXPECT64 .f1
  mov dword [rbx + 0x1010], 1
.f1:
  mov rax, [pt_a + 8]
  and eax, 0x40
  SHOW "pte1_fault_d", eax
  ; the same on a fresh path (PML4E 2 -> pdpt_c -> pd_c -> pt_c): the entries
  ; above the read-only leaf get A, the leaf no D
  mov rax, pdpt_c
  or rax, 3
  mov [lm64_pml4 + 16], rax
  mov rax, pd_c
  or rax, 3
  mov [pdpt_c], rax
  mov rax, pt_c
  or rax, 3
  mov [pd_c], rax
  mov rax, f1
  or rax, 1
  mov [pt_c], rax
  mov rcx, 2 * A1
  EXPECT64 .f2
  mov dword [rcx + 0x10], 1
.f2:
  SHOW_AD "pml4e2_fault", [lm64_pml4 + 16]
  SHOW_AD "pdpte_c_fault", [pdpt_c]
  SHOW_AD "pde_c_fault", [pd_c]
  mov rax, [pt_c]
  and eax, 0x40
  SHOW "pte_c_fault_d", eax
  mov eax, [rbx + 0x1010]
  SHOW_AD "pte1_read", [pt_a + 8]
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
f2: resb 4096
f3: resb 4096
pdpt_c: resb 4096
pd_c: resb 4096
pt_c: resb 4096
