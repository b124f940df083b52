; SYSRET without REX.W returns to compatibility mode at CPL 3 (SDM Vol. 2B
; "SYSRET": CS = STAR[63:48], SS = STAR[63:48] + 8, RIP = ECX, upper half
; of RCX ignored). SYSCALL in compatibility mode is #UD on Intel CPUs (SDM
; Vol. 2B "SYSCALL", Operation: "IF (CS.L != 1) or (IA32_EFER.LMA != 1) or
; (IA32_EFER.SCE != 1) THEN #UD"); the handler returns to compatibility
; mode with IRETQ.
;
; golden: SDM
; QEMU 7.2 TCG follows AMD here (SYSCALL in compatibility mode enters at
; IA32_CSTAR). The golden file is QEMU's output up to the SYSCALL, then the
; #UD line (saved RIP = the SYSCALL) and the compatibility-mode resume.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1
  wrmsr
  mov ecx, 0xc0000081
  xor eax, eax
  mov edx, 0x00180008
  wrmsr
  EXPECT64 ud_resume
  mov ecx, compat
  mov rax, 0xffffffff00000000             ; upper half ignored
  or rcx, rax
  mov r11, 0x3002
  sysret
bits 32
compat:
  mov ax, cs
  movzx eax, ax
  SHOW "compat_cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "compat_ss", eax
  mov ax, LM_DSU                          ; the IRETQ back would null DS (DPL 0)
  mov ds, ax
  mov es, ax
  mov esp, lm64_ustack_top
  syscall
  PRINT `not reached\n`
  mov al, 1
  jmp exit
ud_resume:
  mov ax, cs
  movzx eax, ax
  SHOW "resume_cs", eax
  mov al, 0
  jmp exit
