; Faults of the stack switch of a call through a gate (SDM Vol. 2A "CALL"
; MORE-PRIVILEGE and SAME-PRIVILEGE; Vol. 3A §5.8.5, §6.15 "Interrupt 10"
; and "Interrupt 12"): the new SS from the TSS must be non-null (#TS(0)),
; inside the GDT, with RPL = DPL = the new CPL and writable data
; (#TS(SS selector)), and present (#SS(SS selector)); if the new stack has
; no room for SS, ESP, the parameters, CS and EIP, #SS(SS selector). At the
; same privilege a return address that does not fit the current stack is
; #SS(0). A faulting CALL changes nothing (the caller's ESP is printed
; after each probe). The callers run at CPL 3; the gates go to a
; DPL 1 code segment, whose stack comes from SS1:ESP1 in the TSS.
;
; golden: SDM. QEMU 7.2 TCG checks no stack limits in these calls (the
; four "no room" probes succeed there, with a wrapped ESP), and it raises
; #TS instead of #SS(SS selector) for a not-present new SS ("IF stack
; segment not present THEN #SS(SS selector)"); the golden file is QEMU's
; output with those probes corrected to the SDM.
%include "lib.inc"
%include "seg.inc"

%macro TRY 4                            ; name, SS1, ESP1, gate
  mov dword [seg_tss + 16], %2
  mov dword [seg_tss + 12], %3
  mov [esp_before], esp
  mov ebx, -1
  PROBE %1, call %4:0
  call report
%endmacro

; SAME name, esp: a call through the gate to conforming code with ESP set
; only around the CALL (PRINT pushes).
%macro SAME 2
  PRINT %1
  PRINT " "
  EXPECT %%fault
  mov dword [seg_probe_at], %%insn
  mov ebx, -1
  mov ebp, esp
  mov esp, %2
%%insn:
  call 0x83:0
  mov edx, esp
  mov esp, ebp
  PRINT `ok\n`
  jmp %%show
%%fault:
  mov edx, esp
  mov esp, ebp
%%show:
  cmp ebx, -1
  je %%nocall
  SHOW "  target esp", ebx
  SHOW "  target ss", ecx
%%nocall:
  sub edx, %2
  SHOW "  caller esp delta", edx
%endmacro

main:
  call seg_setup
  SETGATE 0x50, inner, SEG_CS1 & ~3, 0xec, 0    ; to CPL 1, no parameters
  SETGATE 0x58, inner4, SEG_CS1 & ~3, 0xec, 4   ; to CPL 1, 4 dwords
  SETDESC 0x60, 0, 0xfffff, 0x32, 0xc           ; DPL 1 stack, not present
  SETDESC 0x68, 0, 0xfffff, 0xb0, 0xc           ; DPL 1 read-only data
  SETDESC 0x70, stack1, 0xfff, 0xb2, 0x4        ; DPL 1 stack, 4 KiB
  SETDESC 0x78, 0, 0xfffff, 0xfe, 0xc           ; conforming code, DPL 3
  SETGATE 0x80, conf, 0x78, 0xec, 0             ; to conforming code
  SETDESC 0x88, stack3, 0xfff, 0xf2, 0x4        ; DPL 3 stack, 4 KiB
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  push dword 1
  push dword 2
  push dword 3
  push dword 4
  TRY "ok (ss1 0071, esp1 1000)", 0x71, 0x1000, 0x53
  TRY "ok with 4 parameters", 0x71, 0x1000, 0x5b
  TRY "ss1 null", 0, 0x1000, 0x53
  TRY "ss1 0101 (beyond gdt)", 0x101, 0x1000, 0x53
  TRY "ss1 0038 (rpl 0)", 0x38, 0x1000, 0x53
  TRY "ss1 0011 (dpl 0)", 0x11, 0x1000, 0x53
  TRY "ss1 0069 (read-only)", 0x69, 0x1000, 0x53
  TRY "ss1 0061 (not present)", 0x61, 0x1000, 0x53
  TRY "ss1 0031 (code)", 0x31, 0x1000, 0x53
  TRY "esp1 0010: room for 16 bytes", 0x71, 0x10, 0x53
  TRY "esp1 000c: no room", 0x71, 0xc, 0x53
  TRY "esp1 0020: room for 4 parameters", 0x71, 0x20, 0x5b
  TRY "esp1 001c: no room for 4 parameters", 0x71, 0x1c, 0x5b
  mov ax, 0x8b
  mov ss, ax
  mov esp, 0xc00
  SAME "same level, esp 0008: room", 0x8
  SAME "same level, esp 0004: no room", 0x4
  SAME "same level, esp 1004: no room", 0x1004
  mov al, 0
  jmp exit

; report: EBX = the ESP the target saw (or -1), ECX = its SS, and the
; caller's ESP change.
report:
  push eax
  cmp ebx, -1
  je .nocall
  SHOW "  target esp", ebx
  SHOW "  target ss", ecx
.nocall:
  lea eax, [esp + 8]
  sub eax, [esp_before]
  SHOW "  caller esp delta", eax
  pop eax
  ret

inner:                                  ; CPL 1: no stack use
  mov ebx, esp
  mov ecx, ss
  retf
inner4:
  mov ebx, esp
  mov ecx, ss
  retf 16

conf:                                   ; conforming, CPL 3, same stack
  mov ebx, esp
  mov ecx, ss
  retf

section .bss
alignb 16
stack1: resb 0x1000
stack3: resb 0x1000
esp_before: resd 1
