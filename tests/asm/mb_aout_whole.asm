; The a.out kludge with load_end_addr = 0 and bss_end_addr = 0 (Multiboot
; Specification 0.6.96 §3.1.3: "If this field is zero, the boot loader
; assumes that the text and data segments occupy the whole OS image file"
; and "... assumes that no bss segment is present"). The header is not at
; the start of the image here: load_addr is the file's first byte and
; header_addr 0x20 bytes on, so the loader must load the file from offset 0
; to its very end, the trailing 0xaa bytes included; the boot information
; then follows the file. lib.inc's stack lies past the file, in memory the
; image does not claim; the loader's information goes right after the file
; and the stack's used top is 64 KiB further on, so neither touches the
; other.
; format: bin
MB_AOUT_FLAGS equ 0x00010003
LOAD equ 0x100000
  org LOAD
  bits 32
section .text
  times 0x20 db 0x90
aout_header:
  dd 0x1BADB002, MB_AOUT_FLAGS, -(0x1BADB002 + MB_AOUT_FLAGS)
  dd aout_header                ; header_addr
  dd LOAD                       ; load_addr
  dd 0                          ; load_end_addr: the whole file
  dd 0                          ; bss_end_addr: no bss
  dd start                      ; entry_addr
%include "lib.inc"
%include "mb.inc"

main:
  SHOW "eax", [mb_eax]
  SHOW "first", [LOAD]
  SHOW "data", [data_word]
  SHOW "file_tail", [file_tail]
  mov esi, file_tail
  mov ecx, 64
  call fnv1a
  SHOW "tail_fnv1a", eax
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_MODS_ADDR]
  cmp eax, file_end
  SHOWBOOL "list_after_file", ae
  mov eax, ebx
  cmp eax, file_end
  jae .after
  add eax, MBI_SIZE
  cmp eax, LOAD
  SHOWBOOL "info_outside_file", be
  jmp .done
.after:
  PRINT "info_outside_file=00000001"
  call newline
.done:
  mov al, 0
  ret

section .data
data_word: dd 0x0123abcd
section .tail progbits align=4
file_tail:
%assign i 0
%rep 64
  db 0xaa ^ i
%assign i i + 1
%endrep
file_end:
