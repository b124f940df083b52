; Multiboot boot modules (Multiboot Specification 0.6.96 §3.3, flag 3,
; mods_count, mods_addr and the 16-byte module entries), given like QEMU's
; -initrd for multiboot kernels: comma-separated entries, ",," for a
; literal comma, and each entry's whole text is its module's string. Four
; modules: a text file with arguments, an empty file, a file of exactly one
; page whose argument contains the escaped comma, and the text file again.
; For each: its length, its start's offset in its page (the header's flag 0
; asks for page alignment), its string, the FNV-1a hash and first bytes of
; its contents, the reserved field, and that it lies after the image and
; after the previous module without touching the information structure.
; args: -initrd "tests/asm/data/mb_text.txt alpha beta=2,tests/asm/data/mb_empty.bin,tests/asm/data/mb_page.bin x,,y,tests/asm/data/mb_text.txt"
%include "lib.inc"
%include "mb.inc"
extern _end

main:
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_FLAGS]
  test eax, 1 << 3
  SHOWBOOL "mods_flag", nz
  SHOW "mods_count", [ebx + MBI_MODS_CNT]
  mov eax, [ebx + MBI_MODS_ADDR]
  cmp eax, _end
  SHOWBOOL "list_after_image", ae
  mov edi, [ebx + MBI_MODS_ADDR]
  mov ebp, _end                 ; the end of what came before
  mov ecx, 0
.mod:
  cmp ecx, [ebx + MBI_MODS_CNT]
  jae .done
  PRINT "module "
  mov eax, ecx
  call put_hex8
  call newline
  mov edx, [edi + 4]
  sub edx, [edi]
  SHOW "  length", edx
  mov eax, [edi]
  and eax, 0xfff
  SHOW "  page_offset", eax
  PRINT "  string="
  mov esi, [edi + 8]
  call put_quoted
  push ecx
  mov esi, [edi]
  mov ecx, edx
  call fnv1a
  pop ecx
  SHOW "  fnv1a", eax
  cmp edx, 4
  jb .short
  mov esi, [edi]
  SHOW "  first4", [esi]
.short:
  SHOW "  reserved", [edi + 12]
  mov eax, [edi]
  cmp eax, ebp
  SHOWBOOL "  after_previous", ae
  ; [start, end) does not meet [mbi, mbi + 88)
  mov eax, [edi]
  lea esi, [ebx + MBI_SIZE]
  cmp eax, esi
  jae .clear
  cmp [edi + 4], ebx
  jbe .clear
  PRINT "  overlaps_info"
  call newline
.clear:
  mov ebp, [edi + 4]
  add edi, 16
  add ecx, 1
  jmp .mod
.done:
  mov al, 0
  ret
