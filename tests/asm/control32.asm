; Near control transfers: LOOP/LOOPE/LOOPNE/JECXZ, indirect CALL/JMP
; through registers, memory and a jump table, Jcc both ways.
%include "lib.inc"

main:
  xor eax, eax
  mov ecx, 10
.l1:
  add eax, ecx
  loop .l1
  SHOW "loop_sum", eax
  SHOW "loop_ecx", ecx
  mov ecx, 10
  mov ebx, 0
.l2:
  inc ebx
  cmp ebx, 4
  loopne .l2
  SHOW "loopne_ebx", ebx
  SHOW "loopne_ecx", ecx
  xor ecx, ecx
  jecxz .z
  PRINT `jecxz not taken\n`
.z:
  mov eax, f1
  call eax
  call [fptr]
  mov esi, 2
  jmp [table + esi * 4]
.t0:
  PRINT `t0\n`
  jmp .after
.t1:
  PRINT `t1\n`
  jmp .after
.t2:
  PRINT `t2\n`
.after:
  ; signed/unsigned conditional jumps on the same compare
  mov eax, -1
  cmp eax, 1
  jl .lt
  PRINT `jl wrong\n`
.lt:
  ja .above
  PRINT `ja wrong\n`
.above:
  PRINT `jcc ok\n`
  ; a long backward jcc (rel32)
  mov ecx, 3
.back:
  times 200 nop
  dec ecx
  jnz near .back
  SHOW "rel32_ecx", ecx
  mov al, 0
  ret

f1:
  PRINT `f1\n`
  ret
f2:
  PRINT `f2\n`
  ret

section .rodata
fptr: dd f2
table: dd main.t0, main.t1, main.t2
