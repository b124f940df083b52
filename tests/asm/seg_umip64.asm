; CR4.UMIP in IA-32e mode (SDM Vol. 3A §2.5; Vol. 2B "SGDT", "SIDT",
; "SLDT", "SMSW", "STR", 64-bit mode and compatibility mode exceptions:
; "#GP(0) If CR4.UMIP = 1 and CPL > 0"): at CPL 3 in 64-bit mode and in
; compatibility mode all five fault; at CPL 0 in 64-bit mode they work,
; SGDT/SIDT storing a 10-byte pseudo-descriptor (8-byte base).
%include "lib.inc"
%include "lm64.inc"

%macro PROBE64 2+
  PRINT %1
  PRINT " "
  EXPECT64 %%done
  %2
  PRINT `ok\n`
%%done:
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  mov rax, cr4
  or eax, 1 << 11
  mov cr4, rax
  mov rax, -1
  mov [rel buf], rax
  mov [rel buf + 8], rax
  PROBE64 "cpl0 sgdt", sgdt [rel buf]
  movzx eax, word [rel buf]
  SHOW "  limit", eax
  mov rax, [rel buf + 2]
  lea rcx, [rel lm64_gdt]
  sub rax, rcx
  SHOW64 "  base-lm64_gdt", rax
  movzx eax, word [rel buf + 10]
  SHOW "  next word", eax
  PROBE64 "cpl0 str", str eax
  SHOW "  tr", eax
  TO_USER64 user
user:
  mov ax, LM_DSU
  mov ds, ax
  mov es, ax
  PROBE64 "cpl3 sgdt", sgdt [rel buf]
  PROBE64 "cpl3 sidt", sidt [rel buf]
  PROBE64 "cpl3 sldt", sldt eax
  PROBE64 "cpl3 str", str [rel buf]
  PROBE64 "cpl3 smsw", smsw rax
  jmp far dword [rel fpcompat]
bits 32
compat:
  mov dword [lm64_resume + 4], 0
  mov dword [lm64_resume], .c1
  PRINT "compat cpl3 sgdt "
  sgdt [buf]
  PRINT `ok\n`
.c1:
  mov dword [lm64_resume], .c2
  PRINT "compat cpl3 smsw "
  smsw [buf]
  PRINT `ok\n`
.c2:
  mov al, 0
  jmp exit
bits 64

section .data
fpcompat: dd compat
          dw LM_CS32U

section .bss
alignb 16
buf: resq 2
