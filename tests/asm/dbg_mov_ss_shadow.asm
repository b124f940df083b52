; MOV SS and POP SS hold back debug exceptions until the next instruction
; completes (SDM Vol. 3A §6.8.3, Vol. 2B "MOV" and "POP"): with TF = 1
; there is no single-step trap after MOV SS / POP SS; the one after the
; following instruction reports that instruction's successor. A data
; breakpoint hit by the read of MOV SS, m16 is also delivered after the next
; instruction, together with BS.
; golden: SDM. QEMU 7.2 TCG delivers the data-breakpoint #DB of MOV SS, m16
; at once (EIP = the next instruction); SDM Vol. 3A §6.8.3 and Vol. 2B
; "MOV" (Operation notes on MOV SS) say debug exceptions are inhibited
; until the boundary after the next instruction, so the golden file has
; the #DB one instruction later (EIP = .s3); the rest is QEMU's output.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  xor eax, eax
  mov dr6, eax
  mov ax, ss
  pushfd
  or dword [esp], 0x100
  popfd
  nop                                   ; trap
  mov ss, ax                            ; no trap here
  mov ebx, 1                            ; trap: EIP = .s1
.s1:
  push eax
  pop ss                                ; no trap here
  mov ebx, 2                            ; trap: EIP = .s2
.s2:
  mov dword [db_clear_tf], 1            ; trap, TF cleared
  nop
  SHOW "count", [db_count]
  ; DR0: read/write breakpoint on the selector MOV SS loads
  mov dword [db_count], 0
  mov ax, ss
  mov [ss_sel], ax
  mov eax, ss_sel
  mov dr0, eax
  mov eax, 0x00030002                   ; G0, R/W0 = 11, LEN0 = 1 byte
  mov dr7, eax
  mov ss, [ss_sel]                      ; hits DR0: held
  mov ebx, 3                            ; #DB after this one: EIP = .s3
.s3:
  xor eax, eax
  mov dr7, eax
  SHOW "count", [db_count]
  SHOW "ebx", ebx
  mov al, 0
  ret

section .data
ss_sel: dd 0
