; Shifts and rotates. OF is defined only for 1-bit counts and AF never
; (SDM Vol. 2B "SAL/SAR/SHL/SHR"), so multi-bit cases show CF ZF SF PF.
%include "lib.inc"

%macro SH 4  ; SH insn, value, count, label
  mov eax, %2
  mov cl, %3
  %1 eax, cl
  %if %3 == 1
  SHOWFM %4 "f", FL_CF|FL_PF|FL_ZF|FL_SF|FL_OF
  %else
  SHOWFM %4 "f", FL_CF|FL_PF|FL_ZF|FL_SF
  %endif
  SHOW %4, eax
%endmacro

main:
  SH shl, 0x80000001, 1, "shl1"
  SH shl, 0x12345678, 4, "shl4"
  SH shr, 0x80000001, 1, "shr1"
  SH shr, 0x80000000, 31, "shr31"
  SH sar, 0x80000010, 1, "sar1"
  SH sar, 0x80000010, 5, "sar5"
  SH rol, 0x80000001, 1, "rol1"
  SH ror, 0x80000001, 1, "ror1"
  SH rol, 0x12345678, 8, "rol8"
  SH ror, 0x12345678, 12, "ror12"
  SH shl, 0x12345678, 0, "shl0"
  SH shl, 0x12345678, 33, "shl33"
  stc
  mov eax, 0x40000000
  rcl eax, 1
  SHOWFM "rcl1_f", FL_CF|FL_OF
  SHOW "rcl1", eax
  stc
  mov eax, 1
  rcr eax, 1
  SHOWFM "rcr1_f", FL_CF|FL_OF
  SHOW "rcr1", eax
  mov eax, 0x12345678
  mov edx, 0x9abcdef0
  shld eax, edx, 8
  SHOWFM "shld_f", FL_CF|FL_PF|FL_ZF|FL_SF
  SHOW "shld", eax
  mov eax, 0x12345678
  shrd eax, edx, 12
  SHOWFM "shrd_f", FL_CF|FL_PF|FL_ZF|FL_SF
  SHOW "shrd", eax
  mov al, 0x81
  sar al, 7
  SHOW "sar8", eax
  mov ax, 0x8001
  rol ax, 4
  SHOW "rol16", eax
  mov al, 0
  ret
