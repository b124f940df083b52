; Protected mode -> real mode -> protected mode (SDM Vol. 3A §9.9.2
; "Switching Back to Real-Address Mode", §9.9.1): a far JMP to a 16-bit
; code segment, segment registers loaded with 64 KiB data segments, CR0.PE
; cleared, a far JMP to a real-mode CS; real-mode arithmetic (16- and
; 32-bit operand sizes), segment arithmetic (base = selector * 16) and
; INT n through a real-mode IVT (LIDT base 0), IRET; then CR0.PE set again
; and a far JMP to a 32-bit code segment. The real-mode code runs from a
; copy at 0x20000; its results are printed in protected mode.
%include "lib.inc"

RM_BASE equ 0x20000
RM_SEG equ RM_BASE >> 4
%define RM(x) (RM_BASE + (x) - rm_start)

main:
  mov esi, rm_start
  mov edi, RM_BASE
  mov ecx, rm_end - rm_start
  rep movsb
  mov word [0x81 * 4], rm_int81 - rm_start
  mov word [0x81 * 4 + 2], RM_SEG
  lgdt [gdt_ptr]
  mov [saved_esp], esp
  jmp 0x18:(rm_pm16 - rm_start)

pm_back:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, [saved_esp]
  mov eax, cr0
  and eax, 1
  SHOW "cr0_pe", eax
  movzx eax, word [RM(r_cr0)]
  and eax, 1
  SHOW "rm_cr0_pe", eax
  movzx eax, word [RM(r_add)]
  SHOW "add16", eax
  movzx eax, word [RM(r_addf)]
  and eax, FL_ARITH
  SHOW "add16_f", eax
  SHOW "imul32", [RM(r_imul)]
  movzx eax, word [RM(r_seg)]
  SHOW "seg_alias", eax
  SHOW "lin_0x21230", [0x21230]
  movzx eax, word [RM(r_int)]
  SHOW "int81_ax", eax
  movzx eax, word [RM(r_intcs)]
  SHOW "int81_cs", eax
  movzx eax, word [RM(r_intfl)]
  and eax, 0x200
  SHOW "int81_if", eax
  movzx eax, word [RM(r_sp)]
  SHOW "sp_after", eax
  movzx eax, word [RM(r_div)]
  SHOW "div16", eax
  mov al, 0
  ret

bits 16
rm_start:
rm_pm16:                                ; 16-bit protected mode, CS base RM_BASE
  mov ax, 0x20
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov eax, cr0
  and eax, ~1
  mov cr0, eax
  jmp RM_SEG:(rm_real - rm_start)
rm_real:
  mov ax, RM_SEG
  mov ds, ax
  mov ss, ax
  mov sp, rm_stack_top - rm_start
  lidt [rm_idt - rm_start]
  mov eax, cr0
  mov [r_cr0 - rm_start], ax
  mov ax, 0x1234
  add ax, 0xf00f
  pushf
  pop word [r_addf - rm_start]
  mov [r_add - rm_start], ax
  mov eax, 0x12345678
  imul eax, eax, 3
  mov [r_imul - rm_start], eax
  mov ax, RM_SEG + 0x123                ; ES:0 = RM_BASE + 0x1230
  mov es, ax
  mov word [es:0], 0xbeef
  mov ax, [0x1230]                      ; the same byte through DS
  mov [r_seg - rm_start], ax
  mov ax, 0x41
  sti
  int 0x81
  cli
  mov [r_int - rm_start], ax
  mov [r_sp - rm_start], sp
  mov dx, 0
  mov ax, 1000
  mov cx, 7
  div cx
  mov [r_div - rm_start], dx
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp dword 0x08:pm_back

rm_int81:
  add ax, 0x100
  push bp
  mov bp, sp
  mov bx, [bp + 4]                      ; CS pushed by INT
  mov [r_intcs - rm_start], bx
  pushf
  pop word [r_intfl - rm_start]         ; INT clears IF
  pop bp
  iret

align 4
rm_idt: dw 0x3ff
        dd 0
r_cr0: dw 0
r_add: dw 0
r_addf: dw 0
r_imul: dd 0
r_seg: dw 0
r_int: dw 0
r_intcs: dw 0
r_intfl: dw 0
r_sp: dw 0
r_div: dw 0
align 16
rm_stack: times 256 db 0
rm_stack_top:
rm_end:
bits 32

section .data
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff                 ; 0x08: 32-bit code
  dq 0x00cf92000000ffff                 ; 0x10: data
  dq 0x00009a020000ffff                 ; 0x18: 16-bit code, base RM_BASE
  dq 0x000092000000ffff                 ; 0x20: 16-bit data, limit 64 KiB
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
saved_esp: dd 0
