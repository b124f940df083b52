; Double fault (SDM Vol. 3A §6.15 "Interrupt 8", Table 6-5): a #GP whose
; IDT gate is not present raises #NP while it is delivered; two
; contributory exceptions make a #DF with error code 0, delivered here on
; IST 1. The saved RIP of a #DF is undefined, so only the vector, the error
; code and the stack are printed.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 8, df_handler, 1, 0x8e
  EXPECT64 .r1
  mov ax, 0x48                            ; plain #NP first
  mov ds, ax
.r1:
  mov byte [lm64_idt + 13 * 16 + 5], 0x0e ; #GP gate not present
  mov rbx, 0x8000000000000000
  mov rax, [rbx]
  PRINT `not reached\n`
  mov al, 1
  jmp exit

df_handler:
  PRINT `df err=`
  mov eax, [rsp]
  call put_hex32
  PRINT ` cs=`
  mov eax, [rsp + 16]
  call put_hex32
  lea rax, [rsp + 48]
  mov rbx, lm64_ist1_top
  sub rax, rbx
  SHOW " ist_off", eax
  mov al, 0
  jmp exit
