; #DB in real-address mode (SDM Vol. 3A §17.3, §20.1.4): single-step traps
; through the real-mode IVT (vector 1) with the saved CS:IP after each
; instruction and DR6.BS, TF cleared in the handler (the handler clears TF
; in the saved FLAGS after two traps); an instruction breakpoint compares
; DR0 with the linear address CS * 16 + IP (fault, saved IP = the
; instruction, DR6.B0; the handler disables it in DR7, since a 16-bit IRET
; cannot set RF). The mode switch is the one of mode_real.asm.
; golden: SDM. QEMU 7.2 TCG crashes (segmentation fault) when the real-mode
; instruction breakpoint is hit; with DR7.L0 clear its output has the same
; two single-step lines as the golden file. The breakpoint line (and count=3) follows SDM Vol. 3A
; §17.3.1.1 (fault before the instruction, DR6.B0) and §17.2.4 (DR0-DR3
; hold linear addresses: here 0x20000 + IP).
%include "lib.inc"

RM_BASE equ 0x20000
RM_SEG equ RM_BASE >> 4
%define RM(x) (RM_BASE + (x) - rm_start)

main:
  mov esi, rm_start
  mov edi, RM_BASE
  mov ecx, rm_end - rm_start
  rep movsb
  mov word [1 * 4], rm_db - rm_start
  mov word [1 * 4 + 2], RM_SEG
  xor eax, eax
  mov dr6, eax
  lgdt [gdt_ptr]
  mov [saved_esp], esp
  jmp 0x18:(rm_pm16 - rm_start)

pm_back:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, [saved_esp]
  movzx ecx, word [RM(r_n)]
  SHOW "count", ecx
  xor ebx, ebx
.show:
  cmp ebx, ecx
  jae .done
  PRINT "db cs="
  movzx eax, word [RM(r_log) + ebx * 8 + 2]
  call put_hex32
  PRINT " ip="
  movzx eax, word [RM(r_log) + ebx * 8]
  call put_hex32
  PRINT " dr6="
  movzx eax, word [RM(r_log) + ebx * 8 + 4]
  call put_hex32
  call newline
  add ebx, 1
  jmp .show
.done:
  SHOW "bp_ip", rm_bp - rm_start
  movzx eax, word [RM(r_ax)]
  SHOW "ax", eax
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
  pushf
  pop ax
  or ax, 0x100
  push ax
  popf
  mov ax, 1                             ; trap
  add ax, 2                             ; trap, TF cleared by the handler
  add ax, 4
  mov eax, RM_BASE + rm_bp - rm_start
  mov dr0, eax
  mov eax, 0x401                        ; L0, execute
  mov dr7, eax
rm_bp:
  add ax, 8                             ; #DB fault before this
  mov [r_ax - rm_start], ax
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp dword 0x08:pm_back

rm_db:
  push bp
  mov bp, sp
  push ax
  push bx
  mov bx, [cs:r_n - rm_start]
  shl bx, 3
  mov ax, [bp + 2]                      ; IP
  mov [cs:r_log - rm_start + bx], ax
  mov ax, [bp + 4]                      ; CS
  mov [cs:r_log - rm_start + bx + 2], ax
  mov eax, dr6
  and ax, 0x400f
  mov [cs:r_log - rm_start + bx + 4], ax
  add word [cs:r_n - rm_start], 1
  test ax, 1
  jz .step
  xor eax, eax
  mov dr7, eax                          ; instruction breakpoint: disable it
.step:
  xor eax, eax
  mov dr6, eax
  cmp word [cs:r_n - rm_start], 2
  jne .ret
  and word [bp + 6], ~0x100             ; second trap: clear TF
.ret:
  pop bx
  pop ax
  pop bp
  iret

align 4
rm_idt: dw 0x3ff
        dd 0
r_n: dw 0
r_ax: dw 0
align 8
r_log: times 8 dq 0
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
