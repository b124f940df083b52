; Port 92h (system control port A): bit 1 is the fast A20 gate and reads
; back; with A20 off, physical address bit 20 is forced to 0, so 1.5 MiB
; aliases 512 KiB (the probe runs from a copy at 0x8000 without touching
; the stack: this image and its stack live above 1 MiB); with A20 on again
; it does not. Bit 0 going 0 -> 1 is a fast reset: QEMU (-no-reboot) and
; pc64 both exit with status 0.
%include "lib.inc"

main:
  mov dword [0x080000], 0x22222222
  mov dword [0x180000], 0x11111111
  mov esi, probe
  mov edi, 0x8000
  mov ecx, probe_end - probe
  cld
  rep movsb
  mov esi, .back
  mov eax, 0x8000
  jmp eax
.back:
  SHOW "a20_off_bit", ebp
  SHOW "read_1m5_a20_off", ecx
  mov eax, [0x180000]
  SHOW "read_1m5_a20_on", eax
  in al, 0x92
  and eax, 2
  SHOW "a20_on_bit", eax
  PRINT "reset"
  call newline
  in al, 0x92
  or al, 1
  out 0x92, al
  PRINT "still running"
  mov al, 1
  ret

; Position-independent, stackless: A20 off, read, A20 on, jump to ESI.
probe:
  in al, 0x92
  and al, 0xfc
  out 0x92, al
  in al, 0x92
  movzx ebp, al
  and ebp, 2
  mov ecx, [0x180000]
  in al, 0x92
  or al, 2
  out 0x92, al
  jmp esi
probe_end:
