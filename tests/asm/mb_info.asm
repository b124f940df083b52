; The multiboot boot information structure without modules (Multiboot
; Specification 0.6.96 §3.3): which fields the flags announce, mem_lower,
; mem_upper (in 4 MiB units: QEMU's figure comes from SeaBIOS's e820 map,
; which keeps 128 KiB below the top of RAM), an empty module list, the
; string fields, and that the structure and its strings lie in RAM outside
; the loaded image. Absolute addresses are not printed (QEMU keeps the
; structure at 0x9500, pc64 after the kernel).
;
; golden: SDM (here the Multiboot Specification §3.3): "If the OS image was
; not loaded from a BIOS disk, then this field [boot_device] must not be
; present (bit 1 must be clear)". QEMU 7.2 sets flag 1 with 0x8000ffff
; although -kernel reads no disk; the golden file has flags 0x24d
; (mem, cmdline, mods, mmap, boot loader name) and boot_device_flag=0 where
; QEMU prints 0x24f and 1. Everything else is QEMU's output.
%include "lib.inc"
%include "mb.inc"
extern __ehdr_start, _end

; in_kernel(EAX = address) -> ZF clear if the address is inside the image.
in_kernel:
  cmp eax, __ehdr_start
  jb .out
  cmp eax, _end
  jae .out
  or eax, eax                   ; nonzero address: ZF = 0
  ret
.out:
  cmp eax, eax                  ; ZF = 1
  ret

main:
  mov ebx, [mb_ebx]
  SHOW "flags", [ebx + MBI_FLAGS]
  mov eax, [ebx + MBI_FLAGS]
  test eax, 1 << 1
  SHOWBOOL "boot_device_flag", nz
  test eax, (1 << 4) | (1 << 5)
  SHOWBOOL "symbols_flag", nz   ; a.out or ELF symbol table: not given
  test eax, (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11)
  SHOWBOOL "drives_config_apm_vbe", nz
  SHOW "mem_lower", [ebx + MBI_MEM_LOWER]
  mov eax, [ebx + MBI_MEM_UPPER]
  shr eax, 12
  SHOW "mem_upper_4m", eax
  SHOW "mods_count", [ebx + MBI_MODS_CNT]
  ; The structure itself, the command line, the module list and the
  ; boot loader name are all outside the image.
  mov eax, ebx
  call in_kernel
  SHOWBOOL "info_outside_image", z
  lea eax, [ebx + MBI_SIZE - 1]
  call in_kernel
  SHOWBOOL "info_end_outside_image", z
  mov eax, [ebx + MBI_CMDLINE]
  call in_kernel
  SHOWBOOL "cmdline_outside_image", z
  mov eax, [ebx + MBI_LOADER]
  call in_kernel
  SHOWBOOL "loader_name_outside_image", z
  mov esi, [ebx + MBI_LOADER]
  call strlen
  cmp eax, 0
  SHOWBOOL "loader_name_nonempty", a
  ; Below the top of RAM that mem_upper announces (KiB above 1 MiB).
  mov edx, [ebx + MBI_MEM_UPPER]
  shl edx, 10
  add edx, 0x100000
  lea eax, [ebx + MBI_SIZE]
  cmp eax, edx
  SHOWBOOL "info_below_mem_top", be
  mov eax, [ebx + MBI_CMDLINE]
  cmp eax, edx
  SHOWBOOL "cmdline_below_mem_top", b
  SHOW "eax", [mb_eax]          ; §3.2: the boot loader's magic
  mov al, 0
  ret
