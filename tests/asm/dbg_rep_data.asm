; Data breakpoints in repeated string instructions (SDM Vol. 3A §17.3.1.2,
; Vol. 2B "REP"): the #DB trap comes after the iteration whose access hit,
; not after the whole instruction: the saved EIP is the REP MOVSB itself
; while iterations remain (ECX = the remaining count, ESI/EDI advanced),
; and IRET resumes the remaining iterations. A breakpoint on the source
; (R/W = 11) fires on the read of that iteration.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  mov eax, db_rep
  mov [idt32_table + 8], ax
  shr eax, 16
  mov [idt32_table + 8 + 6], ax
  xor eax, eax
  mov dr6, eax
  mov eax, dst + 2
  mov dr0, eax
  mov eax, src + 4
  mov dr1, eax
  mov eax, 0x00310005                   ; L0 R/W0 = 01 LEN 1; L1 R/W1 = 11 LEN 1
  mov dr7, eax
  mov esi, src
  mov edi, dst
  mov ecx, 6
  cld
.rep:
  rep movsb
.done:
  xor eax, eax
  mov dr7, eax
  SHOW "ecx", ecx
  SHOW "dst0", [dst]
  SHOW "dst4", [dst + 4]
  SHOW "count", [db_count]
  mov al, 0
  ret

db_rep:
  push eax
  PRINT "db eip=main+"
  mov eax, [esp + 4]
  sub eax, main
  call put_hex32
  PRINT " ecx="
  mov eax, ecx
  call put_hex32
  PRINT " edi=dst+"
  mov eax, edi
  sub eax, dst
  call put_hex32
  mov eax, dr6
  and eax, 0xf
  SHOW " dr6", eax
  xor eax, eax
  mov dr6, eax
  add dword [db_count], 1
  pop eax
  iret

section .data
align 16
src: db 1, 2, 3, 4, 5, 6, 7, 8
dst: dd 0, 0
