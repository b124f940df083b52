; SYSENTER/SYSEXIT in 32-bit protected mode (SDM Vol. 2B "SYSENTER",
; "SYSEXIT"): SYSENTER loads CS = IA32_SYSENTER_CS, SS = CS + 8,
; ESP/EIP from IA32_SYSENTER_ESP/EIP and clears IF and VM; SYSEXIT returns
; to CPL 3 with CS = SYSENTER_CS + 16, SS = SYSENTER_CS + 24, EIP = EDX,
; ESP = ECX.
%include "lib.inc"
%include "idt32.inc"

main:
  call idt32_setup
  mov ecx, 0x174
  mov eax, 0x08
  xor edx, edx
  wrmsr
  mov ecx, 0x175
  mov eax, kstack_top
  wrmsr
  mov ecx, 0x176
  mov eax, kentry
  wrmsr
  push dword 0x23
  push dword ustack_top
  push dword 0x3002                       ; IOPL 3
  push dword 0x1b
  push dword user
  iret
user:
  mov ax, 0x23                            ; IRET nulled DS/ES (DPL 0)
  mov ds, ax
  mov es, ax
  mov ecx, 0x1234
  mov edx, 0x5678
  sysenter
uret:
  mov ax, cs
  movzx eax, ax
  SHOW "user_cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "user_ss", eax
  mov eax, esp
  sub eax, ustack_top
  SHOW "user_esp", eax
  SHOW "ecx", ecx
  mov al, 0
  jmp exit

kentry:
  mov eax, esp
  sub eax, kstack_top
  SHOW "k_esp", eax
  mov ax, cs
  movzx eax, ax
  SHOW "k_cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "k_ss", eax
  SHOW "k_ecx", ecx
  SHOW "k_edx", edx
  mov edx, uret
  mov ecx, ustack_top - 16
  sysexit

section .bss
alignb 16
kstack: resb 4096
kstack_top:
ustack: resb 4096
ustack_top:
