; IA32_EFER (SDM Vol. 3A §2.2.1, Table 2-1; §9.8.5; Vol. 4 Table 2-2):
; SCE, LME and NXE read back as written; LMA is read-only (a 1 written
; with paging off reads as 0, a 0 written in IA-32e mode reads as 1) and
; becomes 1 when paging is enabled with LME = 1. SYSCALL with SCE = 0 is
; #UD (Vol. 2B "SYSCALL"). EFER.NXE = 1: a fetch from a page with XD = 1
; is a #PF with P = 1 and I/D = 1 (error 11H), a data read from it is not
; (Vol. 3A §4.6.2, §4.7).
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

EFER equ 0xc0000080

%macro SHOW_EFER 0
  mov ecx, EFER
  rdmsr
  SHOW "efer", eax
%endmacro

%macro WR_EFER 1
  mov ecx, EFER
  mov eax, %1
  xor edx, edx
  wrmsr
%endmacro

main:
  call idt32_setup
  WR_EFER 0
  SHOW_EFER
  WR_EFER 0x100                 ; LME
  SHOW_EFER
  WR_EFER 0x901                 ; NXE LME SCE
  SHOW_EFER
  WR_EFER 0x501                 ; LMA written as 1: ignored
  SHOW_EFER
  WR_EFER 0
  SHOW_EFER
  LM64_ENTER go
bits 64
go:
  SHOW_EFER                     ; LME LMA
  WR_EFER 0x100                 ; LMA written as 0: still 1
  SHOW_EFER
  EXPECT64 .r1
  syscall                       ; SCE = 0: #UD
.r1:
  ; 2 MiB page at 8 MiB with XD = 1
  mov rax, [lm64_pd + 4 * 8]
  bts rax, 63
  mov [lm64_pd + 4 * 8], rax
  mov rax, cr3
  mov cr3, rax
  WR_EFER 0xd01                 ; NXE LMA LME SCE
  SHOW_EFER
  EXPECT64 .r2
  mov eax, 0x800000
  jmp rax                       ; XD page: #PF err 11H
.r2:
  mov dword [0x800000], 0x12345678
  mov eax, [0x800000]           ; data accesses are allowed
  SHOW "xd_data", eax
  mov al, 0
  jmp exit
