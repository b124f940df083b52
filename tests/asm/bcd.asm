; DAA DAS AAA AAS AAM AAD (SDM Vol. 2A), with the flags each defines.
%include "lib.inc"

main:
  mov al, 0x19
  add al, 0x28
  daa
  SHOWFM "daa_f", FL_CF|FL_AF|FL_ZF|FL_SF|FL_PF
  SHOW "daa", eax
  mov al, 0x99
  add al, 0x01
  daa
  SHOWFM "daa_c_f", FL_CF|FL_AF|FL_ZF|FL_SF|FL_PF
  SHOW "daa_c", eax
  mov al, 0x10
  sub al, 0x01
  das
  SHOWFM "das_f", FL_CF|FL_AF|FL_ZF|FL_SF|FL_PF
  SHOW "das", eax
  mov eax, 0x0009
  add al, 0x05
  aaa
  SHOWFM "aaa_f", FL_CF|FL_AF
  SHOW "aaa", eax
  mov eax, 0x0203
  sub al, 0x05
  aas
  SHOWFM "aas_f", FL_CF|FL_AF
  SHOW "aas", eax
  mov eax, 77
  aam
  SHOWFM "aam_f", FL_ZF|FL_SF|FL_PF
  SHOW "aam", eax
  mov eax, 0x0705
  aad
  SHOWFM "aad_f", FL_ZF|FL_SF|FL_PF
  SHOW "aad", eax
  mov eax, 0x0102
  db 0xd5, 16                   ; aad 16
  SHOW "aad16", eax
  mov eax, 0xff
  db 0xd4, 16                   ; aam 16
  SHOW "aam16", eax
  mov al, 0
  ret
