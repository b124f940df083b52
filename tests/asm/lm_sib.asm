; SIB addressing with REX.X and REX.B (SDM Vol. 2A §2.2.1.2, Table 2-5):
; R12 as a base needs a SIB byte, R13 as a base with mod 00 still means
; disp32 (no base), R12 is a valid index (only REX.X = 0 index 100 means
; none), scales 1-8, and 32-bit address-size wrap (67h).
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov r12, table
  mov rax, [r12]
  SHOW64 "r12_base", rax
  mov r13, table
  mov rax, [r13]                          ; mod 01, disp8 0
  SHOW64 "r13_base", rax
  mov r13, 0x1234                         ; ignored: base 101 with mod 00
  mov rax, 0
  db 0x49, 0x8b, 0x04, 0x25               ; mov rax, [disp32] with REX.B (SIB base 101)
  dd table + 16
  SHOW64 "sib_nobase_rexb", rax
  mov r12, 2
  mov rax, table
  db 0x4a, 0x8b, 0x04, 0xe0               ; mov rax, [rax + r12*8] (REX.X index 100 = R12)
  SHOW64 "idx_r12", rax
  mov rax, table + 24
  mov rsp, rsp
  db 0x48, 0x8b, 0x04, 0x20               ; mov rax, [rax] via SIB index 100, no REX.X: no index
  SHOW64 "no_index", rax
  mov r8, table
  mov r15, 3
  mov rax, [r8 + r15 * 8 - 8]
  SHOW64 "r8_r15x8", rax
  mov r9, 8
  mov rax, [r8 + r9 * 2 + 8]
  SHOW64 "scale2", rax
  mov r14, table + 64
  mov r10, -4
  mov rax, [r14 + r10 * 4]
  SHOW64 "neg_index", rax
  mov rbp, table
  mov rax, [rbp + r8 * 1]
  sub rax, [r8 + r8 * 1]
  SHOW64 "rbp_base", rax
  mov rax, 0xffffffff00000000
  mov rbx, table + 8
  mov rcx, rbx
  or rcx, rax
  a32 mov rax, [ecx]                      ; 67h: upper half of RCX ignored
  SHOW64 "a32", rax
  mov al, 0
  jmp exit

section .data
align 8
table:
  dq 0x1010101010101010, 0x2020202020202020, 0x3030303030303030
  dq 0x4040404040404040, 0x5050505050505050, 0x6060606060606060
  dq 0x7070707070707070, 0x8080808080808080, 0x9090909090909090
