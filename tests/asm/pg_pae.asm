; PAE paging (SDM Vol. 3A §4.4): CR3 bits 31:5 locate a 32-byte PDPT; four
; PDPTEs (Table 4-8, loaded by MOV CR3, §4.4.1; no accessed flag) each map
; 1 GiB; PDEs map 2-MByte pages (Table 4-9) or point to page tables of
; 4-KByte PTEs (Table 4-11); entries are 64 bits wide. Checked: the three
; levels of translation, rights at CPL 3, A/D bits (§4.8), a PDPTE made
; present in memory and used after MOV CR3, execute-disable with EFER.NXE
; (#PF with I/D, §4.6, §4.7) and bit 63 reserved without it, address bits
; at or above MAXPHYADDR (40) reserved (#PF with RSVD).
; golden: SDM. QEMU 7.2 TCG (1) reports reserved-bit faults without P
; (§4.7: RSVD "can be set only if bit 0 is also set") and (2) sets bit 5 of
; the PDPTE, which Table 4-8 makes reserved (PDPTEs have no accessed flag).
; The golden file is QEMU's output with those two corrected.
%include "lib.inc"
%include "pg.inc"

main:
  call pg32_setup
  ; PDPT at pdpt (32-byte aligned, not page aligned): [0] -> pd0, [1] -> pd1
  mov eax, pd0
  or eax, 1
  mov [pdpt], eax
  mov eax, pd1
  or eax, 1
  mov [pdpt + 8], eax
  mov eax, pt0
  or eax, 7
  mov [pd0], eax
  mov dword [pd0 + 8], 0x200087                 ; 2-4 MiB: one 2-MByte page
  xor ecx, ecx
.fill:
  mov eax, ecx
  shl eax, 12
  or eax, 7
  mov [pt0 + ecx * 8], eax
  add ecx, 1
  cmp ecx, 512
  jne .fill
  mov dword [pd1], 0x1000083                    ; 0x40000000: 2 MiB at 16 MiB, supervisor
  mov eax, pt1
  or eax, 7
  mov [pd1 + 8], eax                            ; 0x40200000: pt1
  mov eax, f0
  or eax, 7
  mov [pt1], eax                                ; 0x40200000: f0
  mov eax, f1
  or eax, 7
  mov [pt1 + 8], eax                            ; 0x40201000: f1, execute-disable
  mov dword [pt1 + 8 + 4], 0x80000000
  mov eax, f0
  or eax, 7
  mov [pt1 + 16], eax                           ; 0x40202000: bit 40 set
  mov dword [pt1 + 16 + 4], 0x100
  mov dword [0x1000000 + 0x1ffff8], 0x1ffff81f
  mov dword [f0 + 0x30], 0xf0f0f030
  mov byte [f1], 0xc3                           ; RET
  mov eax, cr4
  or eax, 1 << 5                ; PAE
  mov cr4, eax
  mov eax, pdpt
  or eax, 0x18                  ; PWT, PCD: bits 4:3 of CR3
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  mov eax, cr3
  sub eax, pdpt
  SHOW "cr3_low", eax
  SHOW "big", [0x40000000 + 0x1ffff8]
  SHOW "small", [0x40200000 + 0x30]
  mov dword [0x40200000 + 0x34], 0x34
  SHOW "f0_34", [f0 + 0x34]
  SHOW "pdpte1", [pdpt + 8]
  SHOW "pdpte1_hi", [pdpt + 12]
  mov eax, [pd1 + 8]
  and eax, 0x60
  SHOW "pde_ad", eax
  mov eax, [pt1]
  and eax, 0x60
  SHOW "pte_ad", eax
  mov eax, [pd1]
  and eax, 0x60
  SHOW "pde_2m_ad", eax
  ; NXE = 0: bit 63 is reserved
  PG_EXPECT .k1
  mov eax, [0x40201000]
.k1:
  PG_EXPECT .k2
  mov eax, [0x40202000]
.k2:
  PG_EXPECT .k3
  mov eax, [0xc0000000]                         ; PDPTE 3 not present
.k3:
  PG_EXPECT .k4
  mov eax, 0xc0000000
  call eax
.k4:
  add esp, 4                    ; the CALL pushed its return address
  ; PDPTE 3 made present in memory: used after MOV CR3
  mov eax, pd1
  or eax, 1
  mov [pdpt + 24], eax
  mov eax, cr3
  mov cr3, eax
  SHOW "alias", [0xc0000000 + 0x1ffff8]
  ; NXE = 1: execute-disable
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 11
  wrmsr
  SHOW "xd_read", [0x40201000]
  PG_EXPECT .k5
  mov eax, 0x40201000
  call eax
.k5:
  add esp, 4                    ; the CALL pushed its return address
  PG_EXPECT .k6
  mov eax, 0x40203000                           ; PTE 3 not present
  call eax
.k6:
  add esp, 4                    ; the CALL pushed its return address
  mov eax, 0x40200000 + 0x40                    ; a fetch from f0 works
  mov byte [eax], 0xc3
  call eax
  PRINT `called\n`
  PG_USER user
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov al, 0
  ret

user:
  PG_EXPECT .u1
  mov eax, [0x40000000]                         ; supervisor 2-MByte page
.u1:
  PG_EXPECT .u2
  mov eax, 0x40201000
  call eax
.u2:
  add esp, 4                    ; the CALL pushed its return address
  SHOW "user_small", [0x40200000 + 0x30]
  int 0x30

section .bss
alignb 4096
pd0: resb 4096
pd1: resb 4096
pt0: resb 4096
pt1: resb 4096
f0: resb 4096
f1: resb 4096
resb 0x40
pdpt: resb 32
