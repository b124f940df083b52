; Far RET to an outer privilege level (SDM Vol. 2B "RET",
; RETURN-TO-OUTER-PRIVILEGE-LEVEL; Vol. 3A §5.8.6 "Returning from a Called
; Procedure"): after a call through a gate, RETF pops CS:EIP and SS:ESP,
; then nulls each of DS, ES, FS, GS that holds a data or non-conforming
; code segment with DPL < the new CPL (conforming code and segments with
; DPL >= CPL are kept). Frames built by hand check the return SS: null,
; RPL != the return CS's RPL, DPL != RPL or not writable data are
; #GP(selector) (#GP(0) for null), not present #SS(selector); a not-present
; return CS is #NP(selector), a data segment as CS #GP(selector).
;
; golden: SDM. QEMU 7.2 TCG raises #NP instead of #SS(selector) for a
; not-present return SS (Vol. 2B "RET": "IF stack segment not present THEN
; #SS(StackSegmentSelector)"); the golden file is QEMU's output with that
; line corrected.
%include "lib.inc"
%include "seg.inc"

; RFRAME ss, esp, cs, eip: pushes a far-return frame for an outer level.
%macro RFRAME 4
  push dword %1
  push dword %2
  push dword %3
  push dword %4
%endmacro

main:
  call seg_setup
  SETGATE 0x50, inner, SEG_CS0, 0xec, 0         ; DPL 3 gate to CPL 0
  SETDESC 0x58, 0, 0xfffff, 0x9e, 0xc           ; conforming readable, DPL 0
  SETDESC 0x60, 0, 0xfffff, 0xf0, 0xc           ; read-only data, DPL 3
  SETDESC 0x68, 0, 0xfffff, 0x72, 0xc           ; data, DPL 3, not present
  SETDESC 0x70, 0, 0xfffff, 0x7a, 0xc           ; code, DPL 3, not present
  mov ebp, esp
  RFRAME 0x20, ebp, SEG_CS3, bad
  PROBE "retf ss 0020 (rpl 0)", retf
  mov esp, ebp
  RFRAME 0x3b, ebp, SEG_CS3, bad
  PROBE "retf ss 003b (dpl 1)", retf
  mov esp, ebp
  RFRAME 0x63, ebp, SEG_CS3, bad
  PROBE "retf ss 0063 (read-only)", retf
  mov esp, ebp
  RFRAME 0x6b, ebp, SEG_CS3, bad
  PROBE "retf ss 006b (not present)", retf
  mov esp, ebp
  RFRAME 0, ebp, SEG_CS3, bad
  PROBE "retf ss 0000", retf
  mov esp, ebp
  RFRAME SEG_DS3, ebp, 0x73, bad
  PROBE "retf cs 0073 (not present)", retf
  mov esp, ebp
  RFRAME SEG_DS3, ebp, SEG_DS3, bad
  PROBE "retf cs 0023 (data)", retf
  mov esp, ebp
  ; CPL 1 caller
  TO_RING SEG_CS1, SEG_DS1, seg_stack1_top, ring1
ring1:
  mov ax, SEG_DS1
  mov ds, ax
  mov dword [plan], plan1
  call 0x53:0
  call show_segs
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov dword [plan], plan3
  call 0x53:0
  call show_segs
  mov al, 0
  jmp exit

show_segs:                              ; prints CS SS DS ES FS GS
  push eax
  mov eax, cs
  SHOW "cs", eax
  mov eax, ss
  SHOW "ss", eax
  mov eax, ds
  push ds
  push eax
  mov ax, ss                            ; a null DS cannot be used to print
  mov ds, ax
  pop eax
  SHOW "ds", eax
  mov eax, es
  SHOW "es", eax
  mov eax, fs
  SHOW "fs", eax
  mov eax, gs
  SHOW "gs", eax
  pop ds
  pop eax
  ret

inner:                                  ; CPL 0: loads the plan's DS ES FS GS
  mov ax, SEG_DS0
  mov ds, ax
  mov ebx, [plan]
  PRINT "in inner from cs="
  mov eax, [esp + 4]
  call put_hex32
  call newline
  mov es, [ebx + 2]
  mov fs, [ebx + 4]
  mov gs, [ebx + 6]
  mov ds, [ebx + 0]
  retf

bad:
  PRINT `bad target\n`
  mov al, 1
  jmp exit

section .data
plan: dd 0
; DS ES FS GS loaded before RETF
plan1: dw SEG_DS1, 0x4a, SEG_DS0, 0x58
plan3: dw SEG_DS3, SEG_DS0, 0x58, SEG_CS0
