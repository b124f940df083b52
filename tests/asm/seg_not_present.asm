; Not-present segments (SDM Vol. 3A §3.4.5 P flag, §6.15 "Interrupt 11"
; and "Interrupt 12"; Vol. 2A "MOV", "POP", "LES", "JMP", "CALL", "LLDT"):
; loading DS/ES/FS/GS with a not-present segment is #NP(selector), SS gets
; #SS(selector), far JMP/CALL to a not-present code segment or call gate
; #NP(selector); type checks come first (#GP for a not-present code
; segment loaded into SS). Error codes carry the TI bit for LDT selectors
; (§6.13). LDT index 0 is an ordinary descriptor (only GDT index 0 is
; null). The processor sets the accessed bit of a loaded descriptor
; (§3.4.5.1). A faulting POP or LES leaves ESP and the register unchanged.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, ldt, 4 * 8 - 1, 0x82, 0         ; LDT
  SETDESC 0x58, 0, 0xfffff, 0x12, 0xc           ; data, not present
  SETDESC 0x60, 0, 0xfffff, 0x1a, 0xc           ; code, not present
  SETDESC 0x68, 0, 0xfffff, 0x12, 0xc           ; stack, not present
  SETDESC 0x70, 0, 0xfffff, 0x1a, 0xc           ; code, not present
  SETGATE 0x78, target, SEG_CS0, 0x0c, 0        ; call gate, not present
  SETDESC 0x80, ldt, 4 * 8 - 1, 0x02, 0         ; LDT, not present
  mov ax, 0x50
  lldt ax
  movzx eax, byte [ldt + 5]
  SHOW "ldt0_access_before", eax
  mov ax, 0x04
  PROBE "load es 0004 (ldt index 0)", mov es, ax
  movzx eax, byte [ldt + 5]
  SHOW "ldt0_access_after", eax
  mov ax, 0x0c
  PROBE "load es 000c", mov es, ax
  mov ax, 0x0f
  PROBE "load fs 000f", mov fs, ax
  mov ax, 0x1c
  PROBE "load ss 001c", mov ss, ax
  PROBE "jmp far 0014", jmp 0x14:target
  mov ax, 0x58
  PROBE "load gs 0058", mov gs, ax
  mov ax, 0x68
  PROBE "load ss 0068", mov ss, ax
  mov ax, 0x70
  PROBE "load ss 0070 (code)", mov ss, ax
  PROBE "load ds 0070 (code)", mov ds, ax
  PROBE "jmp far 0060", jmp 0x60:target
  PROBE "call far 0060", call 0x60:target
  PROBE "call far 0078 (gate)", call 0x78:0
  mov ebx, esp
  push dword 0x58
  PROBE "pop es 0058", pop es
  sub ebx, esp
  SHOW "esp_delta", ebx
  add esp, 4
  mov dword [fptr], 0x1234
  mov word [fptr + 4], 0x0c
  mov ebx, 0x5a5a
  PROBE "les 000c", les ebx, [fptr]
  SHOW "ebx", ebx
  mov ax, 0x80
  PROBE "lldt 0080", lldt ax
  mov ax, 0x58
  PROBE "lldt 0058 (data)", lldt ax
  sldt ax
  movzx eax, ax
  SHOW "ldtr", eax
  mov eax, es
  SHOW "es", eax
  mov al, 0
  ret

target:
  PRINT `target reached\n`
  mov al, 1
  jmp exit

section .data
align 8
ldt:
  dq 0x00cf92000000ffff                 ; 0x04: flat data
  dq 0x00cf12000000ffff                 ; 0x0c: data, not present
  dq 0x00cf1a000000ffff                 ; 0x14: code, not present
  dq 0x00cf12000000ffff                 ; 0x1c: stack, not present
fptr: dd 0, 0
