; Debug registers and task switches (SDM Vol. 3A §17.2.4, §17.3.1.5): a
; task switch clears the local enables L0-L3 of DR7 and keeps G0-G3; with
; the T flag (byte 0x64, bit 0) of the new 32-bit TSS set, a #DB trap is
; raised after the switch, before the new task's first instruction (saved
; EIP = its entry point), with DR6.BT set. Without T (the switch back), no
; #DB.
; golden: SDM. QEMU 7.2 TCG clears L0-L3 but ignores the TSS T flag (no
; #DB). SDM Vol. 3A §17.3.1.5: "The processor generates a debug exception
; after a task switch if the T flag of the new task's TSS is set ... prior
; to the execution of the first instruction of that task", with DR6.BT.
; The golden file adds that #DB line (EIP = task_b, DR6 = BT) and count=1.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

TSS_A equ 0x28
TSS_B equ 0x30

main:
  DBG32_SETUP
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
  mov byte [tss_b + 0x64], 1            ; T
  xor eax, eax
  mov dr6, eax
  mov eax, never1
  mov dr0, eax
  mov dr1, eax
  mov eax, 0x0000000d                   ; L0, L1, G1 (execute, never reached)
  mov dr7, eax
  jmp TSS_B:0
back:
  mov eax, dr7
  and eax, 0xff
  SHOW "a_dr7", eax
  SHOW "count", [db_count]
  xor eax, eax
  mov dr7, eax
  mov al, 0
  ret
never1:
  hlt

task_b:
  PRINT `in task b\n`
  mov eax, task_b
  sub eax, main
  SHOW "task_b", eax
  mov eax, dr7
  and eax, 0xff
  SHOW "b_dr7", eax
  mov eax, 0x0000004c                   ; L1, G1, L3 again
  mov dr7, eax
  jmp TSS_A:0
  PRINT `not reached\n`

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
