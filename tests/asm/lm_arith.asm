; 64-bit arithmetic with REX (SDM Vol. 1 §3.2.1, Vol. 2A §2.2.1): ADC/SBB
; carry chains over 128 bits, 3-operand IMUL, 128/64 IDIV, SHLD/SHRD with
; 64-bit operands, SPL/SIL/R8B byte registers (REX) and the zero-extension
; of 32-bit results.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov rax, 0xffffffffffffffff
  mov rdx, 0x0000000000000001
  add rax, 1
  adc rdx, 0
  SHOW64 "adc_lo", rax
  SHOW64 "adc_hi", rdx
  mov rax, 0
  mov rdx, 0x10
  sub rax, 1
  sbb rdx, 0
  SHOW64 "sbb_lo", rax
  SHOW64 "sbb_hi", rdx
  mov r11, -7
  imul r12, r11, 0x12345678
  SHOW64 "imul3", r12
  SHOWFQ "imul3_f", FL_CF | FL_OF
  mov rax, 0x4000000000000000
  imul rax, rax, 4
  SHOWFQ "imul_ovf", FL_CF | FL_OF
  mov rax, -1000000000000
  cqo
  mov rcx, 7
  idiv rcx
  SHOW64 "idiv_q", rax
  SHOW64 "idiv_r", rdx
  mov rax, 0x0123456789abcdef
  mov rbx, 0xfedcba9876543210
  shld rax, rbx, 12
  SHOW64 "shld", rax
  mov cl, 20
  shrd rbx, rax, cl
  SHOW64 "shrd", rbx
  mov rsi, 0x1122334455667788
  mov r8, 0
  mov r8b, sil                  ; REX: SIL, not DH
  add r8b, 0x90
  SHOW64 "r8b", r8
  mov rax, 0xffffffffffffffff
  add eax, 1                    ; 32-bit result zero-extends
  SHOW64 "add32", rax
  SHOWFQ "add32_f", FL_ARITH
  mov rax, 0xffffffffffffffff
  mov ax, 1                     ; 16-bit result keeps bits 63:16
  SHOW64 "mov16", rax
  mov r9, 0x7fffffffffffffff
  inc r9
  SHOW64 "inc_r9", r9
  SHOWFQ "inc_f", FL_ARITH
  mov r10, 5
  neg r10
  sar r10, 1
  SHOW64 "sar", r10
  mov rax, 0x8000000000000001
  rol rax, 1
  SHOW64 "rol", rax
  SHOWFQ "rol_f", FL_CF
  xadd rax, r9
  SHOW64 "xadd_a", rax
  SHOW64 "xadd_r9", r9
  mov rax, 0x55
  mov rcx, 0x66
  mov [rel scratch], rax
  lock cmpxchg [rel scratch], rcx
  SHOWFQ "cmpxchg_f", FL_ARITH
  mov rax, [rel scratch]
  SHOW64 "cmpxchg_m", rax
  mov al, 0
  jmp exit

section .bss
scratch: resq 1
