; ELF32 loading by program headers (Multiboot Specification 0.6.96 §3.1
; and the System V ABI's Elf32_Phdr): the image is linked into several
; PT_LOAD segments (the ELF headers, read-only data, code, and data
; followed by bss), and the test is given its own file as module 0
; (-initrd "$IMG") to check each segment against it: every byte in
; [p_paddr, p_paddr + p_filesz) equals the file's bytes at p_offset, and
; every byte in [p_paddr + p_filesz, p_paddr + p_memsz) is zero (the file
; has other data at those offsets, so a loader copying p_memsz bytes would
; show), apart from the prologue's own variables and stack and the test's
; counters. It prints each segment's flags and whether it has bss, and the
; counts of wrong bytes.
; args: -initrd "$IMG"
%include "lib.inc"
%include "mb.inc"

PT_LOAD equ 1

; bad_bytes(ESI = memory, EDI = file, ECX = n) -> EAX = count of differences
bad_bytes:
  push esi
  push edi
  push ecx
  push edx
  mov eax, 0
.next:
  test ecx, ecx
  jz .done
  mov dl, [esi]
  cmp dl, [edi]
  je .same
  add eax, 1
.same:
  add esi, 1
  add edi, 1
  sub ecx, 1
  jmp .next
.done:
  pop edx
  pop ecx
  pop edi
  pop esi
  ret

; nonzero_bss(ESI = start, ECX = n) -> EAX = nonzero bytes outside the
; prologue's [mb_eax, stack_top) and this test's counters
nonzero_bss:
  push esi
  push ecx
  mov eax, 0
.next:
  test ecx, ecx
  jz .done
  cmp esi, mb_eax
  jb .check
  cmp esi, stack_top
  jb .skip
.check:
  cmp esi, loads
  jb .check2
  cmp esi, counters_end
  jb .skip
.check2:
  cmp byte [esi], 0
  je .skip
  add eax, 1
.skip:
  add esi, 1
  sub ecx, 1
  jmp .next
.done:
  pop ecx
  pop esi
  ret

main:
  mov ebx, [mb_ebx]
  SHOW "mods_count", [ebx + MBI_MODS_CNT]
  mov eax, [ebx + MBI_MODS_ADDR]
  mov ebp, [eax]                ; the file, as module 0
  SHOW "file_magic", [ebp]
  movzx eax, word [ebp + 44]    ; e_phnum
  SHOW "e_phnum", eax
  mov edx, ebp
  add edx, [ebp + 28]           ; e_phoff
  mov ecx, eax
  mov dword [loads], 0
.ph:
  test ecx, ecx
  jz .done
  cmp dword [edx], PT_LOAD
  jne .next
  add dword [loads], 1
  PRINT "load flags="
  mov eax, [edx + 24]           ; p_flags: 1 X, 2 W, 4 R
  call put_hex8
  mov eax, [edx + 20]
  cmp eax, [edx + 16]           ; p_memsz > p_filesz
  seta al
  PRINT " bss="
  call put_hex8
  push ecx
  mov esi, [edx + 12]           ; p_paddr
  mov edi, ebp
  add edi, [edx + 4]            ; p_offset
  mov ecx, [edx + 16]           ; p_filesz
  call bad_bytes
  add [file_bad], eax
  add esi, ecx
  mov ecx, [edx + 20]
  sub ecx, [edx + 16]
  call nonzero_bss
  add [bss_bad], eax
  add [bss_bytes], ecx
  pop ecx
  call newline
.next:
  movzx eax, word [ebp + 42]    ; e_phentsize
  add edx, eax
  sub ecx, 1
  jmp .ph
.done:
  SHOW "loads", [loads]
  SHOW "bytes_unlike_file", [file_bad]
  SHOW "bss_nonzero", [bss_bad]
  mov eax, [bss_bytes]
  cmp eax, 0x10000
  SHOWBOOL "bss_over_64k", a
  SHOW "data0", [data_words]
  SHOW "data1", [data_words + 4]
  mov al, 0
  ret

section .rodata
  times 100 db 0x5a
section .data
data_words: dd 0xfeedf00d, 0x8badf00d
  times 200 db 0x33
section .bss
loads: resd 1
file_bad: resd 1
bss_bad: resd 1
bss_bytes: resd 1
counters_end:
more_bss: resb 8192
