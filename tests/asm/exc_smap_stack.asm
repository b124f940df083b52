; SMAP and stack accesses at CPL 0 (SDM Vol. 3A §4.6.1 "Determination of
; Access Rights": with CR4.SMAP = 1, a supervisor-mode data read from a
; user-mode address faults when EFLAGS.AC = 0; the pops of a far RET are
; explicit supervisor-mode accesses at CPL 0, Vol. 2B "RET" Operation).
; The code, data and the kernel stacks sit in the first 2 MiB, made a
; supervisor page; 0x200000-0x3fffff stays a user page. #PF is delivered on
; IST1, so its frame never touches the user page.
;   1. POP from a user page with AC = 1 (STAC): allowed;
;   2. POP from a user page with AC = 0 (CLAC): #PF(1), CR2 = RSP;
;   3. far RET (same privilege, CS 0x08) from a user page with AC = 0: #PF(1);
;   4. far RET to CPL 3 from a user page with AC = 0: #PF(1).
; (QEMU 7.2 TCG agrees here: it checks SMAP on far-RET pops too.)
%include "lib.inc"
%include "lm64.inc"

USTACK equ 0x200800

main:
  LM64_ENTER go
bits 64
go:
  mov qword [lm64_pd], 0x83                 ; first 2 MiB: supervisor
  mov rax, cr3
  mov cr3, rax
  mov rax, cr4
  bts rax, 21                               ; SMAP
  mov cr4, rax
  mov byte [lm64_idt + 14 * 16 + 4], 1      ; #PF on IST1
  mov rbx, rsp                              ; the kernel stack
  stac
  mov qword [USTACK], 0x1234
  mov rsp, USTACK
  pop rax
  mov rsp, rbx
  SHOW "pop_ac1", eax
  ; 2: POP with AC = 0
  stac
  mov qword [USTACK], 0x5678
  clac
  EXPECT64 .r2
  mov rsp, USTACK
  pop rax
.r2:
  mov rsp, rbx
  ; 3: far RET to CPL 0
  stac
  mov qword [USTACK], .bad3
  mov qword [USTACK + 8], LM_CS64
  clac
  EXPECT64 .r3
  mov rsp, USTACK
  o64 retf
.bad3:
  mov rsp, rbx
  PRINT "retf0 completed"
  call newline
.r3:
  mov rsp, rbx
  ; 4: far RET to CPL 3
  stac
  mov qword [USTACK], .bad4
  mov qword [USTACK + 8], LM_CS64U
  mov qword [USTACK + 16], lm64_ustack_top
  mov qword [USTACK + 24], LM_DSU
  clac
  EXPECT64 .r4
  mov rsp, USTACK
  o64 retf
.bad4:                                      ; CPL 3 on a supervisor page: not reached
  hlt
.r4:
  mov rsp, rbx
  mov al, 0
  jmp exit
