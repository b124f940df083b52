; MUL/IMUL/DIV/IDIV: results, and CF/OF (SF ZF AF PF are undefined).
%include "lib.inc"

main:
  mov eax, 0x12345678
  mov ecx, 0x9abcdef0
  mul ecx
  SHOWFM "mul_f", FL_CF|FL_OF
  SHOW "mul_lo", eax
  SHOW "mul_hi", edx
  mov eax, 3
  mov ecx, 5
  mul ecx
  SHOWFM "mul_small_f", FL_CF|FL_OF
  mov eax, -7
  mov ecx, 3
  imul ecx
  SHOWFM "imul1_f", FL_CF|FL_OF
  SHOW "imul1_lo", eax
  SHOW "imul1_hi", edx
  mov ebx, 0x10000
  imul ebx, ebx
  SHOWFM "imul2_f", FL_CF|FL_OF
  SHOW "imul2", ebx
  imul ecx, ebx, -3
  SHOW "imul3", ecx
  mov al, 200
  mov cl, 3
  mul cl
  SHOWFM "mul8_f", FL_CF|FL_OF
  SHOW "mul8", eax
  mov edx, 1
  mov eax, 0
  mov ecx, 3
  div ecx
  SHOW "div_q", eax
  SHOW "div_r", edx
  mov eax, -100
  cdq
  mov ecx, 7
  idiv ecx
  SHOW "idiv_q", eax
  SHOW "idiv_r", edx
  mov ax, 1000
  mov cl, 7
  div cl
  SHOW "div8", eax
  mov ax, -1000
  cwd
  mov cx, 33
  idiv cx
  SHOW "idiv16_q", eax
  SHOW "idiv16_r", edx
  mov al, 0
  ret
