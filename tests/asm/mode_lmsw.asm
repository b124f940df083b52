; LMSW as a mode switch (SDM Vol. 2A "LMSW", Vol. 3A §9.9.1): in real mode
; LMSW with bit 0 set enters protected mode (CR0.PE := 1; the CS cache is
; still the real-mode one until the far JMP); LMSW loads only CR0 bits 3:0
; and cannot clear PE, so in protected mode an LMSW of 0 leaves PE = 1
; (and clears MP, EM, TS); SMSW reads CR0[15:0] (ET, bit 4, is 1). CR0.PE
; is then cleared with MOV CR0, back in real mode.
%include "lib.inc"
%include "mode.inc"

main:
  MODE_GDT
  jmp 0x18:M16(pm16_0)
bits 16
pm16_0:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  mov eax, cr0
  and al, ~1
  mov cr0, eax
  jmp 0xffff:M16(real_1)
real_1:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  lidt [M16(m16_rm_idt)]
  PRINT16 `real\n`
  smsw ax
  and eax, 0x1f
  SHOW16 "msw", eax
  mov ax, 0x000b                        ; PE MP TS
  lmsw ax
  smsw ax
  and eax, 0x1f
  SHOW16 "msw_lmsw", eax
  jmp 0x18:M16(pm16_2)
pm16_2:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  PRINT16 `pm16\n`
  xor ax, ax
  lmsw ax                               ; cannot clear PE
  mov eax, cr0
  and eax, 0x1f
  SHOW16 "cr0_lmsw0", eax
  mov ax, cs
  movzx eax, ax
  SHOW16 "cs", eax
  mov eax, cr0
  and al, ~1
  mov cr0, eax
  jmp 0xffff:M16(real_3)
real_3:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  PRINT16 `real again\n`
  smsw ax
  and eax, 0x1f
  SHOW16 "msw", eax
  mov al, 0
  out EXIT_PORT, al
.hang:
  hlt
  jmp .hang
bits 32
