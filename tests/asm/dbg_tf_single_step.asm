; Single-step (SDM Vol. 3A §17.3.1.4, §6.15 "Interrupt 1"): with RFLAGS.TF
; set, a #DB trap follows every instruction; the saved EIP is the next
; instruction's and DR6.BS is set. TF set by POPF takes effect after the
; instruction following the POPF; a POPF that clears TF is still trapped.
; The handler runs with TF = 0 (cleared on delivery) and is not stepped.
; A trapped jump reports its target, a trapped REP MOVSB with ECX = 2
; traps after each iteration (SDM Vol. 3A §17.3.1.4: each iteration of a
; repeated string instruction is single-stepped).
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  xor eax, eax
  mov dr6, eax
  pushfd
  or dword [esp], 0x100
  popfd                                 ; sets TF: no trap after the POPF itself
  mov eax, 1                            ; trap after this
.a1:
  add eax, 2                            ; trap
.a2:
  jmp .a3                               ; trap, EIP = target
  nop
.a3:
  pushfd                                ; trap
  and dword [esp], ~0x100
  popfd                                 ; trap after this POPF (TF was set at its start)
  nop                                   ; TF = 0 now: no trap
  SHOW "count", [db_count]
  SHOW "eax", eax
  ; the handler itself ran with TF clear
  mov dword [db_count], 0
  mov esi, src
  mov edi, dst
  mov ecx, 2
  cld
  pushfd
  or dword [esp], 0x100
  popfd
  nop                                   ; trap
  rep movsb                             ; a trap per iteration
  mov dword [db_clear_tf], 1            ; trap, the handler clears TF
  nop                                   ; not trapped: the handler cleared TF
  nop
  SHOW "count", [db_count]
  SHOW "dst", [dst]
  SHOW "ecx", ecx
  mov al, 0
  ret

section .data
src: dd 0x04030201
dst: dd 0
