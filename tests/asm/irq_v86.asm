; External interrupts from virtual-8086 mode (SDM Vol. 3A §20.3.1.1,
; §20.2.5): IRQ0 arriving while v86 code spins with IF = 1 (IOPL 3) goes
; through a DPL-0 interrupt gate (no DPL check for hardware interrupts) to
; the CPL-0 handler on the TSS SS0:ESP0 stack; the frame holds GS, FS, DS,
; ES, SS, ESP, EFLAGS (VM = 1), CS and EIP of the v86 task, the data
; segment registers are null in the handler, and IRET returns to v86 mode.
; The v86 code ends with HLT (#GP, which ends the test).
%include "lib.inc"
%include "idt32.inc"
%include "real16.inc"
%include "dbg.inc"

main:
  call idt32_setup
  IRQ32_SETUP
  mov eax, v86_gp
  mov [irq32_idt + 13 * 8], ax
  shr eax, 16
  mov [irq32_idt + 13 * 8 + 6], ax
  mov eax, irq0_v86
  mov [irq32_idt + 0x20 * 8], ax
  shr eax, 16
  mov [irq32_idt + 0x20 * 8 + 6], ax
  PIC_INIT 0xfe, 0xff
  PIT0 2, 0x1000
  V86_ENTER 0x3200                      ; IOPL 3, IF = 1
  ret

; After the two pushes: +8 EIP, +12 CS, +16 EFLAGS, +20 ESP, +24 SS, +28 ES,
; +32 DS, +36 FS, +40 GS (SHOW pushes EAX before reading: +4 more there).
irq0_v86:
  push eax
  mov ax, ds
  push ds
  push eax
  mov ax, 0x10
  mov ds, ax
  pop eax
  add dword [irq_count], 1
  cmp dword [irq_count], 1
  jne .eoi
  movzx eax, ax
  SHOW "handler_ds", eax
  mov eax, [esp + 16]
  shr eax, 17
  and eax, 1
  SHOW "saved_vm", eax
  SHOW "saved_cs", [esp + 4 + 12]
  SHOW "saved_ss", [esp + 4 + 24]
  SHOW "saved_es", [esp + 4 + 28]
  SHOW "saved_ds", [esp + 4 + 32]
  SHOW "saved_fs", [esp + 4 + 36]
  SHOW "saved_gs", [esp + 4 + 40]
  mov eax, [esp + 16]
  and eax, 0x3200
  SHOW "saved_if_iopl", eax
.eoi:
  mov al, 0x20
  out 0x20, al
  mov eax, [irq_count]
  mov [V86_BASE + V86(v86_ticks)], ax
  pop ds
  pop eax
  iret

bits 16
v86_start:
.spin:
  cmp word [V86(v86_ticks)], 3
  jb .spin
  cli
  hlt                                   ; #GP: ends the test
v86_ticks: dw 0
align 16
  times 256 db 0
v86_stack_top:
v86_end:
bits 32
