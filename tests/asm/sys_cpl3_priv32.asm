; Privileged and IOPL-sensitive instructions at CPL 3 in 32-bit protected
; mode (SDM Vol. 3A §5.9, §6.12.1; Vol. 1 §18.5.1; Vol. 2 under each
; mnemonic): MOV to/from CR0/CR4, MOV DR7, LGDT, LIDT, LLDT, LTR, LMSW,
; CLTS, HLT, INVD, WBINVD, INVLPG, RDMSR and WRMSR are #GP(0); with IOPL 0
; so are CLI, STI, IN and OUT (no I/O bitmap in the TSS); MONITOR is #UD.
; Each fault goes through the 32-bit TSS to the CPL 0 handler, which finds
; CS = 1BH and SS = 23H of the user code in its frame, and DS = 23H still
; loaded (it loads its own DS: the IRET to CPL 3 nulled the DPL 0 one,
; §6.12.1 / Vol. 2A "IRET"). The user code ends with INT 1EH through a DPL 3
; gate.
%include "lib.inc"
%include "idt32.inc"

TSS_SEL equ 0x28

%macro P 1+
  EXPECT %%r
  %1
%%r:
%endmacro

main:
  call idt32_setup
  ; copy the GDT and add a 32-bit TSS at 28H
  mov esi, idt32_gdt
  mov edi, gdt
  mov ecx, 5 * 2
  rep movsd
  mov eax, tss
  mov word [gdt + TSS_SEL], 0x67
  mov [gdt + TSS_SEL + 2], ax
  shr eax, 16
  mov [gdt + TSS_SEL + 4], al
  mov byte [gdt + TSS_SEL + 5], 0x89
  mov byte [gdt + TSS_SEL + 6], 0
  mov [gdt + TSS_SEL + 7], ah
  lgdt [gdt_ptr]
  mov dword [tss + 4], kstack_top        ; ESP0
  mov dword [tss + 8], 0x10              ; SS0
  mov word [tss + 0x66], 0x68            ; I/O bitmap beyond the limit
  mov ax, TSS_SEL
  ltr ax
  ; vector 1EH: DPL 3 gate to `done`; the #GP handler also prints CS/SS
  mov eax, done
  mov [idt32_table + 0x1e * 8], ax
  shr eax, 16
  mov [idt32_table + 0x1e * 8 + 6], ax
  mov byte [idt32_table + 0x1e * 8 + 5], 0xee
  mov eax, gp_handler
  mov [idt32_table + 13 * 8], ax
  shr eax, 16
  mov [idt32_table + 13 * 8 + 6], ax
  push dword 0x23                        ; SS
  push dword ustack_top                  ; ESP
  push dword 0x0002                      ; EFLAGS: IOPL 0, IF 0
  push dword 0x1b                        ; CS
  push dword user
  iret

user:
  mov ax, 0x23                  ; IRET to CPL 3 nulled DS and ES (DPL 0)
  mov ds, ax
  mov es, ax
  P mov eax, cr0
  P mov cr0, eax
  P mov eax, cr4
  P mov cr4, eax
  P mov eax, dr7
  P lgdt [gdt_ptr]
  P lidt [idt32_ptr]
  xor eax, eax
  P lldt ax
  mov ax, TSS_SEL
  P ltr ax
  P lmsw ax
  P clts
  P hlt
  P invd
  P wbinvd
  P invlpg [ustack]
  mov ecx, 0x1b
  P rdmsr
  P wrmsr
  P cli
  P sti
  P in al, 0x80
  P out 0x80, al
  mov dx, 0x3f8
  P out dx, al
  mov eax, ustack
  xor ecx, ecx
  xor edx, edx
  P monitor
  int 0x1e

gp_handler:                             ; [esp] err, +4 EIP, +8 CS, +16 ESP, +20 SS
  push ds
  push eax
  mov ax, 0x10                  ; the user's DS is DPL 3: use the kernel's
  mov ds, ax
  PRINT "gp err="
  mov eax, [esp + 8]
  call put_hex32
  PRINT " eip="
  mov eax, [esp + 12]
  call put_hex32
  PRINT " cs="
  mov eax, [esp + 16]
  call put_hex8
  PRINT " ss="
  mov eax, [esp + 28]
  call put_hex8
  PRINT " ds="
  mov eax, [esp + 4]
  call put_hex8
  call newline
  mov eax, [idt32_resume]
  mov [esp + 12], eax
  pop eax
  pop ds
  add esp, 4
  iret

done:
  mov ax, 0x10
  mov ds, ax
  PRINT `done\n`
  mov al, 0
  jmp exit

section .data
align 8
gdt: times 7 dq 0
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt

section .bss
alignb 16
tss: resb 0x68
alignb 16
kstack: resb 4096
kstack_top:
ustack: resb 4096
ustack_top:
