; The fast-system-call MSRs read back what WRMSR wrote (SDM Vol. 4 Table
; 2-2; Vol. 3A §5.8.7, §5.8.8): IA32_SYSENTER_CS (a 16-bit selector),
; IA32_SYSENTER_ESP and IA32_SYSENTER_EIP (64-bit canonical addresses,
; written from 32-bit code too), IA32_STAR (all 64 bits), IA32_LSTAR and
; IA32_CSTAR (canonical addresses, both halves) and IA32_FMASK (bits 31:0).
; SYSCALL then masks RFLAGS with the IA32_FMASK value that was read back
; and jumps to the IA32_LSTAR value (Vol. 2B "SYSCALL").
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

main:
  ; from 32-bit code: EDX:EAX is the whole value
  mov ecx, 0x175
  mov edx, 0xffff8000
  mov eax, 0x12345678
  wrmsr
  mov ecx, 0x176
  mov edx, 0x00007fff
  mov eax, 0x9abcdef0
  wrmsr
  LM64_ENTER go
bits 64
go:
  MSR_SHOW "sysenter_esp", 0x175
  MSR_SHOW "sysenter_eip", 0x176
  MSR_WR 0x174, 0x0000000000001234
  MSR_SHOW "sysenter_cs", 0x174
  MSR_WR 0x175, 0x00007fffffffeff0
  MSR_SHOW "sysenter_esp", 0x175
  MSR_WR 0x176, 0xffffffff80001000
  MSR_SHOW "sysenter_eip", 0x176
  MSR_WR 0xc0000081, 0x0123456789abcdef
  MSR_SHOW "star", 0xc0000081
  MSR_WR 0xc0000082, 0xffff800000401000
  MSR_SHOW "lstar", 0xc0000082
  MSR_WR 0xc0000083, 0x00007ffffffff000
  MSR_SHOW "cstar", 0xc0000083
  MSR_WR 0xc0000084, 0x00000000fffbffff
  MSR_SHOW "fmask", 0xc0000084
  ; SYSCALL with those values: STAR selects CS 08H / SS 10H
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1                     ; SCE
  wrmsr
  MSR_WR 0xc0000081, 0x0018000800000000
  mov rax, kentry
  mov rdx, rax
  shr rdx, 32
  mov ecx, 0xc0000082
  wrmsr
  MSR_WR 0xc0000084, 0x0000000000000400 ; DF
  std
  syscall
  PRINT `not reached\n`
  mov al, 1
  jmp exit

kentry:
  pushfq
  pop rax
  and eax, 0x400
  SHOW "k_df", eax
  and r11d, 0x400
  SHOW "r11_df", r11d
  mov ax, cs
  movzx eax, ax
  SHOW "k_cs", eax
  mov al, 0
  jmp exit
