; Local APIC timer (SDM Vol. 3A §11.5.4): one-shot mode counts down once
; (current count falls, reaches 0, one interrupt wakes HLT); periodic mode
; reloads (several HLTs woken); masking stops interrupts; writing the
; initial count 0 stops the timer. Only orderings and "at least" counts.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"
%include "apic.inc"

main:
  call idt32_setup
  APIC_IDT_SETUP
  PIC_INIT 0xff, 0xff
  APIC_WR 0xf0, 0x1ff
  APIC_WR 0x3e0, 0xb            ; divide by 1
  APIC_WR 0x320, 0x40           ; one-shot, vector 0x40
  APIC_RD 0x320
  SHOW "lvt_oneshot", eax
  APIC_WR 0x380, 200000
  APIC_RD 0x390
  mov ebx, eax
  APIC_RD 0x390
  xor ecx, ecx
  cmp eax, ebx
  setbe cl
  SHOW "ccr_falls", ecx
  xor ecx, ecx
  cmp ebx, 200000
  setbe cl
  SHOW "ccr_le_icr", ecx
.wait1:
  sti
  hlt
  cli
  cmp dword [apic_n], 0
  je .wait1
  SHOW_LOG "oneshot"
  APIC_RD 0x390
  SHOW "ccr_after", eax
  APIC_RD 0x380
  SHOW "icr_kept", eax
  ; Periodic.
  mov dword [apic_n], 0
  APIC_WR 0x3e0, 0x3            ; divide by 16
  APIC_WR 0x320, 0x20041
  APIC_RD 0x320
  SHOW "lvt_periodic", eax
  APIC_RD 0x3e0
  SHOW "dcr", eax
  APIC_WR 0x380, 20000
  mov ecx, 4
.wait2:
  sti
  hlt
  cli
  sub ecx, 1
  jnz .wait2
  xor ecx, ecx
  cmp dword [apic_n], 3
  setae cl
  SHOW "periodic_ge3", ecx
  ; Mask, then stop.
  APIC_WR 0x320, 0x30041
  mov dword [apic_n], 0
  mov ecx, 2000000
.spin:
  sub ecx, 1
  jnz .spin
  sti
  nop
  cli
  SHOW "masked_count", [apic_n]
  APIC_WR 0x380, 0
  APIC_RD 0x390
  SHOW "ccr_stopped", eax
  mov al, 0
  ret
