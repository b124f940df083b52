; ELF32 program headers in no particular order (System V ABI: PT_LOAD
; entries are normally sorted by p_vaddr, but a loader places each by its
; own addresses; Multiboot Specification 0.6.96 §3.1). The hand-written
; headers list, in this order: a bss-only segment C at 0x140000
; (p_filesz 0, p_memsz 0x2000, and a p_offset far past the end of the
; file, which a loader must not read), data segment B at 0x120000 with its
; bss (lib.inc's variables and stack), and the code segment A at 0x100000,
; where the entry point is. The test checks B's data and bss, that C reads
; as zero, and that the boot information follows the highest segment (C),
; not the last one listed.
; format: bin
LOAD equ 0x100000
SEG_B equ 0x120000
SEG_C equ 0x140000
C_SIZE equ 0x2000

  org LOAD
  bits 32
section .text
section .rodata follows=.text
section .seg_b follows=.rodata vstart=SEG_B

section .text
elf_header:
  db 0x7f, "ELF", 1, 1, 1, 0
  times 8 db 0
  dw 2, 3
  dd 1
  dd start                      ; e_entry
  dd phdrs - elf_header
  dd 0, 0
  dw 52, 32, 3, 40, 0, 0
phdrs:
  dd 1, 0x7fff0000, SEG_C, SEG_C, 0, C_SIZE, 6, 0x1000  ; p_offset past the end: nothing is read
  dd 1, section..seg_b.start - LOAD, SEG_B, SEG_B, b_file_end - SEG_B, b_mem_end - SEG_B, 6, 0x1000
  dd 1, 0, LOAD, LOAD, a_file_end - LOAD, a_file_end - LOAD, 5, 0x1000

%include "lib.inc"
%include "mb.inc"

; or_bytes(ESI, ECX) -> EAX
or_bytes:
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
  SHOW "b0", [b_words]
  SHOW "b1", [b_words + 4]
  mov esi, b_zero               ; the end of B's bss (lib.inc's variables and
  mov ecx, 0x100                ; stack come first)
  call or_bytes
  SHOW "b_bss_or", eax
  mov esi, SEG_C
  mov ecx, C_SIZE
  call or_bytes
  SHOW "c_or", eax
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_MODS_ADDR]
  cmp eax, SEG_C + C_SIZE
  SHOWBOOL "list_after_c", ae
  mov eax, [ebx + MBI_CMDLINE]
  cmp eax, SEG_C + C_SIZE
  SHOWBOOL "cmdline_after_c", ae
  mov al, 0
  ret

section .rodata
  dd 0
a_file_end:
section .seg_b
b_words: dd 0xbbbb0001, 0xbbbb0002
b_file_end:
section .bss                    ; after .seg_b in the address space
b_zero: resb 0x100
b_mem_end:
