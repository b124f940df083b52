; Every mode in one trip, each printing from its own code (SDM Vol. 3A
; §9.9, §9.8.5, §5.8.3; Vol. 2A "CALL", "IRET", Vol. 2B "RET"): real ->
; 32-bit PM -> (EFER.LME, CR4.PAE, CR0.PG) compatibility mode in the old
; 32-bit CS with EFER.LMA = 1 -> far JMP to 64-bit code -> far CALL (m16:32)
; to a 32-bit (L = 0, D = 1) and to a 16-bit (L = 0, D = 0) code segment,
; each back by RETF -> IRETQ to 32-bit compatibility code, back by IRETD ->
; compatibility mode -> CR0.PG := 0 (LMA := 0), EFER.LME := 0, 32-bit PM ->
; 16-bit PM -> real mode, which ends the test.
%include "lib.inc"
%include "mode.inc"

main:
  MODE_GDT
  MODE_PAGING                           ; CR3, CR4.PAE (paging still off)
  mov [saved_esp], esp
  jmp 0x18:M16(pm16_0)
bits 16
pm16_0:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  mov eax, cr0
  and al, ~1
  mov cr0, eax
  jmp 0xffff:M16(real_0)
real_0:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  lidt [M16(m16_rm_idt)]
  PRINT16 `real\n`
  mov eax, cr0
  and eax, 0x80000001
  SHOW16 "cr0", eax
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp dword 0x08:pm32_1
bits 32
pm32_1:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, [saved_esp]
  PRINT `pm32\n`
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8                        ; LME
  wrmsr
  rdmsr
  and eax, 0x500
  SHOW "efer_lme", eax
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax                          ; IA-32e mode, still in CS 0x08
  PRINT `compat32 (paging on)\n`
  rdmsr
  and eax, 0x500
  SHOW "efer_lma", eax
  mov eax, 0x10
  db 0x48                               ; DEC EAX: no REX outside 64-bit mode
  SHOW "dec_eax", eax
  jmp 0x28:long64
bits 64
long64:
  PRINT `long64\n`
  mov rax, 0x100000000
  db 0x48, 0xff, 0xc8                   ; REX.W DEC RAX
  SHOW64 "dec_rax", rax
  call far dword [rel fp_c32]                 ; m16:32: 32-bit compatibility code
  PRINT `long64 after retf\n`
  call far dword [rel fp_c16]                 ; 16-bit compatibility code
  PRINT `long64 after o32 retf\n`
  mov rax, rsp
  push qword 0x10
  push rax
  pushfq
  push qword 0x08
  push qword compat_iret
  iretq                                 ; to 32-bit compatibility code
long64_back:
  PRINT `long64 after iretd\n`
  mov rax, rsp
  sub rax, [rel rsp_before]
  SHOW64 "rsp_delta", rax               ; IRETQ popped 5 slots, IRETD 3
  jmp far dword [rel fp_leave]

bits 32
compat32_sub:                           ; [esp] EIP, +4 CS (4-byte slots)
  PRINT `compat32\n`
  mov eax, [esp + 4]
  SHOW "ret_cs", eax
  mov eax, 0x20
  db 0x48                               ; DEC EAX
  SHOW "dec_eax", eax
  retf

compat_iret:
  PRINT `compat32 after iretq\n`
  mov [rsp_before], esp
  pushfd
  push dword 0x28
  push dword long64_back
  iretd                                 ; compatibility -> 64-bit, same CPL

leave_lm:                               ; compatibility mode, CS 0x08
  PRINT `compat32 leaving\n`
  mov eax, cr0
  btr eax, 31
  mov cr0, eax                          ; paging off: LMA := 0
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "efer_pg_off", eax
  rdmsr
  btr eax, 8
  wrmsr
  rdmsr
  and eax, 0x500
  SHOW "efer_legacy", eax
  PRINT `pm32 again\n`
  mov eax, cr0
  and eax, 0x80000001
  SHOW "cr0", eax
  jmp 0x18:M16(pm16_2)

bits 16
compat16_sub:                           ; 16-bit code, SS still B = 1
  PRINT16 `compat16\n`
  mov ax, 0x10
  db 0x48                               ; DEC AX
  movzx eax, ax
  SHOW16 "dec_ax", eax
  mov ebx, esp
  push ax
  sub ebx, esp
  pop ax
  SHOW16 "push_bytes", ebx
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW16 "efer", eax
  o32 retf

pm16_2:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  PRINT16 `pm16\n`
  mov eax, cr0
  and al, ~1
  mov cr0, eax
  jmp 0xffff:M16(real_3)
real_3:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  PRINT16 `real again\n`
  mov eax, cr0
  and eax, 0x80000001
  SHOW16 "cr0", eax
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW16 "efer", eax
  mov al, 0
  out EXIT_PORT, al
.hang:
  hlt
  jmp .hang
bits 32

section .data
align 8
fp_c32: dd compat32_sub
        dw 0x08
fp_c16: dd M16(compat16_sub)
        dw 0x18
fp_leave: dd leave_lm
          dw 0x08
align 8
rsp_before: dq 0
saved_esp: dd 0
