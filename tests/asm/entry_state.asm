; The machine state at the multiboot entry (Multiboot Specification §3.2):
; EAX magic, EFLAGS, the segment selectors, and the boot information's
; memory fields.
%include "lib.inc"

main:
  SHOW "eax", [mb_eax]
  pushfd
  pop eax
  SHOW "eflags", eax
  mov ax, cs
  SHOW "cs", eax
  mov ax, ds
  SHOW "ds", eax
  mov ax, ss
  SHOW "ss", eax
  mov ax, es
  SHOW "es", eax
  mov ebx, [mb_ebx]
  mov eax, [ebx]
  and eax, 1
  SHOW "mem_flag", eax
  SHOW "mem_lower", [ebx + 4]
  ; QEMU's figure comes from SeaBIOS's e820 map, which keeps the top 128 KiB
  ; below 512 MiB for its tables; compare in 4 MiB units.
  mov eax, [ebx + 8]
  shr eax, 12
  SHOW "mem_upper_4m", eax
  mov al, 0
  ret
