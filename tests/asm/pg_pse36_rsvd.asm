; PSE-36 and the reserved bit of a 4-MByte PDE (SDM Vol. 3A §4.3, Table
; 4-4): with MAXPHYADDR = 40, bits 20:13 of a 4-MByte PDE are physical bits
; 39:32 and bit 21 is reserved. A present PDE with bit 21 set faults with
; RSVD | P (§4.7) for reads, writes, user accesses and fetches, also when
; bits 20:13 are non-zero; a not-present one faults with P = 0; with
; CR4.PSE = 0 the bit is an address bit of a page-table pointer. I/D (bit 4)
; is set for a fetch only with CR4.SMEP (no PAE here, §4.7). (Pages above
; 4 GiB are outside RAM, so no access may succeed through bits 20:13.)
; golden: SDM. QEMU 7.2 TCG reports these reserved-bit faults of 32-bit
; paging without P (error code 8 for a read); §4.7 says RSVD "can be set only
; if bit 0 is also set". The golden file is QEMU's output with P added.
%include "lib.inc"
%include "pg.inc"

main:
  call pg32_setup
  PG32_IDENT pt0, 7
  mov eax, pt0
  or eax, 7
  mov [pd], eax
  mov dword [pd + 2 * 4], 0x01200087            ; 0x800000: bit 21 set
  mov dword [pd + 3 * 4], 0x0120a087            ; 0xc00000: bit 21 and bits 13, 15
  mov dword [pd + 4 * 4], 0x01200086            ; 0x1000000: not present
  mov dword [0x1200000 + 7 * 4], 0x01000003     ; PSE = 0: PTE 7 of the table at 18 MiB
  mov dword [0x1000000 + 0x88], 0x88888888
  mov eax, cr4
  or eax, 1 << 4                ; PSE
  mov cr4, eax
  mov eax, pd
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  PG_EXPECT .k1
  mov eax, [0x800000 + 0x1230]
.k1:
  PG_EXPECT .k2
  mov dword [0x800000 + 0x3ffffc], 0
.k2:
  PG_EXPECT .k3
  mov eax, [0xc00000 + 0x44]
.k3:
  PG_EXPECT .k4
  mov eax, [0x1000000 + 0x44]
.k4:
  PG_EXPECT .k5
  mov eax, 0x800000 + 0x500
  call eax
.k5:
  add esp, 4                    ; the CALL pushed its return address
  mov eax, [pd + 2 * 4]
  and eax, ~0x60                              ; A/D of the faulting entry: not checked
  SHOW "pde2", eax
  PG_USER user
  ; CR4.PSE = 0: bit 21 is part of the page-table address 0x1200000
  mov eax, cr4
  and eax, ~(1 << 4)
  mov cr4, eax
  mov eax, cr3
  mov cr3, eax
  SHOW "pse0", [0x800000 + 7 * 0x1000 + 0x88]
  ; SMEP: supervisor pages only below 4 MiB, then a fetch fault has I/D
  PG32_IDENT pt0, 3
  mov eax, cr4
  or eax, (1 << 4) | (1 << 20)  ; PSE, SMEP
  mov cr4, eax
  mov eax, cr3
  mov cr3, eax
  PG_EXPECT .k6
  mov eax, 0x800000 + 0x600
  call eax
.k6:
  add esp, 4
  PG_EXPECT .k7
  mov eax, [0x800000 + 0x600]
.k7:
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov al, 0
  ret

user:
  PG_EXPECT .u1
  mov eax, [0x800000 + 0x10]
.u1:
  PG_EXPECT .u2
  mov byte [0xc00000 + 0x20], 1
.u2:
  PG_EXPECT .u3
  mov byte [0x1000000 + 0x20], 1
.u3:
  int 0x30

section .bss
alignb 4096
pd: resb 4096
pt0: resb 4096
