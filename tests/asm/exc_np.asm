; #NP (SDM Vol. 3A §6.15 "Interrupt 11") in 64-bit mode: loading DS with a
; not-present data segment and a far JMP to a not-present code segment
; report the selector (§6.13).
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  EXPECT64 .r1
  mov ax, 0x48
  mov ds, ax
.r1:
  EXPECT64 .r2
  mov ax, 0x48
  mov es, ax
.r2:
  EXPECT64 .r3
  jmp far dword [rel fptr]              ; m16:32
.r3:
  mov ax, LM_DS
  mov ds, ax
  mov es, ax
  mov ax, 0x48
  EXPECT64 .r4
  mov fs, ax
.r4:
  PRINT `done\n`
  mov al, 0
  jmp exit

section .data
fptr: dd 0
      dw 0x50
