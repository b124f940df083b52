; Real mode <-> 16-bit and 32-bit protected mode (SDM Vol. 3A §9.9.1
; "Switching to Protected Mode", §9.9.2 "Switching Back to Real-Address
; Mode"), each mode printing from its own code: 32-bit PM -> 16-bit PM (far
; JMP to a D = 0 segment) -> real (CR0.PE := 0, far JMP to a real-mode CS)
; -> 32-bit PM (PE := 1, far JMP straight to a 32-bit segment) -> 16-bit
; PM -> real -> 16-bit PM -> 32-bit PM. Segment registers not reloaded
; after PE := 0 keep the base and limit loaded in protected mode (§9.9.2
; step 4): FS (selector 0x40, base 0x300000, 4 GiB limit) still reads
; linear 0x300000 and, with a 32-bit offset, 0x400000; a real-mode load
; sets the base to selector * 16. INT n in real mode goes through the IVT.
%include "lib.inc"
%include "mode.inc"

main:
  MODE_GDT
  mov [saved_esp], esp
  mov dword [0x300000], 0x11112222
  mov dword [0x400000], 0x33334444
  mov dword [0x30000], 0x55556666
  mov word [0x81 * 4], M16(int81)
  mov word [0x81 * 4 + 2], 0xffff
  mov ax, 0x40
  mov fs, ax
  mov ax, 0x10
  mov gs, ax
  jmp 0x18:M16(pm16_a)

bits 16
pm16_a:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  PRINT16 `pm16\n`
  mov ax, cs
  movzx eax, ax
  SHOW16 "cs", eax
  mov eax, cr0
  and eax, 1
  SHOW16 "cr0_pe", eax
  mov ax, 0x7fff
  add ax, 1                             ; 16-bit operand: OF, SF
  pushf
  pop ax
  and eax, 0x8d5
  SHOW16 "add16_f", eax
  mov eax, cr0
  and al, ~1
  mov cr0, eax                          ; real mode, CS still the PM cache
  jmp 0xffff:M16(real_a)
real_a:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  lidt [M16(m16_rm_idt)]
  PRINT16 `real\n`
  mov eax, cr0
  and eax, 1
  SHOW16 "cr0_pe", eax
  mov ax, fs
  movzx eax, ax
  SHOW16 "fs_sel", eax                  ; 0x40, loaded in PM
  mov eax, [fs:0]
  SHOW16 "fs_0", eax                    ; base 0x300000 kept
  mov eax, [fs:dword 0x100000]
  SHOW16 "fs_1m", eax                   ; 4 GiB limit kept: linear 0x400000
  mov eax, [gs:dword 0x300000]
  SHOW16 "gs_3m", eax                   ; flat GS
  mov ax, 0x3000
  mov fs, ax                            ; real-mode load: base 0x30000
  mov eax, [fs:0]
  SHOW16 "fs_3000", eax
  mov ax, 0x41
  int 0x81
  SHOW16 "int81_ax", eax
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp dword 0x08:pm32_b                 ; real -> 32-bit PM
bits 32
pm32_b:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, [saved_esp]
  PRINT `pm32\n`
  mov eax, cr0
  and eax, 1
  SHOW "cr0_pe", eax
  mov eax, 0x7fffffff
  add eax, 1
  pushfd
  pop ebx
  and ebx, 0x8d5
  SHOW "add32_f", ebx
  jmp 0x18:M16(pm16_c)
bits 16
pm16_c:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  mov sp, M16(m16_stack_top)
  PRINT16 `pm16 again\n`
  mov eax, cr0
  and al, ~1
  mov cr0, eax
  jmp 0xffff:M16(real_c)
real_c:
  mov ax, 0xffff
  mov ds, ax
  mov ss, ax
  PRINT16 `real again\n`
  mov ax, 0x1234
  mov es, ax
  mov word [es:0x0010], 0xbeef          ; linear 0x12350
  mov ax, 0x1235
  mov es, ax
  movzx eax, word [es:0]
  SHOW16 "alias", eax
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp 0x18:M16(pm16_d)                  ; real -> 16-bit PM
pm16_d:
  mov ax, 0x20
  mov ds, ax
  mov ss, ax
  PRINT16 `pm16 from real\n`
  mov ax, cs
  movzx eax, ax
  SHOW16 "cs", eax
  jmp dword 0x08:pm32_e                 ; 16-bit PM -> 32-bit PM
bits 32
pm32_e:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, [saved_esp]
  PRINT `pm32 end\n`
  mov ax, cs
  movzx eax, ax
  SHOW "cs", eax
  mov al, 0
  ret

bits 16
int81:                                  ; real mode: [bp+2] IP, +4 CS, +6 FLAGS
  push bp
  mov bp, sp
  movzx eax, word [ss:bp + 4]
  SHOW16 "int81_cs", eax
  add ax, 0x100
  pop bp
  mov eax, 0x141
  iret
bits 32

section .data
saved_esp: dd 0
