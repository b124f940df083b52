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
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_FLAGS]
  test eax, 1 << 2
  SHOWBOOL "cmdline_flag", nz
  mov esi, [ebx + MBI_CMDLINE]
  ; the first word: up to the first space
  mov edi, esi
.word:
  cmp byte [edi], ' '
  je .word_end
  cmp byte [edi], 0
  je .word_end
  add edi, 1
  jmp .word
.word_end:
  mov eax, edi
  sub eax, esi
  cmp eax, image_name_len
  jb .bad_name
  push esi
  push edi
  lea esi, [edi - image_name_len]
  mov edi, image_name
  mov ecx, image_name_len
  cld
  repe cmpsb
  pop edi
  pop esi
  SHOWBOOL "first_word_is_image", e
  jmp .rest
.bad_name:
  PRINT "first_word_is_image=short"
  call newline
.rest:
  movzx eax, byte [edi]
  SHOW "separator", eax
  mov esi, edi
  add esi, 1
  PRINT "append="
  call put_quoted
  call strlen
  SHOW "append_len", eax
  mov al, 0
  ret
