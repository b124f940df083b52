// The PC memory map (see e820.h and docs/PLATFORM.md).
#include "machine/e820.h"

namespace pc64 {

int build_e820(u64 low, u64 high, E820Entry* out) {
  int n = 0;
  out[n++] = E820Entry{0, low < kEbdaBase ? low : kEbdaBase, kE820Ram};
  // The EBDA and everything up to 1 MiB is never general-purpose RAM on a
  // PC (the EBDA, the VGA window 0xA0000-0xBFFFF and the ROM area 0xC0000-0xFFFFF; ACPI 6.5 §15 "System Address Map Interfaces" lists such ranges as AddressRangeReserved).
  out[n++] = E820Entry{kEbdaBase, 0x100000 - kEbdaBase, kE820Reserved};
  if (low > 0x100000) out[n++] = E820Entry{0x100000, low - 0x100000, kE820Ram};
  if (high) out[n++] = E820Entry{kHighRamBase, high, kE820Ram};
  return n;
}

}  // namespace pc64
