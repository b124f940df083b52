; Expand-down data segments (SDM Vol. 3A §3.4.5.1 "Code- and Data-Segment
; Descriptor Types", §5.3): valid offsets run from limit + 1 to 0FFFFFFFFH
; (B = 1) or 0FFFFH (B = 0); every byte of an access must be in that range,
; else #GP(0), or #SS(0) for SS. G = 1 scales the limit to (limit << 12) |
; 0FFFH. A limit of 0FFFFFFFFH leaves no valid offset. An expand-down stack
; at CPL 3: a PUSH below limit + 1 is #SS(0) (delivered on the ring-0
; stack from the TSS, with the faulting ESP preserved).
;
; golden: SDM. QEMU 7.2 TCG checks no data-segment limits (every probe
; succeeds there); the golden file is pc64's output checked by hand.
%include "lib.inc"
%include "seg.inc"

; RPUSH "name", esp, insn: a PROBE run with ESP set to `esp` (PRINT itself
; pushes, so the stack pointer is moved only around the instruction).
%macro RPUSH 3+
  PRINT %1
  PRINT " "
  EXPECT %%fault
  mov dword [seg_probe_at], %%insn
  mov esp, %2
%%insn:
  %3
  mov ebx, esp
  mov esp, 0xf00
  PRINT `ok\n`
  jmp %%show
%%fault:
  mov ebx, esp
  mov esp, 0xf00
%%show:
  SHOW "esp", ebx
%endmacro

main:
  call seg_setup
  SETDESC 0x50, buf, 0xfff, 0x96, 0x4           ; expand-down, B = 1
  SETDESC 0x58, buf, 0xfff, 0x96, 0x0           ; expand-down, B = 0
  SETDESC 0x60, buf, 0, 0x96, 0xc               ; expand-down, G = 1: limit 0fffh
  SETDESC 0x68, buf, 0xfffff, 0x96, 0xc         ; expand-down, limit 0ffffffffh
  SETDESC 0x70, 0, 0xfff, 0x96, 0x4             ; expand-down stack, DPL 0
  SETDESC 0x7b, seg_stack3, 0x7ff, 0xf6, 0x4    ; expand-down stack, DPL 3
  mov ax, 0x50
  mov es, ax
  PROBE "b1 byte fff", mov al, [es:0xfff]
  PROBE "b1 byte 1000", mov al, [es:0x1000]
  PROBE "b1 dword ffe", mov eax, [es:0xffe]
  PROBE "b1 dword write 1000", mov dword [es:0x1000], 0x11223344
  SHOW "mem", [buf + 0x1000]
  PROBE "b1 dword fffffffc", mov eax, [es:0xfffffffc]
  PROBE "b1 dword fffffffd", mov eax, [es:0xfffffffd]
  mov ax, 0x58
  mov es, ax
  PROBE "b0 byte fff", mov al, [es:0xfff]
  PROBE "b0 word 1000", mov ax, [es:0x1000]
  PROBE "b0 dword fffc", mov eax, [es:0xfffc]
  PROBE "b0 dword fffd", mov eax, [es:0xfffd]
  PROBE "b0 byte 10000", mov al, [es:0x10000]
  mov ax, 0x60
  mov fs, ax
  PROBE "g1 byte fff", mov al, [fs:0xfff]
  PROBE "g1 byte 1000", mov al, [fs:0x1000]
  mov ax, 0x68
  mov gs, ax
  PROBE "empty byte 0", mov al, [gs:0]
  PROBE "empty byte ffffffff", mov al, [gs:0xffffffff]
  lsl eax, [gs_sel]
  SHOW "lsl_empty", eax
  mov ax, 0x70
  mov ss, ax
  PROBE "ss byte 800", mov al, [ss:0x800]
  PROBE "ss dword esp", mov eax, [esp]
  mov ebp, 0xffe
  PROBE "ss word [ebp=ffe]", mov ax, [ebp]
  mov ax, SEG_DS0
  mov ss, ax
  TO_RING SEG_CS3, 0x7b, 0xf00, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  RPUSH "ring3 push dword at esp=802", 0x802, push eax
  RPUSH "ring3 push word at esp=802", 0x802, push ax
  RPUSH "ring3 push word at esp=801", 0x801, push ax
  mov al, 0
  jmp exit


section .data
gs_sel: dw 0x68

section .bss
alignb 4096
buf: resb 0x10000
