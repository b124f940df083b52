; System instructions in virtual-8086 mode (CPL 3; SDM Vol. 3A §20.2.7 and
; the "Virtual-8086 Mode Exceptions" of each instruction in Vol. 2):
; privileged ones (LGDT, LIDT, MOV to/from CR0 and DR7, CLTS, RDMSR,
; WBINVD, INVLPG) are #GP(0); LTR, LLDT, SLDT, STR, LAR, LSL, VERR, VERW
; and ARPL are not recognized (#UD); SMSW, SGDT and SIDT work (UMIP off);
; RDPMC with CR4.PCE = 0 is #GP(0).
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

main:
  call idt32_setup
  VX_SETUP 0
  VX_GO 0
vx_done:
  ret

%macro TRY 1+                           ; run one instruction, resume after it
  mov word [VX(vx_resume)], VX(%%next)
  %1
%%next:
  mov word [VX(vx_resume)], 0
%endmacro

bits 16
align 16
v86_start:
  TRY lgdt [VX(buf)]
  TRY lidt [VX(buf)]
  TRY mov eax, cr0
  TRY mov cr0, eax
  TRY mov eax, dr7
  TRY clts
  TRY rdmsr
  TRY wbinvd
  TRY invlpg [VX(buf)]
  TRY rdpmc
  TRY ltr ax
  TRY lldt ax
  TRY sldt ax
  TRY str ax
  TRY lar ax, bx
  TRY lsl ax, bx
  TRY verr ax
  TRY verw ax
  TRY arpl ax, bx
  TRY smsw ax
  and eax, 1
  out 0xe1, al                          ; CR0.PE
  TRY sgdt [VX(buf)]
  movzx eax, word [VX(buf)]
  out 0xe1, al                          ; GDT limit 0x2f
  TRY sidt [VX(buf)]
  movzx eax, word [VX(buf)]
  out 0xe1, al                          ; IDT limit 0xff
  hlt
buf: times 8 db 0
VX_DATA
align 2
  times 64 db 0
v86_stack_top:
v86_end:
bits 32
