; Long-mode entry (SDM Vol. 3A §9.8.5 "Initializing IA-32e Mode"): a GDT
; with a 64-bit code segment, PAE page tables identity-mapping 4 MiB with
; 2 MiB pages, CR4.PAE, EFER.LME, CR0.PG, a far jump to 64-bit code; then
; 64-bit arithmetic, REX registers, SIB with REX.X/B and RIP-relative
; addressing.
%include "lib.inc"

main:
  ; PML4[0] -> PDPT, PDPT[0] -> PD, PD[0..1] = 2 MiB pages at 0 and 2 MiB
  mov eax, pdpt
  or eax, 3
  mov [pml4], eax
  mov eax, pd
  or eax, 3
  mov [pdpt], eax
  mov dword [pd], 0x83
  mov dword [pd + 8], 0x200083
  lgdt [gdt_ptr]
  mov eax, cr4
  or eax, 1 << 5                ; PAE
  mov cr4, eax
  mov eax, pml4
  mov cr3, eax
  mov ecx, 0xc0000080           ; IA32_EFER
  rdmsr
  or eax, 1 << 8                ; LME
  wrmsr
  mov eax, cr0
  or eax, 1 << 31               ; PG
  mov cr0, eax
  jmp 0x08:long64

bits 64
long64:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  PRINT `in long mode\n`
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500                ; LME | LMA
  SHOW "efer", eax
  mov rax, 0x123456789abcdef0
  mov rbx, 0x0fedcba987654321
  add rax, rbx
  pushfq
  pop rcx
  and ecx, FL_ARITH
  SHOW64 "add64", rax
  SHOW "add64_f", ecx
  mov rax, 0xffffffffffffffff
  mov rbx, 0xfffffffffffffffe
  mul rbx
  SHOW64 "mul_lo", rax
  SHOW64 "mul_hi", rdx
  mov r8, 0x8000000000000000
  neg r8
  SHOW64 "neg_r8", r8
  mov r15d, 0xffffffff          ; 32-bit writes zero-extend
  SHOW64 "r15d", r15
  mov r9, table
  mov r10, 3
  mov rax, [r9 + r10 * 8 + 8]
  SHOW64 "sib_rex", rax
  lea rax, [rel table]
  mov rbx, table
  sub rax, rbx
  SHOW64 "riprel_lea", rax
  mov rax, [rel table + 16]
  SHOW64 "riprel_load", rax
  mov qword [rel scratch], -2
  mov rax, [scratch]
  SHOW64 "riprel_store", rax
  movsxd rax, dword [rel table + 4]
  SHOW64 "movsxd", rax
  mov rax, 0x0123456789abcdef
  bswap rax
  SHOW64 "bswap64", rax
  shl rax, 36
  SHOW64 "shl64", rax
  mov rcx, 0x100000000
  cqo
  mov rax, 0x500000003
  xor edx, edx
  div rcx
  SHOW64 "div_q", rax
  SHOW64 "div_r", rdx
  push qword 0x77
  pop rax
  SHOW64 "push64", rax
  mov al, 0
  jmp exit

section .rodata
align 8
gdt:
  dq 0
  dq 0x00af9a000000ffff         ; 0x08: 64-bit code
  dq 0x00cf92000000ffff         ; 0x10: data
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
table:
  dq 0x1111111111111111, 0x80000000fffffff0, 0x3333333333333333
  dq 0x4444444444444444, 0x5555555555555555

section .bss
alignb 4096
pml4: resb 4096
pdpt: resb 4096
pd: resb 4096
scratch: resq 1
