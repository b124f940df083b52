; HPET (IA-PC HPET spec 1.0a): GCAP_ID (§2.3.4: revision, 3 timers,
; 64-bit counter, legacy route capable, vendor 8086H, 10 ns period); the
; main counter runs only while ENABLE_CNF is set (§2.3.5); timer 0 in
; periodic mode with LEG_RT_CNF reaches IRQ0 of the 8259 (§2.3.7) and wakes
; HLT several times. Only orderings and "at least" counts.
%include "lib.inc"
%include "idt32.inc"
%include "dbg.inc"

main:
  call idt32_setup
  IRQ32_SETUP
  PIC_INIT 0xfe, 0xff
  mov eax, [HPETB + 0]
  SHOW "gcap_lo", eax
  mov eax, [HPETB + 4]
  SHOW "period_fs", eax
  mov eax, [HPETB + 0x100]
  and eax, 0x30
  SHOW "t0_caps", eax
  mov dword [HPETB + 0x10], 0     ; halted
  mov dword [HPETB + 0xf0], 0
  mov dword [HPETB + 0xf4], 0
  mov ebx, [HPETB + 0xf0]
  mov ecx, 100000
.s1:
  sub ecx, 1
  jnz .s1
  xor ecx, ecx
  cmp ebx, [HPETB + 0xf0]
  sete cl
  SHOW "halted_stable", ecx
  ; Timer 0: periodic, interrupt enabled, VAL_SET; 1 ms period.
  mov dword [HPETB + 0x100], 0x4c
  mov dword [HPETB + 0x104], 0
  mov dword [HPETB + 0x108], 100000
  mov dword [HPETB + 0x10c], 0
  mov dword [HPETB + 0x108], 100000
  mov dword [HPETB + 0x10c], 0
  mov dword [HPETB + 0x10], 3     ; ENABLE_CNF | LEG_RT_CNF
  mov ebx, [HPETB + 0xf0]
  mov ecx, 1000
.s2:
  sub ecx, 1
  jnz .s2
  xor ecx, ecx
  cmp [HPETB + 0xf0], ebx
  seta cl
  SHOW "counter_moves", ecx
  mov ecx, 4
.w:
  sti
  hlt
  cli
  sub ecx, 1
  jnz .w
  xor ecx, ecx
  cmp dword [irq_count], 3
  setae cl
  SHOW "irq0_ge3", ecx
  mov dword [HPETB + 0x10], 0
  mov al, 0
  ret
HPETB equ 0xfed00000
