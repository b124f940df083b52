; RDMSR and WRMSR of an MSR index that is reserved or not implemented are
; #GP(0) (SDM Vol. 2B "RDMSR", "WRMSR", Protected Mode Exceptions: "If the
; value in ECX specifies a reserved or unimplemented MSR address"); RDMSR
; leaves EDX:EAX unchanged. In 64-bit mode RCX[63:32] is ignored (Vol. 2B:
; "the input value loaded into the ECX register"), so an index with high
; bits set reads the MSR named by ECX.
;
; golden: SDM
; QEMU 7.2 TCG returns 0 for RDMSR of an unknown index and ignores WRMSR
; to one, without #GP. The golden file is QEMU's output with those
; accesses faulting and EDX:EAX unchanged.
%include "lib.inc"
%include "lm64.inc"
%include "msr.inc"

%macro RD_TRY 1
  EXPECT64 %%r
  mov ecx, %1
  mov eax, 0xaaaaaaaa
  mov edx, 0xbbbbbbbb
  rdmsr
%%r:
  SHOW "eax", eax
  SHOW "edx", edx
%endmacro

%macro WR_TRY 1
  EXPECT64 %%r
  mov ecx, %1
  xor eax, eax
  xor edx, edx
  wrmsr
  PRINT `no fault\n`
%%r:
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  RD_TRY 0x00012345
  RD_TRY 0xc0001234
  RD_TRY 0x80000000
  WR_TRY 0x00012345
  WR_TRY 0xc0001234
  WR_TRY 0x80000000
  ; RCX[63:32] ignored: reads IA32_PAT
  mov rcx, 0xffffffff00000277
  rdmsr
  SHOW "pat_lo", eax
  SHOW "pat_hi", edx
  mov al, 0
  jmp exit
