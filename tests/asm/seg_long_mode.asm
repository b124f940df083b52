; Segmentation in IA-32e mode (SDM Vol. 3A §3.2.4 "Segmentation in IA-32e
; Mode", §3.4.4, §5.3.1 "Limit Checking in 64-bit Mode", §3.3.7.1; Vol. 2A
; "MOV", "LAR", "LSL"): in 64-bit mode the bases of CS/DS/ES/SS are 0 and
; no limit or type checks apply to data accesses (FS keeps its base); a
; null DS/ES works; a non-canonical address is #GP(0), or #SS(0) through
; the stack. Segment loads are still checked (#GP/#NP(selector)). SS may
; take a null selector at CPL < 3 when RPL = CPL (#GP(0) otherwise, and
; always in compatibility mode). LAR/LSL see 16-byte system descriptors:
; 16-bit TSS and call-gate types are invalid (Table 3-2: reserved in
; IA-32e mode).
;
; golden: SDM. QEMU 7.2 TCG departs from the SDM in four places: it adds
; the ES base to an ES-override access in 64-bit mode (Vol. 3A §3.2.4, Vol. 1
; §3.3.7.1: the bases of CS/DS/ES/SS are treated as 0), raises #GP instead
; of #SS(0) for a non-canonical stack reference ("#SS(0) If a memory
; address referencing the SS segment is in a non-canonical form"), lets
; MOV SS load selector 3 at CPL 0 (#GP(0): "special NULL selector when
; CPL < 3 and CPL != RPL"), and accepts LAR/LSL of the 16-bit TSS and call
; gate types. The golden file is QEMU's output with those lines corrected.
%include "lib.inc"
%include "lm64.inc"

NGDT equ 0x100

%macro PROBE64 2+
  PRINT %1
  PRINT " "
  EXPECT64 %%done
  %2
  PRINT `ok\n`
%%done:
%endmacro

main:
  mov dword [buf], 0x11223344
  mov dword [0x5000], 0x55667788
  LM64_ENTER go
bits 64
go:
  mov esi, lm64_gdt
  mov edi, gdt
  mov ecx, lm64_gdt_end - lm64_gdt
  rep movsb
  mov rax, 0x0040f2000000ffff           ; 0x68: DPL 3 data, base filled below
  mov [gdt + 0x68], rax
  mov eax, buf
  mov [gdt + 0x68 + 2], ax
  shr eax, 16
  mov [gdt + 0x68 + 4], al
  mov [gdt + 0x68 + 7], ah
  mov rax, 0x0040900000000fff           ; 0x70: read-only data, limit 0fffh
  mov [gdt + 0x70], rax
  mov rax, 0x0000810000000067           ; 0x78: 16-bit TSS (available)
  mov [gdt + 0x78], rax
  mov rax, 0x0000e40000080000           ; 0x80: 16-bit call gate
  mov [gdt + 0x80], rax
  mov rax, 0x0000ec0000080000           ; 0x88: 64-bit call gate (16 bytes)
  mov [gdt + 0x88], rax
  mov qword [gdt + 0x90], 0
  lgdt [rel gdt_ptr]
  ; bases and limits
  mov ax, 0x68
  mov es, ax
  mov fs, ax
[warning -prefix-seg]
  mov eax, [es:0x5000]                  ; ES override: emitted, base ignored
  SHOW "es:5000 (base ignored)", eax
  mov eax, [fs:0]
  SHOW "fs:0 (base used)", eax
  mov ax, 0x70
  mov ds, ax
  PROBE64 "ds read-only limit fff: write 5000", mov dword [0x5000], 0x99aabbcc
  mov eax, [0x5000]
  SHOW "mem 5000", eax
  xor eax, eax
  mov ds, ax
  mov es, ax
  PROBE64 "null ds read", mov eax, [buf]
  SHOW "eax", eax
  mov rbx, 0x0000800000000000
  PROBE64 "non-canonical ds", mov eax, [rbx]
  PROBE64 "non-canonical ss", mov eax, [rsp + rbx]
  mov rbp, rbx
  PROBE64 "non-canonical rbp", mov eax, [rbp]
  mov ax, LM_DS
  mov ds, ax
  mov es, ax
  ; SS loads at CPL 0
  mov ax, 0
  PROBE64 "cpl0 ss 0000", mov ss, ax
  mov ax, ss
  movzx eax, ax
  SHOW "ss", eax
  push 0x1234
  pop rax
  SHOW "push/pop with null ss", eax
  mov ax, 3
  PROBE64 "cpl0 ss 0003", mov ss, ax
  mov ax, LM_DS
  mov ss, ax
  mov ax, 0x48
  PROBE64 "cpl0 ds 0048 (not present)", mov ds, ax
  mov ax, 0x13
  PROBE64 "cpl0 ds 0013 (rpl 3)", mov ds, ax
  ; LAR / LSL of system descriptors
  mov ebx, 0x38
  call larlsl
  mov ebx, 0x78
  call larlsl
  mov ebx, 0x80
  call larlsl
  mov ebx, 0x88
  call larlsl
  TO_USER64 user
user:
  mov ax, LM_DSU
  mov ds, ax
  mov es, ax
  mov ax, 3
  PROBE64 "cpl3 ss 0003", mov ss, ax
  mov ax, LM_DS
  PROBE64 "cpl3 ds 0010", mov ds, ax
  mov ax, 0x6b
  PROBE64 "cpl3 ds 006b", mov ds, ax
  mov ax, LM_DSU
  mov ds, ax
  jmp far dword [rel fpcompat]
bits 32
compat:
  mov ax, 3
  mov dword [lm64_resume], .c1
  mov dword [lm64_resume + 4], 0
  PRINT "compat cpl3 ss 0003 "
  mov ss, ax
  PRINT `ok\n`
.c1:
  mov al, 0
  jmp exit
bits 64

larlsl:                                 ; EBX = selector
  mov eax, ebx
  PRINT "sel="
  call put_hex32
  mov eax, 0xdeadbeef
  lar eax, ebx
  setz cl
  and eax, ~0x100
  PRINT " lar="
  xchg eax, ecx
  call put_hex8
  xchg eax, ecx
  PRINT ":"
  call put_hex32
  mov eax, 0xdeadbeef
  lsl eax, ebx
  setz cl
  PRINT " lsl="
  xchg eax, ecx
  call put_hex8
  xchg eax, ecx
  PRINT ":"
  call put_hex32
  call newline
  ret

section .data
align 8
gdt_ptr: dw NGDT - 1
         dd gdt, 0
fpcompat: dd compat
          dw LM_CS32U

section .bss
alignb 16
gdt: resb NGDT
buf: resd 4
