// The guest-physical memory map of the pc64 PC (docs/PLATFORM.md), as the
// BIOS INT 15h E820 table a Linux boot loader hands over in boot_params
// (Documentation/arch/x86/boot.rst, "Details of Header Fields" and
// zero-page.rst: e820_entries at 0x1E8, e820_table at 0x2D0).
//
//   0x00000000 - 0x0009FBFF  RAM   conventional memory (IVT, BDA, loader data)
//   0x0009FC00 - 0x000FFFFF  reserved: EBDA (1 KiB), VGA hole, option-ROM and
//                            BIOS area; the direct-boot GDT and page tables
//                            live here (kBootGdt, kBootPageTables)
//   0x00100000 - low_end     RAM   (low_end = min(-m, 3 GiB))
//   0xC0000000 - 0xFFFFFFFF  PCI hole: no RAM; IOAPIC 0xFEC00000, HPET
//                            0xFED00000, LAPIC 0xFEE00000 MMIO live here
//   0x100000000 - ...        RAM   the part of -m above 3 GiB, if any
#pragma once
#include "base/base.h"

namespace pc64 {

constexpr u64 kEbdaBase = 0x9fc00;       // 1 KiB EBDA below 640 KiB
constexpr u64 kLowRamMax = 0xc0000000;   // RAM below 4 GiB ends here at most
constexpr u64 kHighRamBase = 0x100000000ull;
// Direct boot (no firmware): the option-ROM area 0xD0000-0xDFFFF holds the
// loader's GDT and identity page tables; 0xE0000-0xFFFFF stays free for
// the ACPI tables and the BIOS.
constexpr u64 kBootGdt = 0xd0000;
constexpr u64 kBootPageTables = 0xd1000;  // PML4, PDPT, 4 PDs: 6 pages

enum : u32 { kE820Ram = 1, kE820Reserved = 2 };

struct E820Entry {
  u64 addr, size;
  u32 type;
};

// Splits `ram_bytes` of guest RAM into the part below kLowRamMax and the
// part placed at kHighRamBase.
inline u64 low_ram_bytes(u64 ram_bytes) { return ram_bytes < kLowRamMax ? ram_bytes : kLowRamMax; }
inline u64 high_ram_bytes(u64 ram_bytes) { return ram_bytes - low_ram_bytes(ram_bytes); }

// Fills `out` (room for 4) with the map for `low` bytes of RAM at 0 and
// `high` bytes at 4 GiB; returns the number of entries.
int build_e820(u64 low, u64 high, E820Entry* out);

}  // namespace pc64
