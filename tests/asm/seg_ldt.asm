; Local descriptor tables (SDM Vol. 3A §3.5.1 "Segment Descriptor Tables",
; §3.4.2 (TI flag); Vol. 2A "LLDT", "SLDT"): LLDT loads LDTR from an
; LDT descriptor in the GDT (a TI = 1 selector is #GP(selector)); selectors
; with TI = 1 then name LDT entries, checked against the LDT limit
; (#GP(selector) with TI set). Code runs from an LDT code segment with a
; non-zero base (EIP is the offset from it; relative calls work), a call
; gate in the LDT takes CPL 3 code (itself in the LDT) to CPL 0. Segment
; registers keep their cached descriptors when LDTR changes; a null LLDT
; makes later LDT references #GP.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, ldt, 8 * 8 - 1, 0x82, 0         ; LDT, 8 entries
  mov eax, ldtcode
  mov [ldt + 0 + 2], ax                         ; 0x04: code base ldtcode
  shr eax, 16
  mov [ldt + 0 + 4], al
  mov [ldt + 0 + 7], ah
  mov eax, buf
  mov [ldt + 8 + 2], ax                         ; 0x0c: data base buf
  shr eax, 16
  mov [ldt + 8 + 4], al
  mov [ldt + 8 + 7], ah
  mov eax, gate_entry - ldtcode                 ; 0x14: call gate -> 0x04:gate_entry
  mov [ldt + 16], ax
  shr eax, 16
  mov [ldt + 16 + 6], ax
  mov dword [buf], 0xcafef00d
  mov ax, 0x50
  PROBE "lldt 0050", lldt ax
  sldt eax
  SHOW "ldtr", eax
  mov ax, 0x54
  PROBE "lldt 0054 (ti = 1)", lldt ax
  mov ax, 0x0c
  PROBE "load es 000c", mov es, ax
  SHOW "es:0", [es:0]
  mov ax, 0x44
  PROBE "load fs 0044 (beyond ldt limit)", mov fs, ax
  mov eax, 0xdeadbeef
  lsl eax, [sel_0c]
  SHOW "lsl 000c", eax
  PROBE "jmp far 0004:0", jmp 0x04:0
after_ldt:
  mov eax, cs
  SHOW "back: cs", eax
  ; LDTR null: the cached FS stays usable, a reload from the LDT faults
  ; (ES, which the fault handler reloads, must hold a GDT selector)
  mov ax, SEG_DS0
  mov es, ax
  mov ax, 0x0c
  mov fs, ax
  xor eax, eax
  lldt ax
  SHOW "fs:0 after null lldt", [fs:0]
  mov ax, 0x0c
  PROBE "reload fs 000c", mov fs, ax
  mov ax, 0x50
  lldt ax
  TO_RING 0x1f, 0x27, seg_stack3_top, ring3     ; LDT code/data, DPL 3
ring3:
  mov ax, 0x27
  mov ds, ax
  mov es, ax
  mov eax, cs
  SHOW "ring 3: cs", eax
  call 0x17:0
  mov eax, cs
  SHOW "ring 3 again: cs", eax
  mov al, 0
  jmp exit

ldtcode:                                ; CS = 0004h, base = ldtcode
  mov eax, cs
  SHOW "in ldt code: cs", eax
  call .here
.here:
  pop eax
  SHOW "eip of .here", eax
  jmp 0x08:after_ldt
gate_entry:                             ; CPL 0 through the LDT gate
  push ds
  push eax
  mov ax, SEG_DS0
  mov ds, ax
  pop eax
  mov eax, cs
  SHOW "in gate target: cs", eax
  mov eax, ss
  SHOW "  ss", eax
  SHOW "  pushed cs", [esp + 8 + 4]     ; SHOW pushes EAX first
  pop ds
  retf


section .data
align 8
ldt:
  dq 0x00cf9a000000ffff                 ; 0x04: 32-bit code, DPL 0 (base set)
  dq 0x00409200000000ff                 ; 0x0c: data, DPL 0, limit 0ffh (base set)
  dq 0x0000ec0000040000                 ; 0x14: call gate, DPL 3 -> 0004h
  dq 0x00cffa000000ffff                 ; 0x1c: flat code, DPL 3
  dq 0x00cff2000000ffff                 ; 0x24: flat data, DPL 3
  dq 0, 0, 0
sel_0c: dw 0x0c

section .bss
buf: resd 4
