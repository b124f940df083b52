; The accessed bit (SDM Vol. 3A §3.4.5.1 "Code- and Data-Segment
; Descriptor Types": "The processor sets this bit whenever it loads a
; segment selector for the segment into a segment register"): set by MOV
; to DS/ES/FS/GS/SS, POP, LES, far JMP/CALL to a code segment, a call
; gate's target CS and its new SS from the TSS; not by LAR/LSL/VERR/VERW,
; nor by a faulting load, nor by a null selector. LTR sets the TSS's busy
; bit instead (Vol. 2A "LTR").
;
; golden: SDM. QEMU 7.2 TCG does not set the accessed bit when it loads
; CS (far JMP, far CALL, the call gate's target) or the SS of a call-gate
; stack switch; the golden file is QEMU's output with those four lines
; corrected.
%include "lib.inc"
%include "seg.inc"

; ACC "name", sel: prints the access byte of GDT entry `sel`.
%macro ACC 2
  movzx eax, byte [seg_gdt + ((%2) & ~7) + 5]
  SHOW %1, eax
%endmacro

main:
  call seg_setup
  SETDESC 0x50, 0, 0xfffff, 0x92, 0xc           ; data
  SETDESC 0x58, 0, 0xfffff, 0x92, 0xc
  SETDESC 0x60, 0, 0xfffff, 0x92, 0xc
  SETDESC 0x68, 0, 0xfffff, 0x9a, 0xc           ; code
  SETDESC 0x70, 0, 0xfffff, 0x9a, 0xc           ; code
  SETDESC 0x78, 0, 0xfffff, 0x92, 0xc           ; stack (for LSS)
  SETDESC 0x80, 0, 0xfffff, 0xb2, 0xc           ; DPL 1 stack for the gate
  SETDESC 0x88, 0, 0xfffff, 0xba, 0xc           ; DPL 1 code for the gate
  SETGATE 0x90, gtarget, 0x88, 0xec, 0          ; DPL 3 gate -> 0088h
  SETDESC 0x98, 0, 0xfffff, 0x12, 0xc           ; not present
  SETDESC 0xa0, 0, 0xfffff, 0x92, 0xc           ; probed only
  mov dword [seg_tss + 12], seg_stack1_top      ; ESP1
  mov dword [seg_tss + 16], 0x81                ; SS1
  ACC "before: 0050", 0x50
  mov ax, 0x50
  mov es, ax
  ACC "mov es: 0050", 0x50
  push dword 0x58
  pop fs
  ACC "pop fs: 0058", 0x58
  mov dword [fp], 0
  mov word [fp + 4], 0x60
  les ebx, [fp]
  ACC "les: 0060", 0x60
  mov word [fp + 4], 0x78
  mov [saved_esp], esp
  mov dword [fp], esp
  lss esp, [fp]
  mov ax, SEG_DS0
  mov ss, ax
  ACC "lss: 0078", 0x78
  jmp 0x68:.j
.j:
  jmp SEG_CS0:.k
.k:
  ACC "far jmp: 0068", 0x68
  call 0x70:far_fn
  ACC "far call: 0070", 0x70
  mov ax, 0xa0
  lar ebx, eax
  lsl ebx, eax
  verr ax
  verw ax
  ACC "lar/lsl/verr/verw: 00a0", 0xa0
  mov ax, 0x98
  EXPECT .np
  mov gs, ax
.np:
  ACC "faulting load: 0098", 0x98
  xor eax, eax
  mov gs, ax
  ACC "null load: gdt[0] byte 5", 0
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  ACC "before gate: 0080 (ss1)", 0x80
  ACC "before gate: 0088 (target)", 0x88
  call 0x93:0
  ACC "after gate: 0080 (ss1)", 0x80
  ACC "after gate: 0088 (target)", 0x88
  mov al, 0
  jmp exit

far_fn:
  retf
gtarget:
  retf

section .bss
fp: resd 2
saved_esp: resd 1
