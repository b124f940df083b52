; Exceptions from virtual-8086 mode through 32-bit interrupt gates (SDM
; Vol. 3A §20.3.1.1, Figure 20-4; Vol. 2A "INT n", INTERRUPT-FROM-
; VIRTUAL-8086-MODE): the CPL 0 handler runs on SS0:ESP0 from the TSS and
; finds EIP, CS, EFLAGS (VM = 1), ESP, SS, ES, DS, FS, GS of the v86 task
; (36 bytes, 40 with an error code), with DS, ES, FS, GS null; #DE and #UD
; (faults: EIP of the instruction), #GP(0) from INT n at IOPL 0, and #PF
; with paging on (error code U = 1, CR2 = the linear address seg * 16 +
; offset). IRET returns to virtual-8086 mode with the segment registers
; reloaded from the frame.
%include "lib.inc"
%include "idt32.inc"
%include "v86.inc"

%macro GATE 2
  mov eax, %2
  mov [idt32_table + (%1) * 8], ax
  shr eax, 16
  mov [idt32_table + (%1) * 8 + 6], ax
%endmacro

main:
  call idt32_setup
  VX_SETUP 0
  GATE 0, ex0
  GATE 6, ex6
  GATE 13, ex13
  GATE 14, ex14
  ; paging: the first 4 MiB in 4-KiB user pages, linear 0x30000 not present
  xor ecx, ecx
.pte:
  mov eax, ecx
  shl eax, 12
  or eax, 7
  mov [ptab + ecx * 4], eax
  add ecx, 1
  cmp ecx, 1024
  jne .pte
  mov dword [ptab + 0x30 * 4], 0
  mov eax, ptab
  or eax, 7
  mov [pdir], eax
  mov eax, pdir
  mov cr3, eax
  mov eax, cr0
  or eax, 1 << 31
  mov cr0, eax
  VX_GO 0                               ; IOPL 0, IF 0
vx_done:
  ret

ex0:
  mov [ss:h_esp], esp
  push dword 0
  push dword 0
  jmp dump
ex6:
  mov [ss:h_esp], esp
  push dword 0
  push dword 6
  jmp dump
ex13:
  mov [ss:h_esp], esp
  push dword 13
  jmp dump
ex14:
  mov [ss:h_esp], esp
  push dword 14
  jmp dump

; [esp] = vector, +4 error code, +8 EIP, +12 CS, +16 EFLAGS, +20 ESP,
; +24 SS, +28 ES, +32 DS, +36 FS, +40 GS; after PUSHAD all + 32.
dump:
  pushad
  mov bx, ds
  mov cx, es
  mov dx, fs
  mov si, gs
  mov ax, 0x10
  mov ds, ax
  movzx eax, word [esp + 32]
  SHOW "vec", eax
  or bx, cx
  or bx, dx
  or bx, si
  movzx ebx, bx
  SHOW "h_ds_es_fs_gs", ebx
  mov ax, cs
  movzx eax, ax
  SHOW "h_cs", eax
  mov ax, ss
  movzx eax, ax
  SHOW "h_ss", eax
  mov eax, vx_kstack_top
  sub eax, [h_esp]
  SHOW "frame_bytes", eax
  mov eax, [esp + 36]
  SHOW "err", eax
  mov eax, [esp + 40]
  SHOW "ip", eax
  mov eax, [esp + 44]
  SHOW "cs", eax
  mov eax, [esp + 48]
  and eax, 0x27700                      ; VM NT IOPL DF IF TF
  SHOW "eflags", eax
  mov eax, [esp + 52]
  SHOW "sp", eax
  mov eax, [esp + 56]
  SHOW "ss", eax
  mov eax, [esp + 60]
  SHOW "es", eax
  mov eax, [esp + 64]
  SHOW "ds", eax
  mov eax, [esp + 68]
  SHOW "fs", eax
  mov eax, [esp + 72]
  SHOW "gs", eax
  cmp dword [esp + 32], 14
  jne .nopf
  mov eax, cr2
  SHOW "cr2", eax
.nopf:
  movzx eax, word [VX_BASE + vx_resume - v86_start]
  test eax, eax
  jz .end
  mov word [VX_BASE + vx_resume - v86_start], 0
  mov [esp + 40], eax
  popad
  add esp, 8
  iret
.end:
  PRINT `end\n`
  mov al, 0
  jmp exit

bits 16
align 16
v86_start:
  mov ax, 0x3333
  mov es, ax
  mov ax, 0x1111
  mov fs, ax
  mov ax, 0x2222
  mov gs, ax
  mov word [VX(vx_resume)], VX(.a)
  mov cl, 0
  div cl                                ; #DE
.a:
  mov word [VX(vx_resume)], VX(.b)
  mov sp, VX(v86_stack_top) - 6
  ud2                                   ; #UD
.b:
  mov word [VX(vx_resume)], VX(.c)
  int 0x21                              ; IOPL 0: #GP(0)
.c:
  mov word [VX(vx_resume)], VX(.d)
  mov ax, 0x3000
  mov es, ax
  mov byte [es:0x0012], 1               ; linear 0x30012: #PF, write
.d:
  mov word [VX(vx_resume)], VX(.e)
  mov ax, 0x2ff0
  mov fs, ax
  mov al, [fs:0x0105]                   ; linear 0x30005: #PF, read
.e:
  mov ax, es
  movzx eax, ax
  out 0xe1, al                          ; #GP through ex13 too: prints the frame
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
h_esp: resd 1
