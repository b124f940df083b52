; Long mode -> compatibility mode -> long mode (SDM Vol. 3A §5.8.3 and
; §9.8.5): RETF to a 32-bit code segment (L = 0, D = 1) while EFER.LMA
; stays set, 32-bit code there (no REX: 0x48 is DEC EAX), then a far JMP
; back to the 64-bit segment.
%include "lib.inc"

main:
  mov eax, pdpt
  or eax, 3
  mov [pml4], eax
  mov eax, pd
  or eax, 3
  mov [pdpt], eax
  mov dword [pd], 0x83
  lgdt [gdt_ptr]
  mov eax, cr4
  or eax, 1 << 5
  mov cr4, eax
  mov eax, pml4
  mov cr3, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8
  wrmsr
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax
  jmp 0x08:long1

bits 64
long1:
  PRINT `long 1\n`
  mov rax, 0x100000005
  push qword 0x18
  push qword compat
  retfq

bits 32
compat:
  PRINT `compat\n`
  mov eax, 0x10
  db 0x48                       ; DEC EAX in 32-bit code
  SHOW "dec_eax", eax
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "efer", eax
  jmp 0x08:long2

bits 64
long2:
  PRINT `long 2\n`
  mov rax, 0x100000000
  db 0x48, 0xff, 0xc8           ; REX.W DEC RAX
  SHOW64 "dec_rax", rax
  mov al, 0
  jmp exit

section .rodata
align 8
gdt:
  dq 0
  dq 0x00af9a000000ffff         ; 0x08: 64-bit code
  dq 0x00cf92000000ffff         ; 0x10: data
  dq 0x00cf9a000000ffff         ; 0x18: 32-bit code (compatibility mode)
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt

section .bss
alignb 4096
pml4: resb 4096
pdpt: resb 4096
pd: resb 4096
