; External interrupts in IA-32e mode (SDM Vol. 3A §6.14, §6.8.1): PIT IRQ0
; through the master 8259A to a 64-bit interrupt gate (vector 0x20): taken
; at CPL 0 while spinning on a memory counter, ending HLT (saved RIP after
; the HLT), and taken at CPL 3 (saved CS = 0x2b, the handler on the RSP0
; stack from the 64-bit TSS), where IRETQ returns to the user loop.
; Only "at least N ticks" is checked.
%include "lib.inc"
%include "lm64.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  LM64_ENTER go
bits 64
go:
  IRQ64_SETUP
  PIC_INIT 0xfe, 0xff
  PIT0 2, 0x1000
  sti
.spin:
  cmp dword [irq_count], 2
  jb .spin
  cli
  PRINT `cpl0 >= 2\n`
  mov eax, [irq_last_cs]
  SHOW "cs", eax
  ; HLT
  mov edx, [irq_count]
  sti
  hlt
.after:
  cli
  mov eax, [irq_count]
  sub eax, edx
  setnz al
  movzx eax, al
  SHOW "woken", eax
  mov eax, [irq_last_eip]
  cmp eax, .after
  sete al
  movzx eax, al
  SHOW "rip_after_hlt", eax
  ; CPL 3 with IF = 1, IOPL = 3
  push qword LM_DSU
  push qword lm64_ustack_top
  push qword 0x3202
  push qword LM_CS64U
  push qword user
  iretq
user:
  mov edx, [irq_count]
  add edx, 2
.uspin:
  cmp [irq_count], edx
  jb .uspin
  cli
  PRINT `cpl3 >= 2\n`
  mov eax, [irq_last_cs]
  SHOW "cs", eax
  mov al, 0
  jmp exit
