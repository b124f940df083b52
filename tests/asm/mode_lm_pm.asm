; Long mode -> compatibility mode -> protected mode -> long mode (SDM Vol.
; 3A §9.8.5.4 "Switching Out of IA-32e Mode Operation"): a far return to a
; 32-bit code segment, clearing CR0.PG (EFER.LMA clears), clearing
; EFER.LME, 32-bit legacy code with paging off, then re-enabling IA-32e
; mode and a far JMP back to 64-bit code.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  PRINT `long 1\n`
  push qword LM_CS32
  push qword compat
  retfq
bits 32
compat:
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "compat_efer", eax
  mov eax, cr0
  btr eax, 31                           ; PG off: leaves IA-32e mode
  mov cr0, eax
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "pg_off_efer", eax
  rdmsr
  btr eax, 8                            ; LME off
  wrmsr
  rdmsr
  and eax, 0x500
  SHOW "legacy_efer", eax
  mov eax, 0x10
  db 0x48                               ; DEC EAX: legacy 32-bit code
  SHOW "dec_eax", eax
  mov eax, cr4
  and eax, 0x20
  SHOW "cr4_pae", eax
  rdmsr
  bts eax, 8
  wrmsr
  mov eax, cr0
  bts eax, 31
  mov cr0, eax
  jmp LM_CS64:long2
bits 64
long2:
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "long2_efer", eax
  mov rax, 0x100000000
  db 0x48, 0xff, 0xc8                   ; REX.W DEC RAX
  SHOW64 "dec_rax", rax
  mov al, 0
  jmp exit
