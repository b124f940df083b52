; The smallest test: prints on COM1 and exits through isa-debug-exit.
%include "lib.inc"

main:
  PRINT `hello\n`
  SHOW "magic", [mb_eax]
  mov al, 0
  ret
