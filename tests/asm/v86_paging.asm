; Virtual-8086 mode with paging (SDM Vol. 3A §20.2.4 "Paging of Virtual-
; 8086 Tasks", §4.6): v86 code runs at CPL 3, so its accesses are user
; accesses: a supervisor page is #PF with error code U|P (5), a write to a
; read-only user page U|W|P (7), reads of it work, and CR2 holds the linear
; address seg * 16 + offset. Paging also emulates the 8086 wrap at 1 MiB:
; linear 0x10F000 (FFFF:F010) is mapped to physical 0xF000, so FFFF:F010
; and 0000:F000 are the same bytes (linear 0x10F000 is otherwise the unused
; bottom of lib.inc's 64 KiB stack).
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 0
  xor ecx, ecx
.pte:
  mov eax, ecx
  shl eax, 12
  or eax, 7
  mov [ptab + ecx * 4], eax
  add ecx, 1
  cmp ecx, 1024
  jne .pte
  mov dword [ptab + 0x10f * 4], 0xf000 | 7        ; the 1 MiB wrap
  mov dword [ptab + 0x50 * 4], 0x50000 | 3        ; supervisor only
  mov dword [ptab + 0x51 * 4], 0x51000 | 5        ; user, read-only
  mov dword [0x51000], 0x51515151
  mov eax, ptab
  or eax, 7
  mov [pdir], eax
  mov eax, pdir
  mov cr3, eax
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax
  VX_GO 0
vx_done:
  mov eax, cr0
  and eax, ~(1 << 31)
  mov cr0, eax
  SHOW "phys_f000", [0xf000]
  SHOW "phys_51000", [0x51000]
  ret

%macro TRY 1+
  mov word [VX(vx_resume)], VX(%%next)
  %1
%%next:
  mov word [VX(vx_resume)], 0
%endmacro

bits 16
align 16
v86_start:
  xor ax, ax
  mov es, ax
  mov dword [es:0xf000], 0x600df00d
  mov ax, 0xffff
  mov fs, ax
  mov eax, [fs:0xf010]                  ; linear 0x10F000 -> physical 0xF000
  out 0xe1, al
  mov dword [fs:0xf014], 0x12345678     ; and back: physical 0xF004
  mov eax, [es:0xf004]
  out 0xe1, al
  mov ax, 0x5000
  mov gs, ax
  TRY mov al, [gs:0x0010]               ; supervisor page: #PF(5)
  TRY mov byte [gs:0x1020], 1           ; read-only user page: #PF(7)
  mov eax, [gs:0x1000]                  ; reading it is fine
  out 0xe1, al
  hlt
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32

section .bss
alignb 4096
pdir: resb 4096
ptab: resb 4096
