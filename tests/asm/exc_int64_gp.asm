; golden: SDM
; INT n faults in IA-32e mode (SDM Vol. 2A "INT n/INTO/INT3/INT1", Operation,
; IA-32e mode branch; Vol. 3A §6.13 "Error Code", §6.14.1 "64-Bit Mode IDT"):
; the error code names the gate by its vector, error_code(vector, IDT = 1,
; EXT = 0) = vector * 8 + 2, even though 64-bit gates are 16 bytes long.
;   - INT n from CPL 3 through a DPL 0 gate: #GP(n * 8 + 2);
;   - INT n whose 16-byte gate lies beyond the IDT limit: #GP(n * 8 + 2),
;     at CPL 0 and CPL 3;
;   - INT n through a DPL 3 gate that is not present: #NP(n * 8 + 2).
; QEMU 7.2 TCG scales the vector by 16 in these error codes (#GP(0x132)
; for vector 0x13, and so on); the golden file is QEMU's output with the
; SDM's error codes.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov byte [lm64_idt + 0x13 * 16 + 5], 0x8e    ; vector 0x13: DPL 0
  mov byte [lm64_idt + 0x14 * 16 + 5], 0x6e    ; vector 0x14: DPL 3, not present
  EXPECT64 .k1
  int 0x40                                     ; beyond the limit (32 gates)
.k1:
  EXPECT64 .k3
  int 0x13                                     ; DPL 0 at CPL 0: delivered
.k3:
  TO_USER64 user
user:
  EXPECT64 .u1
  int 0x13
.u1:
  EXPECT64 .u2
  int 0x14
.u2:
  EXPECT64 .u3
  int 0x21
.u3:
  EXPECT64 .u4
  int 0xff
.u4:

  xor eax, eax
  mov ax, cs
  SHOW "user_cs", eax
  mov al, 0
  jmp exit
