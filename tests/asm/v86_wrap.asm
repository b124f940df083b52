; Virtual-8086 address computation (SDM Vol. 3A §20.1.1, §20.2.3): linear
; = selector * 16 + offset with no descriptor, so different seg:off pairs
; alias; FFFF:0010 is linear 0x100000 (no wrap at 1 MiB: that needs paging,
; §20.2.4), here the multiboot header of this image; 16-bit effective
; addresses wrap at 64 KiB (BX + SI + disp modulo 2^16), and SP wraps from
; 0 to FFFE on a push.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 0
  VX_GO 0
vx_done:
  SHOW "lin_3bdfa", [0x3bdfa]
  movzx eax, word [0x40001]
  SHOW "lin_40001", eax
  movzx eax, byte [0x40010]
  SHOW "lin_40010", eax
  movzx eax, word [0x2fffe]
  SHOW "lin_2fffe", eax
  ret

bits 16
align 16
v86_start:
  mov ax, 0x3456
  mov es, ax
  mov dword [es:0x789a], 0xcafe1234     ; 3456:789A = linear 0x3BDFA
  mov ax, 0x3bdf
  mov fs, ax
  mov eax, [fs:0x000a]                  ; 3BDF:000A, the same bytes
  out 0xe1, al
  mov ax, 0x3000
  mov gs, ax
  mov eax, [gs:0xbdfa]                  ; 3000:BDFA, again
  out 0xe1, al
  mov ax, 0xffff
  mov fs, ax
  mov eax, [fs:0x0010]                  ; linear 0x100000: multiboot magic
  out 0xe1, al
  mov eax, [fs:0x0014]                  ; flags
  out 0xe1, al
  mov ax, 0x4000
  mov es, ax
  mov bx, 0xffff
  mov si, 0x0001
  mov word [es:bx + si + 1], 0xa55a     ; offset (FFFF + 1 + 1) mod 64 KiB = 1
  movzx eax, word [es:0x0001]
  out 0xe1, al
  mov di, 0xfff0
  mov byte [es:di + 0x20], 0x77         ; offset 0x0010
  movzx eax, byte [es:0x0010]
  out 0xe1, al
  mov ax, sp
  mov [VX(save_sp)], ax
  xor sp, sp
  push word 0x1357                      ; SP 0 -> FFFE: SS:FFFE = linear 0x2FFFE
  movzx eax, sp
  out 0xe1, al
  movzx eax, word [0xfffe]
  out 0xe1, al
  mov sp, [VX(save_sp)]
  hlt
save_sp: dw 0
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
