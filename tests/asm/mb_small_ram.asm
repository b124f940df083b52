; A 3 MiB guest with a module (Multiboot Specification 0.6.96 §3.3): the
; boot information, the memory map and the module all fit below the top
; of RAM that mem_upper announces, the map calls RAM from 1 MiB to near
; 3 MiB available and nothing above 3 MiB, and the module arrives whole.
; args: -m 3 -initrd "tests/asm/data/mb_page.bin small"
%include "lib.inc"
%include "mb.inc"

main:
  mov ebx, [mb_ebx]
  SHOW "mem_lower", [ebx + MBI_MEM_LOWER]
  ; 2048 KiB less what the firmware keeps (SeaBIOS: 128 KiB)
  mov eax, [ebx + MBI_MEM_UPPER]
  sub eax, 1792
  cmp eax, 2048 - 1792
  SHOWBOOL "mem_upper_1792k_to_2048k", be
  mov ebp, [ebx + MBI_MEM_UPPER]
  shl ebp, 10
  add ebp, 0x100000             ; the top of RAM from 1 MiB
  PROBE 0x100000
  PROBE 0x200000
  PROBE 0x2d0000
  PROBE 0x300000
  PROBE 0x1000000
  SHOW "mods_count", [ebx + MBI_MODS_CNT]
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
  cmp [edi + 4], ebp
  SHOWBOOL "mod_below_top", be
  lea eax, [ebx + MBI_SIZE]
  cmp eax, ebp
  SHOWBOOL "info_below_top", be
  mov eax, [ebx + MBI_MMAP_ADDR]
  add eax, [ebx + MBI_MMAP_LEN]
  cmp eax, ebp
  SHOWBOOL "mmap_below_top", be
  mov al, 0
  ret
