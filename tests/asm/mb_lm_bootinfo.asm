; The boot information read from 64-bit code, as kvm-unit-tests-style
; images do after switching to long mode (Multiboot Specification 0.6.96
; §3.3; the loader's structures must lie in memory the kernel can map,
; here the identity-mapped first GiB of lm64.inc): the command line after
; the kernel path, the modules' count, strings, lengths and hashes, and the
; memory fields, all through 64-bit addressing of the 32-bit pointers.
; args: -append "mb_lm_bootinfo  smp=1 -- arg" -initrd "tests/asm/data/mb_text.txt env,tests/asm/data/mb_page.bin"
%include "lib.inc"
%include "mb.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov ebx, [mb_ebx]             ; zero-extends: RBX = the structure
  mov eax, [rbx + MBI_FLAGS]
  and eax, 0x24d
  SHOW "flags_mem_cmd_mods_mmap_name", eax
  mov esi, [rbx + MBI_CMDLINE]
.skip_path:                     ; the path, then one space
  cmp byte [rsi], ' '
  je .path_done
  cmp byte [rsi], 0
  je .path_done
  add rsi, 1
  jmp .skip_path
.path_done:
  add rsi, 1
  PRINT "args="
  call put_quoted
  SHOW "mods_count", [rbx + MBI_MODS_CNT]
  mov edi, [rbx + MBI_MODS_ADDR]
  mov ecx, [rbx + MBI_MODS_CNT]
.mod:
  test ecx, ecx
  jz .mods_done
  mov esi, [rdi + 8]
  PRINT "module="
  call put_quoted
  push rcx
  mov esi, [rdi]
  mov ecx, [rdi + 4]
  sub ecx, esi
  SHOW "  length", ecx
  call fnv1a
  SHOW "  fnv1a", eax
  pop rcx
  add rdi, 16
  sub ecx, 1
  jmp .mod
.mods_done:
  SHOW "mem_lower", [rbx + MBI_MEM_LOWER]
  mov eax, [rbx + MBI_MEM_UPPER]
  shr eax, 12
  SHOW "mem_upper_4m", eax
  mov al, 0
  jmp exit
