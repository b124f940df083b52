; I/O in virtual-8086 mode (SDM Vol. 3A §20.2.8.1, Vol. 1 §19.5.2): IN,
; OUT, INS and OUTS are not IOPL-sensitive there; at IOPL 0 and at IOPL 3
; alike each port the access touches must have a clear bit in the TSS I/O
; bitmap (here only COM1 0x3f8-0x3ff), else #GP(0) before any port is
; touched: a word at 0x3ff (ports 0x3ff and 0x400), a byte at 0x3f7, IN
; imm8. Allowed: byte/word/dword to 0x3ff.., OUTSB/INSB and REP OUTSB.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 0
  VX_GO 0
vx_done:
  ret

; One pass, run at IOPL 0 and again at IOPL 3.
%macro IO_PASS 0
  mov dx, 0x3ff
  mov al, 0x5a
  out dx, al                            ; scratch register: allowed
  in al, dx
  movzx eax, al
  out 0xe1, al
  mov ax, 0x1234
  out dx, ax                            ; 0x3ff + 0x400: #GP(0), no write
  in al, dx
  movzx eax, al
  out 0xe1, al                          ; still 5a
  mov dx, 0x3f7
  in al, dx                             ; #GP(0)
  in al, 0x80                           ; #GP(0)
  mov dx, 0x3ff
  mov si, VX(src)
  outsb                                 ; 'Q'
  in al, dx
  movzx eax, al
  out 0xe1, al
  mov di, VX(dst)
  push ds
  pop es
  insb
  movzx eax, byte [VX(dst)]
  out 0xe1, al
  movzx eax, di
  out 0xe1, al                          ; DI advanced by 1
  mov cx, 3
  mov si, VX(src)
  rep outsb                             ; last byte written: 'S'
  in al, dx
  movzx eax, al
  movzx ebx, cx
  shl ebx, 16
  or eax, ebx
  out 0xe1, al                          ; CX 0, scratch 'S'
  mov cx, 2
  mov dx, 0x400
  rep outsb                             ; #GP(0) on the first iteration
  movzx eax, cx
  out 0xe1, al                          ; CX still 2
%endmacro

bits 16
align 16
v86_start:
  IO_PASS
  VCMD 3                                ; IOPL := 3: the same results
  IO_PASS
  hlt
src: db "QRS"
dst: db 0
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
