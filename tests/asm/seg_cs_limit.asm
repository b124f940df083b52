; Near branches against the CS limit (SDM Vol. 2A "JMP", "CALL", "Jcc",
; "LOOP/LOOPcc", "JECXZ", Vol. 2B "RET": "#GP(0) If the target offset is
; beyond the code segment limit"): the fault is raised by the branch
; itself (EIP points at it), a faulting CALL pushes nothing and a faulting
; RET pops nothing, a LOOP that faults leaves ECX alone; a target exactly
; at the limit is fine; untaken branches do not check. Runs in a code
; segment with base 0 and a 2 MiB limit (G = 1).
;
; golden: SDM. QEMU 7.2 TCG does not check near branch targets against the
; CS limit (it runs on past the limit); the golden file is pc64's output
; checked by hand.
%include "lib.inc"
%include "seg.inc"

LIMIT equ 0x1fffff
STUB equ 0x1fffe0

main:
  call seg_setup
  SETDESC 0x50, 0, 0x1ff, 0x9a, 0xc             ; code, 2 MiB
  mov byte [LIMIT], 0xc3                        ; RET at the last byte
  jmp 0x50:.in
.in:
  mov ebx, LIMIT + 1
  PROBE "jmp ebx (limit + 1)", jmp ebx
  mov [esp_before], esp
  PROBE "call ebx (limit + 1)", call ebx
  mov eax, [esp_before]
  sub eax, esp
  SHOW "  esp delta", eax
  mov ebx, LIMIT
  PROBE "call ebx (limit: ret there)", call ebx
  push dword LIMIT + 1
  mov [esp_before], esp
  PROBE "ret to limit + 1", ret
  mov eax, [esp_before]
  sub eax, esp
  SHOW "  esp delta", eax
  add esp, 4
  ; relative branches from a stub just below the limit
  mov esi, stub
  mov edi, STUB
  mov ecx, stub_end - stub
  rep movsb
  mov ebx, .back1
  EXPECT .back1
  PRINT "jz taken to limit + 1 "
  xor eax, eax                          ; ZF = 1
  jmp STUB + 0
.back1:
  mov ebx, .back2
  EXPECT .back2
  PRINT "jz not taken "
  or eax, 1                             ; ZF = 0
  jmp STUB + 0
  PRINT "(fell through) "
.back2:
  call newline
  mov ebx, .back3
  EXPECT .back3
  mov ecx, 5
  PRINT "loop to limit + 1 "
  jmp STUB + 4
.back3:
  SHOW "  ecx", ecx
  mov ebx, .back4
  EXPECT .back4
  mov ecx, 1
  PRINT "loop with ecx 1 (not taken) "
  jmp STUB + 4
.back4:
  call newline
  SHOW "  ecx", ecx
  mov ebx, .back5
  EXPECT .back5
  xor ecx, ecx
  PRINT "jecxz to limit + 1 "
  jmp STUB + 8
.back5:
  xor eax, eax
  PROBE "jz to the limit (ret there)", call STUB + 12
  mov al, 0
  jmp SEG_CS0:.out
.out:
  ret

stub:                                   ; copied to STUB
  db 0x74, 0x1e                         ; +0: jz 200000h
  jmp ebx
  db 0xe2, 0x1a                         ; +4: loop 200000h
  jmp ebx
  db 0xe3, 0x16                         ; +8: jecxz 200000h
  jmp ebx
  db 0x74, 0x11                         ; +12: jz 1fffffh (the RET at the limit)
  jmp ebx
stub_end:

section .bss
esp_before: resd 1
