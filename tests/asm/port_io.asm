; Port I/O: IN/OUT with immediate and DX ports, REP OUTSB/INSB, the 16550
; scratch and line status registers, the 8259 mask register and the 8254
; counter 2 output on port 0x61.
%include "lib.inc"

main:
  mov al, 0x5a
  out 0x80, al                  ; POST port: ignored
  mov dx, COM1 + 7              ; scratch register
  mov al, 0xa5
  out dx, al
  xor eax, eax
  in al, dx
  SHOW "scratch", eax
  mov dx, COM1 + 5
  in al, dx
  and eax, 0x60
  SHOW "lsr_idle", eax
  ; REP OUTSB straight into the transmit register
  mov esi, msg
  mov ecx, msg_len
  mov dx, COM1
  rep outsb
  SHOW "outs_ecx", ecx
  ; REP INSB from the scratch register
  mov dx, COM1 + 7
  mov al, 0x3c
  out dx, al
  mov edi, buf
  mov ecx, 4
  rep insb
  SHOW "ins", [buf]
  SHOW "ins_edi", edi
  ; 8259A mask register (OCW1) reads back
  in al, 0x21
  mov bl, al
  mov al, 0xfb
  out 0x21, al
  xor eax, eax
  in al, 0x21
  SHOW "imr", eax
  mov al, bl
  out 0x21, al
  ; 8254 counter 2, mode 0: OUT2 low after the count is written, high
  ; once it expires (~84 us for 100 clocks)
  mov al, 0x01                  ; gate 2 on, speaker off
  out 0x61, al
  mov al, 0xb0                  ; counter 2, LSB then MSB, mode 0, binary
  out 0x43, al
  mov al, 100
  out 0x42, al
  mov al, 0
  out 0x42, al
  in al, 0x61
  and eax, 0x20
  SHOW "out2_start", eax
  mov ecx, 50000000
.poll:
  in al, 0x61
  test al, 0x20
  jnz .high
  dec ecx
  jnz .poll
  PRINT `out2 never went high\n`
  jmp .done
.high:
  PRINT `out2 went high\n`
.done:
  mov al, 0
  ret

section .rodata
msg: db "via outsb", 10
msg_len equ $ - msg

section .bss
buf: resd 1
