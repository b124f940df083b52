; Protected-mode exception delivery through a 32-bit IDT of interrupt
; gates (SDM Vol. 3A §6.10-6.13): vector, error code, and the saved EIP
; (the faulting instruction for faults, the next one for traps) for #DE,
; #UD, #BP, INT n, #GP on a selector past the GDT limit, #NP, and #GP from
; WRMSR to an unknown MSR.
;
; golden: SDM
; QEMU 7.2 TCG ignores WRMSR to an unimplemented MSR; the SDM (Vol. 2B
; "WRMSR", Protected Mode Exceptions) says #GP(0). The golden file is
; QEMU's output plus that #GP line.
%include "lib.inc"

%macro EXPECT 1                  ; EXPECT label: where the handler resumes
  mov dword [resume], %1
%endmacro

main:
  lgdt [gdt_ptr]
  jmp 0x08:.reload
.reload:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  ; IDT: 32 interrupt gates (type 0xE, DPL 0) to stub_N
  xor ecx, ecx
.gate:
  mov eax, [stubs + ecx * 4]
  mov [idt + ecx * 8], ax
  mov word [idt + ecx * 8 + 2], 0x08
  mov word [idt + ecx * 8 + 4], 0x8e00
  shr eax, 16
  mov [idt + ecx * 8 + 6], ax
  add ecx, 1
  cmp ecx, 32
  jne .gate
  lidt [idt_ptr]

  EXPECT .r0
  xor ecx, ecx
  div ecx
.r0:
  EXPECT .r1
  ud2
.r1:
  EXPECT .r2
  int3
.r2:
  EXPECT .r3
  int 0x1f
.r3:
  EXPECT .r4
  mov ax, 0x50
  mov fs, ax
.r4:
  EXPECT .r5
  mov ax, 0x18
  mov gs, ax
.r5:
  EXPECT .r6
  mov ecx, 0x12345
  wrmsr
.r6:
  PRINT `done\n`
  mov al, 0
  ret

; Common handler; the stub pushed the vector (and 0 when the CPU pushes no
; error code): [esp] = vector, [esp+4] = error, [esp+8] = EIP, [esp+12] = CS.
handler:
  PRINT "vec="
  mov eax, [esp]
  call put_hex8
  PRINT " err="
  mov eax, [esp + 4]
  call put_hex32
  PRINT " eip="
  mov eax, [esp + 8]
  call put_hex32
  PRINT " cs="
  mov eax, [esp + 12]
  and eax, 0xffff
  call put_hex32
  call newline
  mov eax, [resume]
  mov [esp + 8], eax
  add esp, 8
  iret

%assign v 0
%rep 32
stub_ %+ v:
  %if v != 8 && (v < 10 || v > 14) && v != 17
  push dword 0
  %endif
  push dword v
  jmp handler
%assign v v + 1
%endrep

section .rodata
align 8
stubs:
%assign v 0
%rep 32
  dd stub_ %+ v
%assign v v + 1
%endrep
gdt:
  dq 0
  dq 0x00cf9a000000ffff         ; 0x08: code
  dq 0x00cf92000000ffff         ; 0x10: data
  dq 0x00cf12000000ffff         ; 0x18: data, not present
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
idt_ptr:
  dw 32 * 8 - 1
  dd idt

section .bss
alignb 8
idt: resq 32
resume: resd 1
