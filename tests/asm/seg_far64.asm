; Direct far transfers in IA-32e mode (SDM Vol. 2A "CALL", "JMP", Vol. 2B
; "RET" 64-bit mode paths; Vol. 3A §5.8.2): far JMP/CALL through m16:32
; and m16:64 (REX.W) pointers to 64-bit and compatibility-mode code, far
; CALL pushing CS:RIP in operand-size slots (4 or 8 bytes), RETF of the
; matching size, a 64-bit RETF to CPL 3 (pops SS:RSP too), a non-canonical
; target offset (#GP(0)), and a code segment with L = 1 and D = 1
; (#GP(selector)). Compatibility mode uses ptr16:32 directly.
;
; golden: SDM. QEMU 7.2 TCG takes both faulting JMPs: with the
; non-canonical offset it faults later, on the fetch (RIP = 0 reported),
; where the SDM has "#GP(0) If the target offset is non-canonical" on the
; JMP; and it runs code from the L = 1, D = 1 segment, which Vol. 2A
; "JMP" rejects ("IF L-bit = 1 and D-bit = 1 and IA32_EFER.LMA = 1 THEN
; #GP(new code segment selector)"). The golden file is QEMU's output with
; those two lines corrected (and the rest of the run, which QEMU ends at
; the bad target).
%include "lib.inc"
%include "lm64.inc"

NGDT equ 0x80

%macro PROBE64 2+
  PRINT %1
  PRINT " "
  EXPECT64 %%done
  %2
  PRINT `ok\n`
%%done:
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  mov esi, lm64_gdt
  mov edi, gdt
  mov ecx, lm64_gdt_end - lm64_gdt
  rep movsb
  mov rax, 0x00ef9a000000ffff           ; 0x68: L = 1 and D = 1
  mov [gdt + 0x68], rax
  lgdt [rel gdt_ptr]
  ; m16:64 call to 64-bit code (16-byte frame)
  mov [rel rsp_before], rsp
  mov qword [rel fp64], far64
  mov word [rel fp64 + 8], LM_CS64
  o64 call far [rel fp64]
  PRINT `back from 64-bit retfq\n`
  ; m16:32 call to 64-bit code (8-byte frame), 32-bit RETF
  mov [rel rsp_before], rsp
  mov dword [rel fp32], far32
  mov word [rel fp32 + 4], LM_CS64
  call far dword [rel fp32]
  PRINT `back from 32-bit retf\n`
  ; m16:32 call to compatibility-mode code
  mov [rel rsp_before], rsp
  mov dword [rel fp32], compat
  mov word [rel fp32 + 4], LM_CS32
  call far dword [rel fp32]
  mov ax, cs
  movzx eax, ax
  SHOW "back from compat: cs", eax
  ; far jmp m16:64 with a non-canonical offset
  mov rax, 0x0000800000000000
  mov [rel fp64], rax
  mov word [rel fp64 + 8], LM_CS64
  PROBE64 "jmp m16:64 non-canonical", jmp far [rel fp64]
  mov qword [rel fp64], bad
  mov word [rel fp64 + 8], 0x68
  PROBE64 "jmp to L=1 D=1 code", jmp far [rel fp64]
  ; 64-bit RETF to CPL 3 (IOPL 3 first, so the user code can print)
  push qword 0x3002
  popfq
  push qword LM_DSU
  push qword lm64_ustack_top
  push qword LM_CS64U
  push qword user
  o64 retf
user:
  mov ax, cs
  movzx eax, ax
  SHOW "user: cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "user: ss", eax
  mov rax, rsp
  lea rcx, [rel lm64_ustack_top]
  sub rax, rcx
  SHOW "user: rsp-top", eax
  mov al, 0
  jmp exit

far64:
  mov rbx, rsp
  PRINT `in far64\n`
  mov rax, [rel rsp_before]
  sub rax, rbx
  SHOW "  frame size", eax
  SHOW "  pushed cs", [rbx + 8]
  o64 retf
far32:
  mov rbx, rsp
  PRINT `in far32\n`
  mov rax, [rel rsp_before]
  sub rax, rbx
  SHOW "  frame size", eax
  SHOW "  pushed cs", [rbx + 4]
  retf
bits 32
compat:
  mov ebx, esp
  PRINT `in compat\n`
  mov ax, cs
  movzx eax, ax
  SHOW "  cs", eax
  mov eax, [rsp_before]
  sub eax, ebx
  SHOW "  frame size", eax
  SHOW "  pushed cs", [ebx + 4]
  retf
bits 64

bad:
  PRINT `bad target\n`
  mov al, 1
  jmp exit

section .data
align 8
gdt_ptr: dw NGDT - 1
         dd gdt, 0
fp64: dq 0
      dw 0
fp32: dd 0
      dw 0

section .bss
alignb 16
gdt: resb NGDT
rsp_before: resq 1
