; IST (SDM Vol. 3A §6.14.5): a gate with a non-zero IST field always
; switches to that TSS stack, even without a privilege change, and
; reentering the same IST vector starts again at the IST top. A gate with
; IST 0 at CPL 0 keeps the current stack.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 3, bp_handler, 1, 0xee
  SET_GATE64 4, bp_handler, 0, 0xee       ; #OF vector via INT 4, no IST
  int3
  int3
  int 4
  TO_USER64 user
user:
  int3
  PRINT `done\n`
  mov al, 0
  jmp exit

bp_handler:
  mov rax, rsp
  mov rbx, lm64_ist1_top
  sub rax, rbx
  SHOW "ist_off", eax
  iretq
