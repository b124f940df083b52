; The kernel command line (Multiboot Specification 0.6.96 §3.3, flag 2,
; cmdline): QEMU passes "<kernel path> <-append string>", and pc64 does the
; same. The path depends on the build folder, so the test prints whether
; the first word ends in the image's name and then the rest verbatim
; (runs of spaces, quotes and '=' kept as given).
; args: -append "console=ttyS0  a=b \"q\" last=,"
%include "lib.inc"
%include "mb.inc"

[section .rodata]
image_name: db "mb_cmdline.elf"
image_name_len equ $ - image_name
__?SECT?__

main:
  mov esi, image_name
  mov ecx, image_name_len
  call show_cmdline
  mov al, 0
  ret
