; System instructions in real-address mode (SDM Vol. 2A/2B "Real-Address
; Mode Exceptions" of LAR, LSL, VERR, VERW, ARPL, SLDT, STR, LLDT, LTR:
; #UD; of SGDT, SIDT, SMSW: none): the descriptor-based instructions are
; #UD (vector 6 through the IVT), while SGDT, SIDT and SMSW work and
; CR4.UMIP does not affect them (it applies at CPL > 0 only; real mode
; runs at CPL 0, Vol. 3A §2.5). The real-mode code runs from a copy at
; 20000h; each probe is logged and printed back in protected mode.
%include "lib.inc"

RM_BASE equ 0x20000
RM_SEG equ RM_BASE >> 4
%define RM(x) (RM_BASE + (x) - rm_start)
%define O(x) ((x) - rm_start)

main:
  mov esi, rm_start
  mov edi, RM_BASE
  mov ecx, rm_end - rm_start
  rep movsb
  mov word [12 * 4], O(rm_h12)
  mov word [12 * 4 + 2], RM_SEG
  mov word [13 * 4], O(rm_h13)
  mov word [13 * 4 + 2], RM_SEG
  mov word [6 * 4], O(rm_h6)
  mov word [6 * 4 + 2], RM_SEG
  mov eax, 0x11                         ; CR0 = PE | ET: a known MSW
  mov cr0, eax
  lgdt [gdt_ptr]
  mov [saved_esp], esp
  jmp 0x18:O(rm_pm16)

pm_back:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov fs, ax
  mov gs, ax
  mov ss, ax
  mov esp, [saved_esp]
  movzx edi, word [RM(r_logp)]
  add edi, RM_BASE
  mov ebx, RM(r_log)
.entry:
  cmp ebx, edi
  jae .done
  mov esi, [ebx]
  call puts
  cmp byte [ebx + 4], 0xff
  jne .fault
  PRINT ` ok\n`
  jmp .next
.fault:
  PRINT " vec="
  mov al, [ebx + 4]
  call put_hex8
  cmp byte [ebx + 5], 0
  je .badip
  PRINT ` @insn\n`
  jmp .next
.badip:
  PRINT " ip="
  movzx eax, word [ebx + 6]
  call put_hex32
  call newline
.next:
  add ebx, 8
  jmp .entry
.done:
  movzx eax, word [RM(r_gdt)]
  SHOW "sgdt limit", eax
  mov eax, [RM(r_gdt) + 2]
  sub eax, gdt
  SHOW "sgdt base-gdt", eax
  movzx eax, word [RM(r_idt)]
  SHOW "sidt limit", eax
  SHOW "sidt base", [RM(r_idt) + 2]
  movzx eax, word [RM(r_msw)]
  SHOW "smsw", eax
  mov al, 0
  ret

; RPROBE "name", insn: logs (name, 0ffh) if the instruction completes,
; else the handler logs (name, vector, IP matches).
%macro RPROBE 2+
  [section .rodata]
  %%name: db %1, 0
  __?SECT?__
  mov dword [O(r_name)], %%name
  mov word [O(r_expect)], O(%%insn)
  mov word [O(r_resume)], O(%%done)
%%insn:
  %2
  call rm_ok
%%done:
%endmacro

bits 16
rm_start:
rm_pm16:                                ; 16-bit protected mode, CS base RM_BASE
  mov ax, 0x20
  mov ds, ax
  mov es, ax
  mov fs, ax
  mov gs, ax
  mov ss, ax
  mov eax, cr0
  and eax, ~1
  mov cr0, eax
  jmp RM_SEG:O(rm_real)
rm_real:
  mov ax, RM_SEG
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, O(rm_stack_top)
  lidt [O(rm_idt)]
  mov word [O(r_logp)], O(r_log)

  mov bx, 0x10
  RPROBE "lar", lar ax, bx
  RPROBE "lsl", lsl ax, bx
  RPROBE "verr", verr bx
  RPROBE "verw", verw bx
  mov ax, 0x10
  RPROBE "arpl", arpl ax, bx
  RPROBE "sldt", sldt ax
  RPROBE "str", str ax
  RPROBE "lldt", lldt bx
  RPROBE "ltr", ltr bx
  RPROBE "sgdt", sgdt [O(r_gdt)]
  RPROBE "sidt", sidt [O(r_idt)]
  mov dword [O(r_msw)], 0
  RPROBE "smsw", smsw [O(r_msw)]
  RPROBE "mov ax, cs", mov ax, cs
  mov eax, cr4
  or eax, 1 << 11                       ; UMIP: no effect in real mode (CPL 0)
  mov cr4, eax
  RPROBE "sgdt with umip", sgdt [O(r_gdt)]
  and eax, ~(1 << 11)
  mov cr4, eax
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp dword 0x08:pm_back

rm_ok:
  push bx
  mov bx, [O(r_logp)]
  push eax
  mov eax, [O(r_name)]
  mov [bx], eax
  pop eax
  mov byte [bx + 4], 0xff
  add word [O(r_logp)], 8
  pop bx
  ret

rm_h6:
  push ax
  mov al, 6
  jmp rm_h
rm_h12:
  push ax
  mov al, 12
  jmp rm_h
rm_h13:
  push ax
  mov al, 13
rm_h:                                   ; [sp] = AX, +2 IP, +4 CS, +6 FLAGS
  push bx
  push bp
  mov bp, sp
  mov bx, [O(r_logp)]
  mov [bx + 4], al
  mov ax, [bp + 6]
  mov [bx + 6], ax
  cmp ax, [O(r_expect)]
  sete byte [bx + 5]
  push eax
  mov eax, [O(r_name)]
  mov [bx], eax
  pop eax
  add word [O(r_logp)], 8
  mov ax, [O(r_resume)]
  mov [bp + 6], ax
  pop bp
  pop bx
  pop ax
  iret

align 4
rm_idt: dw 0x3ff
        dd 0
r_logp: dw 0, 0
r_name: dd 0
r_expect: dw 0
r_resume: dw 0
r_gdt: dd 0, 0
r_idt: dd 0, 0
r_msw: dd 0
align 8
r_log: times 32 * 8 db 0
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
