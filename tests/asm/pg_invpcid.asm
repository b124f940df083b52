; INVPCID (SDM Vol. 2A "INVPCID", Vol. 3A §4.10.4.1): the register gives
; the type (64 bits in 64-bit mode), memory a 16-byte descriptor (PCID in
; bits 11:0, linear address in bits 127:64). #GP(0) for a type above 3,
; descriptor bits 63:12 not zero, type 0 with a non-canonical address,
; types 0 and 1 with a non-zero PCID while CR4.PCIDE = 0, and at CPL > 0.
; Required invalidations: type 0 (one address of one PCID), type 1 (one
; PCID, non-global), type 2 (everything, global too), type 3 (everything
; but global entries): after each, the changed entry is used.
; golden: SDM. QEMU 7.2 TCG does not implement INVPCID (#UD; CPUID.7.0:EBX
; bit 10 clear with -cpu max). The golden file was written from the rules
; above: each "vec=0d" line is the #GP(0) of the INVPCID just before it.
%include "lib.inc"
%include "lm64.inc"
%include "pg64.inc"

A1 equ 0x8000000000
%macro SETPTE 2                 ; slot, frame|flags
  mov rax, %2
  mov [pt_a + (%1) * 8], rax
%endmacro
%macro DESC 2                   ; pcid, address
  mov qword [desc], %1
  mov rax, %2
  mov [desc + 8], rax
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  mov rax, pdpt_a
  or rax, 3
  mov [lm64_pml4 + 8], rax
  mov rax, pd_a
  or rax, 3
  mov [pdpt_a], rax
  mov rax, pt_a
  or rax, 3
  mov [pd_a], rax
  SETPTE 0, f0 + 3                              ; A1: f0
  SETPTE 1, f0 + 0x103                          ; A1 + 4 KiB: f0, global
  mov dword [f0], 0xf0
  mov dword [f1], 0xf1
  mov rax, cr4
  bts rax, 7                                    ; PGE
  bts rax, 17                                   ; PCIDE
  mov cr4, rax
  mov rax, lm64_pml4 + 1                        ; PCID 1
  mov cr3, rax
  mov rbx, A1
  SHOW "a_init", [rbx]
  SHOW "g_init", [rbx + 0x1000]
  ; type 0: one address
  SETPTE 0, f1 + 3
  DESC 1, A1
  mov eax, 0
  invpcid rax, [desc]
  SHOW "type0", [rbx]
  ; type 1: one PCID
  SETPTE 0, f0 + 3
  DESC 1, 0
  mov eax, 1
  invpcid rax, [desc]
  SHOW "type1", [rbx]
  ; type 2: everything, global too
  SETPTE 1, f1 + 0x103
  mov eax, 2
  invpcid rax, [desc]
  SHOW "type2", [rbx + 0x1000]
  ; type 3: everything but global entries
  SETPTE 0, f1 + 3
  mov eax, 3
  invpcid rax, [desc]
  SHOW "type3", [rbx]
  ; #GP cases
  EXPECT64 .g1
  mov eax, 4
  invpcid rax, [desc]
.g1:
  EXPECT64 .g2
  mov rax, 0x100000000                          ; 64-bit type
  invpcid rax, [desc]
.g2:
  DESC 0x1001, A1                               ; bit 12 of the descriptor
  EXPECT64 .g3
  mov eax, 1
  invpcid rax, [desc]
.g3:
  DESC 1, 0x0000800000000000                    ; non-canonical, type 0
  EXPECT64 .g4
  mov eax, 0
  invpcid rax, [desc]
.g4:
  mov eax, 1                                    ; type 1 ignores the address
  invpcid rax, [desc]
  PRINT `type1 noncanonical ok\n`
  ; PCIDE = 0: PCID 0 is allowed, others are #GP
  mov rax, lm64_pml4
  mov cr3, rax
  mov rax, cr4
  btr rax, 17
  mov cr4, rax
  DESC 1, A1
  EXPECT64 .g5
  mov eax, 0
  invpcid rax, [desc]
.g5:
  EXPECT64 .g6
  mov eax, 1
  invpcid rax, [desc]
.g6:
  SETPTE 0, f0 + 3
  DESC 0, A1
  mov eax, 0
  invpcid rax, [desc]
  SHOW "pcide0_type0", [rbx]
  DESC 5, 0
  mov eax, 2                                    ; types 2 and 3 ignore the PCID
  invpcid rax, [desc]
  mov eax, 3
  invpcid rax, [desc]
  PRINT `types 2, 3 ok\n`
  PG64_USER user
  PRINT `done\n`
  mov al, 0
  jmp exit

user:
  EXPECT64 .u1
  mov eax, 2
  invpcid rax, [desc]
.u1:
  int 0x1f

section .bss
alignb 4096
pdpt_a: resb 4096
pd_a: resb 4096
pt_a: resb 4096
f0: resb 4096
f1: resb 4096
alignb 16
desc: resb 16
