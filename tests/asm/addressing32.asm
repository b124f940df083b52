; Effective addresses: base+index*scale+disp8/disp32, no-base SIB, ESP and
; EBP bases, 16-bit addressing (67h) in 32-bit code, XLAT, LEA, segment
; override prefixes with the flat selectors.
%include "lib.inc"

main:
  mov edi, table
  mov ecx, 16
  xor eax, eax
.fill:
  mov [edi + eax * 4], eax
  inc eax
  loop .fill
  mov ebx, table
  mov esi, 3
  mov eax, [ebx + esi * 4]
  SHOW "sib4", eax
  mov eax, [ebx + esi * 2 + 2]
  SHOW "sib2_disp", eax
  mov eax, [table + esi * 8]
  SHOW "nobase", eax
  mov eax, [ebx + 0x3c]
  SHOW "disp8", eax
  mov ebp, ebx
  mov eax, [ebp + 4]
  SHOW "ebp_base", eax
  push dword 0x77
  mov eax, [esp]
  SHOW "esp_base", eax
  add esp, 4
  lea eax, [ebx + esi * 4 + 100]
  sub eax, ebx
  SHOW "lea", eax
  lea eax, [esi * 8 + esi]
  SHOW "lea_mul9", eax
  ; 16-bit addressing in low memory
  mov dword [0x7000 + 12], 0xcafe
  mov bx, 0x7000
  mov si, 8
  a16 mov eax, [bx + si + 4]
  SHOW "a16", eax
  mov di, 0xfffc                ; wraps within the 64 KiB address space
  mov dword [0x7000 + 0x10], 0xbeef
  mov bp, 0x7000 + 0x14
  a16 mov eax, [bp + di]
  SHOW "a16_wrap", eax
  mov ebx, hexdigits
  mov al, 11
  xlatb
  SHOW "xlat", eax
  mov eax, [es:table + 8]
  SHOW "es_override", eax
  mov eax, [fs:table + 12]
  SHOW "fs_override", eax
  mov al, 0
  ret

section .rodata
hexdigits: db "0123456789abcdef"

section .bss
table: resd 16
