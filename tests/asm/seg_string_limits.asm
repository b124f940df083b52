; String instructions against segment limits (SDM Vol. 3A §5.3; Vol. 2B
; "REP/REPE/REPZ...": a fault in an iteration leaves the registers as they
; were before that iteration, so the instruction can restart): REP MOVSB
; into a 4 KiB ES stops with #GP(0) at the first byte past the limit, with
; ECX, ESI and EDI counting the bytes already copied; a REP STOSD element
; that straddles the limit faults whole (nothing of it is written); a
; source past the DS limit, and an expand-down ES entered from below, fault
; the same way.
;
; golden: SDM. QEMU 7.2 TCG checks no data-segment limits (every string
; runs to completion there); the golden file is pc64's output checked by
; hand.
%include "lib.inc"
%include "seg.inc"

%macro REGS 0
  mov eax, ecx
  PRINT "  ecx="
  call put_hex32
  mov eax, esi
  PRINT " esi="
  call put_hex32
  mov eax, edi
  PRINT " edi="
  call put_hex32
  call newline
%endmacro

main:
  call seg_setup
  SETDESC 0x50, dst, 0xfff, 0x92, 0x4           ; 4 KiB data at dst
  SETDESC 0x58, src, 0xfff, 0x92, 0x4           ; 4 KiB data at src
  SETDESC 0x60, dst, 0xfff, 0x96, 0x4           ; expand-down at dst: 1000h..
  mov edi, src
  mov ecx, 0x2000
  mov al, 0x11
  rep stosb
  mov ax, 0x50
  mov es, ax
  cld
  mov esi, src
  mov edi, 0xff0
  mov ecx, 0x40
  PROBE "rep movsb es:ff0, 40h bytes", rep movsb
  REGS
  SHOW "dst[ffc]", [dst + 0xffc]
  SHOW "dst[1000]", [dst + 0x1000]
  mov edi, 0xff2
  mov ecx, 4
  mov eax, 0x22222222
  PROBE "rep stosd es:ff2, 4 dwords", rep stosd
  REGS
  SHOW "dst[ff8]", [dst + 0xff8]
  SHOW "dst[ffc]", [dst + 0xffc]
  mov ax, 0x58
  mov fs, ax
  mov ax, SEG_DS0
  mov es, ax
  mov esi, 0xffa
  mov edi, dst + 0x100
  mov ecx, 8
  PROBE "rep movsw fs:ffa, 8 words", db 0xf3, 0x64, 0x66, 0xa5 ; rep fs movsw
  REGS
  mov ax, 0x60
  mov es, ax
  std
  mov edi, 0x1003
  mov ecx, 8
  mov al, 0x33
  PROBE "std rep stosb es:1003 down (expand-down)", rep stosb
  cld
  REGS
  SHOW "dst[1000]", [dst + 0x1000]
  SHOW "dst[ffc]", [dst + 0xffc]
  mov al, 0
  ret

section .bss
alignb 4096
dst: resb 0x2000
src: resb 0x2000
