; 16-bit and 32-bit protected-mode code calling each other (SDM Vol. 3A
; §21.1-21.4 "Mixing 16-bit and 32-bit code", §6.12.1, Figure 6-4; Vol. 2A
; "CALL", "INT n", "IRET", Vol. 2B "RET"): the gate size, not the code
; size, sets the interrupt frame: a 32-bit gate into 16-bit code pushes
; EIP, CS, EFLAGS as dwords (O32 IRET returns), a 16-bit gate from 16-bit
; code pushes IP, CS, FLAGS as words, a 32-bit gate from 16-bit code
; pushes dwords; O32 far CALL from 16-bit code to a 32-bit segment pushes
; dwords for a 32-bit RETF; the stack segment's B bit, not the code, picks
; SP or ESP (16-bit code on a B = 1 stack moves ESP, 32-bit code on a
; B = 0 stack moves only SP and keeps ESP[31:16]).
%include "lib.inc"
%include "mode.inc"

%macro GATE 4                           ; vector, offset, selector, type byte
  mov eax, %2
  mov [idt + (%1) * 8], ax
  mov word [idt + (%1) * 8 + 2], %3
  mov byte [idt + (%1) * 8 + 5], %4
  shr eax, 16
  mov [idt + (%1) * 8 + 6], ax
%endmacro

main:
  MODE_GDT
  GATE 0x1f, M16(h16_frame32), 0x18, 0x8e         ; 32-bit gate, 16-bit code
  GATE 0x20, h32, 0x08, 0x8e                      ; 32-bit gate, 32-bit code
  GATE 0x21, M16(h16), 0x18, 0x86                 ; 16-bit gate, 16-bit code
  lidt [idt_ptr]
  mov [saved_esp], esp
  PRINT `pm32: int 0x1f\n`
  int 0x1f
  PRINT `pm32: call 16-bit code\n`
  call 0x18:M16(c16)
  PRINT `pm32 again\n`
  mov ax, 0x48                          ; B = 0 stack, base 0x200000
  mov ss, ax
  mov esp, 0x12340200
  push dword 0xdeadbeef                 ; SP 0200 -> 01FC
  mov ebx, esp
  mov ax, 0x10
  mov ss, ax
  mov esp, [saved_esp]
  SHOW "esp_b0", ebx
  SHOW "lin_2001fc", [0x2001fc]
  mov al, 0
  ret

; 32-bit handler: [esp] EIP, +4 CS, +8 EFLAGS (dwords)
h32:
  push ds
  push eax
  mov ax, 0x10
  mov ds, ax
  PRINT `h32\n`
  mov eax, [esp + 8]
  SHOW "eip", eax
  mov eax, [esp + 12]
  SHOW "cs", eax
  mov eax, [esp + 16]
  and eax, 0x202
  SHOW "eflags", eax
  mov eax, ss
  movzx eax, ax
  SHOW "ss", eax
  pop eax
  pop ds
  iretd

f32:                                    ; far-called from 16-bit code: [esp] EIP, +4 CS
  push ds
  push eax
  mov ax, 0x10
  mov ds, ax
  PRINT `f32\n`
  mov eax, [esp + 8]
  SHOW "ret_eip", eax
  mov eax, [esp + 12]
  SHOW "ret_cs", eax
  pop eax
  pop ds
  retf

bits 16
h16_frame32:                            ; 16-bit code, 32-bit frame on the flat stack
  PRINT16 `h16 (32-bit gate)\n`
  mov eax, [esp]
  SHOW16 "eip", eax
  mov eax, [esp + 4]
  SHOW16 "cs", eax
  o32 iret

h16:                                    ; 16-bit gate: [esp] IP, +2 CS, +4 FLAGS (words)
  PRINT16 `h16 (16-bit gate)\n`
  movzx eax, word [esp]
  SHOW16 "ip", eax
  movzx eax, word [esp + 2]
  SHOW16 "cs", eax
  movzx eax, word [esp + 4]
  and eax, 0x202
  SHOW16 "flags", eax
  iret

c16:                                    ; 16-bit code, flat B = 1 stack
  PRINT16 `c16\n`
  mov ebx, esp
  push ax
  sub ebx, esp
  pop ax
  SHOW16 "push_bytes", ebx
  mov ebx, esp
  int 0x21
  sub ebx, esp
  SHOW16 "after_int21", ebx             ; 0: IRET popped the 6 bytes
  int 0x20
  o32 call dword 0x08:f32
  PRINT16 `c16 after f32\n`
  mov [dword saved_esp16], esp
  mov ax, 0x48
  mov ss, ax
  mov esp, 0xabcd0100
  push ax                               ; B = 0: SP 0100 -> 00FE
  mov ebx, esp
  mov ax, 0x10
  mov ss, ax
  mov esp, [dword saved_esp16]
  SHOW16 "esp_b0", ebx
  o32 retf
bits 32

section .data
align 8
idt_ptr:
  dw 0x22 * 8 - 1
  dd idt
saved_esp: dd 0
saved_esp16: dd 0

section .bss
alignb 8
idt: resq 0x22
