; IOPL-sensitive instructions at CPL 3 in 64-bit mode (SDM Vol. 1 §18.5.1,
; §18.5.2; Vol. 3A §5.9; Vol. 2 "CLI", "STI", "IN", "OUT", "INS", "OUTS",
; "POPF"): with IOPL = 0, CLI and STI are #GP(0) (CR4.PVI = 0); IN, OUT,
; INS and OUTS are #GP(0) because the TSS has no I/O permission bitmap;
; POPFQ does not fault but leaves IF and IOPL unchanged. With IOPL = 3 all
; of them work at CPL 3 and POPFQ changes IF (not IOPL).
%include "lib.inc"
%include "lm64.inc"

%macro IOP 1+
  EXPECT64 %%r
  %1
%%r:
%endmacro

main:
  mov al, 0xff                  ; mask the PICs: IF = 1 below must not let
  out 0x21, al                  ; the firmware's timer interrupt in
  out 0xa1, al
  LM64_ENTER go
bits 64
go:
  SET_GATE64 3, kexit, 0, 0xee
  push qword LM_DSU
  push qword lm64_ustack_top
  push qword 0x0202             ; IOPL 0, IF 1
  push qword LM_CS64U
  push qword user0
  iretq
user0:
  IOP cli
  IOP sti
  mov dx, 0x80
  IOP in al, dx
  IOP out dx, al
  IOP in al, 0x80
  IOP out 0x80, al
  IOP in eax, dx
  mov rdi, buf
  mov rsi, buf
  IOP insb
  IOP outsb
  ; POPFQ with IF = 0 and IOPL = 3: neither changes at CPL 3, IOPL 0
  push qword 0x3002
  popfq
  pushfq
  pop rax
  mov [r_popf0], rax
  int3                          ; to kexit (CPL 0)
kexit:
  add rsp, 40                   ; drop the frame
  cmp byte [stage], 0
  jne .done
  mov byte [stage], 1
  mov rax, [r_popf0]
  and eax, 0x3200
  SHOW "popf_iopl0", eax
  ; now IOPL 3
  push qword LM_DSU
  push qword lm64_ustack_top
  push qword 0x3202             ; IOPL 3, IF 1
  push qword LM_CS64U
  push qword user3
  iretq
.done:
  mov rax, [r_popf3]
  and eax, 0x3200
  SHOW "popf_iopl3", eax
  mov rax, [r_cli]
  and eax, 0x3200
  SHOW "after_cli", eax
  mov rax, [r_sti]
  and eax, 0x3200
  SHOW "after_sti", eax
  mov al, 0
  jmp exit

user3:
  cli
  pushfq
  pop qword [r_cli]
  sti
  pushfq
  pop qword [r_sti]
  mov dx, 0x80
  in al, dx                     ; port 80H: no fault
  out dx, al
  PRINT `io ok\n`
  push qword 0x0002             ; IF = 0, IOPL = 0 requested
  popfq
  pushfq
  pop qword [r_popf3]
  int3

section .data
align 8
stage: dq 0
r_popf0: dq 0
r_popf3: dq 0
r_cli: dq 0
r_sti: dq 0
buf: times 16 db 0
