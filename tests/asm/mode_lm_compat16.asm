; 16-bit compatibility mode (SDM Vol. 3A §5.2.1 "Code-Segment Descriptor
; in 64-bit Mode" (L = 0, D = 0), §6.14, §5.8.3): from 64-bit code a far
; CALL (m16:32) to a 16-bit code segment runs 16-bit code with EFER.LMA = 1
; (16-bit operands, 0x48 is DEC AX, 66h/67h overrides, a 2-byte PUSH) and
; comes back by O32 RETF; IRETQ enters it again with a 16-bit stack
; segment (B = 0: only SP moves and wraps); there #UD goes through the
; 64-bit IDT, whose handler gets the 64-bit frame (SS:RSP of the 16-bit
; stack, CS 0x58) and IRETQs back; a far JMP (66h, ptr16:32) returns to
; 64-bit mode.
; golden: SDM. The IRETQ loads all of RSP (Vol. 2A "IRET", IA-32e-MODE:
; "RSP := Pop()"), so the #UD frame holds RSP = 0x0FFE; QEMU 7.2 TCG keeps
; the old RSP[63:16] when the new SS is a 16-bit one (it pushes 0x110FFE).
%include "lib.inc"
%include "lm64.inc"

CS16 equ 0x58                           ; lm64.inc's spare slots
SS16 equ 0x60
M16_BASE equ 0xffff0                    ; the 16-bit code runs at CS base 0xFFFF0
%define M16(x) ((x) - mb_header + 0x10)

main:
  mov dword [lm64_gdt + CS16], 0xfff0ffff         ; 16-bit code, base 0xFFFF0
  mov dword [lm64_gdt + CS16 + 4], 0x00009a0f
  mov dword [lm64_gdt + SS16], 0x0000ffff         ; 16-bit stack, base 0x200000
  mov dword [lm64_gdt + SS16 + 4], 0x00009220
  LM64_ENTER long64

bits 64
long64:
  SET_GATE64 6, ud_handler, 0, 0x8e
  mov [rel saved_rsp], rsp
  PRINT `long64\n`
  call far dword [rel fp16]
  PRINT `long64 after o32 retf\n`
  push qword SS16
  push qword 0x1000
  pushfq
  push qword CS16
  push qword M16(c16_b)
  iretq
back64:
  mov ax, LM_DS
  mov ss, ax
  mov rsp, [rel saved_rsp]
  PRINT `long64 after far jmp\n`
  movzx eax, word [0x20fffe]
  SHOW "wrapped_push", eax              ; SS16:FFFE = linear 0x20FFFE
  movzx eax, word [0x200ffe]
  SHOW "push_at_0ffe", eax
  mov al, 0
  jmp exit

ud_handler:                             ; [rsp] RIP, +8 CS, +16 RFLAGS, +24 RSP, +32 SS
  PRINT `#UD in compat16\n`
  mov rbx, [rsp]
  SHOW64 "rip", rbx
  mov rbx, [rsp + 8]
  SHOW64 "cs", rbx
  mov rbx, [rsp + 24]
  SHOW64 "rsp", rbx
  mov rbx, [rsp + 32]
  SHOW64 "ss", rbx
  add qword [rsp], 2
  iretq

bits 16
; helpers for 16-bit code: COM1 with port I/O, strings through CS
c16_putc:
  push dx
  push ax
  mov dx, 0x3fd
.wait:
  in al, dx
  test al, 0x20
  jz .wait
  pop ax
  mov dx, 0x3f8
  out dx, al
  pop dx
  ret
c16_hex32:                              ; EAX
  push cx
  push eax
  mov cx, 8
.digit:
  rol eax, 4
  push eax
  and al, 0x0f
  add al, '0'
  cmp al, '9'
  jbe .out
  add al, 'a' - '0' - 10
.out:
  call c16_putc
  pop eax
  sub cx, 1
  jnz .digit
  pop eax
  pop cx
  ret
c16_puts:                               ; CS:SI
  push ax
  push si
.next:
  mov al, [cs:si]
  test al, al
  jz .done
  call c16_putc
  add si, 1
  jmp .next
.done:
  pop si
  pop ax
  ret
%macro P16 1
  mov si, M16(%%s)
  call c16_puts
  jmp %%e
%%s: db %1, 0
%%e:
%endmacro
%macro S16 2
  P16 %1
  P16 "="
  mov eax, %2
  call c16_hex32
  P16 `\n`
%endmacro

c16_a:                                  ; called from 64-bit code; SS is flat (B = 1)
  P16 `compat16\n`
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  S16 "efer", eax
  mov ax, 0xfff0
  add ax, 0x20                          ; 16-bit operand size
  movzx eax, ax
  S16 "add16", eax
  mov ax, 0x10
  db 0x48                               ; DEC AX
  movzx eax, ax
  S16 "dec_ax", eax
  mov eax, 0x7fffffff
  add eax, 1                            ; 66h
  S16 "add32", eax
  mov ebx, esp
  push ax
  sub ebx, esp
  pop ax
  S16 "push_bytes", ebx
  mov eax, [esp + 4]                    ; 67h: the return CS (4-byte slot)
  S16 "ret_cs", eax
  mov ax, cs
  movzx eax, ax
  S16 "cs", eax
  o32 retf

c16_b:                                  ; entered by IRETQ, SS = SS16 (B = 0)
  P16 `compat16 with a 16-bit stack\n`
  mov ax, ss
  movzx eax, ax
  S16 "ss", eax
  movzx eax, sp
  S16 "sp", eax
  push word 0x1234                      ; SS16:0FFE
  movzx eax, sp
  S16 "sp_push", eax
  ud2
  P16 `compat16 after #UD\n`
  xor sp, sp
  push word 0x4321                      ; SP 0 -> FFFE
  movzx eax, sp
  S16 "sp_wrap", eax
  jmp dword LM_CS64:back64
bits 32

section .data
align 8
fp16: dd M16(c16_a)
      dw CS16
saved_rsp: dq 0
