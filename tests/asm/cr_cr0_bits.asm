; CR0 bits that read back (SDM Vol. 3A §2.5): ET is hard-wired to 1 (a
; write of 0 reads as 1); MP, EM, TS, NE, WP, AM, CD and NW keep what MOV to
; CR0 wrote, in protected mode and in 64-bit mode (where MOV CR0 moves 64
; bits and bits 63:32 read as 0). CD = 1 with NW = 0 or 1 is valid.
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

%macro CR0_SET 1                ; write %1 to CR0, then print CR0
  mov eax, %1
  mov cr0, eax
  mov eax, cr0
  SHOW "cr0", eax
%endmacro

main:
  call idt32_setup
  CR0_SET 0x00000001            ; ET forced to 1
  CR0_SET 0x00050021            ; AM WP NE
  CR0_SET 0x0000000f            ; TS EM MP
  CR0_SET 0x40000001            ; CD
  CR0_SET 0x60000001            ; CD NW
  CR0_SET 0x00000011
  LM64_ENTER go
bits 64
go:
  mov rax, cr0
  SHOW64 "cr0_64", rax
  or eax, 0x6005002e            ; CD NW AM WP NE TS EM MP
  mov cr0, rax
  mov rax, cr0
  SHOW64 "cr0_64", rax
  and eax, ~0x6005002e
  and eax, ~0x10                ; ET written as 0
  mov cr0, rax
  mov rax, cr0
  SHOW64 "cr0_64", rax
  mov al, 0
  jmp exit
