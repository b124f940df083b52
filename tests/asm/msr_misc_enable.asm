; IA32_MISC_ENABLE (1A0H; SDM Vol. 4 Table 2-2): fast strings (bit 0) and
; ENABLE MONITOR FSM (bit 18) are set by default and are read/write. With
; bit 18 = 0, CPUID.01H:ECX.MONITOR[bit 3] reads 0 and MONITOR and MWAIT
; are #UD ("Software attempts to execute MONITOR/MWAIT will cause #UD when
; this bit is 0"); setting it again brings both back.
;
; golden: SDM
; QEMU 7.2 TCG stores bit 18 but ignores it: CPUID keeps reporting MONITOR
; and MONITOR runs without a fault. The golden file is QEMU's output with
; monitor=0 and the two #UD lines while bit 18 is clear.
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

%macro MONITOR_STATE 0
  mov eax, 1
  cpuid
  shr ecx, 3
  and ecx, 1
  SHOW "cpuid_monitor", ecx
  EXPECT64 %%r1
  mov rax, buf
  xor ecx, ecx
  xor edx, edx
  monitor
  PRINT `monitor ok\n`
%%r1:
  EXPECT64 %%r2
  mov ecx, 2                    ; #GP if MWAIT exists, #UD if not
  xor eax, eax
  mwait
%%r2:
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  mov ecx, 0x1a0
  rdmsr
  and eax, (1 << 18) | 1
  SHOW "misc_default", eax
  MONITOR_STATE
  mov ecx, 0x1a0
  rdmsr
  btr eax, 18
  wrmsr
  mov ecx, 0x1a0
  rdmsr
  and eax, (1 << 18) | 1
  SHOW "misc", eax
  MONITOR_STATE
  mov ecx, 0x1a0
  rdmsr
  bts eax, 18
  btr eax, 0                    ; fast strings off
  wrmsr
  mov ecx, 0x1a0
  rdmsr
  and eax, (1 << 18) | 1
  SHOW "misc", eax
  MONITOR_STATE
  mov al, 0
  jmp exit

section .data
align 64
buf: times 64 db 0
