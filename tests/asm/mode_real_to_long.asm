; Into IA-32e mode and out again through 16-bit code only (SDM Vol. 3A
; §9.8.5 "Initializing IA-32e Mode", §9.8.5.4, §9.9): in real mode, CR3,
; CR4.PAE and EFER.LME are loaded (MOV CR and WRMSR work at CPL 0 in real
; mode); CR0.PE := 1 enters 16-bit protected mode with LMA still 0;
; CR0.PG := 1 executed by that 16-bit code activates IA-32e mode, and the
; same code then runs in 16-bit compatibility mode; a far JMP (66h,
; ptr16:32) enters 64-bit mode. Back: a far JMP (m16:32) to the 16-bit
; segment (compatibility mode), CR0.PG := 0 there (LMA := 0: 16-bit
; protected mode), EFER.LME := 0, CR0.PE := 0, real mode ends the test.
%include "lib.inc"
%include "mode.inc"

main:
  MODE_GDT
  MODE_PAGING
  mov eax, cr4
  and eax, ~(1 << 5)                    ; PAE is set again in real mode
  mov cr4, eax
  xor eax, eax
  mov cr3, eax
  jmp 0x18:M16(pm16_0)
bits 16
pm16_0:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  mov eax, cr0
  and al, ~1
  mov cr0, eax
  jmp 0xffff:M16(real_1)
real_1:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  lidt [M16(m16_rm_idt)]
  PRINT16 `real\n`
  mov eax, mode_pml4
  mov cr3, eax
  mov eax, cr4
  or eax, 1 << 5
  mov cr4, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8
  wrmsr
  rdmsr
  and eax, 0x500
  SHOW16 "real_efer", eax
  mov eax, cr4
  and eax, 0x20
  SHOW16 "real_cr4_pae", eax
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp 0x18:M16(pm16_2)
pm16_2:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  PRINT16 `pm16\n`
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW16 "pm16_efer", eax
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax                          ; IA-32e mode from 16-bit code
  PRINT16 `compat16\n`
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW16 "compat16_efer", eax
  mov ax, 0x10
  db 0x48                               ; DEC AX: still 16-bit code
  movzx eax, ax
  SHOW16 "dec_ax", eax
  jmp dword 0x28:long64
bits 64
long64:
  mov esp, stack64_top                  ; (zero-extends into RSP)
  PRINT `long64\n`
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "long64_efer", eax
  mov rax, 0x100000000
  db 0x48, 0xff, 0xc8                   ; REX.W DEC RAX
  SHOW64 "dec_rax", rax
  jmp far dword [rel fp16]
bits 16
compat16_3:
  mov ax, 0x20
  mov ss, ax
  mov sp, M16(m16_stack_top)
  PRINT16 `compat16 again\n`
  mov ax, cs
  movzx eax, ax
  SHOW16 "cs", eax
  mov eax, cr0
  and eax, ~(1 << 31)
  mov cr0, eax                          ; leaves IA-32e mode
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW16 "pm16_pg_off_efer", eax
  rdmsr
  and ax, ~(1 << 8)
  wrmsr
  rdmsr
  and eax, 0x500
  SHOW16 "pm16_efer", eax
  mov eax, cr0
  and eax, ~1
  mov cr0, eax
  jmp 0xffff:M16(real_4)
real_4:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  PRINT16 `real again\n`
  mov eax, cr0
  and eax, 0x80000001
  SHOW16 "cr0", eax
  mov al, 0
  out EXIT_PORT, al
.hang:
  hlt
  jmp .hang
bits 32

section .data
align 8
fp16: dd M16(compat16_3)
      dw 0x18

section .bss
alignb 16
stack64: resb 4096
stack64_top:
