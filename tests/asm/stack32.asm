; PUSH/POP forms, PUSHAD/POPAD, PUSHFD/POPFD, ENTER/LEAVE, CALL/RET imm16.
%include "lib.inc"

main:
  mov ebp, esp
  push dword 0x11111111
  push word 0x2222
  push byte -3
  pop eax
  SHOW "pop_imm8", eax
  pop ax
  SHOW "pop16", eax
  pop eax
  SHOW "pop32", eax
  mov eax, esp
  sub eax, ebp
  SHOW "balance", eax
  mov eax, 1
  mov ecx, 2
  mov edx, 3
  mov ebx, 4
  mov esi, 6
  mov edi, 7
  push ebp
  pushad
  mov eax, [esp + 12]
  sub eax, esp
  SHOW "pushad_esp", eax
  xor eax, eax
  xor ebx, ebx
  popad
  SHOW "popad_eax", eax
  SHOW "popad_ebx", ebx
  pop ebp
  push dword 0x8d5
  popfd
  SHOWF "popfd"
  pushfd
  pop eax
  and eax, 0x3fffff & ~0x200
  SHOW "pushfd", eax
  push dword 0
  popfd
  push esp
  pop eax
  sub eax, esp
  SHOW "push_esp", eax
  push ebp
  enter 16, 0
  mov eax, ebp
  sub eax, esp
  SHOW "enter", eax
  leave
  pop ebp
  push dword 5
  push dword 6
  call callee
  SHOW "ret_imm", eax
  mov eax, esp
  sub eax, ebp
  SHOW "after_ret", eax
  mov esp, ebp
  mov al, 0
  ret

callee:
  mov eax, [esp + 4]
  add eax, [esp + 8]
  ret 8
