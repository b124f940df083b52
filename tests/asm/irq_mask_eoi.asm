; 8259A masking and end of interrupt (8259A datasheet: OCW1, OCW2, OCW3;
; SDM Vol. 3A §6.3.2): a request on a masked line is latched in IRR but
; not delivered; unmasking it (OCW1) delivers it once; without an EOI the
; line stays in service (ISR bit 0) and blocks further IRQ0s even though
; IRR latches them; a non-specific EOI (OCW2 0x20) lets the latched one
; through; a specific EOI (OCW2 0x60) ends it. Polling mode (OCW3 0x0c)
; reports the highest request (0x80 | level) and acknowledges it.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

%macro WAIT_IRR0 0
  mov al, 0x0a                          ; OCW3: read IRR
  out 0x20, al
%%wait:
  in al, 0x20
  test al, 1
  jz %%wait
%endmacro

%macro WAIT_COUNT 1                     ; spin until irq_count[0] >= %1 (bounded)
  mov ecx, 0x1000000
%%wait:
  cmp dword [irq_count], %1
  jae %%done
  sub ecx, 1
  jnz %%wait
%%done:
%endmacro

%macro SHOW_ISR 1
  mov al, 0x0b
  out 0x20, al
  in al, 0x20
  movzx eax, al
  SHOW %1, eax
%endmacro

main:
  call idt32_setup
  IRQ32_SETUP
  PIC_INIT 0xff, 0xff                   ; everything masked
  mov dword [irq_no_eoi], 1
  PIT0 2, 0x800
  WAIT_IRR0
  sti
  mov ecx, 20000                        ; IRQ0 is masked: nothing arrives
.spin:
  sub ecx, 1
  jnz .spin
  SHOW "masked", [irq_count]
  mov al, 0xfe
  out 0x21, al                          ; unmask IR0
  WAIT_COUNT 1
  SHOW "unmasked", [irq_count]
  SHOW_ISR "isr"
  WAIT_IRR0                             ; the next tick is latched...
  mov ecx, 20000
.spin2:
  sub ecx, 1
  jnz .spin2
  SHOW "in_service", [irq_count]        ; ...but blocked by ISR bit 0
  mov al, 0x20                          ; non-specific EOI
  out 0x20, al
  WAIT_COUNT 2
  SHOW "after_eoi", [irq_count]
  SHOW_ISR "isr"
  cli
  mov al, 0x60                          ; specific EOI, level 0
  out 0x20, al
  SHOW_ISR "isr"
  ; poll mode, IF = 0
  WAIT_IRR0
  mov al, 0x0c                          ; OCW3: poll
  out 0x20, al
  in al, 0x20
  movzx eax, al
  SHOW "poll", eax
  SHOW_ISR "isr_poll"
  mov al, 0x20
  out 0x20, al
  SHOW_ISR "isr"
  mov al, 0xff
  out 0x21, al
  mov al, 0
  ret
