; 64-bit call gates in IA-32e mode (SDM Vol. 3A §5.8.3.1 "IA-32e Mode Call
; Gates", §5.8.5.1 "Stack Switching in IA-32e Mode"; Vol. 2A "CALL",
; Vol. 2B "RET"): a 16-byte gate with a 64-bit offset; the target must be
; a 64-bit code segment. A call to an inner level loads RSP from the TSS
; (RSP0) and SS with a null selector whose RPL is the new CPL, then pushes
; the old SS, RSP, CS and RIP as 8-byte slots; there is no parameter copy.
; At the same level only CS and RIP are pushed. Works from 64-bit and from
; compatibility mode. RETF with REX.W pops all four back (to CPL 3, or to
; compatibility mode). Checks: upper-half type field not 0, a target that
; is not 64-bit code, and a 16-bit call gate (invalid in IA-32e mode) are
; #GP(selector); gate DPL < CPL #GP(gate); not present #NP(gate).
%include "lib.inc"
%include "lm64.inc"

NGDT equ 0xb0

main:
  LM64_ENTER go
bits 64
go:
  ; a bigger GDT: lm64's entries (the TSS is already loaded) plus gates
  mov esi, lm64_gdt
  mov edi, gdt
  mov ecx, lm64_gdt_end - lm64_gdt
  rep movsb
  lgdt [rel gdt_ptr]
  mov rdi, 0x58
  mov eax, inner64
  mov ebx, LM_CS64
  mov ecx, 0xec
  call set_gate64                       ; 0x58: DPL 3 -> 64-bit DPL 0
  mov rdi, 0x68
  call set_gate64
  mov byte [gdt + 0x68 + 13], 0x0c      ; 0x68: upper-half type 0ch
  mov rdi, 0x78
  mov ebx, LM_CS32
  call set_gate64                       ; 0x78: to 32-bit code
  mov rdi, 0x90
  mov ebx, LM_CS64
  mov ecx, 0x8c
  call set_gate64                       ; 0x90: DPL 0 gate
  mov rdi, 0xa0
  mov ecx, 0x6c
  call set_gate64                       ; 0xa0: not present
  mov dword [gdt + 0x88], inner64       ; 0x88: 16-bit call gate (8 bytes)
  mov word [gdt + 0x88 + 2], LM_CS64
  mov word [gdt + 0x88 + 4], 0xe400
  mov word [gdt + 0x88 + 6], 0
  ; CPL 0, same level
  mov [rel rsp_before], rsp
  lea rax, [rel r0]
  mov [rel ret_expect], rax
  call far dword [rel fp58]
r0:
  TO_USER64 user
user:
  mov ax, LM_DSU
  mov ds, ax
  mov es, ax
  mov [rel rsp_before], rsp
  lea rax, [rel r1]
  mov [rel ret_expect], rax
  call far dword [rel fp5b]
r1:
  PRINT `back at cpl 3\n`
  call show_regs
  EXPECT64 .e1
  PRINT "call 006b (upper type) "
  call far dword [rel fp6b]
.e1:
  EXPECT64 .e2
  PRINT "call 007b (to 32-bit code) "
  call far dword [rel fp7b]
.e2:
  EXPECT64 .e3
  PRINT "call 008b (16-bit gate) "
  call far dword [rel fp8b]
.e3:
  EXPECT64 .e4
  PRINT "call 0093 (gate dpl 0) "
  call far dword [rel fp93]
.e4:
  EXPECT64 .e5
  PRINT "call 00a3 (not present) "
  call far dword [rel fpa3]
.e5:
  jmp far dword [rel fpcompat]
bits 32
compat:
  mov [rsp_before], esp
  mov dword [ret_expect], r2
  mov dword [ret_expect + 4], 0
  call 0x5b:0
r2:
  PRINT `back in compatibility mode\n`
  mov ax, cs
  movzx eax, ax
  SHOW "cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "ss", eax
  mov eax, esp
  sub eax, [rsp_before]
  SHOW "rsp delta", eax
  mov al, 0
  jmp exit
bits 64

show_regs:
  push rax
  mov ax, cs
  movzx eax, ax
  SHOW "cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "ss", eax
  lea rax, [rsp + 16]
  sub rax, [rel rsp_before]
  SHOW "rsp delta", eax
  pop rax
  ret

inner64:                                ; 64-bit code, CPL 0
  mov [rel rsp_in], rsp
  PRINT `in inner64\n`
  mov ax, cs
  movzx eax, ax
  SHOW "  cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "  ss", eax
  mov rbx, [rel rsp_in]
  mov rax, [rbx]
  sub rax, [rel ret_expect]
  SHOW64 "  [0] rip-return", rax
  SHOW64 "  [8] cs", [rbx + 8]
  test byte [rbx + 8], 3
  jz .same
  mov rax, rbx
  lea rcx, [rel lm64_stack0_top]
  sub rax, rcx
  SHOW64 "  rsp-rsp0", rax
  mov rax, [rbx + 16]
  sub rax, [rel rsp_before]
  SHOW64 "  [10] rsp-caller", rax
  SHOW64 "  [18] ss", [rbx + 24]
  o64 retf
.same:
  mov rax, rbx
  sub rax, [rel rsp_before]
  SHOW64 "  rsp-caller", rax
  o64 retf

set_gate64:                             ; RDI = selector, RAX = target, EBX = CS, CL = access
  mov [gdt + rdi], ax
  mov [gdt + rdi + 2], bx
  mov byte [gdt + rdi + 4], 0
  mov [gdt + rdi + 5], cl
  push rax
  shr rax, 16
  mov [gdt + rdi + 6], ax
  shr rax, 16
  mov [gdt + rdi + 8], eax
  mov dword [gdt + rdi + 12], 0
  pop rax
  ret

section .data
align 8
gdt_ptr: dw NGDT - 1
         dd gdt, 0
fp58: dd 0
      dw 0x58
fp5b: dd 0x12345678
      dw 0x5b
fp6b: dd 0
      dw 0x6b
fp7b: dd 0
      dw 0x7b
fp8b: dd 0
      dw 0x8b
fp93: dd 0
      dw 0x93
fpa3: dd 0
      dw 0xa3
fpcompat: dd compat
          dw LM_CS32U

section .bss
alignb 16
gdt: resb NGDT
rsp_before: resq 1
rsp_in: resq 1
ret_expect: resq 1
