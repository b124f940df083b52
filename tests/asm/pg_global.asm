; Global pages (SDM Vol. 3A §4.10.2.4, §4.10.4.1) with 32-bit paging: G
; (bit 8) of a PTE or 4-MByte PDE marks a global translation only while
; CR4.PGE = 1. Required invalidations checked (a CPU may always flush more,
; so nothing here depends on an entry surviving): with PGE = 0, MOV to CR3
; invalidates entries whose G bit is set; clearing or setting CR4.PGE
; invalidates global entries; INVLPG invalidates a global entry, also a
; 4-MByte one through any address in the page. CR4.PGE reads back.
%include "lib.inc"
%include "pg.inc"

main:
  call pg32_setup
  PG32_IDENT pt0, 3
  mov eax, pt0
  or eax, 3
  mov [pd], eax
  mov eax, pt1
  or eax, 3
  mov [pd + 4], eax                             ; 0x400000: pt1
  mov dword [pd + 8], 0x1000183                 ; 0x800000: 4 MiB at 16 MiB, global
  mov eax, f0
  or eax, 0x103
  mov [pt1], eax                                ; 0x400000: f0, global
  mov dword [f0], 0xf0
  mov dword [f1], 0xf1
  mov dword [0x1000010], 0x16
  mov dword [0x1400010], 0x20
  mov eax, cr4
  or eax, 1 << 4                                ; PSE (PGE still 0)
  mov cr4, eax
  mov eax, pd
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  ; PGE = 0: G is ignored, MOV CR3 flushes
  SHOW "g_pge0_old", [0x400000]
  SHOW "g4m_pge0_old", [0x800010]
  mov eax, f1
  or eax, 0x103
  mov [pt1], eax
  mov dword [pd + 8], 0x1400183
  mov eax, cr3
  mov cr3, eax
  SHOW "g_pge0_new", [0x400000]
  SHOW "g4m_pge0_new", [0x800010]
  ; setting PGE invalidates
  mov eax, f0
  or eax, 0x103
  mov [pt1], eax
  mov dword [pd + 8], 0x1000183
  mov eax, cr4
  or eax, 1 << 7
  mov cr4, eax
  mov eax, cr4
  and eax, 1 << 7
  SHOW "pge", eax
  SHOW "g_set_pge", [0x400000]
  SHOW "g4m_set_pge", [0x800010]
  ; clearing PGE invalidates global entries
  mov eax, f1
  or eax, 0x103
  mov [pt1], eax
  mov dword [pd + 8], 0x1400183
  mov eax, cr4
  and eax, ~(1 << 7)
  mov cr4, eax
  SHOW "g_clear_pge", [0x400000]
  SHOW "g4m_clear_pge", [0x800010]
  mov eax, cr4
  or eax, 1 << 7
  mov cr4, eax
  ; INVLPG of global entries
  SHOW "g_before_invlpg", [0x400000]
  SHOW "g4m_before_invlpg", [0x800010]
  mov eax, f0
  or eax, 0x103
  mov [pt1], eax
  mov dword [pd + 8], 0x1000183
  invlpg [0x400000]
  invlpg [0x800000 + 0x3ff000]
  SHOW "g_invlpg", [0x400000]
  SHOW "g4m_invlpg", [0x800010]
  ; G in a PDE that points to a page table is ignored
  mov eax, pt1
  or eax, 0x103
  mov [pd + 4], eax
  mov eax, f1
  or eax, 3
  mov [pt1], eax
  invlpg [0x400000]
  SHOW "pde_g_ignored", [0x400000]
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov al, 0
  ret

section .bss
alignb 4096
pd: resb 4096
pt0: resb 4096
pt1: resb 4096
f0: resb 4096
f1: resb 4096
