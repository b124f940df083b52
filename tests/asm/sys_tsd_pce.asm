; CR4.TSD and CR4.PCE (SDM Vol. 3A §2.5; Vol. 2B "RDTSC", "RDTSCP",
; "RDPMC"): with TSD = 0, RDTSC and RDTSCP work at CPL 3; with TSD = 1 they
; are #GP(0) at CPL 3 but still work at CPL 0. With PCE = 0, RDPMC is
; #GP(0) at CPL 3, whatever the counter index.
%include "lib.inc"
%include "lm64.inc"

%macro TRY 1+
  EXPECT64 %%r
  %1
  PRINT "ok "
%%r:
%endmacro

main:
  LM64_ENTER go
bits 64
go:
  SET_GATE64 3, kernel, 0, 0xee
  mov rax, cr4
  and eax, ~((1 << 2) | (1 << 8)) ; TSD = PCE = 0
  mov cr4, rax
  TO_USER64 user
user:
  PRINT `tsd=0 cpl=3\n`
  TRY rdtsc
  TRY rdtscp
  xor ecx, ecx
  TRY rdpmc
  mov ecx, 0x40000000
  TRY rdpmc
  call newline
  int3                          ; kernel sets TSD, returns to user_tsd
user_tsd:
  PRINT `tsd=1 cpl=3\n`
  TRY rdtsc
  TRY rdtscp
  call newline
  mov al, 0
  jmp exit

kernel:
  mov rax, cr4
  bts rax, 2                    ; TSD
  mov cr4, rax
  PRINT `tsd=1 cpl=0\n`
  TRY rdtsc
  TRY rdtscp
  call newline
  mov qword [rsp], user_tsd
  iretq
