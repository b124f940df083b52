; Virtual-8086 mode with IOPL 3 (SDM Vol. 3A §20.2.7, §20.3.1.1): CLI,
; STI, PUSHF and POPF work on the real IF; INT n goes through a DPL 3
; interrupt gate to a CPL 0 handler, which finds GS/FS/DS/ES of the v86
; task on its stack (and null data segment registers), then IRET returns
; to virtual-8086 mode; a DPL 0 gate is #GP(vector * 8 + 2). IN/OUT still consult the I/O bitmap (port 0x21
; denied: #GP), and HLT is still privileged.
%include "lib.inc"
%include "idt32.inc"
%include "real16.inc"

main:
  call idt32_setup
  mov byte [idt32_table + 0x1e * 8 + 5], 0xee
  mov eax, int30
  mov [idt32_table + 0x1e * 8], ax      ; vector 0x1e: DPL 3 gate
  shr eax, 16
  mov [idt32_table + 0x1e * 8 + 6], ax
  V86_ENTER 0x3000
  ret

int30:                                  ; +0 EIP, +4 CS, +8 EFLAGS, +12 ESP, +16 SS, +20 ES, +24 DS, +28 FS, +32 GS
  push eax
  mov ax, ds
  movzx eax, ax
  push eax
  mov ax, 0x10
  mov ds, ax
  pop eax
  SHOW "handler_ds", eax
  ; SHOW pushes EAX before reading its operand: offsets are + 4
  SHOW "v86_ip", [esp + 8]
  SHOW "v86_cs", [esp + 12]
  SHOW "v86_ss", [esp + 24]
  SHOW "v86_es", [esp + 28]
  SHOW "v86_gs", [esp + 40]
  mov eax, [esp + 12]
  and eax, 0x23200
  SHOW "v86_eflags", eax
  pop eax
  iret

bits 16
v86_start:
  cli
  pushf
  pop ax
  and ax, 0x200
  mov [V86(r_cli)], ax
  sti
  pushf
  pop ax
  and ax, 0x200
  mov [V86(r_sti)], ax
  cli
  mov ax, 0x1234
  push ax
  popf
  pushf
  pop ax
  and ax, 0x0fd5
  mov [V86(r_popf)], ax
  int 0x1d                              ; DPL 0 gate: #GP(0x1d * 8 + 2)
  int 0x1e
  in al, 0x21
  mov al, [V86(r_cli)]
  cmp byte [V86(r_sti) + 1], 2
  jne .bad
  cmp byte [V86(r_cli) + 1], 0
  jne .bad
  cmp word [V86(r_popf)], 0x0214 & 0x0fd5
  jne .bad
  hlt
.bad:
  out 0x21, al
  hlt
r_cli: dw 0
r_sti: dw 0
r_popf: dw 0
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
