; Reserved bits of 4-level paging entries (SDM Vol. 3A §4.5.4, Tables 4-15
; to 4-20) and the #PF error code (§4.7): bits 51:40 (above MAXPHYADDR)
; and, with EFER.NXE = 0, bit 63 are reserved at every level, leaf or not;
; reserved bits are not checked in a not-present entry (P = 0 fault); the
; walk stops at the first entry with a reserved bit, so a not-present entry
; below it does not matter; a reserved-bit fault reports RSVD | P with the
; W/R, U/S and I/D bits of the access, whatever the entry's rights are;
; ignored bits (11:9, 58:52; 8 and 6 of a non-leaf entry; 62:59 without
; PKE) and PAT (bit 7 of a PTE, 12 of a large page) are not reserved.
; golden: SDM. QEMU 7.2 TCG reports reserved-bit faults without P (§4.7:
; RSVD "can be set only if bit 0 is also set"); the golden file is QEMU's
; output with P added to those error codes.
%include "lib.inc"
%include "lm64.inc"

A1 equ 0x8000000000             ; PML4 slot 1 -> pdpt_a
%macro ENTRY 3                  ; table, index, value (64-bit constant)
  mov rax, %3
  mov [%1 + (%2) * 8], rax
%endmacro
%macro LINK 4                   ; table, index, next table, flags
  mov rax, %3
  or rax, %4
  mov [%1 + (%2) * 8], rax
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  LINK lm64_pml4, 1, pdpt_a, 7                  ; A1
  LINK lm64_pml4, 2, pdpt_a, 7
  bts qword [lm64_pml4 + 2 * 8], 45             ; 2*A1: bit 45 in a PML4E
  LINK lm64_pml4, 3, pdpt_a, 7
  bts qword [lm64_pml4 + 3 * 8], 63             ; 3*A1: XD in a PML4E, NXE = 0
  LINK lm64_pml4, 4, pdpt_a, 6                  ; 4*A1: not present
  bts qword [lm64_pml4 + 4 * 8], 45             ;   with a reserved bit
  LINK lm64_pml4, 5, pdpt_a, 0x707              ; 5*A1: ignored bits 8, 9-11
  bts qword [lm64_pml4 + 5 * 8], 52
  bts qword [lm64_pml4 + 5 * 8], 62
  LINK pdpt_a, 0, pd_a, 7                       ; A1 + 0
  LINK pdpt_a, 1, pd_b, 7                       ; A1 + 1 GiB: pd_b (all not present)
  bts qword [pdpt_a + 8], 40                    ;   but bit 40 in the PDPTE
  LINK pd_a, 0, pt_a, 7                         ; A1 + 0: pt_a
  LINK pd_a, 1, pt_a, 0x47                      ; A1 + 2 MiB: bit 6 ignored in a PDE -> table
  LINK pt_a, 0, f0, 7                           ; +0: fine
  LINK pt_a, 1, f0, 3                           ; +4K: supervisor, bit 51
  bts qword [pt_a + 8], 51
  LINK pt_a, 2, f0, 0x85                        ; +8K: read-only user, PAT bit, bit 58
  bts qword [pt_a + 16], 58
  LINK pt_a, 3, f0, 0x4                         ; +12K: not present, bit 63
  bts qword [pt_a + 24], 63
  LINK pt_a, 4, f0, 7                           ; +16K: bit 40
  bts qword [pt_a + 32], 40
  mov byte [f0], 0xc3
  mov dword [f0 + 0x10], 0xf0f0
  mov rax, cr3
  mov cr3, rax
  mov rbx, A1
  SHOW "ok", [rbx + 0x10]
  SHOW "pat_ign", [rbx + 0x2010]
  SHOW "pde_bit6", [rbx + 0x200010]
  mov rbx, 5 * A1
  SHOW "pml4e_ign", [rbx + 0x10]
  EXPECT64 .k1
  mov rbx, 2 * A1
  mov eax, [rbx]
.k1:
  EXPECT64 .k2
  mov rbx, 3 * A1
  mov dword [rbx], 0
.k2:
  EXPECT64 .k3
  mov rbx, 4 * A1
  mov eax, [rbx]                                ; not present: P = 0
.k3:
  EXPECT64 .k4
  mov rbx, A1 + 0x40000000                      ; PDPTE bit 40 above a not-present PDE
  mov eax, [rbx]
.k4:
  EXPECT64 .k5
  mov rbx, A1 + 0x1000
  mov eax, [rbx]                                ; bit 51
.k5:
  EXPECT64 .k6
  mov rbx, A1 + 0x3000
  mov eax, [rbx]                                ; not present with bit 63
.k6:
  EXPECT64 .k7
  mov rbx, A1 + 0x4000
  call rbx                                      ; fetch: no I/D (NXE = 0)
.k7:
  mov ecx, 0xc0000080
  rdmsr
  bts eax, 11                                   ; NXE: bit 63 is XD now
  wrmsr
  EXPECT64 .k8
  mov rbx, A1 + 0x4000
  call rbx                                      ; fetch: I/D
.k8:
  mov rbx, 3 * A1
  mov eax, [rbx + 0x10]
  SHOW "xd_pml4e_read", eax
  TO_USER64 user
user:
  EXPECT64 .u1
  mov rbx, A1 + 0x1000                          ; supervisor page with bit 51
  mov eax, [rbx]
.u1:
  EXPECT64 .u2
  mov rbx, A1 + 0x4000
  mov byte [rbx], 0                             ; bit 40, user write
.u2:
  EXPECT64 .u3
  mov rbx, A1 + 0x2000
  mov byte [rbx], 0                             ; read-only: no RSVD
.u3:
  PRINT `done\n`
  mov al, 0
  jmp exit

section .bss
alignb 4096
pdpt_a: resb 4096
pd_a: resb 4096
pd_b: resb 4096
pt_a: resb 4096
f0: resb 4096
