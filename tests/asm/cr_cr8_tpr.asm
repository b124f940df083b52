; CR8, the task-priority register, in 64-bit mode (SDM Vol. 3A §2.5,
; §10.8.6.1; Vol. 2B "MOV--Move to/from Control Registers"): MOV to CR8
; keeps bits 3:0 and reads them back (any GPR, including R8-R15); a 1 in
; bits 63:4 is #GP(0) and CR8 keeps its value; at CPL 3 both directions are
; #GP(0).
;
; golden: SDM
; QEMU 7.2 TCG drops bits 63:4 of a MOV to CR8 instead of raising #GP(0)
; (Vol. 2B "MOV--Move to/from Control Registers", 64-Bit Mode Exceptions:
; "If an attempt is made to write a 1 to any reserved bit in CR8"). The
; golden file is QEMU's output with those two writes faulting and CR8
; keeping 0AH.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  xor ebx, ebx                  ; CR8 values 0..15, collected nibble by nibble
  xor ecx, ecx
.loop:
  mov cr8, rcx
  mov rax, cr8
  shl rbx, 4
  or rbx, rax
  add ecx, 1
  cmp ecx, 16
  jne .loop
  SHOW64 "cr8_0_15", rbx
  mov r9, 0xa
  mov cr8, r9
  mov r13, cr8
  SHOW64 "cr8_r9_r13", r13
  EXPECT64 .r1
  mov eax, 0x10
  mov cr8, rax                  ; bit 4: #GP
.r1:
  mov rax, cr8
  SHOW64 "cr8", rax
  EXPECT64 .r2
  mov rax, 0x8000000000000005
  mov cr8, rax                  ; bit 63: #GP
.r2:
  mov rax, cr8
  SHOW64 "cr8", rax
  xor eax, eax
  mov cr8, rax
  TO_USER64 user
user:
  EXPECT64 .u1
  mov rax, cr8
.u1:
  EXPECT64 .u2
  mov cr8, rax
.u2:
  mov al, 0
  jmp exit
