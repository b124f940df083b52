// Linux x86 boot protocol loader (Documentation/arch/x86/boot.rst, the
// "32-bit BOOT PROTOCOL" and "64-bit BOOT PROTOCOL" sections): boots a
// bzImage without firmware and without running its real-mode setup code.
//
// It checks the setup header (protocol >= 2.12, a protected-mode kernel
// that is really in the file, room for init_size), loads the
// protected-mode part at its preferred address (pref_address for a
// relocatable kernel when it fits, else 0x100000), builds boot_params (the
// "zero page", Documentation/arch/x86/zero-page.rst) with the header copied
// from the image, the command line, the initrd and the e820 map of e820.h,
// then puts the CPU in the documented entry state:
//   64-bit kernels (xloadflags XLF_KERNEL_64): long mode, paging on with an
//     identity map of the first 4 GiB (2 MiB pages), CS = __BOOT_CS 0x10
//     (64-bit code), DS/ES/SS = __BOOT_DS 0x18, IF = 0, RSI = boot_params,
//     RIP = load address + 0x200.
//   32-bit kernels: flat 32-bit protected mode, paging off, CS 0x10, DS/ES/SS
//     0x18, IF = 0, ESI = boot_params, EBP = EDI = EBX = 0, EIP = code32_start.
//
// Low memory (all in e820 RAM below the EBDA, all reclaimed by the kernel):
//   0x00400 BIOS data area words the kernel reads (EBDA segment at 0x40E,
//           base memory KiB at 0x413)
//   0x07000 boot_params (4 KiB)
//   0x20000 the command line (at most cmdline_size + 1 bytes)
// and in reserved memory the GDT (kBootGdt) and page tables (e820.h).
//
// Everything is validated before anything is written to RAM; a bad image or
// initrd yields one line in LinuxBootResult::error and RAM is untouched.
#pragma once
#include "base/base.h"

namespace pc64 {

class Cpu;

constexpr u64 kBootParams = 0x7000;
constexpr u64 kBootCmdline = 0x20000;

struct LinuxBootResult {
  bool ok = false;
  bool entry64 = false;     // the 64-bit entry was used
  u16 version = 0;          // boot protocol version, e.g. 0x020f
  u64 load_addr = 0;        // where the protected-mode kernel was loaded
  u64 entry = 0;            // RIP at entry
  u64 initrd_addr = 0, initrd_size = 0;
  char error[192] = {};
};

// True when the image carries the boot protocol's "HdrS" signature at 0x202
// (boot.rst, "header": protocol 2.00 and later).
bool is_bzimage(const u8* image, u64 size);

// Loads `image` (a bzImage) into `ram` (`low_bytes` of guest RAM at 0;
// `high_bytes` more at 4 GiB appear only in the e820 map). `cmdline`
// (NUL-terminated, may be null) and `initrd` (may be null with size 0) are
// copied into guest RAM. Writes only to ram[0, low_bytes). A nonzero
// `acpi_rsdp` (the machine's ACPI tables, acpi.h) goes to
// boot_params.acpi_rsdp_addr (zero-page.rst, offset 0x070).
LinuxBootResult load_linux(Cpu& cpu, u8* ram, u64 low_bytes, u64 high_bytes, const u8* image,
                           u64 size, const char* cmdline, const u8* initrd, u64 initrd_size,
                           u64 acpi_rsdp = 0);

}  // namespace pc64
