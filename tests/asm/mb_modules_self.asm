; Three modules from one file (the test's own image, -initrd "$IMG,..."),
; two of them with arguments (Multiboot Specification 0.6.96 §3.3): each
; copy has the same length and FNV-1a hash and starts with the ELF magic;
; each module starts on the first page boundary after the previous one
; ends (QEMU's layout, which pc64 follows), the first one page after the
; module list; each string is "<path>" or "<path> <args>", and the test
; prints what follows the path (the path itself depends on the build
; folder).
; args: -initrd "$IMG,$IMG second  arg,$IMG third=3"
%include "lib.inc"
%include "mb.inc"

main:
  mov ebx, [mb_ebx]
  SHOW "mods_count", [ebx + MBI_MODS_CNT]
  mov edi, [ebx + MBI_MODS_ADDR]
  mov eax, [edi]
  sub eax, edi
  SHOW "first_minus_list", eax
  mov esi, [edi]
  mov ecx, [edi + 4]
  sub ecx, esi
  call fnv1a
  mov ebp, eax                  ; module 0's hash
  mov edx, ecx                  ; and length
  mov ecx, 0
.mod:
  cmp ecx, [ebx + MBI_MODS_CNT]
  jae .done
  PRINT "module "
  mov eax, ecx
  call put_hex8
  call newline
  mov esi, [edi]
  SHOW "  magic", [esi]
  mov eax, [edi + 4]
  sub eax, [edi]
  cmp eax, edx
  SHOWBOOL "  same_length", e
  push ecx
  mov ecx, edx
  call fnv1a
  pop ecx
  cmp eax, ebp
  SHOWBOOL "  same_hash", e
  mov esi, [edi + 8]            ; the string after the path
.skip:
  cmp byte [esi], 0
  je .args
  cmp byte [esi], ' '
  je .args
  add esi, 1
  jmp .skip
.args:
  PRINT "  args="
  call put_quoted
  test ecx, ecx
  jz .next
  ; this start is the first page boundary at or after the previous end
  mov eax, [edi - 16 + 4]
  add eax, 0xfff
  and eax, ~0xfff
  cmp eax, [edi]
  SHOWBOOL "  next_page_after_previous", e
.next:
  add edi, 16
  add ecx, 1
  jmp .mod
.done:
  mov al, 0
  ret
