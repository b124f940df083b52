; Segment type checks (SDM Vol. 3A §5.4 "Type Checking", §3.4.5.1;
; Vol. 2A "MOV" to a segment register): writes to a read-only data segment
; or through a code segment are #GP(0) (also read-modify-write and string
; stores); a data read through an execute-only code segment (CS override)
; is #GP(0), while readable code may be read through CS or loaded into a
; data segment register (and is still not writable). Segment loads check
; the type: DS/ES/FS/GS take data or readable code (#GP(selector) for
; execute-only code and system descriptors), SS takes only writable data.
;
; golden: SDM. QEMU 7.2 TCG does no type checks on data accesses (the
; write and read probes succeed there); the load checks agree with QEMU.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, buf, 0xffff, 0x90, 0x4          ; read-only data
  SETDESC 0x58, 0, 0xfffff, 0x98, 0xc           ; execute-only code
  SETDESC 0x60, buf, 0xffff, 0x9a, 0x4          ; readable code (over buf)
  SETDESC 0x68, 0, 0xffff, 0x82, 0x0            ; LDT descriptor
  mov dword [buf], 0x12345678
  mov ax, 0x50
  PROBE "load es ro-data", mov es, ax
  PROBE "read es ro-data", mov ebx, [es:0]
  SHOW "ebx", ebx
  PROBE "write es ro-data", mov dword [es:0], 0
  PROBE "rmw es ro-data", add [es:0], ebx
  xor edi, edi
  PROBE "stosb es ro-data", stosb
  SHOW "edi", edi
  PROBE "load ss ro-data", mov ss, ax
  mov ax, 0x60
  PROBE "load fs readable code", mov fs, ax
  PROBE "read fs code", mov ebx, [fs:0]
  SHOW "ebx", ebx
  PROBE "write fs code", mov [fs:0], ebx
  PROBE "load ss code", mov ss, ax
  PROBE "write cs", mov [cs:buf], ebx
  PROBE "read cs readable", mov ebx, [cs:buf]
  mov ax, 0x58
  PROBE "load gs exec-only", mov gs, ax
  mov ax, SEG_TSS
  PROBE "load gs tss", mov gs, ax
  mov ax, 0x68
  PROBE "load gs ldt", mov gs, ax
  jmp 0x58:.xo
.xo:
  mov eax, cs
  SHOW "cs", eax
  PROBE "read cs exec-only", mov ebx, [cs:buf]
  PROBE "write cs exec-only", mov [cs:buf], ebx
  PROBE "ds read in exec-only", mov ebx, [buf]
  jmp SEG_CS0:.back
.back:
  mov al, 0
  ret

section .bss
alignb 4096
buf: resb 0x10000
