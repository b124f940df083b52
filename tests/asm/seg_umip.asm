; User-mode instruction prevention (SDM Vol. 3A §2.5 "Control Registers",
; CR4.UMIP; Vol. 2B "SGDT", "SIDT", "SLDT", "SMSW", "STR"): with CR4.UMIP
; = 1 these five are #GP(0) at CPL > 0 (register and memory forms); at
; CPL 0 they still work, and with UMIP = 0 they work at CPL 3 too. The
; CPL 3 code switches UMIP on through a call gate to CPL 0 and back.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETGATE 0x50, umip_on, SEG_CS0, 0xec, 0
  xor eax, eax
  lldt ax
  mov eax, 0x31                         ; PE ET NE: a known MSW
  mov cr0, eax
  mov eax, 7
  xor ecx, ecx
  cpuid
  shr ecx, 2
  and ecx, 1
  SHOW "cpuid umip", ecx
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  PRINT `cpl 3, umip 0\n`
  call probes
  call 0x53:0
  PRINT `cpl 3, umip 1\n`
  call probes
  mov al, 0
  jmp exit

umip_on:                                ; CPL 0 through the gate
  push ds
  mov ax, SEG_DS0
  mov ds, ax
  mov eax, cr4
  or eax, 1 << 11
  mov cr4, eax
  PRINT `cpl 0, umip 1\n`
  call probes
  pop ds
  retf

probes:
  mov dword [buf], 0
  mov dword [buf + 4], 0
  PROBE "sgdt", sgdt [buf]
  movzx eax, word [buf]
  SHOW "  limit", eax
  mov eax, [buf + 2]
  sub eax, seg_gdt
  SHOW "  base-seg_gdt", eax
  PROBE "sidt", sidt [buf]
  movzx eax, word [buf]
  SHOW "  limit", eax
  mov eax, 0x5555
  PROBE "sldt eax", sldt eax
  SHOW "  eax", eax
  mov eax, 0x5555
  PROBE "str ax", str ax
  SHOW "  eax", eax
  mov word [buf], 0x7777
  PROBE "str [mem]", str [buf]
  movzx eax, word [buf]
  SHOW "  mem", eax
  mov eax, 0x55555555
  PROBE "smsw eax", smsw eax
  movzx eax, ax                         ; bits 31:16 of r32 are undefined (Vol. 2B "SMSW")
  SHOW "  ax", eax
  mov word [buf], 0x7777
  PROBE "smsw [mem]", smsw [buf]
  movzx eax, word [buf]
  SHOW "  mem", eax
  ret

section .bss
buf: resd 2
