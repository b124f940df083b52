; LGDT/LIDT and SGDT/SIDT pseudo-descriptors (SDM Vol. 2A "LGDT/LIDT",
; Vol. 2B "SGDT", "SIDT"; Vol. 3A §2.4.1, §2.4.3): outside 64-bit mode the
; operand is a 16-bit limit and a 32-bit base, and with a 16-bit operand
; size LGDT keeps only 24 bits of the base; SGDT/SIDT store the limit and
; the 32-bit base (4 bytes) whatever the operand size. In 64-bit mode the
; base is 64 bits (a 10-byte operand). Bytes after the stored
; pseudo-descriptor are not written. (A non-canonical base is not tried:
; the SDM's "if the memory address is in a non-canonical form" does not say
; whether it means the loaded base, and QEMU 7.2 accepts one.)
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

%macro SHOW_DESC 2              ; name, address: limit, base dwords
  movzx eax, word [%2]
  SHOW %1, eax
  SHOW "  base_lo", [%2 + 2]
  SHOW "  base_hi", [%2 + 6]
  movzx eax, word [%2 + 10]
  SHOW "  after", eax
%endmacro

%macro FILL 1
  mov dword [%1], 0xeeeeeeee
  mov dword [%1 + 4], 0xeeeeeeee
  mov dword [%1 + 8], 0xeeeeeeee
%endmacro

main:
  call idt32_setup
  ; 32-bit: LIDT of an arbitrary table (interrupts stay off), then SIDT
  mov word [pd], 0x0123
  mov dword [pd + 2], 0x89abcdef
  lidt [pd]
  FILL out
  sidt [out]
  SHOW_DESC "sidt32", out
  ; 16-bit operand size: base bits 31:24 are dropped
  o16 lidt [pd]
  FILL out
  sidt [out]
  SHOW_DESC "lidt_o16", out
  FILL out
  o16 sidt [out]                ; still 4 base bytes
  SHOW_DESC "sidt_o16", out
  lidt [idt32_ptr]
  FILL out
  sgdt [out]
  movzx eax, word [out]
  SHOW "sgdt32_limit", eax
  mov eax, [out + 2]
  sub eax, idt32_gdt
  SHOW "sgdt32_base-gdt", eax
  LM64_ENTER go
bits 64
go:
  FILL out
  sidt [out]
  movzx eax, word [out]
  SHOW "sidt64_limit", eax
  mov rax, [out + 2]
  mov rbx, lm64_idt
  sub rax, rbx
  SHOW64 "sidt64_base-idt", rax
  movzx eax, word [out + 10]
  SHOW "  after", eax
  ; a 64-bit base: LIDT, read back, restore
  mov word [pd64], 0x0fff
  mov rax, 0xffff800012345000
  mov [pd64 + 2], rax
  lidt [pd64]
  FILL out
  sidt [out]
  SHOW_DESC "sidt64", out
  lidt [lm64_idt_ptr64]
  FILL out
  sgdt [out]
  movzx eax, word [out]
  SHOW "sgdt64_limit", eax
  mov rax, [out + 2]
  mov rbx, lm64_gdt
  sub rax, rbx
  SHOW64 "sgdt64_base-gdt", rax
  mov al, 0
  jmp exit

section .data
align 16
pd: times 16 db 0
pd64: times 16 db 0
out: times 16 db 0
lm64_idt_ptr64:
  dw 32 * 16 - 1
  dq lm64_idt
