; RIP-relative addressing (SDM Vol. 2A §2.2.1.6): the displacement is
; relative to the end of the instruction, including any immediate that
; follows it; RIP-relative CALL/JMP through memory, LEA, stores with an
; immediate, and the 32-bit address-size form (67h: EIP-relative).
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  lea rax, [rel here]
here:
  mov rbx, here
  sub rax, rbx
  SHOW64 "lea_here", rax
  mov dword [rel slot], 0x11223344      ; disp then imm32
  mov eax, [slot]
  SHOW "store_imm32", eax
  mov byte [rel slot + 1], 0xaa         ; disp then imm8
  mov eax, [slot]
  SHOW "store_imm8", eax
  add qword [rel slot], 0x10            ; imm8 sign-extended
  mov rax, [slot]
  SHOW64 "add_imm8", rax
  cmp dword [rel slot], 0x1122aa54
  SHOWFQ "cmp_f", FL_ARITH
  call [rel fnptr]
  SHOW "after_call", eax
  lea rax, [rel .j1]
  mov [rel jptr], rax
  jmp [rel jptr]
  PRINT `not reached\n`
.j1:
  PRINT `jumped\n`
  a32 lea eax, [rel here]               ; 67h: EIP-relative
  SHOW "a32_lea", eax
  mov rax, [rel table + 8]
  SHOW64 "table1", rax
  mov al, 0
  jmp exit

func:
  mov eax, 0xf00d
  ret

section .data
align 8
fnptr: dq func
jptr: dq 0
slot: dq 0
table: dq 0x1111, 0x2222222222222222
