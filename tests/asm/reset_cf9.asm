; A system reset through the PIIX reset control register at 0xCF9 (bit 2
; RCPU going 0 -> 1 with bit 1 SRST: the FADT's RESET_REG value 6). QEMU
; runs with -no-reboot and exits with status 0 on a reset; pc64 has no
; firmware to reboot through and exits with status 0 too. Port 0xCF9 reads
; back bit 1 after writing 2 (no reset yet).
%include "lib.inc"

main:
  mov dx, 0xcf9
  mov al, 0x02
  out dx, al
  in al, dx
  and eax, 0x02
  SHOW "rc_srst", eax
  PRINT "reset"
  call newline
  mov al, 0x06
  out dx, al
  PRINT "still running"
  mov al, 1
  ret
