; 4-MByte pages of 32-bit paging (SDM Vol. 3A §4.3, Table 4-4): with
; CR4.PSE = 1 a PDE with PS = 1 maps a 4-MByte page (physical bits 31:22
; from the PDE, 21:0 from the linear address; bit 12 is PAT, not an address
; bit); rights (U/S, R/W with CR0.WP) and the accessed/dirty bits (§4.8)
; live in the PDE. With CR4.PSE = 0 the same PDE points to a page table at
; its bits 31:12 (Table 4-6: PS ignored).
%include "lib.inc"
%include "pg.inc"

BIG equ 0x1000000               ; physical 16 MiB: the 4-MByte frame

main:
  call pg32_setup
  PG32_IDENT pt0, 7
  mov eax, pt0
  or eax, 7
  mov [pd], eax
  mov dword [pd + 2 * 4], BIG | 0x83            ; 0x800000: supervisor, writable
  mov dword [pd + 3 * 4], BIG | 0x1087          ; 0xc00000: PAT bit, user
  mov dword [pd + 4 * 4], (BIG + 0x400000) | 0x85 ; 0x1000000: user, read-only
  mov dword [BIG + 0x3ffffc], 0x3ffffc3f
  mov dword [BIG + 0x123450], 0x12345012
  mov dword [BIG + 0x400000 + 0x200000], 0x20000020
  ; page table at BIG for CR4.PSE = 0: PTE 5 -> f0
  mov eax, f0
  or eax, 3
  mov [BIG + 5 * 4], eax
  mov dword [f0 + 0x44], 0xf0f0f044
  mov eax, cr4
  or eax, 1 << 4                ; PSE
  mov cr4, eax
  mov eax, pd
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  SHOW "big_end", [0x800000 + 0x3ffffc]
  SHOW "big_mid", [0xc00000 + 0x123450]
  mov eax, [pd + 2 * 4]
  and eax, 0x60
  SHOW "pde2_ad_read", eax
  mov dword [0x800000 + 0x100], 0x55
  mov eax, [pd + 2 * 4]
  and eax, 0x60
  SHOW "pde2_ad_write", eax
  SHOW "big_100", [0xc00000 + 0x100]
  SHOW "ro_big", [0x1000000 + 0x200000]
  mov dword [0x1000000 + 0x200004], 0x66          ; WP = 0: allowed
  SHOW "ro_big_4", [0x1000000 + 0x200004]
  mov eax, cr0
  or eax, 1 << 16               ; WP
  mov cr0, eax
  PG_EXPECT .k1
  mov dword [0x1000000 + 0x3ffff8], 1
.k1:
  PG_USER user
  ; CR4.PSE = 0: PDE 2 now points to the page table at BIG
  mov eax, cr4
  and eax, ~(1 << 4)
  mov cr4, eax
  mov eax, cr3
  mov cr3, eax
  SHOW "pse0_pte5", [0x800000 + 5 * 0x1000 + 0x44]
  PG_EXPECT .k2
  mov eax, [0x800000 + 6 * 0x1000]              ; PTE 6 not present
.k2:
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov al, 0
  ret

user:
  SHOW "user_big", [0xc00000 + 0x3ffffc]
  PG_EXPECT .u1
  mov eax, [0x800000 + 0x10]                    ; supervisor 4-MByte page
.u1:
  PG_EXPECT .u2
  mov byte [0x1000000 + 0x1234], 1              ; read-only 4-MByte page
.u2:
  int 0x30

section .bss
alignb 4096
pd: resb 4096
pt0: resb 4096
f0: resb 4096
