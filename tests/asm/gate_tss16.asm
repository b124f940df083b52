; Call gates with a 16-bit TSS (SDM Vol. 3A §7.6 "16-Bit Task-State
; Segment", Figure 7-11; Vol. 2A "CALL" MORE-PRIVILEGE: "ELSE (* TSS is
; 16-bit *) TSSstackAddress <- (new code-segment DPL * 4) + 2"): LTR of an
; available 16-bit TSS marks it busy (type 3); a call through a gate from
; CPL 3 takes the new stack from SPn/SSn at offset 2 + 4n (SP zero-extended
; to ESP for a 32-bit SS); exceptions from CPL 3 use the same stack.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETDESC 0x50, tss16, 0x2b, 0x81, 0            ; 16-bit TSS, available
  SETGATE 0x58, inner, SEG_CS0, 0xec, 0         ; DPL 3 -> CPL 0
  SETGATE 0x60, inner, SEG_CS1 & ~3, 0xec, 0    ; DPL 3 -> CPL 1
  mov word [tss16 + 2], 0x7000                  ; SP0
  mov word [tss16 + 4], SEG_DS0                 ; SS0
  mov word [tss16 + 6], 0x6000                  ; SP1
  mov word [tss16 + 8], SEG_DS1                 ; SS1
  mov eax, gp13                         ; #GP: record ESP, then the usual handler
  mov [seg_idt + 13 * 8], ax
  shr eax, 16
  mov [seg_idt + 13 * 8 + 6], ax
  mov ax, 0x50
  ltr ax
  movzx eax, byte [seg_gdt + 0x50 + 5]
  SHOW "tss16 access after ltr", eax
  str ax
  movzx eax, ax
  SHOW "tr", eax
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  mov [esp3], esp
  call 0x5b:0
  mov [esp3], esp
  call 0x63:0
  EXPECT .r1
  PRINT "ring 3: hlt "
  hlt                                   ; #GP(0) at CPL 3, handled on SS0:SP0
.r1:
  SHOW "handler stack: esp", [handler_esp]
  mov al, 0
  jmp exit

gp13:                                   ; DS is still the flat CPL 3 segment
  mov [handler_esp], esp
  jmp seg_stub_13

inner:
  mov ebx, esp
  push ds
  mov ax, ss                            ; a data segment of this CPL
  mov ds, ax
  PRINT "in inner: cs="
  mov eax, cs
  call put_hex32
  PRINT " ss="
  mov eax, ss
  call put_hex32
  PRINT " esp="
  mov eax, ebx
  call put_hex32
  call newline
  SHOW "  pushed cs", [ebx + 4]
  mov eax, [ebx + 8]
  sub eax, [esp3]
  SHOW "  pushed esp-esp3", eax
  SHOW "  pushed ss", [ebx + 12]
  pop ds
  retf

section .bss
alignb 16
tss16: resb 0x2c
esp3: resd 1
handler_esp: resd 1
