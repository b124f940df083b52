; #DB (SDM Vol. 3A §17.3): single-step with RFLAGS.TF traps after the next
; instruction (DR6.BS), a DR0 execution breakpoint faults before the
; instruction (DR6.B0), a DR1 data write breakpoint traps after the write
; (DR6.B1). DR6 is printed masked to B0-B3 and BS.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 1, db_handler, 0, 0x8e
  mov qword [rel db_resume], .r1
  xor eax, eax
  mov dr6, rax
  pushfq
  bts qword [rsp], 8                      ; TF
  popfq
  nop                                     ; traps after this
.r0:
  PRINT `not reached\n`
.r1:
  xor eax, eax
  mov dr6, rax
  mov rax, .bp
  mov dr0, rax
  mov eax, 1                              ; L0, execute, length 1
  mov dr7, rax
  mov qword [rel db_resume], .r2
.bp:
  nop
.r2:
  xor eax, eax
  mov dr7, rax
  mov dr6, rax
  mov rax, watch
  mov dr1, rax
  mov eax, 0x00d00004                     ; L1, RW1 = 01 (write), LEN1 = 11 (4 bytes)
  mov dr7, rax
  mov qword [rel db_resume], .r3
  mov dword [rel watch], 5
.w:
.r3:
  xor eax, eax
  mov dr7, rax
  PRINT `done\n`
  mov al, 0
  jmp exit

db_handler:
  PRINT "db rip="
  mov eax, [rsp]
  call put_hex32
  mov rax, dr6
  and eax, 0x400f
  SHOW " dr6", eax
  mov rax, [rel db_resume]
  mov [rsp], rax
  and qword [rsp + 16], ~0x100            ; clear TF in the saved RFLAGS
  iretq

section .data
align 8
db_resume: dq 0
watch: dd 0
