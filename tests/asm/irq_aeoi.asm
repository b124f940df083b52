; 8259A automatic end of interrupt (8259A datasheet, ICW4 bit 1 "AEOI"):
; the in-service bit is cleared during the interrupt acknowledge, so a
; handler that sends no EOI still gets further IRQ0s, and ISR reads back
; as 0 (OCW3); with AEOI off (normal EOI, irq_mask_eoi) the same handler
; would get just one.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  call idt32_setup
  IRQ32_SETUP
  mov dword [irq_no_eoi], 1
  mov al, 0x11
  out 0x20, al
  out 0xa0, al
  mov al, 0x20
  out 0x21, al
  mov al, 0x28
  out 0xa1, al
  mov al, 4
  out 0x21, al
  mov al, 2
  out 0xa1, al
  mov al, 3                             ; ICW4: 8086 mode, AEOI
  out 0x21, al
  mov al, 1
  out 0xa1, al
  mov al, 0xfe
  out 0x21, al
  mov al, 0xff
  out 0xa1, al
  PIT0 2, 0x1000
  sti
.spin:
  cmp dword [irq_count], 3
  jb .spin
  cli
  PRINT `irq0 >= 3 without EOI\n`
  mov al, 0x0b
  out 0x20, al
  in al, 0x20
  movzx eax, al
  SHOW "isr", eax
  mov al, 0xff
  out 0x21, al
  mov al, 0
  ret
