; SMAP (SDM Vol. 3A §4.6.1, §4.6): with CR4.SMAP = 1, explicit supervisor-
; mode data reads and writes to user-mode pages fault (P | W/R) unless
; EFLAGS.AC = 1, which STAC sets, CLAC clears and POPF may set at CPL 0;
; implicit supervisor-mode accesses (here: a descriptor read from an LDT in
; a user page, §4.6 "implicit supervisor-mode access") fault whatever AC
; is; supervisor pages and instruction fetches are not affected.
; golden: SDM. QEMU 7.2 TCG lets EFLAGS.AC = 1 allow implicit supervisor-
; mode accesses at CPL < 3 too (no #PF for the GS load below); §4.6.1 says
; implicit supervisor-mode reads of user-mode addresses fault whatever AC
; is. The golden file is QEMU's output plus that #PF (RIP = the MOV GS).
%include "lib.inc"
%include "lm64.inc"

LDT_SEL equ 0x58
main:
  LM64_ENTER go
bits 64
go:
  mov qword [lm64_pd], 0x83                     ; 0-2 MiB (this code): supervisor
  mov qword [lm64_pd + 256 * 8], 0x10000087     ; 0x20000000: user data
  mov qword [lm64_pd + 257 * 8], 0x10200087     ; 0x20200000: user page holding an LDT
  mov dword [0x10000000], 0x1234
  mov rax, 0x00cf93000000ffff                   ; LDT 0: flat data, accessed
  mov [0x10200000], rax
  mov rax, 0x2000822000000007                   ; LDT descriptor, base 0x20200000
  mov [lm64_gdt + LDT_SEL], rax
  mov qword [lm64_gdt + LDT_SEL + 8], 0
  mov rax, cr3
  mov cr3, rax
  mov ax, LDT_SEL
  lldt ax
  mov ax, 4                                     ; LDT selector 0
  mov fs, ax
  PRINT `smap0 ldt ok\n`
  mov rax, cr4
  bts rax, 21
  mov cr4, rax
  clac
  EXPECT64 .k1
  mov eax, [0x20000000]
.k1:
  EXPECT64 .k2
  mov dword [0x20000004], 1
.k2:
  stac
  SHOWFQ "ac", 1 << 18
  SHOW "stac_read", [0x20000000]
  mov dword [0x20000008], 8
  SHOW "stac_write", [0x10000008]
  EXPECT64 .k3
  mov ax, 4
  mov gs, ax                                    ; implicit: faults with AC = 1
.k3:
  clac
  SHOWFQ "ac", 1 << 18
  EXPECT64 .k4
  mov eax, [0x20000000]
.k4:
  pushfq
  bts qword [rsp], 18
  popfq
  SHOW "popf_ac_read", [0x20000000]
  clac
  SHOW "sup_read", [lm64_gdt + 8]
  mov rax, cr4
  btr rax, 21
  mov cr4, rax
  SHOW "smap_off_read", [0x20000000]
  mov ax, 4
  mov gs, ax
  PRINT `done\n`
  mov al, 0
  jmp exit
