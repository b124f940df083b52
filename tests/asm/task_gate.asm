; Task gate in the IDT (SDM Vol. 3A §6.12.2, §7.3): INT n through a task
; gate switches tasks like CALL (link field, NT, busy bits); IRET returns.
; A second INT re-enters the task at the instruction after its IRET.
%include "lib.inc"
%include "idt32.inc"

TSS_A equ 0x28
TSS_B equ 0x30

main:
  call idt32_setup
  mov esi, idt32_gdt
  mov edi, gdt
  mov ecx, 5 * 2
  rep movsd
  mov eax, tss_a
  mov edi, gdt + TSS_A
  call set_tss
  mov eax, tss_b
  mov edi, gdt + TSS_B
  call set_tss
  lgdt [gdt_ptr]
  mov word [idt32_table + 0x1f * 8 + 2], TSS_B
  mov byte [idt32_table + 0x1f * 8 + 5], 0x85   ; task gate
  mov dword [tss_b + 0x20], task_b      ; EIP
  mov dword [tss_b + 0x24], 2           ; EFLAGS
  mov dword [tss_b + 0x38], stack_b_top ; ESP
  mov dword [tss_b + 0x28], 0xb0b0b0b0  ; EAX
  mov dword [tss_b + 0x4c], 0x08        ; CS
  mov dword [tss_b + 0x50], 0x10        ; SS
  mov dword [tss_b + 0x54], 0x10        ; DS
  mov dword [tss_b + 0x48], 0x10        ; ES
  mov ax, TSS_A
  ltr ax
  call show_busy
  mov ebx, 0xaaaa
  int 0x1f
back:
  SHOW "a_ebx", ebx
  str ax
  movzx eax, ax
  SHOW "a_tr", eax
  call show_busy
  mov eax, [tss_b + 0x20]
  sub eax, task_b
  SHOW "b_saved_eip-task_b", eax
  SHOW "b_saved_ebx", [tss_b + 0x34]
  mov eax, [tss_b + 0x24]
  and eax, 0x4000
  SHOW "b_saved_nt", eax
  pushfd
  pop eax
  and eax, 0x4000
  SHOW "a_nt", eax
  int 0x1f
  PRINT `back again\n`
  mov al, 0
  ret

task_b:
  PRINT `in task b\n`
  SHOW "b_eax", eax
  str ax
  movzx eax, ax
  SHOW "b_tr", eax
  pushfd
  pop eax
  and eax, 0x4000
  SHOW "b_nt", eax
  movzx eax, word [tss_b]
  SHOW "b_link", eax
  call show_busy
  mov ebx, 0xbbbb
  iret
  PRINT `task b again\n`
  movzx eax, word [tss_b]
  SHOW "b_link", eax
  iret
  PRINT `not reached\n`

show_busy:
  movzx eax, byte [gdt + TSS_A + 5]
  SHOW "type_a", eax
  movzx eax, byte [gdt + TSS_B + 5]
  SHOW "type_b", eax
  ret

set_tss:                                ; EDI = descriptor, EAX = base
  mov word [edi], 0x67
  mov [edi + 2], ax
  shr eax, 16
  mov [edi + 4], al
  mov byte [edi + 5], 0x89
  mov byte [edi + 6], 0
  mov [edi + 7], ah
  ret

section .bss
alignb 8
gdt: resq 8
alignb 16
tss_a: resb 0x68
tss_b: resb 0x68
stack_b: resb 4096
stack_b_top:

section .rodata
gdt_ptr:
  dw 8 * 8 - 1
  dd gdt
