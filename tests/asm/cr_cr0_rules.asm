; Invalid CR0 loads (SDM Vol. 2B "MOV--Move to/from Control Registers",
; Protected Mode and 64-Bit Mode Exceptions; Vol. 3A §2.5, §9.8.5): NW = 1
; with CD = 0 and PG = 1 with PE = 0 are #GP(0) and leave CR0 unchanged;
; setting PG with EFER.LME = 1 and CR4.PAE = 0 is #GP(0) ("attempting to
; activate IA-32e mode prior to enabling PAE", §9.8.5). In 64-bit mode a 1
; in bits 63:32 is #GP(0) (§2.5), and so is clearing PG (64-Bit Mode
; Exceptions: "attempting to clear CR0.PG"; §9.8.5.4).
;
; golden: SDM
; QEMU 7.2 TCG checks none of these: it loads NW without CD, loads PG
; without PE (and then triple-faults), silently drops the PG write with
; LME = 1 and PAE = 0, and in 64-bit mode takes bits 63:32 and a clear PG.
; The golden file is QEMU's output up to the first divergence, then the
; #GP(0) lines and unchanged CR0 values the SDM sections above require.
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

%macro CR0_TRY 1                ; write %1 to CR0, then print CR0
  EXPECT %%r
  mov eax, %1
  mov cr0, eax
%%r:
  mov eax, cr0
  SHOW "cr0", eax
%endmacro

main:
  call idt32_setup
  CR0_TRY 0x60000011            ; CD NW
  CR0_TRY 0x20000011            ; NW without CD: #GP, CR0 unchanged
  CR0_TRY 0x00000011
  CR0_TRY 0x20000011            ; again from CD = 0
  CR0_TRY 0x80000010            ; PG without PE: #GP
  ; EFER.LME = 1, CR4.PAE = 0: enabling paging is #GP
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8
  wrmsr
  mov eax, lm64_pml4
  mov cr3, eax
  CR0_TRY 0x80000011
  mov ecx, 0xc0000080
  rdmsr
  SHOW "efer", eax
  and eax, ~(1 << 8)
  wrmsr
  LM64_ENTER go
bits 64
go:
  EXPECT64 .r1
  mov rax, cr0
  bts rax, 32
  mov cr0, rax                  ; reserved bit 32: #GP
.r1:
  EXPECT64 .r2
  mov rax, cr0
  bts rax, 63
  mov cr0, rax                  ; reserved bit 63: #GP
.r2:
  EXPECT64 .r3
  mov rax, cr0
  btr rax, 31
  mov cr0, rax                  ; PG off in 64-bit mode: #GP
.r3:
  EXPECT64 .r4
  mov rax, cr0
  bts rax, 29
  btr rax, 30
  mov cr0, rax                  ; NW without CD: #GP
.r4:
  mov rax, cr0
  SHOW64 "cr0_64", rax
  mov al, 0
  jmp exit
