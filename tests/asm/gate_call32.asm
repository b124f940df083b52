; 32-bit call gates (SDM Vol. 3A §5.8.3 "Call Gates", §5.8.4 "Accessing a
; Code Segment Through a Call Gate", §5.8.5 "Stack Switching"; Vol. 2A
; "CALL"): a far CALL from CPL 3 through a DPL 3 gate to a DPL 0
; non-conforming segment switches to SS0:ESP0 from the TSS and pushes the
; old SS, ESP, CS and EIP (32-bit slots); the selector offset of the CALL
; is ignored. Through a gate to a conforming segment, or at the same
; privilege, the stack is not switched. Checks: gate DPL >= max(CPL, RPL)
; (#GP(gate)), target must be code with DPL <= CPL (#GP(target)), present
; (#NP(target)), offset within its limit (#GP(0)); a bad TSS stack
; (DPL != new CPL) is #TS(SS selector).
;
; golden: SDM. QEMU 7.2 TCG does not check the gate's offset against the
; target's limit (Vol. 2A "CALL", MORE-PRIVILEGE: "IF EIP not within code
; segment limit THEN #GP(0)") and runs on at 300000h; and through a gate
; to a conforming segment it loads CS with RPL 0 at CPL 3, where the SDM's
; SAME-PRIVILEGE path sets CS(RPL) <- CPL (CS = 0093h). The golden file is
; QEMU's output with those two lines corrected.
%include "lib.inc"
%include "seg.inc"

main:
  call seg_setup
  SETGATE 0x50, inner, SEG_CS0, 0xec, 0         ; DPL 3 -> CPL 0
  SETGATE 0x58, inner, SEG_CS0, 0x8c, 0         ; DPL 0 gate
  SETGATE 0x60, inner, SEG_CS3 & ~3, 0xec, 0    ; to DPL 3 code (from CPL 0: DPL > CPL)
  SETGATE 0x68, inner, SEG_DS0, 0xec, 0         ; target is data
  SETDESC 0x70, 0, 0xfffff, 0x1a, 0xc           ; code, not present
  SETGATE 0x78, inner, 0x70, 0xec, 0            ; to the not-present code
  SETDESC 0x80, 0, 0x1ff, 0x9a, 0xc             ; code, DPL 0, 2 MiB
  SETGATE 0x88, 0x300000, 0x80, 0xec, 0         ; offset beyond the limit
  SETDESC 0x90, 0, 0xfffff, 0x9e, 0xc           ; conforming code, DPL 0
  SETGATE 0x98, conf, 0x90, 0xec, 0             ; to conforming code
  SETGATE 0xa0, inner, SEG_CS1 & ~3, 0xec, 0    ; to DPL 1: TSS SS1 is bad
  SETGATE 0xa8, inner, SEG_CS0, 0xcc, 0         ; DPL 2 gate
  mov dword [seg_tss + 16], SEG_DS0             ; SS1 = a DPL 0 segment
  ; CPL 0: same-privilege call through the gate
  mov [esp_before], esp
  PROBE "cpl0 call 0050", call 0x50:0
  PROBE "cpl0 call 0060 (to dpl 3)", call 0x60:0
  PROBE "cpl0 call 0068 (to data)", call 0x68:0
  PROBE "cpl0 call 0078 (not present)", call 0x78:0
  TO_RING SEG_CS3, SEG_DS3, seg_stack3_top - 64, ring3
ring3:
  mov ax, SEG_DS3
  mov ds, ax
  mov es, ax
  mov [esp3_save], esp
  PROBE "cpl3 call 0053", call 0x53:0x12345678
  mov eax, cs
  SHOW "back cs", eax
  mov eax, ss
  SHOW "back ss", eax
  mov eax, esp
  sub eax, [esp3_save]
  SHOW "back esp delta", eax
  PROBE "cpl3 call 0058 (gate dpl 0)", call 0x58:0
  PROBE "cpl3 call 00ab (gate dpl 2)", call 0xab:0
  PROBE "cpl3 call 0078 (not present)", call 0x78:0
  PROBE "cpl3 call 00a3 (bad tss ss1)", call 0xa3:0
  mov [esp_before], esp
  PROBE "cpl3 call 009b (conforming)", call 0x9b:0
  PROBE "cpl3 call 008b (offset beyond limit)", call 0x8b:0
  mov al, 0
  jmp exit

inner:                                  ; DPL 0 code reached through a gate
  push ds
  push eax
  mov ax, SEG_DS0
  mov ds, ax
  mov eax, cs
  mov [v_cs], eax
  mov eax, ss
  mov [v_ss], eax
  mov eax, [esp + 8]                    ; return EIP
  sub eax, [seg_probe_at]
  mov [v_reteip], eax
  movzx eax, word [esp + 12]
  mov [v_retcs], eax
  lea eax, [esp + 8]
  test dword [v_retcs], 3
  jz .same
  sub eax, seg_stack0_top
  mov [v_depth], eax
  mov eax, [esp + 16]
  sub eax, [esp3_save]
  mov [v_oldesp], eax
  movzx eax, word [esp + 20]
  mov [v_oldss], eax
  pop eax
  PRINT `in inner (stack switched)\n`
  SHOW "  cs", [v_cs]
  SHOW "  ss", [v_ss]
  SHOW "  esp-esp0", [v_depth]
  SHOW "  pushed eip-call", [v_reteip]
  SHOW "  pushed cs", [v_retcs]
  SHOW "  pushed esp-esp3", [v_oldesp]
  SHOW "  pushed ss", [v_oldss]
  pop ds
  retf
.same:
  sub eax, [esp_before]
  mov [v_depth], eax
  pop eax
  PRINT `in inner (same stack)\n`
  SHOW "  cs", [v_cs]
  SHOW "  ss", [v_ss]
  SHOW "  esp-caller esp", [v_depth]
  SHOW "  pushed eip-call", [v_reteip]
  SHOW "  pushed cs", [v_retcs]
  pop ds
  retf

conf:                                   ; conforming DPL 0 code, runs at CPL 3
  mov eax, cs
  mov [v_cs], eax
  lea eax, [esp]
  sub eax, [esp_before]
  mov [v_depth], eax
  movzx eax, word [esp + 4]
  mov [v_retcs], eax
  PRINT `in conforming\n`
  SHOW "  cs", [v_cs]
  SHOW "  esp-caller esp", [v_depth]
  SHOW "  pushed cs", [v_retcs]
  retf

gate_ret_base:

section .bss
esp0_save: resd 1
esp3_save: resd 1
esp_before: resd 1
v_cs: resd 1
v_ss: resd 1
v_reteip: resd 1
v_retcs: resd 1
v_depth: resd 1
v_oldesp: resd 1
v_oldss: resd 1
