; RDFSBASE/WRFSBASE/RDGSBASE/WRGSBASE (SDM Vol. 2B "RDFSBASE",
; "WRFSBASE"): #UD while CR4.FSGSBASE = 0; with it set they read and write
; the bases seen by FS:/GS: accesses and IA32_FS_BASE; a non-canonical
; value is #GP(0); the 32-bit form zero-extends.
;
; golden: SDM
; QEMU 7.2 TCG accepts WRFSBASE of a non-canonical value; the SDM (Vol. 2B
; "WRFSBASE/WRGSBASE", 64-Bit Mode Exceptions: "#GP(0) If the source
; register contains a non-canonical address") faults and leaves the base
; unchanged. The golden file is QEMU's plus that #GP line, with
; fs_unchanged = 0.
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  EXPECT64 .r1
  rdfsbase rax
.r1:
  mov rax, cr4
  bts rax, 16                             ; FSGSBASE
  mov cr4, rax
  mov ax, LM_DSU                          ; DPL 3: IRET to CPL 3 keeps FS
  mov fs, ax
  mov rax, table
  wrfsbase rax
  mov rax, [fs:8]
  SHOW64 "fs8", rax
  mov ecx, 0xc0000100
  rdmsr
  mov rbx, table
  sub eax, ebx
  SHOW "msr-table", eax
  mov rax, 0xffff800000001000
  wrgsbase rax
  rdgsbase rbx
  SHOW64 "gsbase", rbx
  rdgsbase ecx
  SHOW64 "gsbase32", rcx
  EXPECT64 .r2
  mov rax, 0x0000800000000000
  wrfsbase rax
.r2:
  rdfsbase rax
  mov rbx, table
  sub rax, rbx
  SHOW64 "fs_unchanged", rax
  mov eax, table + 16
  wrfsbase eax
  mov rax, [fs:0]
  SHOW64 "fs0", rax
  TO_USER64 user
user:
  rdfsbase rax                            ; allowed at CPL 3
  mov rbx, table + 16
  sub rax, rbx
  SHOW64 "user_fs", rax
  mov al, 0
  jmp exit

section .data
align 8
table: dq 0x1111111111111111, 0x2222222222222222, 0x3333333333333333
