; The time-stamp counter (SDM Vol. 3B §18.17; Vol. 2B "RDTSC", "RDTSCP",
; "WRMSR"; Vol. 4 Table 2-2 IA32_TIME_STAMP_COUNTER 10H): WRMSR to
; IA32_TSC sets the counter, which then counts up from the written value:
; RDMSR, RDTSC and RDTSCP read at least the written value and not much
; more, later reads never read less than earlier ones, and writing a
; smaller value moves the counter back. Only relations are printed, never
; counts.
;
; golden: SDM
; QEMU 7.2 TCG does not implement IA32_TSC: WRMSR to it is ignored (the
; counter keeps its own value) and RDMSR of it returns 0. The golden file
; is what the SDM sections above require: every relation holds (=1).
%include "lib.inc"
%include "idt32.inc"

TSC equ 0x10

; IN_WINDOW name, hi, lo: prints name=1 if EDX:EAX lies in [lo, lo + 2^28), else 0BADH
%macro IN_WINDOW 3              ; name, hi, lo
  push eax
  push edx
  sub eax, %3
  sbb edx, %2
  jnz %%bad
  cmp eax, 0x10000000
  jae %%bad
  mov eax, 1
  jmp %%show
%%bad:
  mov eax, 0xbad
%%show:
  SHOW %1, eax
  pop edx
  pop eax
%endmacro

; NOT_LESS name: name=1 if [prev] <= EDX:EAX, then prev = EDX:EAX
%macro NOT_LESS 1
  push eax
  push edx
  sub eax, [prev]
  sbb edx, [prev + 4]
  mov eax, 1
  jnc %%ok
  mov eax, 0xbad
%%ok:
  SHOW %1, eax
  pop edx
  pop eax
  mov [prev], eax
  mov [prev + 4], edx
%endmacro

main:
  call idt32_setup
  mov ecx, TSC
  mov edx, 0x12
  mov eax, 0x34000000
  wrmsr
  mov ecx, TSC
  rdmsr
  IN_WINDOW "rdmsr_from_write", 0x12, 0x34000000
  mov [prev], eax
  mov [prev + 4], edx
  rdtsc
  IN_WINDOW "rdtsc_from_write", 0x12, 0x34000000
  NOT_LESS "rdtsc_ge_rdmsr"
  rdtsc
  NOT_LESS "rdtsc_ge_rdtsc"
  rdtscp
  NOT_LESS "rdtscp_ge_rdtsc"
  mov ecx, TSC
  rdmsr
  NOT_LESS "rdmsr_ge_rdtscp"
  ; move the counter back
  mov ecx, TSC
  xor edx, edx
  mov eax, 0x1000
  wrmsr
  rdtsc
  IN_WINDOW "rdtsc_after_back", 0, 0x1000
  mov ecx, TSC
  mov edx, 0xffffffff
  mov eax, 0x00000000
  wrmsr
  rdtscp
  IN_WINDOW "rdtscp_high", 0xffffffff, 0
  mov al, 0
  ret

section .bss
prev: resq 1
