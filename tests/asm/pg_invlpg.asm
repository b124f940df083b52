; INVLPG (SDM Vol. 2A "INVLPG", Vol. 3A §4.10.4.1): after a paging entry
; changes, INVLPG of any address in the page makes the next access use the
; new entry: a 4-KByte PTE, a 2-MByte and a 1-GByte page (any address
; inside), a global page (CR4.PGE), a PDE that now points to another page
; table (paging-structure caches are invalidated too), and through an FS
; segment base (the operand's linear address is FS.base + offset). INVLPG
; of a non-canonical address does not fault; at CPL 3 it is #GP(0).
%include "lib.inc"
%include "lm64.inc"
%include "pg64.inc"

A1 equ 0x8000000000             ; PML4 slot 1 -> pdpt_a
main:
  LM64_ENTER go
bits 64
go:
  mov rax, pdpt_a
  or rax, 3
  mov [lm64_pml4 + 8], rax
  mov rax, pd_a
  or rax, 3
  mov [pdpt_a], rax                             ; A1: pd_a
  mov qword [pdpt_a + 8], 0x83                  ; A1 + 1 GiB: 1-GByte page at 0
  mov rax, pt_a
  or rax, 3
  mov [pd_a], rax                               ; A1: pt_a
  mov qword [pd_a + 8], 0x1000083               ; A1 + 2 MiB: 2 MiB at 16 MiB
  mov rax, f0
  or rax, 3
  mov [pt_a], rax                               ; A1: f0
  mov rax, f0
  or rax, 0x103
  mov [pt_a + 8], rax                           ; A1 + 4 KiB: f0, global
  mov rax, f2
  or rax, 3
  mov [pt_b], rax                               ; pt_b[0]: f2
  mov dword [f0], 0xf0
  mov dword [f1], 0xf1
  mov dword [f2], 0xf2
  mov dword [0x1000010], 0x16
  mov dword [0x1200010], 0x18
  mov dword [0x10000010], 0x256
  mov rax, cr4
  bts rax, 7                                    ; PGE
  mov cr4, rax
  mov rbx, A1
  ; 4-KByte page
  SHOW "pte_old", [rbx]
  mov rax, f1
  or rax, 3
  mov [pt_a], rax
  invlpg [rbx]
  SHOW "pte_new", [rbx]
  ; global page
  SHOW "global_old", [rbx + 0x1000]
  mov rax, f1
  or rax, 0x103
  mov [pt_a + 8], rax
  invlpg [rbx + 0x1234]
  SHOW "global_new", [rbx + 0x1000]
  ; 2-MByte page, invalidated through another address inside it
  SHOW "m2_old", [rbx + 0x200010]
  mov qword [pd_a + 8], 0x1200083
  invlpg [rbx + 0x200000 + 0x1ff000]
  SHOW "m2_new", [rbx + 0x200010]
  ; 1-GByte page made not present
  mov rcx, A1 + 0x40000000
  SHOW "g1_old", [rcx + 0x10000010]
  mov qword [pdpt_a + 8], 0
  invlpg [rcx + 0x3fffffff]
  EXPECT64 .r1
  mov eax, [rcx + 0x10000010]
.r1:
  ; the PDE now points to pt_b
  mov rax, pt_b
  or rax, 3
  mov [pd_a], rax
  invlpg [rbx]
  SHOW "pde_new", [rbx]
  ; FS base + offset
  mov ecx, 0xc0000100                           ; IA32_FS_BASE
  mov eax, 0
  mov edx, A1 >> 32
  wrmsr
  mov rax, f0
  or rax, 3
  mov [pt_b], rax
  invlpg [fs:0x20]
  SHOW "fs_new", [rbx]
  ; non-canonical operand: no fault
  mov rax, 0x8000000000000000
  invlpg [rax]
  PRINT `noncanonical ok\n`
  PG64_USER user
  PRINT `done\n`
  mov al, 0
  jmp exit

user:
  EXPECT64 .u1
  invlpg [0x1000]
.u1:
  int 0x1f

section .bss
alignb 4096
pdpt_a: resb 4096
pd_a: resb 4096
pt_a: resb 4096
pt_b: resb 4096
f0: resb 4096
f1: resb 4096
f2: resb 4096
