; Protected-mode virtual interrupts (SDM Vol. 3A §20.4; Vol. 2A "CLI",
; Vol. 2B "STI", Tables 4-19 and "Decision Table for CLI Results"): with
; CR4.PVI = 1 at CPL 3 and IOPL < 3, CLI and STI clear and set VIF and
; leave IF alone; STI with VIP = 1 is #GP(0); without PVI both are
; #GP(0), and so they are at CPL 2 (PVI is for CPL 3 only); at IOPL 3 they
; change IF. POPFD and a CPL 3 IRETD never change VIF, VIP or IF there
; (§20.4: only CLI/STI use VIF in protected mode). A DPL 3 gate (vector
; 0x1e) lets the CPL 3 code ask the kernel to change VIP, IOPL or CR4.PVI.
; golden: SDM. QEMU 7.2 TCG accepts CR4.PVI but does not implement it (CLI
; and STI at CPL > IOPL are always #GP); the golden file follows the SDM
; decision tables for CLI and STI.
%include "lib.inc"
%include "idt32.inc"

TSS_SEL equ 0x28

main:
  mov al, 0xff                          ; no hardware interrupts
  out 0x21, al
  out 0xa1, al
  call idt32_setup
  mov eax, tss
  mov [gdt + TSS_SEL + 2], ax
  shr eax, 16
  mov [gdt + TSS_SEL + 4], al
  mov [gdt + TSS_SEL + 7], ah
  lgdt [gdt_ptr]
  mov dword [tss + 4], kstack_top
  mov dword [tss + 8], 0x10
  mov word [tss + 0x66], iomap - tss
  mov edi, iomap
  mov ecx, 0x400 / 8 + 1
  mov al, 0xff
  rep stosb
  mov byte [iomap + 0x3f8 / 8], 0       ; COM1 for the CPL 3 / CPL 2 code
  mov ax, TSS_SEL
  ltr ax
  mov eax, gp_handler
  mov [idt32_table + 13 * 8], ax
  shr eax, 16
  mov [idt32_table + 13 * 8 + 6], ax
  mov eax, kcall
  mov [idt32_table + 0x1e * 8], ax
  mov byte [idt32_table + 0x1e * 8 + 5], 0xee
  shr eax, 16
  mov [idt32_table + 0x1e * 8 + 6], ax
  mov eax, cr4
  or eax, 2                             ; PVI
  mov cr4, eax
  push dword 0x23
  push dword ustack_top
  push dword 0x202                      ; IOPL 0, IF 1
  push dword 0x1b
  push dword user
  iret

; #GP: prints the error code, EIP and CPL of the faulting code, skips the
; one-byte CLI/STI.
gp_handler:
  push eax
  push ds
  mov ax, 0x10
  mov ds, ax
  PRINT "gp err="
  mov eax, [esp + 8]
  call put_hex32
  PRINT " eip="
  mov eax, [esp + 12]
  call put_hex32
  PRINT " cpl="
  mov eax, [esp + 16]
  and eax, 3
  call put_hex8
  call newline
  add dword [esp + 12], 1
  pop ds
  pop eax
  add esp, 4
  iret

; Kernel call (INT 0x1e, AL): 1 VIP := 1, 2 VIP := 0, 3 IOPL := 3,
; 4 IOPL := 0, 5 PVI := 0, 6 PVI := 1, 7 return to CPL 2 at `ring2`,
; 8 end the test. [esp] EIP, +4 CS, +8 EFLAGS, +12 ESP, +16 SS.
kcall:
  cmp al, 1
  jne .k2
  or dword [esp + 8], 1 << 20
.k2:
  cmp al, 2
  jne .k3
  and dword [esp + 8], ~(1 << 20)
.k3:
  cmp al, 3
  jne .k4
  or dword [esp + 8], 0x3000
.k4:
  cmp al, 4
  jne .k5
  and dword [esp + 8], ~0x3000
.k5:
  cmp al, 5
  jne .k6
  mov ebx, cr4
  and ebx, ~2
  mov cr4, ebx
.k6:
  cmp al, 6
  jne .k7
  mov ebx, cr4
  or ebx, 2
  mov cr4, ebx
.k7:
  cmp al, 7
  jne .k8
  mov dword [ss:esp], ring2
  mov dword [ss:esp + 4], 0x32
  mov dword [ss:esp + 12], ustack_top
  mov dword [ss:esp + 16], 0x3a
.k8:
  cmp al, 8
  jne .done
  mov ax, 0x10
  mov ds, ax
  PRINT `end\n`
  mov al, 0
  jmp exit
.done:
  iret

%macro KCALL 1
  mov al, %1
  int 0x1e
%endmacro

; SHOWFL "name": VIP VIF IOPL IF TF of EFLAGS.
%macro SHOWFL 1
  pushfd
  pop ebx
  and ebx, 0x1a3300
  SHOW %1, ebx
%endmacro

user:                                   ; CPL 3, IOPL 0, PVI
  mov ax, 0x23
  mov ds, ax
  mov es, ax
  SHOWFL "start"                        ; IF 1, VIF 0
  sti
  SHOWFL "sti"                          ; VIF 1, IF 1
  cli
  SHOWFL "cli"                          ; VIF 0, IF 1
  sti
  push dword 0x000002                   ; IF 0, VIF 0 in the image
  popfd
  SHOWFL "popfd"                        ; unchanged: VIF 1, IF 1
  push dword 0x180002                   ; IF 0, VIF 1, VIP 1 in the image
  push dword 0x1b
  push dword .after_iret
  cli
  iretd                                 ; CPL 3 -> 3: VIF/VIP/IF unchanged
.after_iret:
  SHOWFL "iretd"                        ; VIF 0, IF 1
  KCALL 1                               ; VIP := 1
  cli                                   ; fine
  sti                                   ; #GP(0): VIP = 1
  SHOWFL "vip_sti"                      ; VIP 1, VIF 0
  KCALL 2
  sti
  SHOWFL "vip_clear"                    ; VIF 1
  KCALL 5                               ; PVI := 0
  cli                                   ; #GP(0)
  sti                                   ; #GP(0)
  KCALL 6
  KCALL 3                               ; IOPL := 3
  cli                                   ; the real IF
  SHOWFL "iopl3_cli"                    ; IF 0, VIF 1
  sti
  SHOWFL "iopl3_sti"
  KCALL 4
  KCALL 7                               ; to CPL 2, IOPL 0
ring2:
  mov ax, 0x3a
  mov ds, ax
  cli                                   ; CPL 2 > IOPL: #GP(0) despite PVI
  sti                                   ; #GP(0)
  SHOWFL "cpl2"
  KCALL 8

section .data
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff                 ; 0x08: code, DPL 0
  dq 0x00cf92000000ffff                 ; 0x10: data, DPL 0
  dq 0x00cffa000000ffff                 ; 0x18: code, DPL 3
  dq 0x00cff2000000ffff                 ; 0x20: data, DPL 3
  dq 0x0000890000000000 | (tss_end - tss - 1)   ; 0x28: 32-bit TSS (base set above)
  dq 0x00cfda000000ffff                 ; 0x30: code, DPL 2
  dq 0x00cfd2000000ffff                 ; 0x38: data, DPL 2
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt

section .bss
alignb 16
tss: resb 0x68
iomap: resb 0x400 / 8 + 1
tss_end:
alignb 16
kstack: resb 4096
kstack_top:
ustack: resb 4096
ustack_top:
