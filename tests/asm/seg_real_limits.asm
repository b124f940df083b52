; Real-address-mode limits and "unreal" mode. In real mode a segment
; register load sets only the selector and base (base = selector * 16);
; the limit and attributes cached by the last protected-mode load stay
; (SDM Vol. 3A §9.9.2, §21.1.1). With the usual 64 KiB limit, a word at
; offset 0FFFFH is #GP(0) (#SS(0) through SS) rather than wrapping (Vol. 2
; "Real-Address Mode Exceptions" of MOV, Vol. 3A §21.1.1), 32-bit offsets
; beyond 0FFFFH fault too, and JMP past the CS limit is #GP(0). A 4 GiB
; limit loaded in protected mode survives the return to real mode and a
; later real-mode reload of the register, so 32-bit offsets reach above
; 1 MiB. Real-mode faults go through the IVT (no error code); the handler
; logs the vector and whether the saved IP is the probed instruction.
;
; golden: SDM. QEMU 7.2 TCG checks no segment limits in real mode (every
; probe below succeeds there); the golden file is pc64's output checked by
; hand against the sections above.
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
  mov dword [magic], 0xc0ffee11
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
  SHOW "sp_after_push", [RM(r_sp)]
  SHOW "unreal_read", [RM(r_val)]
  SHOW "unreal_write", [magic + 4]
  SHOW "fs_base_read", [RM(r_val2)]
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
  mov gs, ax
  mov ss, ax
  mov ax, 0x28                          ; 4 GiB data segment
  mov fs, ax
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
  xor ax, ax
  mov fs, ax                            ; real-mode load: base 0, limit stays 4 GiB
  mov gs, ax
  lidt [O(rm_idt)]
  mov word [O(r_logp)], O(r_log)

  RPROBE "byte es:ffff", mov al, [es:0xffff]
  RPROBE "word es:ffff", mov ax, [es:0xffff]
  RPROBE "word write es:ffff", mov [es:0xffff], ax
  RPROBE "dword es:fffc", mov eax, [es:0xfffc]
  RPROBE "dword es:fffd", mov eax, [es:0xfffd]
  mov ebx, 0x10000
  RPROBE "a32 byte es:[10000]", mov al, [es:ebx]
  RPROBE "a32 byte gs:[10000]", mov al, [gs:ebx]
  mov bp, 0xffff
  RPROBE "word ss:[bp=ffff]", mov ax, [bp]
  RPROBE "byte ss:[bp=ffff]", mov al, [bp]
  mov bp, sp
  mov sp, 0
  RPROBE "push at sp=0", push ax
  mov [O(r_sp)], sp
  mov sp, bp
  mov ebx, magic
  RPROBE "unreal fs read", mov eax, [fs:ebx]
  mov [O(r_val)], eax
  mov eax, 0x5eed5eed
  RPROBE "unreal fs write", mov [fs:ebx + 4], eax
  mov esi, 0xffffffff
  RPROBE "unreal fs dword ffffffff", mov eax, [fs:esi]
  RPROBE "unreal fs byte ffffffff", mov al, [fs:esi]
  mov ax, RM_SEG
  mov fs, ax                            ; reload: base RM_BASE, limit still 4 GiB
  mov ebx, O(r_probe)
  RPROBE "fs reload read", mov eax, [fs:ebx]
  mov [O(r_val2)], eax
  mov ebx, 0x100000
  RPROBE "fs reload a32 100000", mov al, [fs:ebx]
  mov ebx, 0x10000
  RPROBE "near jmp past cs limit", jmp ebx
  RPROBE "far jmp past cs limit", jmp dword RM_SEG:0x10000
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
r_sp: dd 0
r_val: dd 0
r_val2: dd 0
r_probe: dd 0x600dcafe
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
  dq 0x00cf92000000ffff                 ; 0x28: 4 GiB data
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
saved_esp: dd 0
magic: dd 0, 0
