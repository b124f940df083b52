; LMSW, SMSW and CLTS (SDM Vol. 2A "LMSW", "CLTS", Vol. 2B "SMSW"; Vol. 3A
; §2.5): LMSW loads only CR0 bits 3:0 (PE MP EM TS) and can set PE but not
; clear it; CLTS clears TS and nothing else. SMSW to a memory operand
; stores 16 bits (the bytes around are kept); to a 16-bit register it keeps
; the upper register bits; to a 32-bit register in 64-bit mode it stores
; CR0[31:0] zero-extended and with REX.W all of CR0 (in 32-bit mode only
; bits 15:0 of a 32-bit destination are defined, so only they are printed).
; At CPL 3, LMSW and CLTS are #GP(0); SMSW works unless CR4.UMIP = 1, which
; makes it #GP(0) (§2.5).
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

%macro SHOW_CR0 0
  mov eax, cr0
  SHOW "cr0", eax
%endmacro

main:
  call idt32_setup
  mov eax, 0x31                 ; PE ET NE
  mov cr0, eax
  mov ax, 0x000e
  lmsw ax                       ; MP EM TS
  SHOW_CR0
  xor eax, eax
  lmsw ax                       ; PE stays set
  SHOW_CR0
  mov ax, 0xfff0
  lmsw ax                       ; bits 15:4 ignored
  SHOW_CR0
  mov word [w16], 0x0008
  lmsw [w16]                    ; memory form: TS
  SHOW_CR0
  clts
  SHOW_CR0
  mov ax, 0x000b                ; PE MP TS
  lmsw ax
  clts                          ; only TS clears
  SHOW_CR0
  mov eax, 0xdead0000
  smsw ax                       ; 16-bit register: upper half kept
  SHOW "smsw_r16", eax
  mov eax, 0xffffffff
  smsw eax
  and eax, 0xffff
  SHOW "smsw_r32", eax
  mov dword [m32], 0xaaaaaaaa
  smsw [m32]                    ; memory: 16 bits
  SHOW "smsw_m16", [m32]
  mov dword [m32], 0x55555555
  o32 smsw [m32]                ; 16 bits whatever the operand size
  SHOW "smsw_m16_o32", [m32]
  mov ax, 0x0009                ; PE TS
  lmsw ax
  LM64_ENTER go
bits 64
go:
  mov rax, -1
  smsw rax
  SHOW64 "smsw_r64", rax
  mov rax, -1
  smsw eax
  SHOW64 "smsw_r32", rax
  mov rax, -1
  smsw ax
  SHOW64 "smsw_r16", rax
  mov qword [m64], -1
  o64 smsw [m64]
  SHOW64 "smsw_m16", [m64]
  clts
  mov rax, cr0
  SHOW64 "cr0_64", rax
  mov ax, 0x0006                ; MP EM
  lmsw ax
  mov rax, cr0
  SHOW64 "cr0_64", rax
  mov ax, 0x0000
  lmsw ax
  SET_GATE64 3, bp_handler, 0, 0xee
  TO_USER64 user
user:
  mov rax, -1
  smsw eax                      ; allowed at CPL 3 with UMIP = 0
  SHOW64 "user_smsw", rax
  EXPECT64 .r1
  lmsw ax
.r1:
  EXPECT64 .r2
  clts
.r2:
  int3                          ; #BP handler (vector 3) sets UMIP, comes back
.umip:
  EXPECT64 .r3
  smsw eax
.r3:
  EXPECT64 .r4
  smsw [m64]
.r4:
  mov al, 0
  jmp exit

bp_handler:                     ; CPL 0: set CR4.UMIP, back to .umip at CPL 3
  mov rax, cr4
  bts rax, 11
  mov cr4, rax
  mov qword [rsp], user.umip
  iretq

section .data
align 8
w16: dw 0
align 8
m32: dd 0
align 8
m64: dq 0
