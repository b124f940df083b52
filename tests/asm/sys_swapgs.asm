; SWAPGS (SDM Vol. 2B "SWAPGS"): exchanges IA32_GS_BASE with
; IA32_KERNEL_GS_BASE; GS-relative loads follow the new base; it is
; #GP(0) at CPL 3.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov ax, LM_DSU                          ; DPL 3: IRET to CPL 3 keeps GS
  mov gs, ax
  mov ecx, 0xc0000101                     ; GS_BASE
  mov eax, table
  xor edx, edx
  wrmsr
  mov ecx, 0xc0000102                     ; KERNEL_GS_BASE
  mov eax, table + 8
  wrmsr
  mov rax, [gs:0]
  SHOW64 "gs0", rax
  swapgs
  mov rax, [gs:0]
  SHOW64 "gs0_swapped", rax
  mov ecx, 0xc0000101
  rdmsr
  mov rbx, table
  sub eax, ebx
  SHOW "gsbase-table", eax
  mov ecx, 0xc0000102
  rdmsr
  sub eax, ebx
  SHOW "kgsbase-table", eax
  swapgs
  mov rax, [gs:8]
  SHOW64 "gs8", rax
  TO_USER64 user
user:
  EXPECT64 .u1
  swapgs
.u1:
  mov rax, [gs:0]
  SHOW64 "user_gs0", rax
  mov al, 0
  jmp exit

section .data
align 8
table: dq 0x1111111111111111, 0x2222222222222222, 0x3333333333333333
