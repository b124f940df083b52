// probe_write(): translates a store's bytes for writing without storing,
// for instructions whose other effects (MXCSR flags, masked elements) must
// not happen when the store faults. A #PF on the second page reports that
// page's first byte in CR2, as a real store does.
#pragma once
#include "cpu/interp/ops.h"

namespace pc64 {

inline bool probe_write(Cpu& c, u8 seg, u64 off, u32 n) {
  u64 lin;
  if (!c.linear(seg, off, n, Access::Write, &lin)) return false;
  const u64 wrap = c.mode64() ? ~0ull : 0xffffffffull;
  lin &= wrap;
  const u64 last = (lin + n - 1) & wrap;
  if (!c.translate(lin, Access::Write) && c.faulted) return false;
  if ((last >> 12) != (lin >> 12) && !c.translate(last & ~0xfffull, Access::Write) && c.faulted) return false;
  return true;
}

}  // namespace pc64
