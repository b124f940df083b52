; BT/BTS/BTR/BTC (register and memory, with bit offsets beyond the operand),
; BSF/BSR, SETcc and CMOVcc for every condition.
%include "lib.inc"

main:
  mov eax, 0x00000500
  bt eax, 8
  SHOWFM "bt_f", FL_CF
  bts eax, 1
  SHOWFM "bts_f", FL_CF
  SHOW "bts", eax
  btr eax, 10
  SHOWFM "btr_f", FL_CF
  SHOW "btr", eax
  btc eax, 31
  SHOW "btc", eax
  mov dword [bitbuf], 0
  mov dword [bitbuf + 4], 0
  mov ecx, 37
  bts [bitbuf], ecx
  SHOW "bts_mem", [bitbuf + 4]
  mov ecx, -1
  bts [bitbuf + 4], ecx
  SHOW "bts_neg", [bitbuf]
  mov ecx, 0x00f00000
  bsf edx, ecx
  SHOWFM "bsf_f", FL_ZF
  SHOW "bsf", edx
  bsr edx, ecx
  SHOW "bsr", edx
  xor ecx, ecx
  mov edx, 0x1234
  bsf edx, ecx
  SHOWFM "bsf0_f", FL_ZF
  ; every condition after CMP 1, 2 (CF SF set, ZF OF clear) and CMP 2, 2
  xor ebx, ebx
  mov eax, 1
  cmp eax, 2
  %assign cc 0
  %rep 16
    db 0x0f, 0x90 + cc, 0x05    ; setcc [flagbuf + cc] (flags untouched)
    dd flagbuf + cc
  %assign cc cc + 1
  %endrep
  call pack
  SHOW "setcc_lt", ebx
  xor ebx, ebx
  cmp eax, eax
  %assign cc 0
  %rep 16
    db 0x0f, 0x90 + cc, 0x05
    dd flagbuf + cc
  %assign cc cc + 1
  %endrep
  call pack
  SHOW "setcc_eq", ebx
  mov esi, 1
  mov eax, 0x80000000
  cmp eax, 1                    ; OF PF set; SF ZF CF clear
  %assign cc 0
  %rep 16
    mov edi, 0
    db 0x0f, 0x40 + cc, 0xfe    ; cmovcc edi, esi
    mov [flagbuf + cc], edi
  %assign cc cc + 1
  %endrep
  call pack
  SHOW "cmov", ebx
  ; CMOV with a false condition still reads (and zero-extends nothing in 32-bit)
  mov edx, 0xdeadbeef
  cmp eax, eax
  cmovne edx, [bitbuf]
  SHOW "cmov_false", edx
  mov al, 0
  ret

; pack: EBX = the 16 bytes at flagbuf as bits (condition 0 = bit 15).
pack:
  xor ebx, ebx
  xor ecx, ecx
.next:
  shl ebx, 1
  movzx eax, byte [flagbuf + ecx]
  and eax, 1
  or ebx, eax
  inc ecx
  cmp ecx, 16
  jne .next
  ret

section .bss
flagbuf: resd 16
bitbuf: resd 2
