; I/O protection at CPL 3 (SDM Vol. 1 §19.5): with IOPL 0, IN/OUT consult
; the TSS I/O permission bitmap; a set bit, or a bitmap byte beyond the TSS
; limit, is #GP(0). With IOPL 3 every port is allowed. The TSS also gives
; the CPL 0 stack for the #GP handler (SDM Vol. 3A §7.2.1).
%include "lib.inc"
%include "idt32.inc"

TSS_SEL equ 0x28

main:
  call idt32_setup
  ; append a TSS descriptor (type 9, limit covering ports 0-0x3ff) to the GDT copy
  mov esi, idt32_gdt
  mov edi, gdt
  mov ecx, 5 * 2
  rep movsd
  mov eax, tss
  mov word [gdt + TSS_SEL], tss_end - tss - 1
  mov [gdt + TSS_SEL + 2], ax
  shr eax, 16
  mov [gdt + TSS_SEL + 4], al
  mov byte [gdt + TSS_SEL + 5], 0x89
  mov byte [gdt + TSS_SEL + 6], 0
  mov [gdt + TSS_SEL + 7], ah
  lgdt [gdt_ptr]
  mov dword [tss + 4], stack_top        ; ESP0
  mov dword [tss + 8], 0x10             ; SS0
  mov word [tss + 0x66], iomap - tss    ; I/O map base
  ; deny everything, then allow COM1 (0x3f8-0x3ff) and isa-debug-exit (0xf4)
  mov edi, iomap
  mov ecx, 0x400 / 8 + 1
  mov al, 0xff
  rep stosb
  mov byte [iomap + 0x3f8 / 8], 0
  and byte [iomap + 0xf4 / 8], ~(1 << (0xf4 & 7))
  mov ax, TSS_SEL
  ltr ax
  PRINT `to ring 3\n`
  ; IRET to CPL 3 with IOPL 0
  push dword 0x23                       ; SS
  push dword user_stack_top             ; ESP
  push dword 0x002                      ; EFLAGS: IOPL 0, IF 0
  push dword 0x1b                       ; CS
  push dword user
  iret

user:
  mov ax, 0x23
  mov ds, ax
  mov es, ax
  mov dx, COM1 + 7
  mov al, 0x99
  out dx, al                            ; allowed by the bitmap
  in al, dx
  movzx eax, al
  SHOW "user_scratch", eax
  EXPECT .r1
  in al, 0x21                           ; denied: #GP(0)
.r1:
  EXPECT .r2
  mov dx, 0x3f7
  in ax, dx                             ; 0x3f7 denied, 0x3f8 allowed: #GP(0)
.r2:
  EXPECT .r3
  mov dx, 0x3ff
  in ax, dx                             ; 0x400's bit is in the final 0xff byte: #GP(0)
.r3:
  mov dx, 0x3fe
  in ax, dx                             ; 0x3fe and 0x3ff both allowed
  EXPECT .r4
  cli                                   ; CPL > IOPL: #GP(0)
.r4:
  PRINT `user done\n`
  mov al, 0
  out 0xf4, al
  jmp $

section .bss
alignb 8
gdt: resq 6
alignb 16
tss: resb 0x68
iomap: resb 0x400 / 8 + 1         ; the bitmap is read two bytes at a time:
tss_end:                               ; a final 0xff byte keeps port 0x3ff usable
alignb 16
user_stack: resb 4096
user_stack_top:

section .rodata
gdt_ptr:
  dw 6 * 8 - 1
  dd gdt
