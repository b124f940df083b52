; External interrupts from the 8254 through the 8259A (SDM Vol. 3A §6.3.2,
; §6.8.1; 8259A and 8254 datasheets): the master PIC programmed with
; ICW1-ICW4 for vectors 0x20-0x27, only IR0 unmasked; PIT counter 0 in
; mode 2 (rate generator) raises IRQ0 periodically; with IF = 1 the CPU
; takes vector 0x20 through the 32-bit IDT between instructions while
; spinning on a memory counter; the handler's non-specific EOI clears the
; in-service bit (ISR read back through OCW3 is 0). No other vector fires.
; Timing-independent: only "at least 3 ticks" is checked.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  call idt32_setup
  IRQ32_SETUP
  PIC_INIT 0xfe, 0xff
  PIT0 2, 0x1000
  sti
.spin:
  cmp dword [irq_count], 3
  jb .spin
  cli
  PRINT `irq0 >= 3\n`
  mov eax, [irq_last_cs]
  and eax, 0xffff
  SHOW "cs", eax
  xor eax, eax
  mov ecx, 1
.others:
  or eax, [irq_count + ecx * 4]
  add ecx, 1
  cmp ecx, 16
  jne .others
  SHOW "others", eax
  mov al, 0x0b                          ; OCW3: read ISR
  out 0x20, al
  in al, 0x20
  movzx eax, al
  SHOW "isr", eax
  in al, 0x21
  movzx eax, al
  SHOW "imr", eax
  mov al, 0
  ret
