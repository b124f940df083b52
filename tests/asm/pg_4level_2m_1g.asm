; 4-level paging (SDM Vol. 3A §4.5, Tables 4-14 to 4-20) with 1-GByte pages
; (PDPTE PS = 1), 2-MByte pages (PDE PS = 1) and 4-KByte pages: physical
; addresses of each, the PAT bit (12) of a large-page entry not being an
; address bit, accessed flags on every level used and the dirty flag only
; on the leaf (§4.8), and reserved bits (#PF with RSVD | P, §4.7): PS in a
; PML4E, bits 29:13 of a 1-GByte PDPTE, bits 20:13 of a 2-MByte PDE, bits
; 51:40 (above MAXPHYADDR) of a PTE; bits 58:52 are ignored.
; golden: SDM. QEMU 7.2 TCG reports reserved-bit faults without P (§4.7:
; RSVD "can be set only if bit 0 is also set"); the golden file is QEMU's
; output with P added to those error codes.
%include "lib.inc"
%include "lm64.inc"

A1 equ 0x8000000000             ; PML4 slot 1
main:
  LM64_ENTER go
bits 64
go:
  mov rax, pdpt_a
  or rax, 3
  mov [lm64_pml4 + 8], rax                      ; A1 -> pdpt_a
  or rax, 0x80
  mov [lm64_pml4 + 16], rax                     ; 2 * 512 GiB: PS in a PML4E
  mov qword [pdpt_a], 0x1083                    ; A1 + 0: 1 GiB at 0, PAT bit
  mov rax, pd_a
  or rax, 3
  mov [pdpt_a + 8], rax                         ; A1 + 1 GiB -> pd_a
  mov qword [pdpt_a + 16], 0x40002083           ; A1 + 2 GiB: bit 13 reserved
  mov qword [pd_a], 0x1000083                   ; +0: 2 MiB at 16 MiB
  mov rax, pt_a
  or rax, 3
  mov [pd_a + 8], rax                           ; +2 MiB -> pt_a
  mov qword [pd_a + 16], 0x1300083              ; +4 MiB: bit 20 reserved
  mov qword [pd_a + 24], 0x1201083              ; +6 MiB: PAT bit only
  mov rax, f0
  or rax, 3
  mov [pt_a], rax
  bts rax, 51
  mov [pt_a + 8], rax                           ; bit 51 reserved
  btr rax, 51
  bts rax, 52
  bts rax, 58
  mov [pt_a + 16], rax                          ; bits 52, 58 ignored
  mov dword [0x1000010], 0x01000010
  mov dword [0x1200020], 0x01200020
  mov dword [f0 + 0x30], 0xf0000030
  mov rax, cr3
  mov cr3, rax
  mov rbx, A1
  SHOW "g1", [rbx + 0x1000010]
  mov rbx, A1 + 0x40000000
  SHOW "m2", [rbx + 0x10]
  SHOW "m2_pat", [rbx + 0x600020]
  SHOW "k4", [rbx + 0x200030]
  SHOW "k4_ign", [rbx + 0x202030]
  mov rax, [lm64_pml4 + 8]
  and eax, 0x60
  SHOW "pml4e_ad", eax
  mov rax, [pdpt_a]
  and eax, 0x60
  SHOW "pdpte_1g_ad", eax
  mov rax, [pdpt_a + 8]
  and eax, 0x60
  SHOW "pdpte_ad", eax
  mov rax, [pd_a + 8]
  and eax, 0x60
  SHOW "pde_ad", eax
  mov rax, [pt_a]
  and eax, 0x60
  SHOW "pte_ad", eax
  ; writes: D on the leaf only
  mov rbx, A1
  mov dword [rbx + 0x10000000], 1               ; 1-GByte page
  mov rbx, A1 + 0x40000000
  mov dword [rbx + 0x200040], 2                 ; 4-KByte page
  mov dword [rbx + 0x1ffff0], 3                 ; 2-MByte page
  mov rax, [pdpt_a]
  and eax, 0x60
  SHOW "pdpte_1g_ad_w", eax
  mov rax, [pdpt_a + 8]
  and eax, 0x60
  SHOW "pdpte_ad_w", eax
  mov rax, [pd_a + 8]
  and eax, 0x60
  SHOW "pde_ad_w", eax
  mov rax, [pt_a]
  and eax, 0x60
  SHOW "pte_ad_w", eax
  mov rax, [pd_a]
  and eax, 0x60
  SHOW "pde_2m_ad_w", eax
  SHOW "w1", [0x10000000]
  SHOW "w2", [f0 + 0x40]
  SHOW "w3", [0x11ffff0]
  ; reserved bits
  EXPECT64 .r1
  mov rbx, A1 + 0x80000000
  mov eax, [rbx]
.r1:
  EXPECT64 .r2
  mov rbx, A1 + 0x40000000 + 0x400000
  mov dword [rbx + 8], 0
.r2:
  EXPECT64 .r3
  mov rbx, A1 + 0x40000000 + 0x201000
  mov eax, [rbx]
.r3:
  EXPECT64 .r4
  mov rbx, 2 * A1 + 0x1234
  mov eax, [rbx]
.r4:
  TO_USER64 user
user:
  EXPECT64 .u1
  mov rbx, A1 + 0x40000000 + 0x201000
  mov byte [rbx], 0
.u1:
  EXPECT64 .u2
  mov rbx, A1                                   ; supervisor 1-GByte page
  mov eax, [rbx]
.u2:
  PRINT `done\n`
  mov al, 0
  jmp exit

section .bss
alignb 4096
pdpt_a: resb 4096
pd_a: resb 4096
pt_a: resb 4096
f0: resb 4096
