; SMEP (SDM Vol. 3A §4.6.1): with CR4.SMEP = 1, supervisor-mode fetches
; from user-mode pages (U/S = 1 on every level) fault with P | I/D (0x11);
; a page with U/S = 0 in a higher level is a supervisor page and may be
; executed; data accesses to user pages are not affected. With SMEP, I/D is
; set for any fetch fault, also a not-present one with EFER.NXE = 0 (§4.7).
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov qword [lm64_pd], 0x83                     ; 0-2 MiB (this code): supervisor
  mov qword [lm64_pd + 256 * 8], 0x10000087     ; 0x20000000: user
  mov qword [lm64_pd + 257 * 8], 0              ; 0x20200000: not present
  mov rax, pd_y
  or rax, 3                                     ; 0x40000000: PDPTE supervisor
  mov [lm64_pdpt + 8], rax
  mov qword [pd_y], 0x10200087                  ;   PDE user
  mov byte [0x10000000], 0xc3
  mov byte [0x10200000], 0xc3
  mov dword [0x10000010], 0x10
  mov rax, cr3
  mov cr3, rax
  mov eax, 0x20000000
  call rax
  PRINT `smep0 call ok\n`
  mov rax, cr4
  bts rax, 20
  mov cr4, rax
  mov rax, cr4
  shr eax, 20
  and eax, 1
  SHOW "smep", eax
  EXPECT64 .k1
  mov eax, 0x20000000
  call rax
.k1:
  EXPECT64 .k2
  mov eax, 0x20200000
  jmp rax
.k2:
  SHOW "data_read", [0x20000010]
  mov dword [0x20000014], 0x14
  SHOW "data_write", [0x10000014]
  mov eax, 0x40000000
  call rax
  PRINT `supervisor pdpte call ok\n`
  mov rax, cr4
  btr rax, 20
  mov cr4, rax
  mov eax, 0x20000000
  call rax
  PRINT `smep off call ok\n`
  mov al, 0
  jmp exit

section .bss
alignb 4096
pd_y: resb 4096
