; Canonical addresses in 64-bit mode (SDM Vol. 3A §3.3.7.1, §6.15 #GP/#SS;
; Vol. 2A/2B JMP, CALL, RET): with 4-level paging bits 63:47 must be equal.
; A data access to a non-canonical address is #GP(0), or #SS(0) when it
; uses SS (RSP/RBP base, PUSH); an access whose last byte crosses out of the
; canonical range faults too; the check comes before paging (the low
; half's top page is mapped here, the high half's bottom is not: #PF);
; JMP, CALL and RET to a non-canonical target fault on the instruction
; itself (#GP(0), RSP unchanged). The #GP/#SS/#PF gates use IST1 so a bad
; RSP can be delivered; the handler prints the saved RSP minus R15 and
; resumes with RSP = R15.
; golden: SDM. QEMU 7.2 TCG raises #GP(0) instead of #SS(0) for the
; SS-relative accesses, and takes JMP/CALL/RET to a non-canonical target
; and faults on the fetch (RIP = the target). The golden file is QEMU's
; output with those lines corrected (vector 0c; RIP and RSP of the branch).
%include "lib.inc"
%include "lm64.inc"

%macro RESUME 1
  mov rax, %1
  mov [resume], rax
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 12, handler12, 1, 0x8e
  SET_GATE64 13, handler13, 1, 0x8e
  SET_GATE64 14, handler14, 1, 0x8e
  ; map the top 4-KByte page of the low half: PML4E 255 -> ... -> f0
  mov rax, pdpt_a
  or rax, 3
  mov [lm64_pml4 + 255 * 8], rax
  mov rax, pd_a
  or rax, 3
  mov [pdpt_a + 511 * 8], rax
  mov rax, pt_a
  or rax, 3
  mov [pd_a + 511 * 8], rax
  mov rax, f0
  or rax, 3
  mov [pt_a + 511 * 8], rax
  mov dword [f0 + 0xff8], 0x7ff8
  mov rax, cr3
  mov cr3, rax
  mov r15, rsp
  mov rbx, 0x00007ffffffffff8
  SHOW "top_low", [rbx]
  RESUME .r1
  mov rbx, 0x0000800000000000
  mov eax, [rbx]
.r1:
  RESUME .r2
  mov rbx, 0xffff7ffffffff000
  mov byte [rbx], 1
.r2:
  RESUME .r3
  mov rbx, 0xffff800000000000                   ; canonical, not mapped
  mov eax, [rbx]
.r3:
  RESUME .r4
  mov rbx, 0x00007ffffffffffc                   ; last bytes non-canonical
  mov rax, [rbx]
.r4:
  RESUME .r5
  mov rbp, 0x0000800000000000
  mov eax, [rbp]                                ; SS
.r5:
  RESUME .r6
  mov rbx, 0x0000900000000000
  mov eax, [rsp + rbx]                          ; SS (RSP base)
.r6:
  RESUME .r7
  mov rsp, 0x0000800000000004
  push rax                                      ; SS
.r7:
  RESUME .r8
  mov rax, 0x0000800000000000
  jmp rax
.r8:
  RESUME .r9
  mov rax, 0x0000800000000000
  call rax
.r9:
  RESUME .r10
  mov rax, 0x0000800000000000
  push rax
  ret                                           ; the frame shows RSP before the RET
.r10:
  PRINT `done\n`
  mov al, 0
  jmp exit

handler12:
  push qword 12
  jmp handler
handler13:
  push qword 13
  jmp handler
handler14:
  push qword 14
handler:                        ; [rsp] vector, +8 error, +16 RIP, +24 CS, +32 RFLAGS, +40 RSP
  push rax
  PRINT "vec="
  mov eax, [rsp + 8]
  call put_hex8
  PRINT " err="
  mov eax, [rsp + 16]
  call put_hex32
  PRINT " rip="
  mov rax, [rsp + 24]
  push rax
  shr rax, 32
  call put_hex32
  pop rax
  call put_hex32
  cmp dword [rsp + 8], 14
  jne .nopf
  PRINT " cr2="
  mov rax, cr2
  push rax
  shr rax, 32
  call put_hex32
  pop rax
  call put_hex32
.nopf:
  PRINT " rsp-r15="
  mov rax, [rsp + 48]
  sub rax, r15
  call put_hex32
  call newline
  mov rax, [resume]
  mov [rsp + 24], rax
  mov [rsp + 48], r15
  pop rax
  add rsp, 16
  iretq

section .bss
alignb 4096
pdpt_a: resb 4096
pd_a: resb 4096
pt_a: resb 4096
f0: resb 4096
resume: resq 1
