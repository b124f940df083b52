; Segment limits in virtual-8086 mode (SDM Vol. 3A §20.2.3, §20.1.1; the
; "Virtual-8086 Mode Exceptions" of MOV, PUSH, POP in Vol. 2): every
; segment has a 64 KiB limit, so a 32-bit effective address (67h) above
; FFFF and a word or dword that runs past offset FFFF are #GP(0) for DS,
; ES, FS, GS and #SS(0) for SS (a push with SP = 1 writes FFFF..10000);
; an access ending exactly at FFFF is fine. Each fault leaves the
; registers as they were (the push does not move SP).
; golden: SDM. QEMU 7.2 TCG does not check data segment limits in
; virtual-8086 mode (the accesses go to seg * 16 + offset); the golden
; file has the faults the SDM lists.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 0
  VX_GO 0
vx_done:
  ret

bits 16
align 16
v86_start:
  mov ax, 0x4000
  mov es, ax
  mov fs, ax
  mov word [VX(vx_resume)], VX(.a)
  mov esi, 0x10000
  mov al, [es:esi]                      ; offset 0x10000: #GP(0)
.a:
  mov word [VX(vx_resume)], VX(.b)
  mov ax, [fs:0xffff]                   ; word at FFFF: #GP(0)
.b:
  mov word [VX(vx_resume)], VX(.c)
  mov dword [es:0xfffd], 0x11223344     ; dword at FFFD: #GP(0)
.c:
  mov dword [es:0xfffc], 0x55667788     ; ends at FFFF: fine
  mov eax, [es:0xfffc]
  out 0xe1, al
  mov word [VX(vx_resume)], VX(.d)
  mov ax, sp
  mov [VX(save_sp)], ax
  mov sp, 1
  push word 0x1234                      ; #SS(0)
.d:
  movzx eax, sp
  out 0xe1, al                          ; still 1
  mov sp, [VX(save_sp)]
  mov word [VX(vx_resume)], VX(.e)
  mov ebx, 0xffff
  mov al, [ebx + 1]                     ; 67h, offset 0x10000: #GP(0)
.e:
  mov al, [ebx]                         ; offset FFFF: fine
  hlt
save_sp: dw 0
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
