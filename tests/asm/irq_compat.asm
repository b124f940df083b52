; External interrupts in compatibility mode (SDM Vol. 3A §6.14.1, §5.8.3):
; IRQ0 arriving while 32-bit code runs in a compatibility-mode segment
; (LM_CS32, L = 0, D = 1) goes through the 64-bit IDT to a 64-bit handler
; with a 64-bit frame (saved CS = 0x30, saved RSP/SS of the 32-bit code,
; frame 16-byte aligned), and IRETQ returns to compatibility mode.
%include "lib.inc"
%include "lm64.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  LM64_ENTER go
bits 64
go:
  IRQ64_SETUP
  mov rax, irq0_64
  mov [irq64_idt + 0x20 * 16], ax
  shr rax, 16
  mov [irq64_idt + 0x20 * 16 + 6], ax
  shr rax, 16
  mov [irq64_idt + 0x20 * 16 + 8], eax
  PIC_INIT 0xfe, 0xff
  PIT0 2, 0x1000
  push qword LM_CS32
  push qword compat
  retfq

bits 32
compat:
  mov esp, cstack_top - 4               ; not 16-byte aligned
  sti
.spin:
  cmp dword [irq_count], 2
  jb .spin
  cli
  PRINT `compat irq0 >= 2\n`
  SHOW "saved_cs", [sv_cs]
  mov eax, [sv_rsp]
  sub eax, cstack_top
  SHOW "saved_rsp-top", eax
  SHOW "saved_ss", [sv_ss]
  SHOW "rip_slot_mod16", [sv_align]         ; RSP aligned to 16, then 5 pushes
  SHOW "cs_now", cs
  mov al, 0xff
  out 0x21, al
  mov al, 0
  jmp exit

bits 64
irq0_64:                                ; [rsp] RIP, +8 CS, +16 RFLAGS, +24 RSP, +32 SS
  push rax
  add dword [irq_count], 1
  mov rax, [rsp + 16]
  mov [sv_cs], eax
  mov rax, [rsp + 32]
  mov [sv_rsp], eax
  mov rax, [rsp + 40]
  mov [sv_ss], eax
  lea rax, [rsp + 8]
  and eax, 15
  mov [sv_align], eax
  mov al, 0x20
  out 0x20, al
  pop rax
  iretq
bits 32

section .bss
alignb 16
cstack: resb 1024
cstack_top:
sv_cs: resd 1
sv_rsp: resd 1
sv_ss: resd 1
sv_align: resd 1
