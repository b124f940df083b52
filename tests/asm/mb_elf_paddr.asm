; ELF32 segments whose virtual and physical addresses differ (System V ABI
; Elf32_Phdr p_vaddr/p_paddr; Multiboot Specification 0.6.96 §3.1: the
; image is loaded at physical addresses, since paging is off at entry).
; The ELF file is written by hand (nasm -f bin) so the headers say exactly
; this: segment A (R+X) holds the headers, code and read-only data, linked
; at 0xc0000000 above its load address 0x100000, with bss after it
; (p_memsz > p_filesz; lib.inc's variables and stack are there); e_entry
; is a virtual address inside it, which the loader must translate to the
; physical one. Segment B (R+W) is identity mapped at 0x120000 with 512
; bytes of bss. In the file, 0xcc bytes and segment B's bytes follow
; segment A's part, and 0xcc bytes follow B's, so a loader copying
; p_memsz bytes would show. A
; PT_NULL and a PT_NOTE header in between must be skipped. The test checks
; where it runs, the contents, that both bss parts are zero, and that the
; boot information follows the highest physical address loaded.
; format: bin
LOAD equ 0x100000
VOFF equ 0xc0000000
SEG_B equ 0x120000
B_BSS equ 0x200

  org LOAD
  bits 32
section .text
section .rodata follows=.text
section .junk_a follows=.rodata
section .seg_b follows=.junk_a vstart=SEG_B
section .junk_b follows=.seg_b

section .text
elf_header:
  db 0x7f, "ELF", 1, 1, 1, 0    ; ELFCLASS32, little-endian, version 1
  times 8 db 0
  dw 2, 3                       ; ET_EXEC, EM_386
  dd 1                          ; e_version
  dd start + VOFF               ; e_entry: virtual
  dd phdrs - elf_header         ; e_phoff
  dd 0                          ; e_shoff
  dd 0                          ; e_flags
  dw 52, 32, 4, 40, 0, 0        ; e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx
phdrs:
  ; p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
  dd 1, 0, LOAD + VOFF, LOAD, a_file_end - LOAD, a_mem_end - LOAD, 5, 0x1000
  dd 0, 0, 0, 0, 0, 0, 0, 0     ; PT_NULL
  dd 4, 0, 0x200000, 0x200000, 0x10, 0x10, 4, 4  ; PT_NOTE: not loaded
  dd 1, section..seg_b.start - LOAD, SEG_B, SEG_B, b_file_end - SEG_B, b_file_end - SEG_B + B_BSS, 6, 0x1000

%include "lib.inc"
%include "mb.inc"

; zero_or(ESI, ECX) -> EAX = OR of the bytes
zero_or:
  push esi
  push ecx
  mov eax, 0
.next:
  test ecx, ecx
  jz .done
  or al, [esi]
  add esi, 1
  sub ecx, 1
  jmp .next
.done:
  pop ecx
  pop esi
  ret

main:
  SHOW "eax", [mb_eax]
  call .here
.here:
  pop eax
  sub eax, .here
  SHOW "eip_minus_linked", eax  ; 0: entered at the physical address
  SHOW "elf_magic", [LOAD]
  SHOW "a_word", [a_word]
  SHOW "b_word0", [b_words]
  SHOW "b_word1", [b_words + 4]
  ; segment A's bss: up to lib.inc's variables and stack (the file's
  ; 0xcc bytes and segment B's file bytes would land here), and a_bss at
  ; its end
  mov esi, a_file_end
  mov ecx, mb_eax
  sub ecx, esi
  call zero_or
  mov edx, eax
  mov esi, a_bss
  mov ecx, 256
  call zero_or
  or eax, edx
  SHOW "a_bss_or", eax
  mov esi, b_file_end
  mov ecx, B_BSS
  call zero_or
  SHOW "b_bss_or", eax
  cmp byte [0x200000], 0
  SHOWBOOL "note_not_loaded", e
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_MODS_ADDR]
  cmp eax, b_file_end + B_BSS
  SHOWBOOL "list_after_seg_b", ae
  mov eax, [ebx + MBI_CMDLINE]
  cmp eax, b_file_end + B_BSS
  SHOWBOOL "cmdline_after_seg_b", ae
  mov al, 0
  ret

section .rodata
a_word: dd 0xa11ce0de
a_file_end:
section .junk_a
  times 64 db 0xcc
section .seg_b
b_words: dd 0xb0b0cafe, 0x5e9b0000
b_file_end:
section .junk_b
  times 64 db 0xcc
section .bss
a_bss: resb 256
a_mem_end:
