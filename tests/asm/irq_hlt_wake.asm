; HLT and interrupts (SDM Vol. 2A "HLT", Vol. 3A §6.8.1, §6.8.3): with
; IF = 1, HLT stops the CPU until an interrupt arrives; the interrupt's
; saved EIP is the instruction after the HLT, so after the handler's IRET
; execution continues there. STI; HLT (the STI shadow covers the HLT) is
; the race-free idle idiom. Five HLTs, each ended by PIT IRQ0.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  call idt32_setup
  IRQ32_SETUP
  PIC_INIT 0xfe, 0xff
  PIT0 2, 0x2000
  xor ebx, ebx                          ; HLTs that ended by an interrupt
  xor esi, esi                          ; saved EIPs that pointed after the HLT
  mov ecx, 5
.again:
  mov edx, [irq_count]
  sti
  hlt
.after:
  cli
  cmp [irq_count], edx
  je .no
  add ebx, 1
.no:
  cmp dword [irq_last_eip], .after
  jne .bad
  add esi, 1
.bad:
  sub ecx, 1
  jnz .again
  SHOW "woken", ebx
  SHOW "eip_after_hlt", esi
  mov al, 0
  ret
