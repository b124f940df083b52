; Segment-register instructions other than MOV Sreg,r (SDM Vol. 2B "POP",
; "PUSH", Vol. 2A "LDS/LES/LFS/LGS/LSS", "MOV"): POP SS, POP DS and LSS/LFS
; apply the same checks as MOV (#GP(selector), #SS(selector) for a
; not-present SS, #NP(selector), #GP(0) for a null SS) and leave ESP and
; the offset register unchanged on a fault; LSS loads SS:ESP together. MOV
; to CS is #UD. PUSH Sreg moves ESP by the operand size (4, or 2 with
; 66h) with the selector in the low word; MOV m16, Sreg writes 16 bits.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, 0, 0xfffff, 0x90, 0xc           ; read-only data
  SETDESC 0x58, 0, 0xfffff, 0x12, 0xc           ; writable data, not present
  SETDESC 0x60, 0, 0xfffff, 0x9a, 0xc           ; readable code
  mov ebp, esp
  push dword SEG_DS0
  PROBE "pop ss 0010", pop ss
  mov eax, ebp
  sub eax, esp
  SHOW "  esp delta", eax
  push dword 0x58
  PROBE "pop ss 0058 (not present)", pop ss
  mov eax, ebp
  sub eax, esp
  SHOW "  esp delta", eax
  add esp, 4
  push dword 0x50
  PROBE "pop ss 0050 (read-only)", pop ss
  add esp, 4
  push dword 0x200
  PROBE "pop ds 0200 (beyond gdt)", pop ds
  add esp, 4
  mov dword [fp], 0x12345678
  mov word [fp + 4], 0x50
  PROBE "lss 0050", lss esp, [fp]
  mov eax, ebp
  sub eax, esp
  SHOW "  esp delta", eax
  mov word [fp + 4], 0
  PROBE "lss null", lss esp, [fp]
  mov word [fp + 4], 0x58
  mov ebx, 0xaaaa
  PROBE "lfs 0058 (not present)", lfs ebx, [fp]
  SHOW "  ebx", ebx
  mov word [fp + 4], 0x60
  PROBE "lgs 0060 (readable code)", lgs ebx, [fp]
  SHOW "  ebx", ebx
  mov eax, gs
  SHOW "  gs", eax
  mov dword [fp], 0x1000
  mov word [fp + 4], SEG_DS0
  mov [saved_esp], esp
  PROBE "lss 0010", lss esp, [fp]
  mov ebx, esp
  mov ecx, ss
  mov ax, SEG_DS0
  mov ss, ax
  mov esp, [saved_esp]
  SHOW "  esp", ebx
  SHOW "  ss", ecx
  mov ax, SEG_DS0
  PROBE "mov cs, ax", db 0x8e, 0xc8
  mov ax, SEG_DS3
  mov fs, ax
  mov ebp, esp
  mov dword [esp - 4], 0xffffffff
  push fs
  mov eax, ebp
  sub eax, esp
  SHOW "push fs: esp delta", eax
  movzx eax, word [esp]
  SHOW "  low word", eax
  add esp, 4
  o16 push fs
  mov eax, ebp
  sub eax, esp
  SHOW "o16 push fs: esp delta", eax
  movzx eax, word [esp]
  SHOW "  word", eax
  add esp, 2
  mov dword [fp], 0xffffffff
  mov [fp], ds
  SHOW "mov [m], ds", [fp]
  mov al, 0
  ret

section .bss
fp: resd 2
saved_esp: resd 1
