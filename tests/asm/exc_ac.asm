; #AC (SDM Vol. 3A §6.15 "Interrupt 17"): with CR0.AM and RFLAGS.AC, a
; misaligned data access at CPL 3 faults with error code 0; aligned ones,
; CPL 0 accesses and CPL 3 accesses with AC clear do not.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov rax, cr0
  bts rax, 18                             ; AM
  mov cr0, rax
  pushfq
  bts qword [rsp], 18                     ; AC at CPL 0: no check
  popfq
  mov eax, [rel data + 1]
  SHOW "cpl0_misaligned", eax
  push qword LM_DSU
  push qword lm64_ustack_top
  push qword 0x43002                      ; AC, IOPL 3
  push qword LM_CS64U
  push qword user
  iretq
user:
  mov eax, [rel data + 4]
  SHOW "aligned", eax
  EXPECT64 .u1
  mov eax, [rel data + 2]
.u1:
  EXPECT64 .u2
  mov word [rel data + 1], 0
.u2:
  EXPECT64 .u3
  mov rax, [rel data + 4]
.u3:
  mov al, [rel data + 3]                  ; bytes are always aligned
  movzx eax, al
  SHOW "byte", eax
  pushfq
  btr qword [rsp], 18
  popfq
  mov eax, [rel data + 1]
  SHOW "ac_clear", eax
  mov al, 0
  jmp exit

section .data
align 8
data: dq 0x8877665544332211
