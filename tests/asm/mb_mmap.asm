; The multiboot memory map (Multiboot Specification 0.6.96 §3.3, flag 6,
; mmap_addr/mmap_length; entries are size, base_addr, length, type and
; `size` counts the bytes after itself), with -m 96. QEMU's map comes from
; SeaBIOS's e820 table, pc64's from the loader, so the entries themselves
; differ; the test prints only what any correct map of this machine says:
; every entry's size field, whether mmap_length is a whole number of
; entries, whether given addresses are in type-1 (available RAM) entries
; (conventional memory below 639 KiB and RAM from 1 MiB up to near 96 MiB
; are; the VGA window, the BIOS area and the space above 96 MiB are not),
; and that mem_lower and mem_upper agree with the map's RAM entries.
; args: -m 96
%include "lib.inc"
%include "mb.inc"

main:
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_FLAGS]
  test eax, 1 << 6
  SHOWBOOL "mmap_flag", nz
  mov eax, [ebx + MBI_MMAP_LEN]
  mov edx, 0
  mov ecx, 24
  div ecx
  SHOW "length_mod_24", edx
  ; every entry's size field
  mov esi, [ebx + MBI_MMAP_ADDR]
  mov ecx, esi
  add ecx, [ebx + MBI_MMAP_LEN]
  mov edx, 0                    ; entries whose size is not 20
.sizes:
  cmp esi, ecx
  jae .sizes_done
  cmp dword [esi], 20
  je .size_ok
  add edx, 1
.size_ok:
  add esi, [esi]
  add esi, 4
  jmp .sizes
.sizes_done:
  SHOW "sizes_not_20", edx
  PROBE 0
  PROBE 0x7c00
  PROBE 0x9f000
  PROBE 0x9fbff
  PROBE 0xa0000
  PROBE 0xb8000
  PROBE 0xf0000
  PROBE 0xffff0
  PROBE 0x100000
  PROBE 0x1000000
  PROBE 0x5f00000
  PROBE 0x6000000
  PROBE 0x10000000
  PROBE 0xfffffff0
  ; mem_lower (KiB from 0) ends where the RAM entry at 0 ends.
  mov edx, 0
  call ram_entry
  mov eax, [edi + 12]
  shr eax, 10
  cmp eax, [ebx + MBI_MEM_LOWER]
  SHOWBOOL "mem_lower_is_entry_end", e
  ; mem_upper (KiB from 1 MiB) ends where the RAM entry at 1 MiB ends:
  ; §3.3 says it is "the address of the first upper memory hole minus 1 MiB".
  mov edx, 0x100000
  call ram_entry
  mov eax, [edi + 12]
  shr eax, 10
  cmp eax, [ebx + MBI_MEM_UPPER]
  SHOWBOOL "mem_upper_is_entry_end", e
  mov eax, [ebx + MBI_MEM_UPPER]
  shr eax, 12
  SHOW "mem_upper_4m", eax
  mov al, 0
  ret
