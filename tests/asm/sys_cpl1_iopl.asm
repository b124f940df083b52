; CPL 1 in 64-bit mode (SDM Vol. 3A §5.9, Vol. 1 §18.5.1; Vol. 2 under each
; mnemonic): the privileged instructions check CPL = 0, so at CPL 1 MOV CR,
; RDMSR, WRMSR, HLT, CLTS, LMSW, INVLPG and WBINVD are #GP(0), MONITOR is
; #UD, and with CR4.TSD = 1 RDTSC is #GP(0), with CR4.UMIP = 1 SMSW is
; #GP(0) (the rules say CPL > 0, not CPL = 3). The IOPL-sensitive ones
; check CPL <= IOPL: with IOPL = 1, CLI, STI, IN and OUT work at CPL 1
; (the test prints from there); with IOPL = 0 they are #GP(0).
%include "lib.inc"
%include "lm64.inc"

%macro P 1+
  EXPECT64 %%r
  %1
%%r:
%endmacro

CS64_R1 equ 0x58 | 1
DS_R1 equ 0x60 | 1

main:
  mov al, 0xff                  ; PICs masked: STI below lets nothing in
  out 0x21, al
  out 0xa1, al
  LM64_ENTER go
bits 64
go:
  ; 0x58: 64-bit code DPL 1, 0x60: data DPL 1
  mov rax, 0x00afba000000ffff
  mov [lm64_gdt + 0x58], rax
  mov rax, 0x00cfb2000000ffff
  mov [lm64_gdt + 0x60], rax
  SET_GATE64 3, kernel, 0, 0xee
  mov rax, cr4
  or eax, (1 << 2) | (1 << 11)  ; TSD UMIP
  mov cr4, rax
  push qword DS_R1
  push qword lm64_ustack_top
  push qword 0x1002             ; IOPL 1
  push qword CS64_R1
  push qword ring1
  iretq
ring1:
  mov ax, cs
  movzx eax, ax
  SHOW "cs", eax
  P mov rax, cr0
  P mov cr3, rax
  mov ecx, 0x277
  P rdmsr
  P wrmsr
  P hlt
  P clts
  P lmsw ax
  P invlpg [lm64_ustack]
  P wbinvd
  mov rax, lm64_ustack
  xor ecx, ecx
  xor edx, edx
  P monitor
  P rdtsc
  P smsw eax
  cli
  pushfq
  pop rax
  and eax, 0x3200
  SHOW "after_cli", eax
  sti
  pushfq
  pop rax
  and eax, 0x3200
  SHOW "after_sti", eax
  cli
  mov dx, 0x80
  in al, dx
  out dx, al
  PRINT `io ok\n`
  int3                          ; to the kernel, back with IOPL 0
ring1_iopl0:
  P cli
  P sti
  P in al, 0x80
  int3
kernel:
  cmp byte [stage], 0
  jne .done
  mov byte [stage], 1
  mov qword [rsp], ring1_iopl0
  and qword [rsp + 16], ~0x3000 ; IOPL 0
  iretq
.done:
  add rsp, 40
  mov al, 0
  jmp exit

section .data
stage: db 0
