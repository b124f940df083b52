; A kernel loaded below 1 MiB (a.out kludge, load_addr 0x20000; Multiboot
; Specification 0.6.96 §3.1.3 lets the image ask for any address) with a
; module: the image, its bss (with lib.inc's 64 KiB stack), the module and
; the boot information all end up in conventional memory, which the memory
; map calls available RAM, below the 640 KiB that mem_lower announces.
; args: -initrd "tests/asm/data/mb_text.txt low"
; format: bin
LOAD equ 0x20000
MB_AOUT_FLAGS equ 0x00010003

  org LOAD
  bits 32
section .text
aout_header:
  dd 0x1BADB002, MB_AOUT_FLAGS, -(0x1BADB002 + MB_AOUT_FLAGS)
  dd aout_header, LOAD, load_end, bss_end, start
%include "lib.inc"
%include "mb.inc"

main:
  SHOW "eax", [mb_eax]
  mov eax, esp
  cmp eax, 0x100000
  SHOWBOOL "stack_below_1m", b
  mov ebx, [mb_ebx]
  mov ebp, [ebx + MBI_MEM_LOWER]
  shl ebp, 10                   ; the end of conventional memory
  SHOW "mods_count", [ebx + MBI_MODS_CNT]
  mov edi, [ebx + MBI_MODS_ADDR]
  mov eax, [edi]
  cmp eax, bss_end
  SHOWBOOL "mod_after_bss", ae
  mov eax, [edi + 4]
  cmp eax, ebp
  SHOWBOOL "mod_below_mem_lower", be
  mov edx, [edi]
  call ram_entry
  test edi, edi
  SHOWBOOL "mod_in_ram_entry", nz
  mov edi, [ebx + MBI_MODS_ADDR]
  mov esi, [edi]
  mov ecx, [edi + 4]
  sub ecx, esi
  SHOW "mod_length", ecx
  call fnv1a
  SHOW "mod_fnv1a", eax
  mov esi, [edi + 8]
  PRINT "mod_string="
  call put_quoted
  mov eax, [ebx + MBI_CMDLINE]
  cmp eax, ebp
  SHOWBOOL "cmdline_below_mem_lower", b
  mov al, 0
  ret

section .tail progbits align=4
load_end:
section .bss
  resb 16
bss_end:
