; Far transfers with 16-bit operand size in 16-bit protected-mode code
; (SDM Vol. 2A "CALL", "JMP", Vol. 2B "RET": the operand size sets the
; return-address slots; Vol. 3A §21.2 "Mixing 16-bit and 32-bit Code"):
; a 32-bit far CALL into 16-bit code returns with a 32-bit RETF (66h CBh);
; in the 16-bit code a ptr16:16 CALL pushes CS and IP as words and RETF
; pops them; a 32-bit far CALL (66h 9Ah ptr16:32) from 16-bit code pushes
; dwords and the 32-bit code returns with a plain RETF; JMP m16:16 and
; LES m16:16 read 4-byte pointers; a far CALL to an offset beyond the new
; CS limit is #GP(0) with nothing pushed.
;
; golden: SDM. QEMU 7.2 TCG reports the far CALL past the limit as
; #GP(selector); Vol. 2A "CALL" has "IF tempEIP outside code segment limit
; THEN #GP(0)" (and lists it under #GP(0)). The golden file is QEMU's
; output with that error code corrected.
%include "lib.inc"
%include "seg.inc"

%define O(x) ((x) - code16)

main:
  call seg_setup
  SETDESC 0x50, code16, 0xffff, 0x9a, 0x0       ; 16-bit code, base code16
  SETDESC 0x60, code16, 0xff, 0x9a, 0x0         ; 16-bit code, limit 0ffh
  mov [esp_before], esp
  call 0x50:O(entry16)
  mov eax, [esp_before]
  sub eax, esp
  SHOW "esp delta after o32 retf", eax
  SHOW "16-bit call: sp delta in sub", [r + 0]
  SHOW "  pushed ip - return", [r + 4]
  SHOW "  pushed cs", [r + 8]
  SHOW "  sp delta after retf", [r + 12]
  SHOW "o32 call from 16-bit: esp delta in sub32", [r + 16]
  SHOW "  pushed eip - return", [r + 20]
  SHOW "  pushed cs", [r + 24]
  SHOW "  esp delta after retf", [r + 28]
  SHOW "jmp m16:16 reached", [r + 32]
  SHOW "les bx: bx", [r + 36]
  SHOW "  es", [r + 40]
  SHOW "call beyond limit: esp delta", [r + 44]
  mov al, 0
  ret

sub32:                                  ; 32-bit code, called from 16-bit code
  mov eax, [esp_16]
  sub eax, esp
  mov [r + 16], eax
  movzx eax, word [esp]
  sub eax, O(ret32)
  mov [r + 20], eax
  movzx eax, word [esp + 4]
  mov [r + 24], eax
  retf

bits 16
code16:
entry16:
  a32 mov [dword esp_16], esp
  call 0x50:O(sub16)
ret16:
  mov eax, [dword esp_16]
  sub eax, esp
  a32 mov [dword r + 12], eax
  a32 mov [dword esp_16], esp
  call dword 0x08:sub32
ret32:
  mov eax, [dword esp_16]
  sub eax, esp
  a32 mov [dword r + 28], eax
  a32 jmp far [dword fp16]
there:
  a32 mov dword [dword r + 32], 1
  a32 les bx, [dword fp16b]
  movzx eax, bx
  a32 mov [dword r + 36], eax
  mov ax, es
  movzx eax, ax
  a32 mov [dword r + 40], eax
  mov ax, SEG_DS0
  mov es, ax
  ; a far call beyond the limit of CS 0060h (limit 0ffh)
  a32 mov dword [dword seg_resume], O(after_gp)
  a32 mov [dword esp_16], esp
  call 0x60:0x100
after_gp:
  mov eax, [dword esp_16]
  sub eax, esp
  a32 mov [dword r + 44], eax
  o32 retf

sub16:                                  ; 16-bit code, 16-bit far call
  mov eax, [dword esp_16]
  sub eax, esp
  a32 mov [dword r + 0], eax
  movzx eax, word [esp]
  sub eax, O(ret16)
  a32 mov [dword r + 4], eax
  movzx eax, word [esp + 2]
  a32 mov [dword r + 8], eax
  retf
bits 32

section .data
fp16: dw there - code16, 0x50
fp16b: dw 0x1234, SEG_DS3

section .bss
esp_before: resd 1
esp_16: resd 1
r: resd 16
