; Local APIC self IPIs and priorities (SDM Vol. 3A §11.6.1 ICR, §11.8.3.1
; TPR/PPR, §11.8.4 acceptance, §11.8.5 EOI): registers after software
; enable, three self IPIs sent with IF = 0 are delivered highest vector
; first once IF = 1; a TPR class holds back vectors of its class and
; below (PPR follows TPR) until it is lowered; without EOI
; the in-service vector blocks lower classes and raises PPR.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"
%include "apic.inc"

main:
  call idt32_setup
  APIC_IDT_SETUP
  PIC_INIT 0xff, 0xff
  APIC_RD 0x30
  SHOW "version", eax
  APIC_WR 0xf0, 0x1ff           ; software enable, spurious vector 0xff
  APIC_RD 0xf0
  SHOW "svr", eax
  APIC_WR 0xe0, 0xffffffff      ; flat model
  APIC_WR 0xd0, 0x01000000
  APIC_RD 0xd0
  SHOW "ldr", eax
  APIC_RD 0xe0
  SHOW "dfr", eax
  APIC_WR 0x80, 0
  ; Three self IPIs (shorthand 01, fixed) with IF = 0.
  APIC_WR 0x300, 0x40045
  APIC_WR 0x300, 0x40061
  APIC_WR 0x300, 0x40050
  APIC_RD 0x200 + 0x20          ; IRR bits 64..95
  SHOW "irr2", eax
  APIC_RD 0x200 + 0x30          ; IRR bits 96..127
  SHOW "irr3", eax
  sti
  nop
  cli
  SHOW_LOG "order"
  APIC_RD 0x200 + 0x20
  SHOW "irr2_after", eax
  ; TPR 0x50 holds back classes 4 and 5.
  mov dword [apic_n], 0
  APIC_WR 0x80, 0x50
  APIC_RD 0xa0
  SHOW "ppr", eax
  APIC_WR 0x300, 0x40045
  APIC_WR 0x300, 0x40055
  APIC_WR 0x300, 0x40066
  sti
  nop
  cli
  SHOW_LOG "tpr50"
  APIC_WR 0x80, 0
  APIC_RD 0x80
  SHOW "tpr", eax
  sti
  nop
  cli
  SHOW_LOG "tpr0"
  ; Without EOI the vector stays in service: PPR is its class and lower
  ; classes wait.
  mov dword [apic_n], 0
  mov dword [apic_no_eoi], 1
  APIC_WR 0x300, 0x40070
  sti
  nop
  cli
  APIC_RD 0xa0
  SHOW "ppr_isr", eax
  APIC_RD 0x100 + 0x30          ; ISR bits 96..127
  SHOW "isr3", eax
  APIC_WR 0x300, 0x40048
  sti
  nop
  cli
  SHOW_LOG "blocked"
  mov dword [apic_no_eoi], 0
  APIC_WR 0xb0, 0               ; EOI 0x70: 0x48 gets in
  sti
  nop
  cli
  SHOW_LOG "after_eoi"
  APIC_RD 0xa0
  SHOW "ppr_end", eax
  mov al, 0
  ret
