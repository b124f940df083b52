; MONITOR/MWAIT, PAUSE, INVD and WBINVD at CPL 0 in 64-bit mode (SDM Vol.
; 2B "MONITOR", "MWAIT", "PAUSE", Vol. 2A "INVD", Vol. 2B "WBINVD"):
; CPUID.01H:ECX.MONITOR[bit 3] = 1; MONITOR with ECX = 0 arms on DS:RAX
; without a fault; MONITOR with ECX != 0 and MWAIT with ECX[31:1] != 0 are
; #GP(0). (MWAIT with valid hints is not run: QEMU halts until an
; interrupt.) PAUSE, WBINVD and INVD do not fault, and memory written
; before WBINVD keeps its value.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov eax, 1
  cpuid
  shr ecx, 3
  and ecx, 1
  SHOW "cpuid_monitor", ecx
  mov rax, buf
  xor ecx, ecx
  xor edx, edx
  monitor
  PRINT `monitor ok\n`
  EXPECT64 .r1
  mov rax, buf
  mov ecx, 1
  monitor                       ; ECX != 0: #GP
.r1:
  EXPECT64 .r2
  mov ecx, 2
  xor eax, eax
  mwait                         ; ECX bit 1: #GP
.r2:
  EXPECT64 .r3
  mov ecx, 0x80000000
  xor eax, eax
  mwait                         ; ECX bit 31: #GP
.r3:
  pause
  pause
  PRINT `pause ok\n`
  mov qword [buf], 0x1234
  wbinvd
  mov rax, [buf]
  SHOW64 "after_wbinvd", rax
  invd
  PRINT `invd ok\n`
  mov al, 0
  jmp exit

section .data
align 64
buf: times 64 db 0
