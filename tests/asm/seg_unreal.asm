; "Unreal" (big real) mode (SDM Vol. 3A §9.9.2 "Switching Back to
; Real-Address Mode": real mode keeps the segment limits and attributes
; loaded in protected mode; §21.1.1, Vol. 1 §6.2.3): after 4 GiB data
; segments are loaded in protected mode and CR0.PE is cleared, real-mode
; loads of DS/ES/SS change only selector and base, so 32-bit addresses reach
; above 1 MiB (string instructions with 67h, lodsd, SIB addressing), and a
; stack segment loaded with B = 1 keeps using ESP for PUSH/POP in real
; mode.
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
  mov esi, pattern
  mov ecx, 16
.fill:
  mov [esi + ecx * 4 - 4], ecx
  sub ecx, 1
  jnz .fill
  mov dword [0x300000], 0
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
  SHOW "copy[0] at 300000h", [0x300000]
  SHOW "copy[15]", [0x300000 + 60]
  SHOW "lodsd above 1 MiB", [RM(r_lods)]
  SHOW "esi after", [RM(r_esi)]
  SHOW "esp after push (32-bit stack in real mode)", [RM(r_esp)]
  movzx eax, word [RM_BASE + 0x1000e]
  SHOW "pushed word at ss:1000e", eax
  SHOW "esp after pop", [RM(r_esp2)]
  SHOW "sib read", [RM(r_sib)]
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
  mov ax, 0x28                          ; 4 GiB data, B = 1
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov fs, ax
  mov gs, ax
  mov eax, cr0
  and eax, ~1
  mov cr0, eax
  jmp RM_SEG:O(rm_real)
rm_real:
  mov ax, RM_SEG
  mov ds, ax                            ; real-mode loads: limits stay 4 GiB
  mov ss, ax
  xor ax, ax
  mov es, ax
  mov esp, O(rm_stack_top)
  lidt [O(rm_idt)]
  mov word [O(r_logp)], O(r_log)

  ; GS:ESI to ES:EDI, both base 0 with 4 GiB limits: copy 16 dwords from
  ; the image to 300000h (DS stays the probe log's segment)
  xor ax, ax
  mov gs, ax
  mov esi, pattern
  mov edi, 0x300000
  mov ecx, 16
  cld
  RPROBE "a32 rep gs movsd above 1 MiB", db 0xf3, 0x65, 0x66, 0x67, 0xa5
  mov esi, pattern + 8
  RPROBE "a32 gs lodsd above 1 MiB", db 0x65, 0x66, 0x67, 0xad
  mov [O(r_lods)], eax
  mov [O(r_esi)], esi
  ; the stack keeps B = 1: PUSH and POP use ESP
  mov ebp, esp
  mov esp, 0x10010
  RPROBE "push ax with esp 10010h", push ax
  mov [O(r_esp)], esp
  pop ax
  mov [O(r_esp2)], esp
  mov esp, ebp
  ; 32-bit addressing with an index above 64 KiB
  xor ax, ax
  mov es, ax
  mov ebx, 0x300000
  mov ecx, 3
  RPROBE "es:[ebx+ecx*4]", mov eax, [es:ebx + ecx * 4]
  mov [O(r_sib)], eax
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
r_lods: dd 0
r_esi: dd 0
r_esp: dd 0
r_esp2: dd 0
r_sib: dd 0
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
  dq 0x00cf92000000ffff                 ; 0x28: 4 GiB data, B = 1
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
saved_esp: dd 0

section .bss
pattern: resd 16
