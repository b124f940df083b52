; A task switch with paging (SDM Vol. 3A §7.3 step 8, §4.4.1, §4.10.4.1):
; the new task's CR3 (TSS offset 1CH) is loaded, under PAE paging with its
; four PDPTEs, and the switch invalidates the old non-global translations,
; so the same linear address now maps through the new task's PDPT. Both
; tasks share the PDPTE for the low 1 GiB (code, stacks, GDT). CR3 is a
; static TSS field (§7.2.1): the switch does not store it in the old TSS.
%include "lib.inc"
%include "pg.inc"

TSS_B equ 0x30

main:
  call pg32_setup
  mov esi, pg32_gdt
  mov edi, gdt
  mov ecx, 6 * 2
  rep movsd
  mov eax, tss_b
  mov [gdt + TSS_B + 2], ax
  shr eax, 16
  mov [gdt + TSS_B + 4], al
  mov [gdt + TSS_B + 7], ah
  mov word [gdt + TSS_B], 0x67
  mov byte [gdt + TSS_B + 5], 0x89
  lgdt [gdt_ptr]
  mov eax, pd0
  or eax, 1
  mov [pdpt_a], eax
  mov [pdpt_b], eax
  mov eax, pd_x
  or eax, 1
  mov [pdpt_a + 8], eax
  mov eax, pd_y
  or eax, 1
  mov [pdpt_b + 8], eax
  mov dword [pd0], 0x83
  mov dword [pd0 + 8], 0x200083
  mov dword [pd_x], 0x1000083
  mov dword [pd_y], 0x1200083
  mov dword [0x1000000], 0xaaaa
  mov dword [0x1200000], 0xbbbb
  mov dword [tss_b + 0x1c], pdpt_b      ; CR3
  mov dword [tss_b + 0x20], task_b      ; EIP
  mov dword [tss_b + 0x24], 2           ; EFLAGS
  mov dword [tss_b + 0x38], stack_b_top ; ESP
  mov dword [tss_b + 0x4c], PG_CS
  mov dword [tss_b + 0x50], PG_DS
  mov dword [tss_b + 0x54], PG_DS
  mov dword [tss_b + 0x48], PG_DS
  mov word [tss_b + 0x66], 0x68
  mov eax, cr4
  or eax, 1 << 5
  mov cr4, eax
  mov eax, pdpt_a
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  SHOW "task_a", [0x40000000]
  jmp TSS_B:0

task_b:
  mov eax, cr3
  sub eax, pdpt_b
  SHOW "cr3-pdpt_b", eax
  SHOW "task_b", [0x40000000]
  SHOW "old_tss_cr3", [pg32_tss + 0x1c]    ; a static field: not saved
  mov al, 0
  jmp exit

section .data
align 8
gdt: times 7 dq 0
gdt_ptr:
  dw 7 * 8 - 1
  dd gdt

section .bss
alignb 4096
pd0: resb 4096
pd_x: resb 4096
pd_y: resb 4096
pdpt_a: resb 32
pdpt_b: resb 32
alignb 16
tss_b: resb 0x68
alignb 16
stack_b: resb 4096
stack_b_top:
