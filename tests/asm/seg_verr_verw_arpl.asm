; VERR, VERW and ARPL (SDM Vol. 2B "VERR/VERW", Vol. 2A "ARPL"; Vol. 3A
; §5.10.1 "Checking Access Rights", §5.10.4 "Checking Caller Access
; Privileges"): VERR sets ZF for a readable segment (data, or code with
; R) and VERW for a writable data segment (the P flag is not checked),
; visible at CPL and RPL (DPL >= both, except conforming code for VERR); null selectors, selectors beyond the table, system descriptors
; and execute-only code give ZF = 0. ARPL raises the RPL of its destination
; to the source's RPL (ZF = 1) or leaves it (ZF = 0); memory destinations
; too. Run at CPL 0 and CPL 3.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, 0, 0xffff, 0x90, 0x4            ; read-only data, DPL 0
  SETDESC 0x58, 0, 0xffff, 0x98, 0x4            ; execute-only code, DPL 0
  SETDESC 0x60, 0, 0xffff, 0x9e, 0x4            ; conforming readable, DPL 0
  SETDESC 0x68, 0, 0xffff, 0x9c, 0x4            ; conforming execute-only, DPL 0
  SETDESC 0x70, 0, 0xffff, 0x12, 0x4            ; writable data, not present
  SETDESC 0x78, 0, 0xffff, 0xd2, 0x4            ; writable data, DPL 2
  SETDESC 0x80, 0, 0xffff, 0xf0, 0x4            ; read-only data, DPL 3
  SETDESC 0x88, 0, 0xffff, 0xf6, 0x4            ; expand-down writable, DPL 3
  SETDESC 0x90, 0, 0xffff, 0xfa, 0x4            ; readable code, DPL 3
  xor eax, eax
  lldt ax
  PRINT `cpl 0\n`
  call table
  ; ARPL
  mov ax, 0x0010
  mov bx, 0x0003
  arpl ax, bx
  setz cl
  movzx eax, ax
  SHOW "arpl 0010,0003", eax
  movzx ecx, cl
  SHOW "  zf", ecx
  mov ax, 0x002b
  mov bx, 0x0001
  arpl ax, bx
  setz cl
  movzx eax, ax
  SHOW "arpl 002b,0001", eax
  movzx ecx, cl
  SHOW "  zf", ecx
  mov ax, 0xfffe
  mov bx, 0x0002
  arpl ax, bx
  setz cl
  movzx eax, ax
  SHOW "arpl fffe,0002", eax
  movzx ecx, cl
  SHOW "  zf", ecx
  mov word [mem], 0x1230
  mov word [mem + 2], 0x5555
  mov bx, 0x0ff2
  arpl [mem], bx
  setz cl
  SHOW "arpl [1230],0ff2", [mem]
  movzx ecx, cl
  SHOW "  zf", ecx
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  PRINT `cpl 3\n`
  call table
  mov ax, 0x0008
  mov bx, cs
  arpl ax, bx
  setz cl
  movzx eax, ax
  SHOW "arpl 0008,cs", eax
  movzx ecx, cl
  SHOW "  zf", ecx
  mov al, 0
  jmp exit

table:
  mov esi, sels
.next:
  movzx ebx, word [esi]
  cmp ebx, 0xffff
  je .done
  mov eax, ebx
  PRINT "sel="
  call put_hex32
  xor eax, eax
  verr bx
  setz al
  PRINT " verr="
  call put_hex8
  verw bx
  setz al
  PRINT " verw="
  call put_hex8
  call newline
  add esi, 2
  jmp .next
.done:
  ret

section .data
sels:
  dw 0x0000, 0x0003, 0x0008, 0x0010, 0x0013, 0x001b, 0x0023, 0x0028, 0x0039
  dw 0x0050, 0x0058, 0x0060, 0x0063, 0x0068, 0x0070, 0x0078, 0x007a, 0x007b
  dw 0x0083, 0x008b, 0x0093, 0x00f8, 0x0100, 0x000c, 0xffff
mem: dd 0
