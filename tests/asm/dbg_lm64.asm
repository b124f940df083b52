; #DB in 64-bit mode (SDM Vol. 3A ch. 17, §6.14): single-step traps with
; RIP after the instruction (DR6.BS), the 8-byte data-breakpoint length
; (LEN = 10, IA-32e mode, §17.2.5) covering an aligned quadword, an
; instruction breakpoint on a 64-bit address (a fault, resumed with RF
; set in the saved RFLAGS by IRETQ).
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 1, db64, 0, 0x8e           ; DPL 0 interrupt gate
  xor eax, eax
  mov dr6, rax
  pushfq
  bts qword [rsp], 8
  popfq
  mov eax, 1                            ; trap
  add rax, rax                          ; trap
  mov byte [rel clear_tf], 1            ; trap, TF cleared
  nop
  ; 8-byte write breakpoint
  mov rax, qbuf
  mov dr0, rax
  mov eax, 0x00090001                   ; L0, R/W0 = 01, LEN0 = 10 (8 bytes)
  mov dr7, rax
  PRINT `w7\n`
  mov byte [rel qbuf + 7], 1            ; hit
  PRINT `w8\n`
  mov byte [rel qbuf + 8], 1            ; no hit
  PRINT `wq\n`
  mov qword [rel qbuf - 4], 0           ; bytes -4..3: hit
  ; instruction breakpoint
  mov rax, .bp
  mov dr1, rax
  mov eax, 0x00000004                   ; L1, execute
  mov dr7, rax
  mov byte [rel set_rf], 1
.bp:
  nop                                   ; #DB fault here, resumed with RF
  xor eax, eax
  mov dr7, rax
  mov byte [rel set_rf], 0
  mov eax, [rel db_n]
  SHOW "count", eax
  mov al, 0
  jmp exit

db64:
  push rax
  PRINT "db rip="
  mov eax, [rsp + 8]
  call put_hex32
  mov eax, [rsp + 16]
  and eax, 3
  PRINT " cpl="
  call put_hex8
  PRINT " dr6="
  mov rax, dr6
  and eax, 0x600f
  call put_hex32
  call newline
  xor eax, eax
  mov dr6, rax
  add dword [rel db_n], 1
  cmp byte [rel clear_tf], 0
  je .1
  and qword [rsp + 24], ~0x100
.1:
  cmp byte [rel set_rf], 0
  je .2
  bts qword [rsp + 24], 16
.2:
  pop rax
  iretq

section .data
align 16
  dq 0
qbuf: dq 0, 0
db_n: dd 0
clear_tf: db 0
set_rf: db 0
