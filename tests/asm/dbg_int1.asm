; INT1 / ICEBP (F1) in 64-bit mode (SDM Vol. 2A "INT n/INTO/INT3/INT1",
; Vol. 3A §6.15 "Interrupt 1"): a #DB trap (saved RIP after the F1 byte)
; delivered like a hardware exception, so the gate DPL is not checked:
; from CPL 3 through a DPL-0 gate it reaches the handler at CPL 0, while
; INT 1 (CD 01) from CPL 3 through the same gate is #GP with error code
; 1*8+2 (IDT, EXT = 0).
;
; golden: SDM. QEMU 7.2 TCG raises #UD for F1 here and the test then runs
; off the rails; the golden file follows the SDM (INT n pseudo-code: the
; gate DPL check applies to INT n, INT3 and INTO, "does not apply to
; INT1"): db at CPL 3 with RIP after F1, then #GP(0x0a) at the INT 1.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 1, db64, 0, 0x8e           ; DPL 0 interrupt gate
  xor eax, eax
  mov dr6, rax
  int1                                  ; CPL 0
.k1:
  TO_USER64 user
user:
  int1                                  ; CPL 3: #DB, no DPL check
.u1:
  EXPECT64 .u2
  int 1                                 ; #GP(0x0a)
.u2:
  mov eax, [rel db_n]
  SHOW "count", eax
  mov al, 0
  jmp exit

db64:
  push rax
  PRINT "db rip="
  mov eax, [rsp + 8]
  call put_hex32
  mov eax, [rsp + 16]
  and eax, 3
  PRINT " from_cpl="
  call put_hex8
  mov ax, cs
  PRINT " cs="
  call put_hex8
  call newline
  add dword [rel db_n], 1
  pop rax
  iretq

section .data
db_n: dd 0
