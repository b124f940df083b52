; Accesses that cross a page boundary (SDM Vol. 3A §4.7, §6.15 "Interrupt
; 14"): a read, a write and an instruction fetch whose second page is not
; present (or execute-disable) fault with CR2 = the first byte in that page
; and the saved RIP at the instruction; the write changes neither page.
; REP MOVSB stops at the faulting element with RSI/RDI/RCX showing the
; progress (restartable, Vol. 2B "REP"), and a MOVS whose read faults sets
; no dirty flag in its destination page (§4.8: D is set by a write).
%include "lib.inc"
%include "lm64.inc"

A1 equ 0x8000000000
%macro LINK 4                   ; table, index, next, flags
  mov rax, %3
  or rax, %4
  mov [%1 + (%2) * 8], rax
%endmacro
%macro SHOWR 2                  ; name, register: prints the register minus A1
  mov rax, %2
  mov rdx, A1
  sub rax, rdx
  SHOW %1, eax
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  LINK lm64_pml4, 1, pdpt_a, 3
  LINK pdpt_a, 0, pd_a, 3
  LINK pd_a, 0, pt_a, 3
  LINK pt_a, 0, f0, 3                           ; +0: data
  mov qword [pt_a + 1 * 8], 0                   ; +4K: not present
  LINK pt_a, 3, f3, 3                           ; +12K: MOVS destination
  LINK pt_a, 4, f4, 3                           ; +16K: code
  mov qword [pt_a + 5 * 8], 0                   ; +20K: not present
  LINK pt_a, 6, f6, 3                           ; +24K: clean destination
  LINK pt_a, 7, f4, 3                           ; +28K: code again
  LINK pt_a, 8, f0, 3                           ; +32K: f0 (made execute-disable below)
  mov dword [f0 + 0xff8], 0x44332211
  mov dword [f0 + 0xffc], 0x88776655
  ; f4 ends with "mov eax, imm32" starting at 0xffd, then "ret" at 0x1002
  mov byte [f4 + 0xffd], 0xb8
  mov word [f4 + 0xffe], 0x1234
  mov byte [f0 + 0], 0x56
  mov byte [f0 + 1], 0x78
  mov byte [f0 + 2], 0xc3
  mov rax, cr3
  mov cr3, rax
  mov rbx, A1
  EXPECT64 .k1
  mov eax, [rbx + 0xffe]
.k1:
  EXPECT64 .k2
  mov dword [rbx + 0xffe], 0xdeadbeef
.k2:
  SHOW "f0_ffc", [f0 + 0xffc]
  ; REP MOVSB: 8 bytes copied, then the source page faults
  lea rsi, [rbx + 0xff8]
  lea rdi, [rbx + 0x3000]
  mov ecx, 16
  cld
  EXPECT64 .k3
  rep movsb
.k3:
  SHOWR "rsi", rsi
  SHOWR "rdi", rdi
  SHOW "rcx", ecx
  SHOW "f3_0", [f3]
  SHOW "f3_4", [f3 + 4]
  mov rax, [pt_a + 3 * 8]
  and eax, 0x60
  SHOW "pte3_ad", eax
  ; a MOVS whose first read faults: no D in the destination
  lea rsi, [rbx + 0x1000]
  lea rdi, [rbx + 0x6000]
  mov ecx, 4
  EXPECT64 .k4
  rep movsb
.k4:
  SHOW "rcx2", ecx
  mov rax, [pt_a + 6 * 8]
  and eax, 0x40
  SHOW "pte6_d", eax
  and qword [pt_a + 6 * 8], ~0x60
  invlpg [rbx + 0x6000]
  EXPECT64 .k5
  movsd
.k5:
  mov rax, [pt_a + 6 * 8]
  and eax, 0x40
  SHOW "pte6_d_movsd", eax
  ; an instruction crossing into a not-present page
  EXPECT64 .k6
  lea rax, [rbx + 0x4ffd]
  call rax
.k6:
  ; crossing into page 8 (f0: "56 78 c3" completes it), then NX there
  lea rax, [rbx + 0x7ffd]
  call rax
  SHOW "crossed", eax
  mov ecx, 0xc0000080
  rdmsr
  bts eax, 11
  wrmsr
  bts qword [pt_a + 8 * 8], 63
  invlpg [rbx + 0x8000]
  EXPECT64 .k7
  lea rax, [rbx + 0x7ffd]
  call rax
.k7:
  PRINT `done\n`
  mov al, 0
  jmp exit

section .bss
alignb 4096
pdpt_a: resb 4096
pd_a: resb 4096
pt_a: resb 4096
f0: resb 4096
f3: resb 4096
f4: resb 4096
f6: resb 4096
