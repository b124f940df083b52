; Execute-disable (SDM Vol. 3A §4.6, Tables 4-14 to 4-19): with EFER.NXE = 1
; bit 63 (XD) of any entry on the path (PML4E, PDPTE or PDE) forbids
; instruction fetches but not data reads, at CPL 0 and CPL 3; with NXE = 0
; bit 63 is reserved (#PF with RSVD, §4.5.4). I/D (bit 4 of the error code)
; is set for fetches, also for not-present pages, only when NXE = 1 (no
; SMEP here, §4.7). The saved RIP and CR2 are the fetched address.
; golden: SDM. QEMU 7.2 TCG reports reserved-bit faults without P (§4.7:
; RSVD "can be set only if bit 0 is also set"); the golden file is QEMU's
; output with P added to those error codes.
%include "lib.inc"
%include "lm64.inc"

XD_HI equ 0x80000000            ; bit 63 in the high dword
main:
  LM64_ENTER go
bits 64
go:
  ; 0x20000000 (PD 256): XD 2-MByte page -> 0x10000000
  mov rax, 0x8000000010000087
  mov [lm64_pd + 256 * 8], rax
  ; 0x20200000: ordinary page -> 0x10200000; 0x20400000: not present
  mov qword [lm64_pd + 257 * 8], 0x10200087
  mov qword [lm64_pd + 258 * 8], 0
  ; 1 GiB (PDPTE 1, XD) -> pd_y: 2 MiB -> 0x10600000
  mov rax, pd_y
  or rax, 7
  bts rax, 63
  mov [lm64_pdpt + 8], rax
  mov qword [pd_y], 0x10600087
  ; 512 GiB (PML4E 1, XD) -> pdpt_x -> pd_x: 2 MiB -> 0x10800000
  mov rax, pdpt_x
  or rax, 7
  bts rax, 63
  mov [lm64_pml4 + 8], rax
  mov rax, pd_x
  or rax, 7
  mov [pdpt_x], rax
  mov qword [pd_x], 0x10800087
  mov byte [0x10000000], 0xc3
  mov byte [0x10200000], 0xc3
  mov byte [0x10600000], 0xc3
  mov byte [0x10800000], 0xc3
  mov dword [0x10000004], 0x44
  mov rax, cr3
  mov cr3, rax
  ; NXE = 0: bit 63 reserved
  EXPECT64 .n1
  mov eax, [0x20000004]
.n1:
  EXPECT64 .n2
  mov eax, 0x20000000
  call rax
.n2:
  EXPECT64 .n3
  mov eax, 0x20400000                           ; not present: no I/D
  call rax
.n3:
  mov eax, 0x20200000
  call rax
  PRINT `call ok\n`
  mov ecx, 0xc0000080
  rdmsr
  bts eax, 11                                   ; NXE
  wrmsr
  SHOW "xd_read", [0x20000004]
  EXPECT64 .x1
  mov eax, 0x20000000
  call rax
.x1:
  EXPECT64 .x2
  mov eax, 0x40000000                           ; XD in the PDPTE
  call rax
.x2:
  EXPECT64 .x3
  mov rax, 0x8000000000                         ; XD in the PML4E
  call rax
.x3:
  mov rbx, 0x8000000000
  mov dword [0x10800008], 0x88
  SHOW "pml4e_xd_read", [rbx + 8]
  EXPECT64 .x4
  mov eax, 0x20400000                           ; not present: I/D
  call rax
.x4:
  mov eax, 0x20200000
  call rax
  PRINT `call ok\n`
  TO_USER64 user
user:
  EXPECT64 .u1
  mov eax, 0x20000000
  call rax
.u1:
  EXPECT64 .u2
  mov eax, 0x20400010
  call rax
.u2:
  EXPECT64 .u3
  mov rax, 0x8000000000
  jmp rax
.u3:
  PRINT `done\n`
  mov al, 0
  jmp exit

section .bss
alignb 4096
pdpt_x: resb 4096
pd_x: resb 4096
pd_y: resb 4096
