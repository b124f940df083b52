; Bit operations in 64-bit mode (SDM Vol. 2A "BT", "BTS", "BSF", "BSR",
; "POPCNT", "BSWAP"): register forms use the offset mod 64, memory forms
; with a register offset address the bit string (negative offsets too).
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov rax, 0x8000000000000001
  bt rax, 63
  SHOWFQ "bt63", FL_CF
  mov rcx, 64 + 63                        ; mod 64
  bt rax, rcx
  SHOWFQ "bt_mod", FL_CF
  bts rax, 40
  SHOW64 "bts", rax
  btr rax, 0
  SHOW64 "btr", rax
  mov rcx, 33
  btc rax, rcx
  SHOW64 "btc", rax
  mov rcx, 200                            ; memory: qword 3, bit 8
  bts qword [rel bitstr], rcx
  mov rax, [rel bitstr + 24]
  SHOW64 "bts_mem", rax
  lea rbx, [rel bitstr + 32]
  mov rcx, -1                             ; bit 63 of the qword before
  bts qword [rbx], rcx
  mov rax, [rel bitstr + 24]
  SHOW64 "bts_neg", rax
  mov rcx, -256
  btc dword [rbx], ecx                    ; 32-bit offset: bits - 0
  mov rax, [rel bitstr]
  SHOW64 "btc_neg32", rax
  mov rax, 0x0000100000000000
  bsf rcx, rax
  SHOW64 "bsf", rcx
  bsr rcx, rax
  SHOW64 "bsr", rcx
  mov rax, 0xf0f0000000000f0f
  popcnt rcx, rax
  SHOW64 "popcnt", rcx
  SHOWFQ "popcnt_f", FL_ARITH
  mov rcx, 0x7777
  xor eax, eax
  bsf rcx, rax
  SHOWFQ "bsf0_f", FL_ZF
  mov r10, 0x1122334455667788
  bswap r10
  SHOW64 "bswap_r10", r10
  mov rax, 0x00000000000000f0
  shl rax, 60
  SHOW64 "shl_mask", rax
  mov al, 0
  jmp exit

section .data
align 8
bitstr: dq 0, 0, 0, 0, 0
