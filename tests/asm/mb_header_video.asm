; A multiboot header that asks for a video mode (header flag 2, with the
; mode_type/width/height/depth fields at offsets 32-47) and neither page-
; aligned modules nor memory information (flags 0 and 1 clear):
; Multiboot Specification 0.6.96 §3.1.2 makes flag 2 a requirement the
; loader may meet "as best it can"; QEMU boots such kernels in its text
; mode and announces no video information, and so does pc64. The test
; checks the boot still happens, that the information structure announces
; no VBE (bit 11) or framebuffer (bit 12) fields, and that the memory
; fields are given anyway. The boot_device bit (1) is masked: QEMU sets it
; without a disk (see mb_info).
; args: -initrd "tests/asm/data/mb_text.txt"
bits 32
section .text
MB_VIDEO_FLAGS equ 0x00000004
video_header:                   ; found before lib.inc's header
  dd 0x1BADB002, MB_VIDEO_FLAGS, -(0x1BADB002 + MB_VIDEO_FLAGS)
  dd 0, 0, 0, 0, 0              ; address fields: unused without flag 16
  dd 1                          ; mode_type: EGA text
  dd 80, 25, 0                  ; width, height, depth
%include "lib.inc"
%include "mb.inc"

main:
  SHOW "eax", [mb_eax]
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_FLAGS]
  and eax, ~(1 << 1)
  SHOW "flags_but_boot_device", eax
  SHOW "mem_lower", [ebx + MBI_MEM_LOWER]
  SHOW "mods_count", [ebx + MBI_MODS_CNT]
  mov edi, [ebx + MBI_MODS_ADDR]
  mov eax, [edi + 4]
  sub eax, [edi]
  SHOW "mod_length", eax
  mov esi, [edi]
  mov ecx, eax
  call fnv1a
  SHOW "mod_fnv1a", eax
  mov al, 0
  ret
