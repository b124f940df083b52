; 32-bit paging with 4 KiB pages (SDM Vol. 3A §4.3): identity map of the
; first 4 MiB, an alias page, accessed/dirty bits set by reads and writes
; (§4.8), INVLPG after a remap, #PF error codes and CR2 for a not-present
; page and for a supervisor write to a read-only page with CR0.WP = 1.
%include "lib.inc"
%include "idt32.inc"

ALIAS equ 0x400000              ; linear page mapped through pt_hi

main:
  call idt32_setup
  ; page directory: [0] -> pt_lo (identity 0-4 MiB), [1] -> pt_hi
  mov eax, pt_lo
  or eax, 3
  mov [pd], eax
  mov eax, pt_hi
  or eax, 3
  mov [pd + 4], eax
  xor ecx, ecx
.fill:
  mov eax, ecx
  shl eax, 12
  or eax, 3                     ; present, writable, supervisor
  mov [pt_lo + ecx * 4], eax
  add ecx, 1
  cmp ecx, 1024
  jne .fill
  mov eax, page_a
  or eax, 1                     ; present, read-only
  mov [pt_hi], eax
  mov eax, page_b
  or eax, 3
  mov [pt_hi + 4], eax
  mov dword [page_a], 0xaaaa0001
  mov dword [page_b], 0xbbbb0002
  mov eax, pd
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000            ; PG (WP still clear)
  mov cr0, eax
  PRINT `paging on\n`
  mov eax, [ALIAS]
  SHOW "alias_a", eax
  mov eax, [pt_hi]
  and eax, 0x60
  SHOW "pte_a_after_read", eax
  mov dword [ALIAS + 0x1000], 0x12345678
  mov eax, [pt_hi + 4]
  and eax, 0x60
  SHOW "pte_b_after_write", eax
  SHOW "page_b", [page_b]
  mov eax, [pd]
  and eax, 0x20
  SHOW "pde_accessed", eax
  ; with WP clear, a supervisor write to a read-only page succeeds
  mov dword [ALIAS], 0xaaaa0003
  SHOW "page_a_wp0", [page_a]
  ; remap ALIAS to page_b; INVLPG makes the change visible
  mov eax, [ALIAS]
  mov eax, page_b
  or eax, 3
  mov [pt_hi], eax
  invlpg [ALIAS]
  SHOW "after_invlpg", [ALIAS]
  ; #PF: not present (read), then a write to a read-only page with WP = 1
  EXPECT .r1
  mov eax, [ALIAS + 0x2000 + 0x123]
.r1:
  mov eax, page_a
  or eax, 1
  mov [pt_hi], eax
  invlpg [ALIAS]
  mov eax, cr0
  or eax, 1 << 16               ; WP
  mov cr0, eax
  EXPECT .r2
  mov dword [ALIAS + 8], 1
.r2:
  SHOW "page_a_wp1", [page_a + 8]
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  PRINT `paging off\n`
  mov al, 0
  ret

section .bss
alignb 4096
pd: resb 4096
pt_lo: resb 4096
pt_hi: resb 4096
page_a: resb 4096
page_b: resb 4096
