; The kernel command line without -append (Multiboot Specification 0.6.96
; §3.3, flag 2): QEMU forms "<kernel path> <append>" even when the append
; string is empty, so the kernel sees its path, one space and nothing
; more; pc64 does the same.
%include "lib.inc"
%include "mb.inc"

[section .rodata]
image_name: db "mb_cmdline_none.elf"
image_name_len equ $ - image_name
__?SECT?__

main:
  mov esi, image_name
  mov ecx, image_name_len
  call show_cmdline
  mov al, 0
  ret
