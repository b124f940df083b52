; Priorities at one instruction boundary (SDM Vol. 3A §6.9, Table 6-2):
; a single-step trap of the previous instruction (priority 4) comes before
; a maskable interrupt (6), which comes before an instruction breakpoint
; fault on the next instruction (7). Handlers append to a log: D = #DB,
; I = IRQ0, M = the main-line instruction after the boundary.
;  1. TF = 1, an IRQ latched with IF = 0, then STI: #DB (trap after STI),
;     its IRET (IF = 1, no shadow) lets the IRQ in, then the next
;     instruction: "DIM".
;  2. IRQ latched, STI; NOP; then an instruction breakpoint: the IRQ is
;     taken at the boundary before the breakpointed instruction, the
;     breakpoint fault after its IRET: "IDM".
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

%macro LATCH_IRQ0 0                     ; PIT one-shot, wait for IRR bit 0
  PIT0 0, 0x200
  mov al, 0x0a
  out 0x20, al
%%wait:
  in al, 0x20
  test al, 1
  jz %%wait
%endmacro

%macro LOG 1
  push eax
  mov eax, [log_n]
  mov byte [log + eax], %1
  add dword [log_n], 1
  pop eax
%endmacro

main:
  call idt32_setup
  IRQ32_SETUP
  mov eax, db_h
  mov [irq32_idt + 1 * 8], ax
  shr eax, 16
  mov [irq32_idt + 1 * 8 + 6], ax
  mov eax, irq0
  mov [irq32_idt + 0x20 * 8], ax
  shr eax, 16
  mov [irq32_idt + 0x20 * 8 + 6], ax
  PIC_INIT 0xfe, 0xff
  xor eax, eax
  mov dr6, eax
  ; 1
  LATCH_IRQ0
  pushfd
  or dword [esp], 0x100
  popfd
  sti                                   ; #DB after this (TF set before it)
  LOG 'M'
  cli
  LOG '/'
  ; 2
  LATCH_IRQ0
  mov eax, .bp
  mov dr0, eax
  mov eax, 0x00000001                   ; L0, execute
  mov dr7, eax
  sti
  nop
.bp:
  LOG 'M'
  cli
  xor eax, eax
  mov dr7, eax
  mov eax, [log_n]
  mov byte [log + eax], 10
  mov esi, log
  call puts
  mov al, 0xff
  out 0x21, al
  mov al, 0
  ret

db_h:
  LOG 'D'
  and dword [esp + 8], ~0x100           ; TF off
  or dword [esp + 8], 0x10000           ; RF on (for the breakpoint)
  iret

irq0:
  LOG 'I'
  push eax
  mov al, 0x20
  out 0x20, al
  pop eax
  iret

section .bss
log_n: resd 1
log: resb 32
