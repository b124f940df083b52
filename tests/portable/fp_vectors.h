// Deterministic x87/SSE test vectors run on pc64's interpreter, built both
// natively (pc64-fp-vectors, pc64-unit) and for wasm64 (pc64_core_check):
// the same seed must give the same digests on both (scripts/wasm-selftest.mjs,
// run by `make test`). Uses no libc, as the core.
#pragma once
#include "base/base.h"

namespace pc64::fpvec {

// The instruction kinds drawn: x87 (D8..DF), the 0F map's MMX/SSE opcodes,
// the 0F 38 map and the 0F 3A map (with an imm8).
enum Kind : u32 { kX87, kMap0F, kMap0F38, kMap0F3A, kKinds };

struct Stats {
  u64 digest[kKinds];  // FNV-1a over each kind's cases' results
  u64 all;             // over all cases in order
  u32 cases[kKinds];
  u32 completed[kKinds];  // ran to the next instruction
  u32 ud[kKinds];         // #UD (opcode without a row or a handler)
  u32 faults[kKinds];     // other exceptions (#GP alignment, #MF, #XM, ...)
};

// Runs `count` cases from `seed`.
void run(u64 seed, u32 count, Stats* out);

}  // namespace pc64::fpvec
