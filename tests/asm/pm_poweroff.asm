; ACPI soft off through the PIIX4 PM block (piix4_pm.h): PMBA from
; 00:01.3 config 40h (firmware puts it at 0x600 on both QEMU and pc64), the
; PM timer at PMBA+8 runs and stays within 24 bits, then SLP_TYP 0 with
; SLP_EN in PM1a_CNT (PMBA+4) powers the machine off: the emulator exits
; with status 0 and nothing after the OUT runs.
%include "lib.inc"

main:
  mov eax, 0x80000b40             ; 00:01.3 PMBA
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfc
  in eax, dx
  mov ebx, eax
  SHOW "pmba", ebx
  and ebx, 0xffc0
  lea edx, [ebx + 8]
  in eax, dx
  mov esi, eax
  mov ecx, 200000
.spin:
  sub ecx, 1
  jnz .spin
  in eax, dx
  xor ecx, ecx
  cmp eax, esi
  setne cl
  SHOW "tmr_moves", ecx
  shr eax, 24
  SHOW "tmr_hi8", eax
  PRINT "poweroff"
  call newline
  lea edx, [ebx + 4]
  mov ax, 0x2000                  ; SLP_EN, SLP_TYP 0
  out dx, ax
  PRINT "still running"
  mov al, 1
  ret
