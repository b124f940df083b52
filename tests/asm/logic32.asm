; AND/OR/XOR/NOT/TEST and MOVZX/MOVSX/BSWAP/XCHG/XADD/CMPXCHG.
%include "lib.inc"

main:
  mov eax, 0xf0f0f0f0
  and eax, 0x0ff00ff0
  SHOWFM "and_f", FL_CF|FL_PF|FL_ZF|FL_SF|FL_OF
  SHOW "and", eax
  or eax, 0x80000001
  SHOWFM "or_f", FL_CF|FL_PF|FL_ZF|FL_SF|FL_OF
  SHOW "or", eax
  xor eax, eax
  SHOWFM "xor_f", FL_CF|FL_PF|FL_ZF|FL_SF|FL_OF
  not eax
  SHOW "not", eax
  test eax, 0x100
  SHOWFM "test_f", FL_CF|FL_PF|FL_ZF|FL_SF|FL_OF
  mov ebx, 0x12345680
  movzx ecx, bl
  SHOW "movzx8", ecx
  movsx ecx, bl
  SHOW "movsx8", ecx
  movsx ecx, bx
  SHOW "movsx16", ecx
  bswap ebx
  SHOW "bswap", ebx
  mov eax, 1
  mov ecx, 2
  xchg eax, ecx
  SHOW "xchg_a", eax
  SHOW "xchg_c", ecx
  mov [scratch], dword 10
  mov eax, 5
  lock xadd [scratch], eax
  SHOWF "xadd_f"
  SHOW "xadd_old", eax
  SHOW "xadd_mem", [scratch]
  mov eax, 15
  mov ecx, 99
  lock cmpxchg [scratch], ecx
  SHOWF "cmpxchg_hit_f"
  SHOW "cmpxchg_hit", [scratch]
  mov eax, 1
  cmpxchg [scratch], ecx
  SHOWF "cmpxchg_miss_f"
  SHOW "cmpxchg_miss", eax
  mov eax, 0x11223344
  mov edx, 0x55667788
  mov dword [scratch], 0x11223344
  mov dword [scratch + 4], 0x55667788
  mov ebx, 0xaaaaaaaa
  mov ecx, 0xbbbbbbbb
  lock cmpxchg8b [scratch]
  SHOWFM "cmpxchg8b_f", FL_ZF
  SHOW "cmpxchg8b_lo", [scratch]
  SHOW "cmpxchg8b_hi", [scratch + 4]
  mov al, 0
  ret

section .bss
scratch: resd 4
