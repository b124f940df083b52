; IA32_FS_BASE, IA32_GS_BASE and IA32_KERNEL_GS_BASE (C0000100H-C0000102H;
; SDM Vol. 3A §3.4.4, Vol. 4 Table 2-2, Vol. 2B "SWAPGS"): WRMSR sets the
; full 64-bit base that FS: and GS: accesses use in 64-bit mode; loading FS
; or GS with a selector in 64-bit mode sets the base from the descriptor
; (32 bits, zero-extended), which RDMSR then returns; SWAPGS exchanges
; GS_BASE and KERNEL_GS_BASE.
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov rax, table
  mov rdx, rax
  shr rdx, 32
  mov ecx, 0xc0000100
  wrmsr
  mov rax, [fs:8]
  SHOW64 "fs8", rax
  mov rax, table + 16
  mov rdx, rax
  shr rdx, 32
  mov ecx, 0xc0000101
  wrmsr
  mov rax, [gs:0]
  SHOW64 "gs0", rax
  ; a base above 4 GiB: FS:offset wraps to a low address (2^64 - 2^32 + table)
  mov rax, 0xffffffff00000000
  mov rdx, rax
  shr rdx, 32
  mov ecx, 0xc0000100
  wrmsr
  mov ebx, 1
  shl rbx, 32
  add rbx, table
  mov rax, [fs:rbx]
  SHOW64 "fs_high", rax
  MSR_SHOW "fs_base", 0xc0000100
  MSR_WR 0xc0000102, 0xffff800000002000
  MSR_SHOW "kgs_base", 0xc0000102
  swapgs
  MSR_SHOW "gs_after_swapgs", 0xc0000101
  MSR_SHOW "kgs_after_swapgs", 0xc0000102
  swapgs
  ; a selector load sets the base from the descriptor (base 00ABC000H)
  mov word [lm64_gdt + 0x58 + 2], 0xc000
  mov byte [lm64_gdt + 0x58 + 4], 0xab
  mov byte [lm64_gdt + 0x58 + 5], 0x92
  mov word [lm64_gdt + 0x58], 0xffff
  mov byte [lm64_gdt + 0x58 + 6], 0xcf
  mov ax, 0x58
  mov fs, ax
  MSR_SHOW "fs_base_sel", 0xc0000100
  mov ax, 0x58
  mov gs, ax
  MSR_SHOW "gs_base_sel", 0xc0000101
  MSR_SHOW "kgs_unchanged", 0xc0000102
  mov al, 0
  jmp exit

section .data
align 8
table: dq 0x1111111111111111, 0x2222222222222222, 0x3333333333333333
