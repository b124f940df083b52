; The multiboot header's a.out kludge (Multiboot Specification 0.6.96
; §3.1.3, header flag 16): a flat binary loaded by the header's address
; fields, not by any executable format. The file starts with 64 bytes that
; are not part of the image (load_addr = header_addr, and the header sits
; at file offset 0x40), the image ends at load_end_addr before 64 more
; bytes of 0xaa in the file, and bss_end_addr reaches past them and the
; stack: the loader must leave those file bytes out and zero the whole
; range [load_end_addr, bss_end_addr). The entry point is entry_addr, not
; the start of the image. Also: the boot information and the module list
; come after bss_end_addr, and flags do not claim a.out or ELF symbols.
; format: bin
MB_AOUT_FLAGS equ 0x00010003    ; address fields valid, page-align, memory info
LOAD equ 0x100000
  org LOAD - 0x40
  bits 32
section .text
prefix:
  times 0x40 db 0xee            ; in the file, before load_addr: not loaded
aout_header:
  dd 0x1BADB002, MB_AOUT_FLAGS, -(0x1BADB002 + MB_AOUT_FLAGS)
  dd aout_header                ; header_addr
  dd LOAD                       ; load_addr: the header's own address
  dd load_end                   ; load_end_addr
  dd bss_end                    ; bss_end_addr
  dd start                      ; entry_addr
%include "lib.inc"
%include "mb.inc"

main:
  SHOW "eax", [mb_eax]
  SHOW "last_loaded", [last_loaded]
  ; the file's 0xaa bytes after load_end_addr: in bss, so zero
  mov esi, load_end
  mov ecx, 64
  mov edx, 0
.tail:
  movzx eax, byte [esi]
  or edx, eax
  add esi, 1
  sub ecx, 1
  jnz .tail
  SHOW "tail_or", edx
  ; the bss before the stack, up to bss_end_addr
  mov esi, zeroed
  mov ecx, bss_end - zeroed
  mov edx, 0
.bss:
  movzx eax, byte [esi]
  or edx, eax
  add esi, 1
  sub ecx, 1
  jnz .bss
  SHOW "bss_or", edx
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_FLAGS]
  and eax, (1 << 4) | (1 << 5)
  SHOW "symbol_flags", eax
  mov eax, [ebx + MBI_MODS_ADDR]
  cmp eax, bss_end
  SHOWBOOL "list_after_bss", ae
  mov eax, [ebx + MBI_CMDLINE]
  cmp eax, bss_end
  SHOWBOOL "cmdline_after_bss", ae
  mov al, 0
  ret

section .data
last_loaded: dd 0x600dcafe      ; the last dword before load_end_addr
section .tail progbits align=4
load_end:
  times 64 db 0xaa
section .bss
zeroed: resb 4096
bss_end:
