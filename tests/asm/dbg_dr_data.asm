; Data breakpoints (SDM Vol. 3A §17.2.4-17.2.5, §17.3.1.2): R/W = 01 traps
; after a write, R/W = 11 after a read or write, with the saved EIP after
; the accessing instruction and DR6.Bn set. LEN = 2 / 4 ignore the low 1 /
; 2 address bits of DRn; any access overlapping the covered bytes hits,
; others (and reads, for a write-only breakpoint) do not. One access can
; hit two breakpoints (both bits set). A hit by a PUSH (implicit stack
; write) counts too.
; golden: SDM. For accesses that straddle the breakpoint ranges QEMU 7.2 TCG
; reports the wrong DR6 bits (B0 for a write of bytes 3..4, only B0 for a
; write of bytes 1..4). SDM Vol. 3A §17.2.5: a data breakpoint triggers if
; any byte of the access is in the range of DRn and LENn, and §17.2.3: Bn
; is set for each breakpoint whose condition was met. The golden file has
; dr6=00000002 and dr6=00000003 there; the rest is QEMU's output.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  xor eax, eax
  mov dr6, eax
  mov eax, buf
  mov dr0, eax                          ; LEN 2: covers buf+0..1
  mov eax, buf + 4
  mov dr1, eax                          ; LEN 4: covers buf+4..7
  mov eax, 0x00f5000a                   ; G0, G1; R/W0 = 01 LEN0 = 01; R/W1 = 11 LEN1 = 11
  mov dr7, eax
  PRINT `w0\n`
  mov byte [buf], 1                     ; hit B0
  PRINT `w2\n`
  mov byte [buf + 2], 2                 ; no hit
  PRINT `r1\n`
  mov al, [buf + 1]                     ; read, write-only breakpoint: no hit
  PRINT `r4\n`
  mov eax, [buf + 4]                    ; hit B1
  PRINT `w3\n`
  mov [buf + 3], ax                     ; bytes 3..4: hit B1
  PRINT `r8\n`
  mov eax, [buf + 8]                    ; no hit
  PRINT `w1\n`
  mov [buf + 1], eax                    ; bytes 1..4: B0 and B1
  PRINT `add\n`
  add dword [buf + 4], 1                ; read-modify-write: B1
  xor eax, eax
  mov dr7, eax
  SHOW "count", [db_count]
  SHOW "buf0", [buf]
  SHOW "buf4", [buf + 4]
  mov al, 0
  ret

section .data
align 16
buf: times 16 db 0
