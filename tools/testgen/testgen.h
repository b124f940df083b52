// The random instruction encoder, driven by the opcode table.
//
// encode_random() turns one table Row into a random legal encoding of that
// row: random legal prefixes, every ModRM/SIB/displacement form the row
// allows and immediates that mix edge values with random ones. It is the
// only encoder in the project; the differential tester (tools/difftest) and
// the disassembler checker both use it. Every encoding is checked by decoding
// it back with pc64's decoder: it must select this very row (rows that share
// an opcode differ by mandatory prefix, /digit, mod or rm).
//
// Portable C++ (not part of src/core).
#pragma once
#include "cpu/table/table.h"

namespace pc64::testgen {

// splitmix64 (a public-domain construction: Weyl sequence plus a mixer).
struct Rng {
  u64 s;
  explicit Rng(u64 seed);
  u64 next();
  u64 below(u64 n);  // uniform in [0, n); n > 0
};

struct EncodeOptions {
  int mode = 64;               // 64, 32 (or 16): code size in bits
  u64 mem_lo = 0, mem_hi = 0;  // absolute memory operands (no base/index, moffs) get addresses in [mem_lo, mem_hi)
  bool prefixes = true;        // random legal prefixes
  // Extension: address of the instruction. When mem_hi > mem_lo, RIP-relative
  // operands also aim into [mem_lo, mem_hi) (their displacement depends on it).
  u64 rip = 0;
};

struct Encoded {
  u8 bytes[15];
  u8 len;
  const Row* row;
};

// A random legal encoding of `row` in the mode. Returns false if the row cannot
// be encoded in this mode (I64 in 64-bit mode, O64 outside it).
bool encode_random(const Row& row, Rng& rng, const EncodeOptions& opt, Encoded* out);

// True if `row` exists in the mode (I64/O64).
bool row_valid_in_mode(const Row& row, int mode);

// A random value of `bytes` width mixing edge values (0, 1, -1, sign
// boundaries, width max) with random ones; zero-extended.
u64 random_value(Rng& rng, int bytes);

}  // namespace pc64::testgen
