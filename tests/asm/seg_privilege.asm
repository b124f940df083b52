; Privilege checks on segment-register loads (SDM Vol. 3A §5.5, §5.6
; "Privilege Level Checking When Accessing Data Segments", §5.7 "...When
; Loading the SS Register"; Vol. 2A "MOV"): DS/ES/FS/GS need
; max(CPL, RPL) <= DPL for data and non-conforming code, while readable
; conforming code loads at any privilege; SS needs RPL = DPL = CPL. Checked
; at CPL 0, 1 and 3, entered with IRET to an outer level, which also nulls
; the data segment registers whose DPL is below the new CPL but keeps
; those at or above it and conforming code (Vol. 2A "IRET"; §5.8.6).
%include "lib.inc"
%include "seg.inc"


main:
  call seg_setup
  SETDESC 0x50, 0, 0xfffff, 0x9e, 0xc           ; conforming readable code, DPL 0
  mov ax, 0x13
  PROBE "cpl0 es 0013", mov es, ax
  mov ax, 0x23
  PROBE "cpl0 es 0023", mov es, ax
  mov ax, 0x4a
  PROBE "cpl0 es 004a", mov es, ax
  mov ax, 0x23
  PROBE "cpl0 ss 0023", mov ss, ax
  mov ax, 0x13
  PROBE "cpl0 ss 0013", mov ss, ax
  mov ax, 0x39
  PROBE "cpl0 ss 0039", mov ss, ax
  mov ax, SEG_DS0
  mov es, ax
  mov ax, SEG_DS3
  mov fs, ax
  mov ax, 0x50
  mov gs, ax
  TO_RING SEG_CS1, SEG_DS1, seg_stack1_top, ring1
ring1:
  mov ebx, ds
  mov ecx, es
  mov edx, fs
  mov esi, gs
  mov ax, SEG_DS1
  mov ds, ax
  call show_segs
  mov eax, cs
  SHOW "cs", eax
  mov eax, ss
  SHOW "ss", eax
  mov ax, 0x10
  PROBE "cpl1 es 0010", mov es, ax
  mov ax, 0x39
  PROBE "cpl1 es 0039", mov es, ax
  mov ax, 0x4a
  PROBE "cpl1 es 004a", mov es, ax
  mov ax, 0x3b
  PROBE "cpl1 es 003b", mov es, ax
  mov ax, 0x4b
  PROBE "cpl1 es 004b", mov es, ax
  mov ax, 0x38
  PROBE "cpl1 es 0038", mov es, ax
  mov ax, 0x4a
  PROBE "cpl1 ss 004a", mov ss, ax
  mov ax, 0x38
  PROBE "cpl1 ss 0038", mov ss, ax
  mov ax, 0x39
  PROBE "cpl1 ss 0039", mov ss, ax
  mov ax, 0x50
  PROBE "cpl1 es 0050 (conforming)", mov es, ax
  mov ax, 0x39
  mov es, ax
  mov ax, 0x4a
  mov fs, ax
  mov ax, SEG_DS3
  mov gs, ax
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ebx, ds
  mov ecx, es
  mov edx, fs
  mov esi, gs
  mov ax, SEG_DS3
  mov ds, ax
  call show_segs
  mov ax, 0x39
  PROBE "cpl3 es 0039", mov es, ax
  mov ax, 0x4b
  PROBE "cpl3 es 004b", mov es, ax
  mov ax, 0x20
  PROBE "cpl3 es 0020", mov es, ax
  mov ax, 0x0b
  PROBE "cpl3 es 000b (code)", mov es, ax
  mov ax, 0x53
  PROBE "cpl3 es 0053 (conforming)", mov es, ax
  PROBE "cpl3 read es conforming", mov eax, [es:buf]
  SHOW "eax", eax
  mov ax, 0x20
  PROBE "cpl3 ss 0020", mov ss, ax
  mov ax, 0x4b
  PROBE "cpl3 ss 004b", mov ss, ax
  mov ax, 0x53
  PROBE "cpl3 ss 0053", mov ss, ax
  mov ax, 0x23
  PROBE "cpl3 ss 0023", mov ss, ax
  mov al, 0
  jmp exit

show_segs:
  SHOW "ds", ebx
  SHOW "es", ecx
  SHOW "fs", edx
  SHOW "gs", esi
  ret

section .data
buf: dd 0xfeedf00d
