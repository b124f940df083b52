; Protection keys outside IA-32e mode (SDM Vol. 3A §4.6.2): CR4.PKE can be
; set with PAE and 32-bit paging and RDPKRU/WRPKRU then work, but keys are
; only checked with 4-level paging ("if IA32_EFER.LMA = 1 and CR4.PKE =
; 1"): with PKRU.AD0 = WD0 = 1, user pages (key 0) stay readable and
; writable at CPL 0 and CPL 3. In PAE entries bits 62:59 are reserved
; (above MAXPHYADDR), not a key: #PF with RSVD.
; golden: SDM. QEMU 7.2 TCG reports reserved-bit faults without P (§4.7:
; RSVD "can be set only if bit 0 is also set"); the golden file is QEMU's
; output with P added to those error codes.
%include "lib.inc"
%include "pg.inc"

main:
  call pg32_setup
  mov eax, pd0
  or eax, 1
  mov [pdpt], eax
  mov dword [pd0], 0x87                         ; 0-2 MiB: user
  mov dword [pd0 + 8], 0x200087                 ; 2-4 MiB: user
  mov dword [pd0 + 16], 0x1000087               ; 4 MiB: user, -> 16 MiB
  mov dword [pd0 + 24], 0x1000087               ; 6 MiB: the same with bit 59 (key 1)
  mov dword [pd0 + 28], 0x08000000
  mov dword [0x1000010], 0x1010
  mov eax, cr4
  or eax, (1 << 5) | (1 << 22)                  ; PAE, PKE
  mov cr4, eax
  mov eax, pdpt
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000 | (1 << 16)                ; PG, WP
  mov cr0, eax
  mov eax, 3                                    ; AD0, WD0
  xor ecx, ecx
  xor edx, edx
  db 0x0f, 0x01, 0xef                           ; WRPKRU (NASM: 64-bit only)
  db 0x0f, 0x01, 0xee                           ; RDPKRU
  SHOW "pkru", eax
  SHOW "sup_read", [0x400010]
  mov dword [0x400014], 0x14
  SHOW "sup_write", [0x400014]
  PG_EXPECT .k1
  mov eax, [0x600010]
.k1:
  PG_USER user
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov al, 0
  ret

user:
  SHOW "user_read", [0x400010]
  mov dword [0x400018], 0x18
  SHOW "user_write", [0x400018]
  xor ecx, ecx
  db 0x0f, 0x01, 0xee                           ; RDPKRU
  SHOW "user_pkru", eax
  int 0x30

section .bss
alignb 4096
pd0: resb 4096
pdpt: resb 32
