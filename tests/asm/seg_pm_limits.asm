; Protected-mode segment limits (SDM Vol. 3A §3.4.5 "Segment Descriptors",
; §5.3 "Limit Checking"): with G = 0 the limit is in bytes, with G = 1 in
; 4 KiB units (the low 12 offset bits are not checked); every byte of an
; access must lie within the limit, else #GP(0), or #SS(0) for SS
; (explicit SS: overrides and EBP/ESP-based addressing). A near JMP past
; the CS limit faults on the JMP itself (Vol. 2A "JMP": #GP(0) if the
; target is beyond the code segment limit).
;
; golden: SDM. QEMU 7.2 TCG checks no data-segment limits (every access
; here succeeds there, and the JMP past the CS limit runs on); the golden
; file is this test's pc64 output checked by hand against §5.3.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, buf, 0xfff, 0x92, 0x4           ; 32-bit data, 4 KiB, byte granular
  SETDESC 0x58, buf, 0, 0x92, 0xc               ; G = 1, limit 0 -> 0fffh
  SETDESC 0x60, 0, 0xfffff, 0x92, 0xc           ; flat 4 GiB
  SETDESC 0x68, buf, 0xffff, 0x92, 0x0          ; 16-bit data, 64 KiB
  SETDESC 0x70, 0, 0x1ff, 0x92, 0xc             ; stack: 2 MiB, G = 1
  SETDESC 0x78, 0, 0x1ff, 0x9a, 0xc             ; code: 2 MiB, G = 1
  mov dword [buf + 0xffc], 0x44332211
  mov ax, 0x50
  mov es, ax
  PROBE "g0 dword ffc", mov ebx, [es:0xffc]
  SHOW "ebx", ebx
  PROBE "g0 dword ffd", mov ebx, [es:0xffd]
  PROBE "g0 byte fff", mov bl, [es:0xfff]
  PROBE "g0 byte 1000", mov bl, [es:0x1000]
  PROBE "g0 word write ffe", mov word [es:0xffe], 0x5566
  PROBE "g0 word write fff", mov word [es:0xfff], 0x7788
  SHOW "mem", [buf + 0xffc]
  mov ecx, 0xffff
  PROBE "g0 word [ecx]", mov bx, [es:ecx]
  mov ax, 0x58
  mov fs, ax
  PROBE "g1 dword ffc", mov ebx, [fs:0xffc]
  PROBE "g1 dword ffd", mov ebx, [fs:0xffd]
  PROBE "g1 byte 1000", mov bl, [fs:0x1000]
  mov ax, 0x60
  mov gs, ax
  PROBE "flat dword fffffffc", mov ebx, [gs:0xfffffffc]
  PROBE "flat dword fffffffd", mov ebx, [gs:0xfffffffd]
  PROBE "flat word ffffffff", mov bx, [gs:0xffffffff]
  mov ax, 0x68
  mov es, ax
  PROBE "b0 word fffe", mov bx, [es:0xfffe]
  PROBE "b0 word ffff", mov bx, [es:0xffff]
  PROBE "b0 byte 10000", mov bl, [es:0x10000]
  ; SS with a 2 MiB limit: the stack itself is below 2 MiB
  mov ax, 0x70
  mov ss, ax
  PROBE "ss read 1ffffc", mov ebx, [ss:0x1ffffc]
  PROBE "ss read 1ffffd", mov ebx, [ss:0x1ffffd]
  mov ebp, 0x1fffff
  PROBE "ebp-based word", mov bx, [ebp]
  PROBE "ebp-based word ds:", mov bx, [ds:ebp]
  PROBE "esp-based", mov bx, [esp + 0x200000]
  mov ax, SEG_DS0
  mov ss, ax
  ; CS with a 2 MiB limit
  jmp 0x78:.cs2m
.cs2m:
  PROBE "cs override read", mov ebx, [cs:0x1ffffd]
  mov ebx, 0x200000
  PROBE "jmp past cs limit", jmp ebx
  ; an instruction that straddles the limit: MOV EAX, imm32 at 1ffffch
  mov byte [0x1ffffc], 0xb8
  mov dword [0x1ffffd], 0x44332211
  mov ebx, 0x1ffffc
  EXPECT .r1
  PRINT "fetch past cs limit "
  jmp ebx
.r1:
  jmp SEG_CS0:.flat
.flat:
  mov al, 0
  ret

section .bss
alignb 4096
buf: resb 0x10000
