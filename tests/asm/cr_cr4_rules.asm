; Invalid CR4 loads (SDM Vol. 2B "MOV--Move to/from Control Registers",
; Protected Mode and 64-Bit Mode Exceptions; Vol. 3A §2.5): a 1 in a bit
; that is reserved on this processor (15, 31; in 64-bit mode also 32, which
; only FRED would define and CPUID does not enumerate, and 63) is #GP(0)
; and leaves CR4 unchanged. In IA-32e mode clearing PAE ("an attempt to leave IA-32e
; mode by clearing CR4.PAE") and changing LA57 are #GP(0) too.
;
; golden: SDM
; QEMU 7.2 TCG does not raise #GP for reserved CR4 bits: outside an SVM
; guest it takes an SVM_EXIT_ERR "VM exit" and re-executes the MOV for
; ever (no output after the first reserved-bit write). It also accepts
; clearing PAE in 64-bit mode. Only its LA57 #GP matches the SDM. The
; golden file has the #GP(0) lines and unchanged CR4 values the sections
; above require.
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

%macro CR4_TRY 1                ; write %1 to CR4, then print CR4
  EXPECT %%r
  mov eax, %1
  mov cr4, eax
%%r:
  mov eax, cr4
  SHOW "cr4", eax
%endmacro

%macro CR4_BIT64 2              ; bts/btr %2 on CR4, write it, print CR4
  EXPECT64 %%r
  mov rax, cr4
  %1 rax, %2
  mov cr4, rax
%%r:
  mov rax, cr4
  SHOW64 "cr4_64", rax
%endmacro

main:
  call idt32_setup
  CR4_TRY 0x00000204            ; TSD OSFXSR
  CR4_TRY 0x00008204            ; bit 15: #GP
  CR4_TRY 0x80000204            ; bit 31: #GP
  CR4_TRY 0x00000000
  LM64_ENTER go
bits 64
go:
  CR4_BIT64 bts, 15
  CR4_BIT64 bts, 32
  CR4_BIT64 bts, 63
  CR4_BIT64 btr, 5              ; PAE off in IA-32e mode
  CR4_BIT64 bts, 12             ; LA57 change in IA-32e mode
  mov al, 0
  jmp exit
