; #PF error codes and CR2 (SDM Vol. 3A §4.7): not-present read (0),
; write to a read-only page with CR0.WP (3), a CPL 3 read of a supervisor
; page (5), a CPL 3 write to a not-present page (6), an instruction fetch
; from an NX page with EFER.NXE (0x11). The saved RIP is the access.
; Virtual 0x20200000-0x207fffff maps to physical 0x10200000 (in RAM).
%include "lib.inc"
%include "lm64.inc"

main:
  LM64_ENTER go
bits 64
go:
  mov rax, cr0
  bts rax, 16                             ; WP
  mov cr0, rax
  mov ecx, 0xc0000080
  rdmsr
  bts eax, 11                             ; NXE
  wrmsr
  mov qword [lm64_pd + 256 * 8], 0        ; 512 MiB: not present
  mov qword [lm64_pd + 257 * 8], 0x10200085   ; read-only, user
  mov qword [lm64_pd + 258 * 8], 0x10400083   ; supervisor
  mov rax, 0x8000000010600087             ; NX
  mov [lm64_pd + 259 * 8], rax
  mov rax, cr3
  mov cr3, rax
  mov byte [0x10600000], 0xc3             ; RET, in an NX page (mapped at 0x20600000)
  EXPECT64 .r1
  mov rax, [0x20000010]
.r1:
  EXPECT64 .r2
  mov dword [0x20200ff0], 1
.r2:
  mov eax, [0x20200ff0]
  SHOW "ro_read", eax
  EXPECT64 .r3
  mov rbx, 0x20600000
  call rbx
.r3:
  TO_USER64 user
user:
  EXPECT64 .u1
  mov eax, [0x20400008]
.u1:
  EXPECT64 .u2
  mov byte [0x20001234], 1
.u2:
  EXPECT64 .u3
  mov dword [0x20200000], 1
.u3:
  PRINT `done\n`
  mov al, 0
  jmp exit
