; 16-bit protected mode (SDM Vol. 3A §3.4.5, §21.1): a far CALL from 32-bit
; code to a 16-bit code segment (D = 0) with a 16-bit stack segment (B = 0):
; default 16-bit operands and addresses, 66h/67h overrides, SP wrapping
; within 64 KiB, then an O32 RETF back to the 32-bit caller.
%include "lib.inc"

main:
  mov eax, pm16_start                   ; code descriptor base = pm16_start
  mov [gdt + 0x18 + 2], ax
  shr eax, 16
  mov [gdt + 0x18 + 4], al
  mov [gdt + 0x18 + 7], ah
  mov eax, stack16                      ; stack descriptor base = stack16
  mov [gdt + 0x20 + 2], ax
  shr eax, 16
  mov [gdt + 0x20 + 4], al
  mov [gdt + 0x20 + 7], ah
  lgdt [gdt_ptr]
  jmp 0x08:.reload
.reload:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov [saved_esp], esp
  mov ax, 0x20
  mov ss, ax
  mov esp, 0xffff0008                   ; B = 0: only SP (= 8) is used
  call 0x18:0
  mov ax, 0x10
  mov ss, ax
  mov esp, [saved_esp]
  SHOW "res_add", [res_add]
  SHOW "res_push", [res_push]
  SHOW "res_sp", [res_sp]
  SHOW "res_o32", [res_o32]
  SHOW "res_a32", [res_a32]
  SHOW "res_cs", [res_cs]
  mov al, 0
  ret

bits 16
pm16_start:
  mov ax, 0xfff0
  add ax, 0x20                          ; 16-bit default operand size
  movzx eax, ax
  mov [dword res_add], eax              ; 67h: 32-bit address in a 16-bit segment
  push word 0x1234                      ; SP: 8 - 8 (far return) - 2 wraps to 0xfffe
  mov ax, sp
  mov [dword res_sp], ax
  pop ax
  mov [dword res_push], ax
  mov eax, 0x7fffffff
  add eax, 1                            ; 66h: 32-bit operand
  mov [dword res_o32], eax
  mov esi, res_a32
  mov dword [esi], 0xa32a32             ; 67h addressing via ESI
  mov ax, cs
  mov [dword res_cs], ax
  o32 retf
bits 32

section .data
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff                 ; 0x08: 32-bit code
  dq 0x00cf92000000ffff                 ; 0x10: data
  dq 0x00009a000000ffff                 ; 0x18: 16-bit code (base set above)
  dq 0x000092000000ffff                 ; 0x20: 16-bit stack (base set above)
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
saved_esp: dd 0
res_add: dd 0
res_push: dd 0
res_sp: dd 0
res_o32: dd 0
res_a32: dd 0
res_cs: dd 0

section .bss
alignb 16
stack16: resb 65536
