// Multiboot v1 loader (Multiboot Specification 0.6.96): loads an ELF32
// kernel by its program headers, or any image by the header's a.out kludge
// (flag 16), builds the boot information structure after the kernel, loads
// the boot modules after that (each on its own page) and puts the CPU in the state of §3.2 "Machine state": 32-bit protected mode,
// CPL 0, flat 4 GiB code and data segments, paging and interrupts off,
// EAX = 0x2BADB002, EBX = the physical address of the information structure.
//
// Everything in the image is validated before anything is written to RAM;
// a bad image yields one line of explanation in MultibootResult::error.
#pragma once
#include "base/base.h"

namespace pc64 {

class Cpu;

struct MultibootResult {
  bool ok = false;
  u32 entry = 0;
  u32 info = 0;       // physical address of the multiboot information
  u32 kernel_end = 0; // first byte after the loaded image (and its bss)
  char error[192] = {};
};

// A boot module (§3.3 mods_*): its contents and its string (NUL-terminated,
// may be null), which QEMU makes "<file> <args>" from one -initrd entry.
struct MultibootModule {
  const u8* data = nullptr;
  u64 size = 0;
  const char* string = nullptr;
};

// The layout follows QEMU 7.2's multiboot loader, so a guest sees the same
// module addresses there and here: from the lowest loaded address, the
// kernel is rounded up to a page; the module list, the strings and the
// information structure follow; each module then starts on the next page
// boundary (which also satisfies header flag 0, page-aligned modules).
constexpr u32 kMultibootMaxModules = 256;

// `cmdline` (NUL-terminated, may be null) is passed as the kernel command
// line; like QEMU and GRUB, callers pass "<kernel path> <append string>".
MultibootResult load_multiboot(Cpu& cpu, u8* ram, u64 ram_size, const u8* image, u64 size,
                               const char* cmdline, const MultibootModule* mods = nullptr,
                               u32 num_mods = 0);

}  // namespace pc64
