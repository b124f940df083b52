; PAE PDPTE loading (SDM Vol. 3A §4.4.1, Table 4-8): MOV to CR3 with PAE
; paging, MOV to CR0 that sets PG (with CR4.PAE = 1, EFER.LME = 0) and MOV
; to CR4 that changes PGE, PAE, PSE or SMEP under PAE paging load the four
; PDPTEs; a present PDPTE with a reserved bit set (bits 2:1, 8:5, 63:40) makes
; the instruction #GP(0) and leaves the register unchanged. Not-present
; PDPTEs are not checked; PWT, PCD and the ignored bits 11:9 are allowed; a
; CR4 change outside that list (TSD) loads nothing.
; golden: SDM. QEMU 7.2 TCG does not load or check PDPTEs on these MOVs (no
; #GP). The golden file was written from the SDM rules above: each "gp"
; line is the #GP(0) of the MOV just before it, with its EIP from the ELF.
%include "lib.inc"
%include "pg.inc"

%macro SET_PDPT 8              ; lo0, hi0, ... lo3, hi3 of `pdpt2`
  mov dword [pdpt2], %1
  mov dword [pdpt2 + 4], %2
  mov dword [pdpt2 + 8], %3
  mov dword [pdpt2 + 12], %4
  mov dword [pdpt2 + 16], %5
  mov dword [pdpt2 + 20], %6
  mov dword [pdpt2 + 24], %7
  mov dword [pdpt2 + 28], %8
%endmacro

%macro TRY_CR3 1               ; name: MOV CR3 <- pdpt2, print the CR3 offset
  PG_EXPECT %%r
  mov eax, pdpt2
  mov cr3, eax
%%r:
  mov eax, cr3
  sub eax, pdpt
  SHOW %1, eax
  mov eax, pdpt
  mov cr3, eax
%endmacro

main:
  call pg32_setup
  mov eax, pd0
  or eax, 1
  mov [pdpt], eax
  mov dword [pd0], 0x87                         ; 0-2 MiB
  mov dword [pd0 + 8], 0x200087                 ; 2-4 MiB
  mov eax, cr4
  or eax, 1 << 5
  mov cr4, eax
  mov eax, pdpt
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  mov ebx, pd0 + 1              ; the PDPTE every pdpt2 variant keeps in slot 0
  SET_PDPT ebx, 0, 0x3fe, 0xffffffff, 0, 0, 0, 0
  TRY_CR3 "np_rsvd"                             ; not present: ok (offset pdpt2 - pdpt)
  SET_PDPT ebx, 0, pd0 + 0xe19, 0, 0, 0, 0, 0
  TRY_CR3 "pwt_pcd_ign"                         ; ok
  SET_PDPT ebx, 0, pd0 + 3, 0, 0, 0, 0, 0
  TRY_CR3 "bit1"                                ; #GP, CR3 unchanged (0)
  SET_PDPT ebx, 0, 0, 0, pd0 + 0x21, 0, 0, 0
  TRY_CR3 "bit5"
  SET_PDPT ebx, 0, 0, 0, 0, 0, pd0 + 0x101, 0
  TRY_CR3 "bit8"
  SET_PDPT ebx, 0, pd0 + 1, 0x100, 0, 0, 0, 0
  TRY_CR3 "bit40"
  SET_PDPT ebx, 0, pd0 + 1, 0x80000000, 0, 0, 0, 0
  TRY_CR3 "bit63"
  SET_PDPT ebx, 0, pd0 + 1, 0x80, 0, 0, 0, 0
  TRY_CR3 "bit39"                               ; below MAXPHYADDR: ok
  ; CR0.PG = 1 loads the PDPTEs too
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  SET_PDPT ebx, 0, pd0 + 0x41, 0, 0, 0, 0, 0
  mov eax, pdpt2
  mov cr3, eax                                  ; paging off: nothing loaded
  PRINT `cr3 loaded\n`
  PG_EXPECT .r1
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
.r1:
  mov eax, cr0
  shr eax, 31
  SHOW "pg", eax
  mov eax, pdpt
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  ; CR4 writes: corrupt the live PDPT's slot 1 (unused) in memory
  mov dword [pdpt + 8], pd0 + 0x81
  mov eax, cr4
  or eax, 1 << 2                ; TSD: no PDPTE load
  mov cr4, eax
  mov eax, cr4
  and eax, 1 << 2
  SHOW "tsd", eax
  PG_EXPECT .r2
  mov eax, cr4
  or eax, 1 << 7                ; PGE: PDPTEs loaded, #GP
  mov cr4, eax
.r2:
  mov eax, cr4
  and eax, 1 << 7
  SHOW "pge", eax
  PG_EXPECT .r3
  mov eax, cr4
  or eax, 1 << 4                ; PSE
  mov cr4, eax
.r3:
  mov eax, cr4
  and eax, 1 << 4
  SHOW "pse", eax
  mov dword [pdpt + 8], 0
  mov eax, cr4
  or eax, 1 << 7
  mov cr4, eax
  mov eax, cr4
  and eax, 1 << 7
  SHOW "pge_ok", eax
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov al, 0
  ret

section .bss
alignb 4096
pd0: resb 4096
pdpt: resb 32
pdpt2: resb 32
