; Call-gate parameter copy and 16-bit call gates (SDM Vol. 3A §5.8.5
; "Stack Switching", Figure 5-13; §5.8.3 Figure 5-8 "Call-Gate Descriptor";
; Vol. 2A "CALL" MORE-PRIVILEGE, Vol. 2B "RET"). With a stack switch the
; gate's parameter count (5 bits) says how many dwords (32-bit gate) or
; words (16-bit gate) are copied from the caller's stack to the new one,
; between the old SS:ESP and the return CS:EIP, in the same order. A 16-bit
; gate pushes 16-bit slots (SP, not ESP) and its 16-bit offset is used. A
; far RET imm16 to the outer level releases imm16 bytes on both stacks.
; The 16-bit gate is called from code below 64 KiB so the 16-bit return IP
; is the real one.
%include "lib.inc"
%include "seg.inc"

STUB equ 0x8000                          ; ring-3 caller copy, and its stack below
STUB_STACK equ 0x7ff0
%define S(x) (STUB + (x) - stub)

main:
  call seg_setup
  SETGATE 0x50, inner32, SEG_CS0, 0xec, 3       ; 32-bit gate, 3 dwords
  SETDESC 0x58, code16, 0xffff, 0x9a, 0x0       ; 16-bit code, DPL 0
  SETGATE 0x60, code16_entry - code16, 0x58, 0xe4, 2 ; 16-bit gate, 2 words
  mov esi, stub
  mov edi, STUB
  mov ecx, stub_end - stub
  rep movsb
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  mov [esp3], esp
  push dword 0x11111111
  push dword 0x22222222
  push dword 0x33333333
  call 0x53:0
ret32:
  mov ebx, esp
  sub ebx, [esp3]
  SHOW "esp after retf 12 - before pushes", ebx
  mov eax, S(stub)
  jmp eax                               ; to the copy below 64 KiB
back16:
  mov esp, [esp3]
  SHOW "16-bit gate: ip", [v16 + 0]
  SHOW "  cs", [v16 + 4]
  SHOW "  param 2 (last pushed)", [v16 + 8]
  SHOW "  param 1", [v16 + 12]
  SHOW "  sp", [v16 + 16]
  SHOW "  ss", [v16 + 20]
  SHOW "  esp-esp0", [v16 + 24]
  SHOW "  cs in gate", [v16 + 28]
  SHOW "  esp after retf 4", [v16 + 32]
  mov al, 0
  jmp exit

stub:                                   ; runs at STUB, CPL 3
  mov esp, STUB_STACK
  push word 0xaaaa
  push word 0xbbbb
  call 0x63:0
stub_ret:
  mov [v16 + 32], esp
  mov eax, back16
  jmp eax
stub_end:

inner32:
  mov [v32 + 0], esp
  push ds
  mov ax, SEG_DS0
  mov ds, ax
  PRINT `in inner32\n`
  mov ebx, [v32 + 0]
  sub ebx, seg_stack0_top
  SHOW "  esp-esp0", ebx
  mov ebx, [v32 + 0]
  mov eax, [ebx]
  sub eax, ret32
  SHOW "  [0] eip-ret32", eax
  SHOW "  [4] cs", [ebx + 4]
  SHOW "  [8]", [ebx + 8]
  SHOW "  [c]", [ebx + 12]
  SHOW "  [10]", [ebx + 16]
  mov eax, [ebx + 20]
  sub eax, [esp3]
  SHOW "  [14] esp-esp3", eax
  SHOW "  [18] ss", [ebx + 24]
  pop ds
  retf 12

bits 16
code16:
  times 16 db 0x90
code16_entry:                           ; 16-bit code, CPL 0, CS base code16
  a32 mov [dword v16 + 24], esp
  mov eax, [esp + 0]
  movzx ebx, ax
  a32 mov [dword v16 + 0], ebx
  shr eax, 16
  a32 mov [dword v16 + 4], eax
  mov eax, [esp + 4]
  movzx ebx, ax
  a32 mov [dword v16 + 8], ebx
  shr eax, 16
  a32 mov [dword v16 + 12], eax
  mov eax, [esp + 8]
  movzx ebx, ax
  a32 mov [dword v16 + 16], ebx
  shr eax, 16
  a32 mov [dword v16 + 20], eax
  a32 sub dword [dword v16 + 24], seg_stack0_top
  mov ax, cs
  movzx eax, ax
  a32 mov [dword v16 + 28], eax
  retf 4
bits 32

section .bss
esp3: resd 1
v32: resd 8
v16: resd 12
