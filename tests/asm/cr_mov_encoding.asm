; MOV to/from control registers, encoding rules (SDM Vol. 2B "MOV--Move
; to/from Control Registers"): the mod field of the ModRM byte is ignored
; (every form is register-to-register, with no displacement bytes); the
; operand-size prefix is ignored (32 bits outside 64-bit mode, 64 in it);
; CR1, CR5, CR6, CR7 and (in 64-bit mode) CR9-CR15 are #UD. CR2 takes any
; 64-bit value in 64-bit mode, canonical or not, and reads it back.
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

main:
  call idt32_setup
  mov eax, 0x00000033           ; PE MP ET NE
  mov cr0, eax
  xor eax, eax
  db 0x0f, 0x20, 0x00           ; mod = 00: MOV EAX, CR0
  SHOW "mod00", eax
  xor eax, eax
  mov ebx, 0x11111111
  db 0x0f, 0x20, 0x40           ; mod = 01: still no disp8
  db 0xbb                       ; MOV EBX, imm32 (eaten by a wrong decoder)
  dd 0x22222222
  SHOW "mod01", eax
  SHOW "ebx", ebx
  mov ebx, 0x33333333
  db 0x0f, 0x20, 0x80           ; mod = 10: no disp32
  db 0xbb
  dd 0x44444444
  SHOW "mod10_ebx", ebx
  mov eax, 0xffffffff
  db 0x66, 0x0f, 0x20, 0xc0     ; o16 MOV EAX, CR0: 32 bits all the same
  SHOW "o16", eax
  mov eax, 0x12345678
  db 0x0f, 0x22, 0x10           ; mod = 00: MOV CR2, EAX
  mov ebx, cr2
  SHOW "cr2", ebx
  EXPECT .r1
  db 0x0f, 0x20, 0xc8           ; CR1: #UD
.r1:
  EXPECT .r2
  db 0x0f, 0x22, 0xe8           ; MOV CR5, EAX: #UD
.r2:
  EXPECT .r3
  db 0x0f, 0x20, 0xf0           ; CR6: #UD
.r3:
  EXPECT .r4
  db 0x0f, 0x20, 0xf8           ; CR7: #UD
.r4:
  LM64_ENTER go
bits 64
go:
  mov rax, 0xdeadbeefcafef00d   ; non-canonical: CR2 has no checks
  mov cr2, rax
  mov rbx, cr2
  SHOW64 "cr2_64", rbx
  mov rax, -1
  db 0x66, 0x0f, 0x20, 0xc0     ; o16 MOV RAX, CR0: 64 bits
  SHOW64 "o16_64", rax
  mov rax, -1
  db 0x0f, 0x20, 0x00           ; mod = 00
  SHOW64 "mod00_64", rax
  EXPECT64 .r5
  db 0x44, 0x0f, 0x20, 0xc8     ; CR9: #UD
.r5:
  EXPECT64 .r6
  db 0x44, 0x0f, 0x22, 0xf8     ; MOV CR15, RAX: #UD
.r6:
  mov al, 0
  jmp exit
