; ADD/ADC/SUB/SBB/INC/DEC/NEG/CMP in 32-bit protected mode: results and flags.
%include "lib.inc"

%macro T2 4  ; T2 insn, a, b, label: eax = a; insn eax, b; show eax and flags
  mov eax, %2
  mov ebx, %3
  clc
  %1 eax, ebx
  SHOWF %4 "f"
  SHOW %4, eax
%endmacro

main:
  T2 add, 0x7fffffff, 1, "add_ovf"
  T2 add, 0xffffffff, 1, "add_carry"
  T2 add, 0x0000000f, 1, "add_af"
  T2 sub, 0, 1, "sub_borrow"
  T2 sub, 0x80000000, 1, "sub_ovf"
  T2 sub, 5, 5, "sub_zero"
  T2 cmp, 3, 7, "cmp"
  stc
  mov eax, 0xfffffffe
  adc eax, 1
  SHOWF "adc_f"
  SHOW "adc", eax
  stc
  mov eax, 0
  sbb eax, 0
  SHOWF "sbb_f"
  SHOW "sbb", eax
  mov eax, 0x7fffffff
  inc eax
  SHOWF "inc_f"
  SHOW "inc", eax
  mov eax, 0
  dec eax
  SHOWF "dec_f"
  SHOW "dec", eax
  mov eax, 0x80000000
  neg eax
  SHOWF "neg_f"
  SHOW "neg", eax
  xor eax, eax
  neg eax
  SHOWF "neg0_f"
  mov al, 0x7f
  add al, 1
  SHOWF "add8_f"
  mov ax, 0x8000
  sub ax, 1
  SHOWF "sub16_f"
  SHOW "sub16", eax
  ; 64-bit add with carry chain
  mov eax, 0xffffffff
  mov edx, 1
  add eax, 1
  adc edx, 0
  SHOW "chain_lo", eax
  SHOW "chain_hi", edx
  mov al, 0
  ret
