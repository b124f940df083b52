; JMP through a call gate (SDM Vol. 3A §5.8.4 "Accessing a Code Segment
; Through a Call Gate"; Vol. 2A "JMP"
; CALL-GATE): no privilege change and no stack switch. The gate needs
; DPL >= CPL and DPL >= RPL (#GP(gate)); the target must be a
; non-conforming code segment with DPL = CPL or a conforming one with
; DPL <= CPL (#GP(target)); nothing is pushed, CS.RPL becomes CPL, and the
; far pointer's offset is ignored.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, 0, 0xfffff, 0x9e, 0xc           ; conforming, DPL 0
  SETGATE 0x58, tgt, SEG_CS3 & ~3, 0xec, 0      ; DPL 3 gate -> DPL 3 code
  SETGATE 0x60, bad, SEG_CS0, 0xec, 0           ; DPL 3 gate -> DPL 0 code
  SETGATE 0x68, tgt, 0x50, 0xec, 0              ; DPL 3 gate -> conforming DPL 0
  SETGATE 0x70, tgt, SEG_CS0, 0x8c, 0           ; DPL 0 gate -> DPL 0 code
  SETGATE 0x78, bad, SEG_DS0, 0xec, 0           ; gate to data
  SETGATE 0x80, tgt, SEG_CS1 & ~3, 0xcc, 0      ; DPL 2 gate -> DPL 1 code
  mov [esp_before], esp
  PROBE "cpl0 jmp 0070:12345678", jmp 0x70:0x12345678
  PROBE "cpl0 jmp 0073 (rpl 3 > gate dpl 0)", jmp 0x73:0
  PROBE "cpl0 jmp 0058 (to dpl 3)", jmp 0x58:0
  PROBE "cpl0 jmp 0068 (to conforming)", jmp 0x68:0
  PROBE "cpl0 jmp 0078 (to data)", jmp 0x78:0
  TO_RING SEG_CS1, SEG_DS1, seg_stack1_top, ring1
ring1:
  mov ax, SEG_DS1
  mov ds, ax
  mov [esp_before], esp
  PROBE "cpl1 jmp 0080 (gate dpl 2, to dpl 1)", jmp 0x80:0
  PROBE "cpl1 jmp 0083 (rpl 3 > gate dpl 2)", jmp 0x83:0
  PROBE "cpl1 jmp 0070 (gate dpl 0)", jmp 0x70:0
  PROBE "cpl1 jmp 0068 (to conforming)", jmp 0x68:0
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov [esp_before], esp
  PROBE "cpl3 jmp 005b", jmp 0x5b:0
  PROBE "cpl3 jmp 0060 (to dpl 0)", jmp 0x60:0
  PROBE "cpl3 jmp 0068 (to conforming)", jmp 0x68:0
  PROBE "cpl3 jmp 0080 (gate dpl 2)", jmp 0x80:0
  mov al, 0
  jmp exit

tgt:                                    ; shows CS and the ESP change, returns with JMP
  push eax
  push ebx
  mov eax, cs
  mov ebx, esp
  add ebx, 8
  sub ebx, [esp_before]
  PRINT "cs="
  call put_hex32
  PRINT " esp delta="
  mov eax, ebx
  call put_hex32
  call newline
  pop ebx
  pop eax
  jmp [seg_resume]

bad:
  PRINT `bad target\n`
  mov al, 1
  jmp exit

section .bss
esp_before: resd 1
