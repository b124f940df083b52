; Faults while delivering an external interrupt (SDM Vol. 3A §6.13 "Error
; Code", §6.12.1): the error code names the IDT entry (IDT bit 1) and has
; EXT (bit 0) set because the event was external: a not-present gate for
; vector 0x20 gives #NP(0x103); an IDT limit that excludes vector 0x20
; gives #GP(0x103). The saved EIP is the interrupted instruction. The PIC
; acknowledged the request (ISR bit 0 stays set until the EOI).
; golden: SDM. QEMU 7.2 TCG leaves EXT clear (error codes 0x102). SDM Vol. 3A
; §6.13: EXT "indicates that the exception occurred during delivery of an
; event external to the program, such as an interrupt"; the golden file
; has err=00000103 in both lines (the rest is QEMU's output).
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

%macro LATCH_IRQ0 0
  PIT0 0, 0x200
  mov al, 0x0a
  out 0x20, al
%%wait:
  in al, 0x20
  test al, 1
  jz %%wait
%endmacro

main:
  call idt32_setup
  IRQ32_SETUP
  and byte [irq32_idt + 0x20 * 8 + 5], 0x7f     ; vector 0x20 not present
  PIC_INIT 0xfe, 0xff
  LATCH_IRQ0
  EXPECT .r1
  sti
  nop                                   ; the IRQ comes after this
.int1:
  nop
.r1:
  cli
  mov eax, .int1
  SHOW "int1", eax
  mov al, 0x0b
  out 0x20, al
  in al, 0x20
  movzx eax, al
  SHOW "isr", eax
  mov al, 0x20
  out 0x20, al
  ; IDT limit below vector 0x20
  lidt [short_idt]
  LATCH_IRQ0
  EXPECT .r2
  sti
  nop
.int2:
  nop
.r2:
  cli
  mov eax, .int2
  SHOW "int2", eax
  mov al, 0x20
  out 0x20, al
  mov al, 0xff
  out 0x21, al
  mov al, 0
  ret

section .rodata
short_idt:
  dw 0x20 * 8 - 1
  dd irq32_idt
