; The #GP(0) rules on the way into and out of IA-32e mode (SDM Vol. 3A
; §9.8.5, §2.5; Vol. 2B "MOV--Move to/from Control Registers", "WRMSR";
; Vol. 2A "JMP", "CALL", "IRET", Vol. 2B "RET"): CR0.PG = 1 with PE = 0;
; CR0.PG := 1 with EFER.LME = 1 but CR4.PAE = 0; changing EFER.LME while
; CR0.PG = 1 (legacy paging on, and in IA-32e mode); clearing CR4.PAE in
; 64-bit and in compatibility mode; clearing CR0.PG in 64-bit mode;
; changing CR4.LA57 in IA-32e mode; a code segment with L = 1 and D = 1 as
; the target of far JMP, far CALL, RETFQ and IRETQ (#GP(selector)).
; EFER.LMA itself is read-only (a WRMSR that sets it is ignored).
; golden: SDM. QEMU 7.2 TCG departs from the SDM here (§4.1.2 lists the
; LME/PAE/PG #GP rules; Vol. 2B "MOV--Move to/from Control Registers" the
; PG-without-PE one): it loads CR0.PG = 1 with PE = 0, silently ignores
; PG := 1 with LME = 1 and PAE = 0, and lets WRMSR change EFER.LME with
; paging on, after which the run triple-faults. The golden file has the
; #GP(0)s the SDM requires.
%include "lib.inc"
%include "idt32.inc"
%include "lm64.inc"

BAD_CS equ 0x58                         ; lm64.inc's spare slot: L = 1, D = 1

main:
  call idt32_setup
  ; CR0.PG with PE = 0
  EXPECT .a
  mov eax, cr0
  and eax, ~1
  or eax, 1 << 31
  mov cr0, eax
.a:
  mov eax, cr0
  and eax, 0x80000001
  SHOW "cr0", eax
  ; LME = 1, PAE = 0, then PG := 1
  mov eax, lm64_pml4
  mov cr3, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8
  wrmsr
  EXPECT .b
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax
.b:
  mov eax, cr0
  and eax, 0x80000001
  SHOW "cr0_nopae", eax
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "efer", eax
  rdmsr
  and eax, ~(1 << 8)
  wrmsr
  ; legacy 32-bit paging on (4 MiB pages), then try to set LME
  mov eax, 0x83
  mov [pd32], eax
  mov dword [pd32 + 4], 0x400083
  mov eax, cr4
  or eax, 1 << 4                        ; PSE
  mov cr4, eax
  mov eax, pd32
  mov cr3, eax
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax
  EXPECT .c
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8
  wrmsr                                 ; LME with PG = 1: #GP(0)
.c:
  rdmsr
  and eax, 0x500
  SHOW "efer_pg", eax
  mov eax, cr0
  and eax, ~(1 << 31)
  mov cr0, eax
  ; LMA is read-only
  rdmsr
  or eax, 1 << 10
  wrmsr
  rdmsr
  and eax, 0x500
  SHOW "efer_lma_write", eax
  LM64_ENTER long64

bits 64
long64:
  mov [rel saved_rsp], rsp
  mov byte [lm64_gdt + BAD_CS + 5], 0x9a          ; present code, DPL 0
  mov byte [lm64_gdt + BAD_CS + 6], 0xef          ; G, D = 1, L = 1
  mov word [lm64_gdt + BAD_CS], 0xffff
  mov ecx, 0xc0000080
  rdmsr
  and eax, 0x500
  SHOW "long_efer", eax
  EXPECT64 .d
  mov rax, cr4
  btr rax, 5
  mov cr4, rax                          ; PAE := 0 in IA-32e mode
.d:
  mov rax, cr4
  and eax, 0x20
  SHOW "cr4_pae", eax
  EXPECT64 .e
  mov rax, cr4
  btc rax, 12
  mov cr4, rax                          ; LA57 changes in IA-32e mode
.e:
  EXPECT64 .f
  mov ecx, 0xc0000080
  rdmsr
  btr eax, 8
  wrmsr                                 ; LME := 0 with PG = 1
.f:
  rdmsr
  and eax, 0x500
  SHOW "efer_after", eax
  EXPECT64 .g
  mov rax, cr0
  btr rax, 31
  mov cr0, rax                          ; PG := 0 in 64-bit mode
.g:
  mov rax, cr0
  shr eax, 31
  SHOW "cr0_pg", eax
  EXPECT64 .h
  jmp far [rel fp_bad]                  ; L = 1, D = 1: #GP(0x58)
.h:
  EXPECT64 .i
  call far [rel fp_bad]
.i:
  EXPECT64 .j
  push qword BAD_CS
  push qword .j
  retfq
.j:
  EXPECT64 .k
  mov rax, rsp
  push qword LM_DS
  push rax
  pushfq
  push qword BAD_CS
  push qword .k
  iretq
.k:
  mov rsp, [rel saved_rsp]              ; drop what the faulting returns left
  EXPECT64 back64
  push qword LM_CS32
  push qword compat
  retfq
bits 32
compat:
  mov eax, cr4
  btr eax, 5
  mov cr4, eax                          ; PAE := 0 in compatibility mode
bits 64
back64:
  PRINT `back in 64-bit mode\n`
  mov al, 0
  jmp exit

section .data
align 8
fp_bad: dq 0
        dw BAD_CS
saved_rsp: dq 0

section .bss
alignb 4096
pd32: resb 4096
