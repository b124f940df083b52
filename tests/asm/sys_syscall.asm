; SYSCALL/SYSRET in 64-bit mode (SDM Vol. 2B "SYSCALL", "SYSRET", Vol. 3A
; §5.8.8): SYSCALL saves RIP in RCX and RFLAGS in R11, loads CS/SS from
; STAR[47:32], masks RFLAGS with IA32_FMASK and jumps to LSTAR; SYSRETQ
; returns to CPL 3 with CS = STAR[63:48] + 16, SS = STAR[63:48] + 8 and
; RFLAGS from R11.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1                               ; SCE
  wrmsr
  mov ecx, 0xc0000081                     ; STAR
  xor eax, eax
  mov edx, 0x00180008
  wrmsr
  mov ecx, 0xc0000082                     ; LSTAR
  mov rax, kentry
  mov rdx, rax
  shr rdx, 32
  wrmsr
  mov ecx, 0xc0000084                     ; FMASK: TF DF AC
  mov eax, 0x40500
  xor edx, edx
  wrmsr
  TO_USER64 user
user:
  std
  mov r11, 0x5555
  mov rcx, 0x6666
  syscall
after:
  pushfq
  pop rax
  and eax, ~FL_ARITH
  SHOW "user_rflags", eax
  mov ax, cs
  movzx eax, ax
  SHOW "user_cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "user_ss", eax
  SHOW64 "user_rsp", rsp
  mov al, 0
  jmp exit

kentry:
  mov r14, rsp                            ; SYSCALL keeps the user RSP
  mov rsp, lm64_stack0_top
  mov rax, rcx
  mov rbx, after
  sub rax, rbx
  SHOW "rcx-after", eax
  mov eax, r11d
  and eax, ~FL_ARITH
  SHOW "r11", eax
  pushfq
  pop rax
  and eax, ~FL_ARITH
  SHOW "k_rflags", eax
  mov ax, cs
  movzx eax, ax
  SHOW "k_cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "k_ss", eax
  mov rsp, r14
  o64 sysret
