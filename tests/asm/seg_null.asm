; Null selectors (SDM Vol. 3A §3.4.2 "Segment Selectors"; Vol. 2A "MOV",
; "POP", "LDS/LES/LFS/LGS/LSS"): DS, ES, FS and GS accept a null selector
; (index 0, TI 0, any RPL) without fault, and any later memory access
; through the register is #GP(0) (string stores through ES, too). SS takes
; no null selector outside 64-bit mode: #GP(0). A selector beyond the GDT
; limit, or with TI = 1 while the LDTR is null, is #GP(selector) with the
; RPL bits cleared (Vol. 2A "LLDT": a null LLDT makes every later LDT
; reference #GP). The register keeps its old value after a failed load.
;
; golden: SDM. QEMU 7.2 TCG does not fault on accesses through a null
; segment register; the load checks agree with QEMU.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  xor eax, eax
  lldt ax                               ; LDTR unusable: TI = 1 selectors fault
  xor eax, eax
  PROBE "load es 0", mov es, ax
  mov eax, es
  SHOW "es", eax
  PROBE "read es", mov ebx, [es:0x1000]
  PROBE "write es", mov [es:0x1000], ebx
  mov edi, buf
  PROBE "stosb es", stosb
  mov ax, 3
  PROBE "load fs 3", mov fs, ax
  mov eax, fs
  SHOW "fs", eax
  PROBE "read fs", mov bl, [fs:buf]
  push dword 2
  PROBE "pop gs 2", pop gs
  mov eax, gs
  SHOW "gs", eax
  PROBE "read gs", mov bl, [gs:buf]
  mov dword [fptr], buf
  mov word [fptr + 4], 0
  PROBE "les null", les ebx, [fptr]
  SHOW "ebx", ebx
  mov word [fptr + 4], 0x0100
  mov ebx, 0x5a5a
  PROBE "les 0100 (beyond gdt)", les ebx, [fptr]
  SHOW "ebx", ebx
  xor eax, eax
  PROBE "load ss 0", mov ss, ax
  mov ax, 3
  PROBE "load ss 3", mov ss, ax
  mov eax, ss
  SHOW "ss", eax
  mov word [fptr + 4], 0
  PROBE "lss null", lss ebx, [fptr]
  mov ax, SEG_DS0
  mov es, ax
  mov fs, ax
  mov ax, 0x103
  PROBE "load es 0103", mov es, ax
  mov ax, 0x1ff
  PROBE "load fs 01ff", mov fs, ax
  mov ax, 0xf8
  PROBE "load fs 00f8 (empty entry)", mov fs, ax
  mov ax, 0x0c
  PROBE "load gs 000c (no ldt)", mov gs, ax
  mov eax, es
  SHOW "es", eax
  PROBE "read es again", mov bl, [es:buf]
  mov al, 0
  ret

section .bss
fptr: resd 2
buf: resb 16
