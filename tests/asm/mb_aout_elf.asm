; An ELF file whose multiboot header has the a.out address fields (header
; flag 16): Multiboot Specification 0.6.96 §3.1.3 says the boot loader
; should then use those fields "instead of the fields in the actual
; executable header". The hand-written ELF headers here point their one
; PT_LOAD segment at 0x30000000 (outside a 512 MiB guest) with a bogus
; entry; the address fields load the file at 0x100000 and enter at
; `start`. The test runs at all only if the loader followed the fields,
; and it checks that the ELF header itself was loaded as plain data and
; that the bss named by bss_end_addr is zero.
; format: bin
LOAD equ 0x100000
MB_AOUT_FLAGS equ 0x00010003

  org LOAD
  bits 32
section .text
elf_header:
  db 0x7f, "ELF", 1, 1, 1, 0
  times 8 db 0
  dw 2, 3                       ; ET_EXEC, EM_386
  dd 1
  dd 0x30000010                 ; e_entry: not used
  dd phdr - elf_header          ; e_phoff
  dd 0, 0
  dw 52, 32, 1, 40, 0, 0
phdr:
  dd 1, 0, 0x30000000, 0x30000000, 0x1000, 0x1000, 5, 0x1000
align 4
aout_header:
  dd 0x1BADB002, MB_AOUT_FLAGS, -(0x1BADB002 + MB_AOUT_FLAGS)
  dd aout_header                ; header_addr
  dd LOAD                       ; load_addr: the file from its first byte
  dd load_end                   ; load_end_addr
  dd bss_end                    ; bss_end_addr
  dd start                      ; entry_addr
%include "lib.inc"
%include "mb.inc"

main:
  SHOW "eax", [mb_eax]
  SHOW "elf_magic", [LOAD]
  SHOW "phdr_paddr", [phdr + 12]
  SHOW "data", [data_word]
  mov esi, load_end
  mov ecx, 32
  mov edx, 0
.tail:
  movzx eax, byte [esi]
  or edx, eax
  add esi, 1
  sub ecx, 1
  jnz .tail
  SHOW "tail_or", edx
  mov ebx, [mb_ebx]
  mov eax, [ebx + MBI_MODS_ADDR]
  cmp eax, bss_end
  SHOWBOOL "list_after_bss", ae
  cmp eax, 0x30000000
  SHOWBOOL "list_below_elf_segment", b
  mov al, 0
  ret

section .data
data_word: dd 0xda7a0001
section .tail progbits align=4
load_end:
  times 32 db 0x77              ; in the file after load_end_addr: not loaded
section .bss
  resb 64
bss_end:
