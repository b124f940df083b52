; Protection keys (SDM Vol. 3A §4.6.2, §2.7; Vol. 2B "RDPKRU", "WRPKRU"):
; RDPKRU/WRPKRU are #UD while CR4.PKE = 0 and #GP(0) with ECX != 0 (WRPKRU:
; or EDX != 0), at any CPL; CPUID.7.0:ECX.OSPKE follows CR4.PKE. With PKE
; in IA-32e mode, bits 62:59 of a user page's leaf entry select a key:
; PKRU.ADi forbids data reads and writes, PKRU.WDi writes (supervisor
; writes only with CR0.WP = 1), at CPL 0 and 3, with PK (bit 5) in the #PF
; error code (§4.7). Supervisor pages and instruction fetches ignore keys.
%include "lib.inc"
%include "lm64.inc"
%include "pg64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov rax, 0x0800000010000087                   ; 0x20000000: user, key 1
  mov [lm64_pd + 256 * 8], rax
  mov rax, 0x1000000010200083                   ; 0x20200000: supervisor, key 2
  mov [lm64_pd + 257 * 8], rax
  mov rax, 0x1800000010400087                   ; 0x20400000: user, key 3
  mov [lm64_pd + 258 * 8], rax
  mov byte [0x10000000], 0xc3
  mov dword [0x10000010], 0x10
  mov dword [0x10200010], 0x20
  mov dword [0x10400010], 0x30
  mov rax, cr3
  mov cr3, rax
  EXPECT64 .p1
  xor ecx, ecx
  rdpkru
.p1:
  EXPECT64 .p2
  xor ecx, ecx
  xor edx, edx
  wrpkru
.p2:
  mov rax, cr4
  bts rax, 22                                   ; PKE
  mov cr4, rax
  mov eax, 7
  xor ecx, ecx
  cpuid
  shr ecx, 4
  and ecx, 1
  SHOW "ospke", ecx
  xor ecx, ecx
  rdpkru
  SHOW "pkru0", eax
  SHOW "pkru0_edx", edx
  EXPECT64 .p3
  mov ecx, 1
  rdpkru
.p3:
  EXPECT64 .p4
  xor ecx, ecx
  mov edx, 1
  wrpkru
.p4:
  EXPECT64 .p5
  mov ecx, 1
  xor edx, edx
  wrpkru
.p5:
  mov eax, 0x94                                 ; AD1, AD2, WD3
  xor ecx, ecx
  xor edx, edx
  wrpkru
  rdpkru
  SHOW "pkru", eax
  EXPECT64 .k1
  mov eax, [0x20000010]                         ; AD1: read
.k1:
  EXPECT64 .k2
  mov dword [0x20000010], 1                     ; AD1: write
.k2:
  SHOW "sup_page_key2", [0x20200010]
  SHOW "wd_read", [0x20400010]
  mov dword [0x20400014], 0x34                  ; WD3, WP = 0: allowed
  SHOW "wd_write_wp0", [0x10400014]
  mov eax, 0x20000000
  call rax                                      ; fetch ignores AD1
  PRINT `fetch ok\n`
  mov rax, cr0
  bts rax, 16
  mov cr0, rax
  EXPECT64 .k3
  mov dword [0x20400018], 1                     ; WD3, WP = 1
.k3:
  PG64_USER user
  xor ecx, ecx
  rdpkru
  SHOW "pkru_after_user", eax
  SHOW "key1_read", [0x20000010]
  EXPECT64 .k4
  mov dword [0x20400018], 0x38                  ; WD3 (set at CPL 3), WP = 1
.k4:
  xor eax, eax
  xor ecx, ecx
  xor edx, edx
  wrpkru
  mov dword [0x20400018], 0x38
  SHOW "key3_write", [0x10400018]
  PRINT `done\n`
  mov al, 0
  jmp exit

user:
  EXPECT64 .u1
  mov eax, [0x20000010]
.u1:
  EXPECT64 .u2
  mov byte [0x20400010], 1
.u2:
  SHOW "u_wd_read", [0x20400010]
  xor ecx, ecx
  rdpkru
  SHOW "u_pkru", eax
  mov eax, 0x80                                 ; WD3 only
  xor edx, edx
  wrpkru
  SHOW "u_key1_read", [0x20000010]
  int 0x1f
