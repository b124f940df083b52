; A 64-bit ELF image loaded by the multiboot header's a.out address fields
; (header flag 16; Multiboot Specification 0.6.96 §3.1.3): multiboot v1
; loads only ELF32 by program headers, but any file carrying the address
; fields can be loaded, which is how 64-bit kernels are often booted. The
; Elf64 headers here (ELFCLASS64, EM_X86_64) put their one PT_LOAD segment
; at 0x40000000 with a bogus entry; the address fields load the file at
; 0x100000 and enter at `start` in 32-bit protected mode (§3.2). The test
; checks that the ELF64 header arrived as plain data and that the file
; bytes after load_end_addr were left out.
; format: bin
LOAD equ 0x100000
MB_AOUT_FLAGS equ 0x00010003

  org LOAD
  bits 32
section .text
elf_header:                     ; Elf64_Ehdr
  db 0x7f, "ELF", 2, 1, 1, 0    ; ELFCLASS64, little-endian
  times 8 db 0
  dw 2, 62                      ; ET_EXEC, EM_X86_64
  dd 1
  dq 0x40000010                 ; e_entry: not used
  dq phdr - elf_header          ; e_phoff
  dq 0                          ; e_shoff
  dd 0                          ; e_flags
  dw 64, 56, 1, 64, 0, 0        ; e_ehsize, e_phentsize, e_phnum, ...
phdr:                           ; Elf64_Phdr
  dd 1, 5                       ; PT_LOAD, R+X
  dq 0, 0x40000000, 0x40000000, 0x1000, 0x1000, 0x1000
align 4
aout_header:
  dd 0x1BADB002, MB_AOUT_FLAGS, -(0x1BADB002 + MB_AOUT_FLAGS)
  dd aout_header                ; header_addr
  dd LOAD                       ; load_addr
  dd load_end                   ; load_end_addr
  dd bss_end                    ; bss_end_addr
  dd start                      ; entry_addr
%include "lib.inc"
%include "mb.inc"

main:
  SHOW "eax", [mb_eax]
  SHOW "elf_magic", [LOAD]
  movzx eax, byte [LOAD + 4]
  SHOW "elf_class", eax
  movzx eax, word [LOAD + 18]
  SHOW "elf_machine", eax
  SHOW "phdr_paddr_lo", [phdr + 24]
  mov esi, load_end
  mov ecx, 32
  mov edx, 0
.tail:
  movzx eax, byte [esi]
  or edx, eax
  add esi, 1
  sub ecx, 1
  jnz .tail
  SHOW "tail_or", edx
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_MODS_ADDR]
  cmp eax, bss_end
  SHOWBOOL "list_after_bss", ae
  mov al, 0
  ret

section .tail progbits align=4
load_end:
  times 32 db 0x64              ; in the file after load_end_addr: not loaded
section .bss
  resb 64
bss_end:
