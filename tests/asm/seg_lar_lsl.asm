; LAR and LSL (SDM Vol. 2A "LAR", "LSL": the valid descriptor types,
; Vol. 3A §5.10.3 "Checking Access Rights", §5.10.4 "Checking Caller
; Access Privileges"): ZF = 1 and the access rights (dword 1 of the
; descriptor masked with 00F0FF00H; 0FF00H for a 16-bit operand) or the
; byte-granular limit (G applied) when the selector is not null, within
; the table, of an accepted type, and visible (DPL >= CPL and >= RPL,
; unless conforming code). The P flag is not checked. LAR accepts code,
; data, TSSs, LDTs, call and task gates; LSL no gates. Otherwise ZF = 0
; and the destination is unchanged. Run at CPL 0 and CPL 3. The accessed
; bit (bit 8 of the result) is not printed: QEMU 7.2 TCG does not set it
; when it loads CS, where the SDM does (Vol. 3A §3.4.5.1).
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, 0x12345678, 0x1234, 0x92, 0x4   ; data, byte granular
  SETDESC 0x58, 0, 0xabcde, 0x12, 0xc           ; data, not present, G = 1
  SETDESC 0x60, 0, 0xfffff, 0x9e, 0xc           ; conforming code, DPL 0
  SETDESC 0x68, 0, 0xfff, 0x82, 0               ; LDT
  SETDESC 0x70, 0, 0x2b, 0x81, 0                ; 16-bit TSS, available
  SETGATE 0x78, 0x1000, SEG_CS0, 0x84, 3        ; 16-bit call gate
  SETGATE 0x80, 0x1000, SEG_CS0, 0xec, 5        ; 32-bit call gate, DPL 3
  SETGATE 0x88, 0, SEG_TSS, 0x85, 0             ; task gate
  SETGATE 0x90, 0x1000, SEG_CS0, 0x8e, 0        ; interrupt gate
  SETGATE 0x98, 0x1000, SEG_CS0, 0x8f, 0        ; trap gate
  SETDESC 0xa0, 0, 0xffff, 0x80, 0              ; system type 0 (reserved)
  SETDESC 0xa8, 0, 0xffff, 0x88, 0              ; type 8 (reserved)
  SETDESC 0xb0, 0, 0xffff, 0x8a, 0              ; type 10 (reserved)
  SETDESC 0xb8, 0, 0xffff, 0x8d, 0              ; type 13 (reserved)
  SETDESC 0xc0, 0, 0xffff, 0xd2, 0x4            ; data, DPL 2
  SETDESC 0xc8, 0, 0xfffff, 0xf8, 0xc           ; execute-only code, DPL 3
  xor eax, eax
  lldt ax                               ; TI = 1 selectors: ZF = 0
  PRINT `cpl 0\n`
  call table
  mov eax, 0x12345678
  mov ebx, 0x50
  lar ax, bx
  SHOW "lar ax (16-bit)", eax
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  PRINT `cpl 3\n`
  call table
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
  mov eax, 0xdeadbeef
  lar eax, ebx
  setz cl
  and eax, ~0x100                       ; the accessed bit: QEMU sets none on CS loads
  PRINT " lar="
  xchg eax, ecx
  call put_hex8
  xchg eax, ecx
  PRINT ":"
  call put_hex32
  mov eax, 0xdeadbeef
  lsl eax, ebx
  setz cl
  PRINT " lsl="
  xchg eax, ecx
  call put_hex8
  xchg eax, ecx
  PRINT ":"
  call put_hex32
  call newline
  add esi, 2
  jmp .next
.done:
  ret

section .data
sels:
  dw 0x0000, 0x0003, 0x0008, 0x000b, 0x0010, 0x0013, 0x001b, 0x0023, 0x0028
  dw 0x0031, 0x0039, 0x0050, 0x0053, 0x0058, 0x0063, 0x0068, 0x0070, 0x0078
  dw 0x0080, 0x0083, 0x0088, 0x0090, 0x0098, 0x00a0, 0x00a8, 0x00b0, 0x00b8
  dw 0x00c0, 0x00c2, 0x00c3, 0x00cb, 0x00f8, 0x0100, 0x0004, 0xffff
