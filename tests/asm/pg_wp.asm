; CR0.WP (SDM Vol. 3A §4.6.1): with WP = 0 supervisor-mode writes may go
; to any page, whatever R/W says (user or supervisor page, read-only in the
; leaf or in a higher level), and set the dirty flag; with WP = 1 they
; fault with error code 3 (P | W) and leave D clear (§4.8; whether A gets
; set in the leaf of a faulting access is model specific, §6.15). User-mode writes
; to read-only pages fault (7) with either WP. Reads are never affected.
%include "lib.inc"
%include "lm64.inc"
%include "pg64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov qword [lm64_pd + 256 * 8], 0x10000085     ; 0x20000000: user, read-only
  mov qword [lm64_pd + 257 * 8], 0x10200081     ; 0x20200000: supervisor, read-only
  mov rax, pd_y
  or rax, 5                                     ; 0x40000000: PDPTE read-only
  mov [lm64_pdpt + 8], rax
  mov qword [pd_y], 0x10400087                  ;   PDE writable
  mov rax, cr3
  mov cr3, rax
  mov dword [0x20000000], 0x11
  mov dword [0x20200000], 0x22
  mov dword [0x40000000], 0x33
  SHOW "w_user_ro", [0x10000000]
  SHOW "w_sup_ro", [0x10200000]
  SHOW "w_pdpte_ro", [0x10400000]
  mov eax, [lm64_pd + 256 * 8]
  and eax, 0x60
  SHOW "d_user_ro", eax
  mov eax, [lm64_pd + 257 * 8]
  and eax, 0x60
  SHOW "d_sup_ro", eax
  mov eax, [pd_y]
  and eax, 0x60
  SHOW "d_pdpte_ro", eax
  PG64_USER user0
  ; WP = 1, with clean pages
  and qword [lm64_pd + 256 * 8], ~0x60
  and qword [lm64_pd + 257 * 8], ~0x60
  and qword [pd_y], ~0x60
  mov rax, cr0
  bts rax, 16
  mov cr0, rax
  EXPECT64 .k1
  mov dword [0x20000004], 1
.k1:
  EXPECT64 .k2
  mov word [0x20200ffe], 1
.k2:
  EXPECT64 .k3
  mov byte [0x40000008], 1
.k3:
  mov eax, [lm64_pd + 256 * 8]
  and eax, 0x40                                 ; D (A of a faulting leaf: model specific)
  SHOW "d_user_ro_wp", eax
  mov eax, [lm64_pd + 257 * 8]
  and eax, 0x40                                 ; D (A of a faulting leaf: model specific)
  SHOW "d_sup_ro_wp", eax
  mov eax, [pd_y]
  and eax, 0x40                                 ; D (A of a faulting leaf: model specific)
  SHOW "d_pdpte_ro_wp", eax
  SHOW "r_user_ro", [0x20000000]
  SHOW "r_sup_ro", [0x20200000]
  SHOW "r_pdpte_ro", [0x40000000]
  PG64_USER user1
  ; WP = 0 again: the write goes through
  mov rax, cr0
  btr rax, 16
  mov cr0, rax
  mov dword [0x20200000], 0x44
  SHOW "w_sup_ro2", [0x10200000]
  PRINT `done\n`
  mov al, 0
  jmp exit

user0:                          ; WP = 0
  EXPECT64 .u1
  mov dword [0x20000008], 1
.u1:
  EXPECT64 .u2
  mov dword [0x40000008], 1
.u2:
  SHOW "u_r_user_ro", [0x20000000]
  int 0x1f

user1:                          ; WP = 1
  EXPECT64 .u1
  mov dword [0x20000008], 1
.u1:
  EXPECT64 .u2
  mov eax, [0x20200000]
.u2:
  int 0x1f

section .bss
alignb 4096
pd_y: resb 4096
