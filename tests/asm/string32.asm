; String instructions: REP MOVS/STOS, REPE CMPS, REPNE SCAS, LODS, DF=1.
%include "lib.inc"

main:
  mov esi, src
  mov edi, dst
  mov ecx, 11
  cld
  rep movsb
  SHOW "movsb_ecx", ecx
  SHOW "movsb_esi", esi
  SHOW "movsb_edi", edi
  mov esi, dst
  call puts
  call newline
  mov edi, buf
  mov eax, 0x41424344
  mov ecx, 4
  rep stosd
  mov byte [buf + 16], 0
  mov esi, buf
  call puts
  call newline
  mov esi, src
  mov edi, dst
  mov ecx, 20
  repe cmpsb
  SHOWF "cmps_f"
  SHOW "cmps_ecx", ecx
  mov byte [dst + 5], 'X'
  mov esi, src
  mov edi, dst
  mov ecx, 11
  repe cmpsb
  SHOWF "cmps_ne_f"
  SHOW "cmps_ne_ecx", ecx
  mov edi, src
  mov al, 'w'
  mov ecx, 100
  repne scasb
  SHOW "scas_ecx", ecx
  SHOW "scas_edi", edi
  std
  mov esi, src + 4
  lodsb
  SHOW "lods_al", eax
  SHOW "lods_esi", esi
  mov esi, src + 10
  mov edi, buf + 10
  mov ecx, 11
  rep movsb
  cld
  mov esi, buf
  call puts
  call newline
  ; movsw/movsd with overlap forwards
  mov dword [buf], 0x64636261
  mov dword [buf + 4], 0
  mov esi, buf
  lea edi, [buf + 1]
  mov ecx, 3
  rep movsb
  mov esi, buf
  call puts
  call newline
  mov al, 0
  ret

section .rodata
src: db "hello world", 0

section .bss
dst: resb 32
buf: resb 32
