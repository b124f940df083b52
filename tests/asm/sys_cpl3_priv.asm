; Privileged instructions at CPL 3 in 64-bit mode (SDM Vol. 3A §5.9
; "Privileged Instructions"; Vol. 2 under each mnemonic): MOV to/from CR0,
; CR3, CR4, CR8 and DR0/DR7, LGDT, LIDT, LLDT, LTR, LMSW, CLTS, HLT, INVD,
; WBINVD, INVLPG, RDMSR, WRMSR and RDPMC (CR4.PCE = 0) are #GP(0) with the
; fault on the instruction itself; MONITOR and MWAIT (Vol. 2B "MONITOR",
; "MWAIT": #UD at CPL > 0, checked when CPUID reports them) and CLAC/STAC
; (Vol. 2A "CLAC": #UD at CPL > 0) are #UD. SGDT, SIDT, SLDT, STR, SMSW
; (CR4.UMIP = 0), RDTSC (CR4.TSD = 0) and CPUID work at CPL 3. The user code
; runs with IOPL 3 so that it can print.
%include "lib.inc"
%include "lm64.inc"

%macro PRIV 1+                  ; run %1 at CPL 3, print the fault
  EXPECT64 %%r
  %1
%%r:
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  TO_USER64 user
user:
  PRINT `faults\n`
  PRIV mov rax, cr0
  PRIV mov cr0, rax
  PRIV mov rax, cr3
  PRIV mov cr3, rax
  PRIV mov rax, cr4
  PRIV mov cr4, rax
  PRIV mov rax, cr8
  PRIV mov cr8, rax
  PRIV mov rax, dr7
  PRIV mov dr0, rax
  PRIV lgdt [buf]
  PRIV lidt [buf]
  xor eax, eax
  PRIV lldt ax
  mov ax, LM_TSS
  PRIV ltr ax
  PRIV lmsw ax
  PRIV clts
  PRIV hlt
  PRIV invd
  PRIV wbinvd
  PRIV invlpg [buf]
  mov ecx, 0x277
  PRIV rdmsr
  PRIV wrmsr
  mov ecx, 0x12345
  PRIV rdmsr                    ; CPL is checked before the index
  xor ecx, ecx
  PRIV rdpmc
  PRIV clac
  PRIV stac
  mov eax, 1
  cpuid
  shr ecx, 3
  and ecx, 1
  SHOW "cpuid_monitor", ecx
  jz .no_monitor
  mov rax, buf
  xor ecx, ecx
  xor edx, edx
  PRIV monitor
  PRIV mwait
.no_monitor:
  PRINT `allowed\n`
  sgdt [buf]
  movzx eax, word [buf]
  SHOW "sgdt_limit", eax
  sidt [buf]
  movzx eax, word [buf]
  SHOW "sidt_limit", eax
  str ax
  movzx eax, ax
  SHOW "str", eax
  sldt ax
  movzx eax, ax
  SHOW "sldt", eax
  smsw eax
  SHOW "smsw", eax
  rdtsc
  PRINT `rdtsc ok\n`
  mov ax, cs
  movzx eax, ax
  SHOW "cs", eax
  mov al, 0
  jmp exit

section .data
align 16
buf: times 16 db 0
