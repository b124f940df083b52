; Invalid IA32_EFER writes (SDM Vol. 2B "WRMSR": #GP(0) if EDX:EAX sets a
; reserved bit; Vol. 3A Table 2-1: bits 7:1, 9 and 63:12 are reserved;
; Vol. 3A §4.1.2: "IA32_EFER.LME cannot be modified while paging is enabled
; (CR0.PG = 1). Attempts to do so using WRMSR cause a general-protection
; exception"). Each faulting WRMSR leaves EFER unchanged.
;
; golden: SDM
; QEMU 7.2 TCG ignores reserved EFER bits instead of raising #GP(0), and
; lets WRMSR clear LME in IA-32e mode. The golden file is QEMU's output
; with those writes faulting and EFER unchanged.
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

EFER equ 0xc0000080

%macro EFER_TRY 2               ; WRMSR EFER = %2:%1 expecting maybe a #GP, print EFER
  EXPECT %%r
  mov ecx, EFER
  mov eax, %1
  mov edx, %2
  wrmsr
%%r:
  mov ecx, EFER
  rdmsr
  SHOW "efer_lo", eax
  SHOW "efer_hi", edx
%endmacro

%macro EFER_TRY64 2
  EXPECT64 %%r
  mov ecx, EFER
  mov eax, %1
  mov edx, %2
  wrmsr
%%r:
  mov ecx, EFER
  rdmsr
  SHOW "efer_lo", eax
  SHOW "efer_hi", edx
%endmacro

main:
  call idt32_setup
  EFER_TRY 0x00000001, 0        ; SCE
  EFER_TRY 0x00000003, 0        ; bit 1: #GP
  EFER_TRY 0x00000201, 0        ; bit 9: #GP
  EFER_TRY 0x00000001, 0x80000000 ; bit 63: #GP
  EFER_TRY 0x00000000, 0
  LM64_ENTER go
bits 64
go:
  EFER_TRY64 0x00000400, 0      ; LME cleared with paging on: #GP
  EFER_TRY64 0x00000581, 0      ; bit 7: #GP
  EFER_TRY64 0x00000d01, 0      ; NXE SCE: fine
  mov al, 0
  jmp exit
