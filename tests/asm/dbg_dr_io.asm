; I/O breakpoints (SDM Vol. 3A §17.2.4-17.2.5, §17.3.1.2): with CR4.DE = 1,
; R/W = 10 makes DRn an I/O port breakpoint: IN and OUT touching a covered
; port trap after the instruction (saved EIP after it, DR6.Bn set); LEN = 4
; covers the four ports from DRn (aligned), a word access overlapping the
; range hits, other ports do not. Also DR4/DR5: with CR4.DE = 0 they alias
; DR6/DR7; with CR4.DE = 1 they are #UD (Vol. 3A §17.2.2).
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  DBG32_SETUP
  ; DR4/DR5 aliases (CR4.DE = 0)
  mov eax, 0x00000003
  mov dr6, eax
  mov eax, dr4
  and eax, 0xf00f
  SHOW "dr4", eax
  mov eax, 0x00000401
  mov dr5, eax                          ; = DR7: L0
  mov eax, dr7
  and eax, 0x2fff
  SHOW "dr7", eax
  xor eax, eax
  mov dr7, eax
  mov dr6, eax
  ; I/O breakpoints
  mov eax, cr4
  or eax, 8                             ; DE
  mov cr4, eax
  mov eax, 0x80
  mov dr2, eax                          ; LEN 1: port 0x80
  mov eax, 0x70
  mov dr3, eax                          ; LEN 4: ports 0x70..0x73
  mov eax, 0xe20000b0                   ; L2, G2, G3; R/W2 = 10 LEN2 = 00; R/W3 = 10 LEN3 = 11
  mov dr7, eax
  PRINT `out80\n`
  out 0x80, al                          ; hit B2
  PRINT `out81\n`
  out 0x81, al                          ; no hit
  PRINT `in80\n`
  mov dx, 0x80
  in al, dx                             ; hit B2
  PRINT `in7f_w\n`
  mov dx, 0x7f
  in ax, dx                             ; ports 0x7f..0x80: hit B2
  PRINT `in73\n`
  in al, 0x73                           ; hit B3
  PRINT `in74\n`
  in al, 0x74                           ; no hit
  xor eax, eax
  mov dr7, eax
  SHOW "count", [db_count]
  ; DR4 is #UD with CR4.DE = 1
  mov eax, ud_handler
  mov [idt32_table + 6 * 8], ax
  shr eax, 16
  mov [idt32_table + 6 * 8 + 6], ax
  mov eax, dr4
  PRINT `not reached\n`
.after_ud:
  SHOW "ud_eip", [ud_eip]
  mov al, 0
  ret

ud_handler:
  mov eax, [esp]
  mov [ud_eip], eax
  mov dword [esp], main.after_ud
  iret

section .bss
ud_eip: resd 1
