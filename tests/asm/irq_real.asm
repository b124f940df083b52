; External interrupts in real-address mode (SDM Vol. 3A §20.1.4, §6.8.1):
; the PICs programmed BIOS-style (master vectors 0x08-0x0f, slave
; 0x70-0x77), PIT IRQ0 delivered through the real-mode IVT (vector 8 ->
; RM_SEG:rm_irq0) while spinning with IF = 1, and ending STI; HLT with the
; saved CS:IP pointing after the HLT; the handler runs with IF = 0. The
; mode switch is the one of mode_real.asm (SDM Vol. 3A §9.9.2, §9.9.1).
%include "lib.inc"

RM_BASE equ 0x20000
RM_SEG equ RM_BASE >> 4
%define RM(x) (RM_BASE + (x) - rm_start)

main:
  mov esi, rm_start
  mov edi, RM_BASE
  mov ecx, rm_end - rm_start
  rep movsb
  mov word [8 * 4], rm_irq0 - rm_start
  mov word [8 * 4 + 2], RM_SEG
  mov al, 0x11
  out 0x20, al
  out 0xa0, al
  mov al, 0x08
  out 0x21, al
  mov al, 0x70
  out 0xa1, al
  mov al, 4
  out 0x21, al
  mov al, 2
  out 0xa1, al
  mov al, 1
  out 0x21, al
  out 0xa1, al
  mov al, 0xfe
  out 0x21, al
  mov al, 0xff
  out 0xa1, al
  mov al, 0x34                          ; counter 0, LSB/MSB, mode 2
  out 0x43, al
  mov al, 0
  out 0x40, al
  mov al, 0x10
  out 0x40, al
  lgdt [gdt_ptr]
  mov [saved_esp], esp
  jmp 0x18:(rm_pm16 - rm_start)

pm_back:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, [saved_esp]
  movzx eax, word [RM(r_spin)]
  cmp eax, 3
  setae al
  movzx eax, al
  SHOW "spin_ticks>=3", eax
  movzx eax, word [RM(r_woken)]
  SHOW "woken", eax
  movzx eax, word [RM(r_cs)]
  SHOW "irq_cs", eax
  movzx eax, word [RM(r_ip)]
  SHOW "irq_ip", eax
  SHOW "hlt_next_ip", rm_after_hlt - rm_start
  movzx eax, word [RM(r_fl)]
  and eax, 0x200
  SHOW "handler_if", eax
  mov al, 0xff
  out 0x21, al
  mov al, 0
  ret

bits 16
rm_start:
rm_pm16:
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
  sti
.spin:
  cmp word [r_count - rm_start], 3
  jb .spin
  cli
  mov ax, [r_count - rm_start]
  mov [r_spin - rm_start], ax
  sti
  hlt
rm_after_hlt:
  cli
  mov ax, [r_count - rm_start]
  sub ax, [r_spin - rm_start]
  setnz al
  movzx ax, al
  mov [r_woken - rm_start], ax
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp dword 0x08:pm_back

rm_irq0:
  push ax
  push bp
  mov bp, sp
  mov ax, [bp + 4]                      ; IP
  mov [cs:r_ip - rm_start], ax
  mov ax, [bp + 6]                      ; CS
  mov [cs:r_cs - rm_start], ax
  pushf
  pop ax
  mov [cs:r_fl - rm_start], ax
  add word [cs:r_count - rm_start], 1
  mov al, 0x20
  out 0x20, al
  pop bp
  pop ax
  iret

align 4
rm_idt: dw 0x3ff
        dd 0
r_count: dw 0
r_spin: dw 0
r_woken: dw 0
r_ip: dw 0
r_cs: dw 0
r_fl: dw 0
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
