; General detect (SDM Vol. 3A §17.2.4, §17.3.1.3): with DR7.GD = 1 any MOV
; to or from a debug register is a #DB fault before the instruction (saved
; EIP = the MOV, DR6.BD set, DR7 unchanged otherwise); the processor clears
; GD on entry to the #DB handler, so the handler can use the debug
; registers. The faulting MOV did not execute (EAX unchanged).
; golden: SDM. QEMU 7.2 TCG does not implement DR7.GD (the MOVs execute and
; no #DB is raised). The golden file follows SDM Vol. 3A §17.2.4 ("GD ...
; the processor clears the GD flag upon entering the debug exception
; handler") and §17.3.1.3 (general-detect fault, BD set): two #DB at the
; MOVs with DR6 = BD, EAX and DR7 unchanged by the faulting MOVs.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  xor eax, eax
  mov dr6, eax
  mov eax, 0x12345678
  mov dr1, eax
  mov eax, 0x00002002                   ; GD, G0
  mov dr7, eax
  mov dword [db_resume], .r1
  mov eax, 0xaaaa
.f1:
  mov eax, dr1                          ; #DB (BD), EIP = .f1
  PRINT `not reached\n`
.r1:
  SHOW "eax", eax
  mov eax, dr7
  and eax, 0x2fff
  SHOW "dr7", eax                       ; GD cleared, G0 kept
  ; again for a write, to DR7 itself
  or eax, 0x2000
  mov dr7, eax
  mov dword [db_resume], .r2
  xor eax, eax
.f2:
  mov dr7, eax                          ; #DB (BD)
  PRINT `not reached\n`
.r2:
  mov eax, dr7
  and eax, 0x2fff
  SHOW "dr7", eax
  xor eax, eax
  mov dr7, eax
  mov eax, dr1
  SHOW "dr1", eax
  SHOW "count", [db_count]
  mov al, 0
  ret
