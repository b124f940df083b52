; #GP (SDM Vol. 3A §6.15 "Interrupt 13") in 64-bit mode: a non-canonical
; data address (0), a selector past the GDT limit (selector), a non-canonical JMP target (fault on the JMP), and at CPL 3
; HLT, MOV from CR0 and loading DS with a DPL 0 segment (selector).
;
; golden: SDM
; QEMU 7.2 TCG does not fault on the JMP to a non-canonical address and
; reports RIP 0; the SDM (Vol. 2A "JMP", 64-Bit Mode Exceptions: "#GP(0) If
; the target offset is non-canonical"; a fault, so RIP is the JMP) gives the
; JMP's address. The golden file is QEMU's with that RIP.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  EXPECT64 .r1
  mov rbx, 0x8000000000000000
  mov rax, [rbx]
.r1:
  EXPECT64 .r2
  mov ax, 0x68
  mov ds, ax
.r2:
.r3:
  EXPECT64 .r4
  mov rbx, 0x0000800000000000
  jmp rbx
.r4:
  EXPECT64 .r5
  mov ax, 0x13                            ; RPL 3 on a DPL 0 code segment
  mov ds, ax
.r5:
  TO_USER64 user
user:
  EXPECT64 .u1
  hlt
.u1:
  EXPECT64 .u2
  mov rax, cr0
.u2:
  EXPECT64 .u3
  mov ax, LM_DS
  mov ds, ax
.u3:
  EXPECT64 .u4
  lgdt [lm64_gdt_ptr]
.u4:
  mov ax, cs
  movzx eax, ax
  SHOW "user_cs", eax
  mov al, 0
  jmp exit
