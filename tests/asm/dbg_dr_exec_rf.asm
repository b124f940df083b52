; Instruction breakpoints (SDM Vol. 3A §17.3.1.1, §17.2.4-17.2.5): DR0-DR3
; with R/W = 00 fault before the instruction at their linear address
; (saved EIP = that instruction, DR6.Bn set); the handler resumes it by
; setting RF in the saved EFLAGS, which suppresses the breakpoint for one
; instruction; RF is cleared once that instruction completes, so the same
; breakpoint fires again the next time round a loop. A breakpoint that is
; not enabled in DR7 does not fire; two enabled breakpoints on one address
; set both bits. Faults save RF = 1 (§6.13 / §17.3.1.1): a #GP handler sees it.
; golden: SDM. QEMU 7.2 TCG pushes RF = 0 for the #GP fault; SDM Vol. 3A
; §17.3.1.1 says the RF image pushed for any fault-class exception except an
; instruction-breakpoint #DB is 1, so the golden file has gp_rf=00010000
; (the rest is QEMU's output).
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  xor eax, eax
  mov dr6, eax
  mov eax, .bp
  mov dr0, eax
  mov dr3, eax
  mov eax, 0x000000c1                   ; L0, G3 (R/W, LEN = 00)
  mov dr7, eax
  mov dword [db_set_rf], 1
  xor ebx, ebx
  mov ecx, 3
.loop:
.bp:
  add ebx, 1                            ; #DB before each of the 3 passes
  sub ecx, 1
  jnz .loop
  SHOW "count", [db_count]
  SHOW "ebx", ebx
  ; DR1 set but not enabled; DR2 enabled on another address
  mov dword [db_count], 0
  mov eax, .bp2
  mov dr1, eax
  mov eax, .never
  mov dr2, eax
  mov eax, 0x00000010                   ; L2 only
  mov dr7, eax
.bp2:
  nop
  SHOW "count", [db_count]
  xor eax, eax
  mov dr7, eax
  ; a #GP fault pushes EFLAGS with RF = 1
  mov eax, gp_handler
  mov [idt32_table + 13 * 8], ax
  shr eax, 16
  mov [idt32_table + 13 * 8 + 6], ax
  mov ax, 0x1234
  mov ds, ax                            ; #GP(0x1230)
.after_gp:
  SHOW "gp_err", [gp_err]
  SHOW "gp_rf", [gp_rf]
  pushfd
  pop eax
  and eax, 0x10000
  SHOW "rf_now", eax
  mov al, 0
  ret
.never:
  hlt

gp_handler:
  pop dword [gp_err]
  mov eax, [esp + 8]
  and eax, 0x10000
  mov [gp_rf], eax
  mov dword [esp], main.after_gp
  iret

section .bss
gp_err: resd 1
gp_rf: resd 1
