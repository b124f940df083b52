; The 64-bit exception stack frame (SDM Vol. 3A §6.14.2-6.14.4): SS, RSP,
; RFLAGS, CS, RIP and the error code are always pushed; RSP is aligned to
; 16 first. From CPL 3 the stack is RSP0 and the pushed SS is the user's;
; the new SS is NULL with RPL 0. At CPL 0 (no IST) the current stack is
; used, aligned down.
;
; golden: SDM
; QEMU 7.2 TCG pushes RF = 0 for these #GP faults; the SDM (Vol. 3A
; §17.3.1.1, "Instruction-Breakpoint Exception Condition": "For any
; fault-class exception except a debug exception generated in response to
; an instruction breakpoint, the value pushed for RF is 1") says RF = 1.
; The golden file is QEMU's with bit 16 set in the two rflags values.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 13, gp_handler, 0, 0xee
  mov r15, rsp
  and rsp, -16
  sub rsp, 8                              ; misaligned by 8
  mov [rel saved_rsp], rsp
  mov qword [rel resume], .r1
  mov ax, 0x68
  mov ds, ax
.r1:
  mov rsp, r15
  TO_USER64 user
user:
  mov qword [rel resume], .u1
  hlt
.u1:
  PRINT `done\n`
  mov al, 0
  jmp exit

gp_handler:
  mov [rel h_rsp], rsp
  PRINT "err="
  mov eax, [rsp]
  call put_hex32
  PRINT " rip="
  mov eax, [rsp + 8]
  call put_hex32
  PRINT " cs="
  mov eax, [rsp + 16]
  call put_hex32
  PRINT " rflags="
  mov eax, [rsp + 24]
  and eax, ~FL_ARITH
  call put_hex32
  call newline
  PRINT "ss="
  mov eax, [rsp + 40]
  call put_hex32
  PRINT " new_ss="
  mov ax, ss
  movzx eax, ax
  call put_hex32
  PRINT " rsp_pushed-"
  mov rax, [rsp + 32]
  mov rbx, [rel saved_rsp]
  cmp word [rsp + 16], LM_CS64U
  jne .k
  mov rbx, lm64_ustack_top
.k:
  sub rax, rbx
  call put_hex32
  PRINT " frame_at-"
  mov rax, [rel h_rsp]
  mov rbx, [rel saved_rsp]
  cmp word [rsp + 16], LM_CS64U
  jne .k2
  mov rbx, lm64_stack0_top
.k2:
  sub rax, rbx
  call put_hex32
  call newline
  mov rax, [rel resume]
  mov [rsp + 8], rax
  add rsp, 8
  iretq

section .data
align 8
saved_rsp: dq 0
h_rsp: dq 0
resume: dq 0
