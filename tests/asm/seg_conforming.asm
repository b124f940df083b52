; Conforming and non-conforming code segments in direct far transfers
; (SDM Vol. 3A §5.8.1 "Direct Calls or Jumps to Code Segments", §5.8.2;
; Vol. 2A "JMP", "CALL", Vol. 2B "RET"): a non-conforming target needs
; RPL <= CPL and DPL = CPL; a conforming target needs DPL <= CPL and runs
; at the caller's CPL (CS.RPL is set to CPL whatever the selector's RPL).
; A far RET to a CS with RPL < CPL is #GP(selector); the target offset
; must be within the new CS limit (#GP(0)). Errors are #GP(selector).
;
; golden: SDM. QEMU 7.2 TCG does not check the return offset of a far RET
; to the same privilege level against the CS limit (Vol. 2B "RET",
; RETURN-TO-SAME-PRIVILEGE-LEVEL: #GP(0)); it runs on at 300000h. The rest
; of the golden file is QEMU's output.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, 0, 0xfffff, 0x9e, 0xc           ; conforming readable, DPL 0
  SETDESC 0x58, 0, 0xfffff, 0xfe, 0xc           ; conforming readable, DPL 3
  SETDESC 0x60, 0, 0x1ff, 0x9e, 0xc             ; conforming, DPL 0, 2 MiB
  PROBE "cpl0 jmp 0018:", jmp SEG_CS3 & ~3:bad
  PROBE "cpl0 jmp 000b:", jmp SEG_CS0 | 3:bad
  PROBE "cpl0 call 000b:", call SEG_CS0 | 3:bad
  PROBE "cpl0 jmp 0058: (conforming dpl 3)", jmp 0x58:bad
  PROBE "cpl0 jmp 0060:300000 (limit)", jmp 0x60:0x300000
  PROBE "cpl0 jmp 0050:", jmp 0x50:.c0
.c0:
  mov eax, cs
  SHOW "cs", eax
  jmp SEG_CS0:.c1
.c1:
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  PROBE "cpl3 jmp 0008:", jmp SEG_CS0:bad
  PROBE "cpl3 call 0008:", call SEG_CS0:bad
  PROBE "cpl3 jmp 0031: (dpl 1)", jmp SEG_CS1:bad
  PROBE "cpl3 call 0050: (conforming dpl 0)", call 0x50:conf_fn
  mov eax, cs
  SHOW "cs after retf", eax
  PROBE "cpl3 jmp 0050:", jmp 0x50:.c2
.c2:
  mov eax, cs
  SHOW "cs", eax
  PROBE "cpl3 in conforming: read cs:", mov eax, [cs:buf]
  SHOW "eax", eax
  PROBE "cpl3 jmp 0059: (conforming dpl 3)", jmp 0x59:.c3
.c3:
  mov eax, cs
  SHOW "cs", eax
  jmp SEG_CS3:.c4
.c4:
  push dword SEG_CS0
  push dword bad
  PROBE "cpl3 retf to 0008:", retf
  add esp, 8
  push dword 0x50
  push dword bad
  PROBE "cpl3 retf to 0050: (conforming, rpl 0)", retf
  add esp, 8
  push dword 0x53
  push dword .c5
  PROBE "cpl3 retf to 0053: (conforming, rpl 3)", retf
.c5:
  mov eax, cs
  SHOW "cs", eax
  push dword 0x63                       ; conforming, 2 MiB limit
  push dword 0x300000
  mov ebx, esp
  PROBE "cpl3 retf to 0063:300000 (limit)", retf
  sub ebx, esp
  SHOW "esp_delta", ebx
  mov al, 0
  jmp exit

conf_fn:
  mov eax, cs
  SHOW "cs in conforming", eax
  mov eax, [esp + 4]
  SHOW "pushed cs", eax
  retf

bad:
  PRINT `bad target\n`
  mov al, 1
  jmp exit

section .data
buf: dd 0xabcdef01
