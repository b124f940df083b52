; 32-bit paging with 4-KByte pages (SDM Vol. 3A §4.3, Tables 4-5 to 4-8):
; the rights of a page are those of its PDE and PTE combined (§4.6.1: U/S
; and R/W must allow the access at both levels), at CPL 0 (CR0.WP = 0: any
; supervisor write is allowed) and at CPL 3; a not-present PDE or PTE; the
; PS bit of a PDE is ignored while CR4.PSE = 0 (Table 4-6); CR3 keeps PWT
; and PCD. #PF error codes (P, W/R, U/S) and CR2 (§4.7).
%include "lib.inc"
%include "pg.inc"

; PDE 1: user, writable; 2: supervisor; 3: read-only; 4: PS = 1 (ignored);
; 5: not present. All of 1-4 point to pt1, whose PTEs are:
; 0 = f0 user/writable, 1 = f1 user/read-only, 2 = f2 supervisor, 3 = not present.
main:
  call pg32_setup
  PG32_IDENT pt0, 7
  mov eax, pt0
  or eax, 7
  mov [pd], eax
  mov eax, pt1
  or eax, 7
  mov [pd + 4], eax
  and eax, ~4
  mov [pd + 8], eax
  or eax, 4
  and eax, ~2
  mov [pd + 12], eax
  mov eax, pt1
  or eax, 0x87
  mov [pd + 16], eax
  mov eax, f0
  or eax, 7
  mov [pt1], eax
  mov eax, f1
  or eax, 5
  mov [pt1 + 4], eax
  mov eax, f2
  or eax, 3
  mov [pt1 + 8], eax
  mov dword [f0], 0xf0f0f0f0
  mov dword [f1], 0xf1f1f1f1
  mov dword [f2], 0xf2f2f2f2
  mov eax, pd
  or eax, 0x18                  ; PWT, PCD
  mov cr3, eax
  mov eax, cr3
  sub eax, pd
  SHOW "cr3_low", eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  SHOW "sup_u", [0x400000]
  SHOW "sup_s_pte", [0x402000]
  SHOW "sup_s_pde", [0x800000]
  SHOW "ps_ignored", [0x1000000]
  mov dword [0x401000], 0x11111111       ; read-only PTE, WP = 0
  mov dword [0xc00004], 0x22222222       ; read-only PDE, WP = 0
  SHOW "f1", [f1]
  SHOW "f0_4", [f0 + 4]
  PG_EXPECT .k1
  mov eax, [0x403000]
.k1:
  PG_EXPECT .k2
  mov dword [0x403ffc], 1
.k2:
  PG_EXPECT .k3
  mov al, [0x1400123]
.k3:
  PG_USER user
  PRINT `back at cpl0\n`
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov al, 0
  ret

user:
  SHOW "user_u", [0x400000]
  SHOW "user_ro", [0x401000]
  SHOW "user_ro_pde", [0xc00000]
  PG_EXPECT .u1
  mov eax, [0x402008]                    ; supervisor PTE
.u1:
  PG_EXPECT .u2
  mov eax, [0x800000]                    ; supervisor PDE
.u2:
  PG_EXPECT .u3
  mov dword [0xc00010], 3                ; read-only PDE
.u3:
  PG_EXPECT .u4
  mov word [0x401ffe], 3                 ; read-only PTE
.u4:
  PG_EXPECT .u5
  mov byte [0x403000], 3                 ; not-present PTE
.u5:
  PG_EXPECT .u6
  mov byte [0x1400000], 3                ; not-present PDE
.u6:
  PG_EXPECT .u7
  mov eax, [0x802000]                    ; supervisor PDE and PTE
.u7:
  mov dword [0x400010], 0x33333333
  SHOW "f0_10", [f0 + 0x10]
  SHOW "f1_u", [f1 + 0x10]
  int 0x30

section .bss
alignb 4096
pd: resb 4096
pt0: resb 4096
pt1: resb 4096
f0: resb 4096
f1: resb 4096
f2: resb 4096
