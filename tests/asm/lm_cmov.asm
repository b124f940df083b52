; CMOVcc in 64-bit mode (SDM Vol. 2A "CMOVcc"): all 16 conditions after
; one compare, and the 32-bit form, which zero-extends the destination
; even when the condition is false.
%include "lib.inc"
%include "lm64.inc"

%macro TRY 1
  mov rax, 0
  mov rbx, 1
  cmp r8, r9
  cmov%1 rax, rbx
  shl rdx, 1
  or rdx, rax
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  mov r8, 5
  mov r9, 7
  call all
  SHOW "lt", edx
  mov r9, 5
  call all
  SHOW "eq", edx
  mov r8, 0x8000000000000000
  mov r9, 1
  call all
  SHOW "ovf", edx
  mov r8, -1
  mov r9, 1
  call all
  SHOW "neg", edx
  mov rax, 0xffffffffffffffff
  mov rcx, 0x1234
  cmp eax, eax
  cmovne eax, ecx                         ; false, but RAX[63:32] is cleared
  SHOW64 "cmov32_false", rax
  mov rax, 0xffffffffffffffff
  cmp eax, eax
  cmove ax, cx
  SHOW64 "cmov16_true", rax
  mov rax, 0
  mov qword [rel val], 0x5555
  test rax, rax
  cmovz rax, [rel val]
  SHOW64 "cmov_mem", rax
  mov al, 0
  jmp exit

all:
  xor edx, edx
  TRY o
  TRY no
  TRY b
  TRY ae
  TRY e
  TRY ne
  TRY be
  TRY a
  TRY s
  TRY ns
  TRY p
  TRY np
  TRY l
  TRY ge
  TRY le
  TRY g
  ret

section .bss
val: resq 1
