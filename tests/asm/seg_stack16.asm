; The stack segment's B flag selects the stack-pointer size for implicit
; stack accesses (SDM Vol. 3A §3.4.5 "D/B flag": for a stack segment it
; chooses SP or ESP; Vol. 1 §6.2.3 "Address-Size Attributes for Stack
; Accesses"): with a 16-bit SS (B = 0) in 32-bit code, PUSH/POP/CALL/RET/
; PUSHAD/POPAD/PUSHFD use SP, which wraps at 64 KiB,
; and the upper half of ESP is left unchanged; LSS loads SS and ESP at
; once. The operand size (not B) sets the size of each slot.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, buf16, 0xffff, 0x92, 0x0        ; 16-bit data (B = 0)
  mov [saved_esp], esp
  mov word [fp + 4], 0x50
  mov dword [fp], 0x12340000
  lss esp, [fp]
  mov eax, esp
  mov [v_esp0], eax
  mov eax, 0xa1b2c3d4
  push eax
  mov [v_esp1], esp
  mov edx, [buf16 + 0xfffc]
  mov [v_m1], edx
  pop ebx
  mov [v_esp2], esp
  mov [v_ebx], ebx
  push word 0x5a5a
  mov [v_esp3], esp
  movzx edx, word [buf16 + 0xfffe]
  mov [v_m2], edx
  pop cx
  call sub16
ret16:
  mov [v_esp5], esp
  pushad
  mov [v_esp6], esp
  popad
  pushfd
  popfd
  mov [v_esp7], esp
  mov edx, ss
  mov ax, SEG_DS0
  mov ss, ax
  mov esp, [saved_esp]
  SHOW "ss", edx
  SHOW "esp after lss", [v_esp0]
  SHOW "esp after push eax", [v_esp1]
  SHOW "mem ss:fffc", [v_m1]
  SHOW "esp after pop", [v_esp2]
  SHOW "popped", [v_ebx]
  SHOW "esp after push word", [v_esp3]
  SHOW "mem ss:fffe", [v_m2]
  SHOW "esp in call", [v_esp4]
  mov eax, [v_m3]
  sub eax, ret16
  SHOW "pushed eip - ret16", eax
  SHOW "esp after ret", [v_esp5]
  SHOW "esp after pushad", [v_esp6]
  mov eax, [buf16 + 0xffe0 + 12]        ; PUSHAD's ESP slot: the value before
  SHOW "pushad esp slot", eax
  SHOW "esp after pushfd/popfd", [v_esp7]
  mov al, 0
  ret

sub16:
  mov [v_esp4], esp
  mov edx, [buf16 + 0xfffc]
  mov [v_m3], edx
  ret

section .data
fp: dd 0, 0

section .bss
alignb 16
buf16: resb 0x10000
saved_esp: resd 1
v_esp0: resd 1
v_esp1: resd 1
v_esp2: resd 1
v_esp3: resd 1
v_esp4: resd 1
v_esp5: resd 1
v_esp6: resd 1
v_esp7: resd 1
v_ebx: resd 1
v_m1: resd 1
v_m2: resd 1
v_m3: resd 1
