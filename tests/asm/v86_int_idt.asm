; INT n from virtual-8086 mode at IOPL 3 without VME goes through the
; protected-mode IDT (SDM Vol. 3A §20.3.1.1, Table 20-2 method 1; Vol. 2A
; "INT n", TRAP-OR-INTERRUPT-GATE and INTERRUPT-FROM-VIRTUAL-8086-MODE):
; an interrupt gate clears IF, a trap gate leaves it; VM, TF, NT are clear
; in the handler, which runs at CPL 0 on the TSS stack. A gate DPL < 3 is
; #GP(vector * 8 + 2), a not-present gate #NP(vector * 8 + 2), and a gate
; whose code segment is not a non-conforming DPL 0 one (here DPL 3, and
; conforming DPL 0) is #GP(selector). The handler's IRET (CPL 0, VM = 1 in
; the image) reloads DS from the frame and may change IOPL.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

%macro GATE 4                           ; vector, handler, selector, type byte
  mov eax, %2
  mov [idt32_table + (%1) * 8], ax
  mov word [idt32_table + (%1) * 8 + 2], %3
  mov byte [idt32_table + (%1) * 8 + 5], %4
  shr eax, 16
  mov [idt32_table + (%1) * 8 + 6], ax
%endmacro

main:
  call idt32_setup
  VX_SETUP 0
  mov dword [vx_gdt + 0x20], 0x0000ffff           ; 0x20: conforming code, DPL 0
  mov dword [vx_gdt + 0x20 + 4], 0x00cf9e00
  GATE 0x1a, h1a, 0x08, 0xee            ; interrupt gate, DPL 3
  GATE 0x1b, h1b, 0x08, 0xef            ; trap gate, DPL 3
  GATE 0x1c, h1a, 0x18, 0xee            ; code segment DPL 3
  GATE 0x1d, h1a, 0x20, 0xee            ; conforming code segment
  GATE 0x1e, h1a, 0x08, 0x8e            ; gate DPL 0
  GATE 0x1f, h1a, 0x08, 0x6e            ; not present
  VX_GO 0x3200                          ; IOPL 3, IF 1
vx_done:
  ret

h1a:
  push dword 0x1a
  jmp hint
h1b:
  push dword 0x1b
  jmp hint
; [esp] vector, +4 EIP, +8 CS, +12 EFLAGS, +16 ESP, +20 SS, +24 ES, +28 DS
hint:
  push eax
  push ds
  mov ax, 0x10
  mov ds, ax
  pushfd
  pop eax
  and eax, 0x27300                      ; VM NT IOPL IF TF
  SHOW "h_eflags", eax
  mov eax, [esp + 8]
  SHOW "vec", eax
  mov eax, [esp + 12]
  SHOW "ip", eax
  mov eax, [esp + 20]
  and eax, 0x27300
  SHOW "eflags", eax
  mov eax, vx_kstack_top
  sub eax, esp
  SHOW "kstack_used", eax
  cmp dword [esp + 8], 0x1b
  jne .same
  mov dword [esp + 36], 0x3000          ; v86 DS := 0x3000
  and dword [esp + 20], ~0x3000         ; IOPL := 0
.same:
  pop ds
  pop eax
  add esp, 4
  mov eax, 0x600d                       ; general registers pass through
  iret

bits 16
align 16
v86_start:
  int 0x1a
  out 0xe1, al                          ; EAX from the handler
  VCMD 0
  int 0x1b
  mov ax, ds
  movzx eax, ax
  out 0xe1, al                          ; 3000 from the frame
  push cs
  pop ds
  VCMD 0                                ; IOPL 0 now
  cli                                   ; #GP(0)
  VCMD 3
  int 0x1c                              ; #GP(0x18)
  int 0x1d                              ; #GP(0x20)
  int 0x1e                              ; #GP(0x1e * 8 + 2)
  mov word [VX(vx_resume)], VX(.np)
  int 0x1f                              ; #NP(0x1f * 8 + 2)
.np:
  hlt
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
