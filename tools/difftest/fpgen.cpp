// Random x87/SSE/AVX inputs: register contents, MXCSR, FCW/FSW/tags, and the
// bytes of FP memory operands, with a large share of special values so the
// corner cases of every format are hit often (SDM Vol. 1 §4.8 for the
// encodings of zeros, denormals, infinities and NaNs; §8.2.2 for the x87
// unsupported encodings: pseudo-denormals, unnormals, pseudo-infinities and
// pseudo-NaNs).
//
// A vector register's lanes are drawn as one kind (f32, f64 or integer lanes
// of 1..8 bytes), which the instruction's own operands decide where the row
// says (ps/ss: f32, pd/sd: f64); other registers are mostly raw random
// bytes, a quarter of the time a random kind.
#include <string.h>

#include "difftest.h"

namespace pc64::difftest {
namespace {

using testgen::random_value;
using testgen::Rng;

enum class Lane : u8 { F32, F64, I8, I16, I32, I64, Raw };

// A binary32 bit pattern: mostly special values, signs random.
u32 f32_value(Rng& rng) {
  const u32 sign = (u32)rng.below(2) << 31;
  const u32 frac = (u32)rng.next() & 0x7fffff;
  switch (rng.below(20)) {
    case 0: return sign;                                         // ±0
    case 1: return sign | (frac ? frac : 1);                     // denormal
    case 2: return sign | 0x007fffff;                            // largest denormal
    case 3: return sign | 0x00800000;                            // smallest normal
    case 4: return sign | 0x7f7fffff;                            // largest normal
    case 5: return sign | 0x7f800000;                            // infinity
    case 6: return sign | 0x7fc00000 | (rng.below(2) ? frac & 0x3fffff : 0);  // QNaN
    case 7: return sign | 0x7f800000 | ((frac & 0x3fffff) ? frac & 0x3fffff : 1);  // SNaN
    case 8: return sign | 0x3f800000;                            // 1.0
    case 9: {  // an integer value (conversions), often near 2^31
      const float v = rng.below(2) ? (float)(int)rng.below(1000) : (float)(i32)(u32)rng.next();
      u32 b;
      memcpy(&b, &v, 4);
      return b ^ sign;
    }
    case 10: case 11: {  // significand ending in 0/1 runs: results land on rounding boundaries
      static const u32 kTails[] = {0x7fffff, 0x000001, 0x400000, 0x3fffff, 0x400001, 0x7ffffe};
      return sign | (u32)(127 + (int)rng.below(48) - 24) << 23 | kTails[rng.below(6)];
    }
    case 12: return sign | (u32)(1 + rng.below(3)) << 23 | frac;      // near underflow
    case 13: return sign | (u32)(252 + rng.below(3)) << 23 | frac;    // near overflow
    case 14: case 15: return sign | (u32)(127 + (int)rng.below(32) - 16) << 23 | frac;  // moderate
    default: return (u32)rng.next();
  }
}

u64 f64_value(Rng& rng) {
  const u64 sign = rng.below(2) << 63;
  const u64 frac = rng.next() & 0xfffffffffffffull;
  switch (rng.below(22)) {
    case 0: return sign;
    case 1: return sign | (frac ? frac : 1);
    case 2: return sign | 0x000fffffffffffffull;
    case 3: return sign | 0x0010000000000000ull;
    case 4: return sign | 0x7fefffffffffffffull;
    case 5: return sign | 0x7ff0000000000000ull;
    case 6: return sign | 0x7ff8000000000000ull | (rng.below(2) ? frac & 0x7ffffffffffffull : 0);
    case 7: return sign | 0x7ff0000000000000ull | ((frac & 0x7ffffffffffffull) ? frac & 0x7ffffffffffffull : 1);
    case 8: return sign | 0x3ff0000000000000ull;
    case 9: {  // integers and halves (conversions to int32/int64)
      double v = rng.below(2) ? (double)(int)rng.below(1000) : (double)(i32)(u32)rng.next();
      if (rng.below(4) == 0) v = (double)(i64)rng.next();
      if (rng.below(3) == 0) v += 0.5;
      u64 b;
      memcpy(&b, &v, 8);
      return b ^ sign;
    }
    case 10: case 11: {  // tails on binary64 and binary32 rounding boundaries
      static const u64 kTails[] = {0xfffffffffffffull, 1, 0x8000000000000ull, 0x10000000ull,
                                   0x0fffffffull, 0x10000001ull, 0x7ffffffffffffull, 0x1fffffffull};
      const u64 tail = kTails[rng.below(8)];
      return sign | (u64)(1023 + (int)rng.below(64) - 32) << 52 | (tail < 0x20000000 ? (frac & ~0x1fffffffull) | tail : tail);
    }
    case 12: return sign | (u64)(1 + rng.below(3)) << 52 | frac;
    case 13: return sign | (u64)(2044 + rng.below(3)) << 52 | frac;
    case 14: {  // near the binary32 range limits (conversions to single)
      static const int kExp[] = {-150, -149, -127, -126, -125, 126, 127, 128};
      return sign | (u64)(1023 + kExp[rng.below(8)]) << 52 | frac;
    }
    case 15: case 16: return sign | (u64)(1023 + (int)rng.below(64) - 32) << 52 | frac;
    default: return rng.next();
  }
}

// An 80-bit extended value: significand (J = bit 63) and sign/exponent.
void f80_value(Rng& rng, u8* out) {
  u64 m = rng.next();
  u32 e;
  const u32 sign = (u32)rng.below(2) << 15;
  constexpr u64 J = 1ull << 63;
  switch (rng.below(24)) {
    case 0: m = 0; e = 0; break;                                // ±0
    case 1: m &= ~J; m = m ? m : 1; e = 0; break;               // denormal
    case 2: m |= J; e = 0; break;                               // pseudo-denormal
    case 3: m &= ~J; e = 1 + (u32)rng.below(0x7ffe); break;     // unnormal
    case 4: m = J; e = 0x7fff; break;                           // infinity
    case 5: m = J | (1ull << 62) | (rng.below(2) ? m & 0x3fffffffffffffffull : 0); e = 0x7fff; break;  // QNaN
    case 6: m = J | ((m & 0x3fffffffffffffffull) ? m & 0x3fffffffffffffffull : 1); e = 0x7fff; break;   // SNaN
    case 7: m &= ~J; e = 0x7fff; break;                         // pseudo-infinity / pseudo-NaN
    case 8: m = J; e = 0x3fff; break;                           // 1.0
    case 9: m = J; e = 1; break;                                // smallest normal
    case 10: m = ~0ull; e = 0x7ffe; break;                      // largest
    case 11: case 12: {  // tails on the 64-, 53- and 24-bit rounding boundaries
      static const u64 kTails[] = {0x400, 0x3ff, 0x401, 0x7ff, 0x8000000000ull, 0x7fffffffffull,
                                   0x8000000001ull, 0xffffffffffull, 1, 0};
      const u64 t = kTails[rng.below(10)];
      m = J | (t >= 0x8000000000ull / 2 ? m & ~0xffffffffffull : m & ~0x7ffull) | t;
      if (rng.below(4) == 0) m = J | ~0ull;
      e = 0x3fff + (u32)rng.below(64) - 32;
      break;
    }
    case 13: case 14: {  // an integer value (FIST, FRNDINT), small or near 2^15/2^31/2^63
      static const int kBits[] = {1, 4, 8, 15, 16, 31, 32, 63, 64};
      const int k = kBits[rng.below(9)];
      m = J | (m >> k << (64 - k) >> 1);
      e = 0x3fff + (u32)k - 1;
      break;
    }
    case 15: {  // near the binary32/binary64 range limits (FST m32/m64)
      static const int kExp[] = {-1076, -1075, -1074, -1023, -1022, -150, -149, -127, -126,
                                 126, 127, 128, 1022, 1023, 1024};
      m |= J;
      e = (u32)(0x3fff + kExp[rng.below(15)]);
      break;
    }
    case 16: m |= J; e = 1 + (u32)rng.below(2); break;
    case 17: m |= J; e = 0x7ffd + (u32)rng.below(2); break;
    case 18: case 19: case 20: m |= J; e = 0x3fff + (u32)rng.below(128) - 64; break;
    default: m |= J; e = (u32)rng.below(0x8000); break;
  }
  memcpy(out, &m, 8);
  const u16 se = (u16)(sign | (e & 0x7fff));
  memcpy(out + 8, &se, 2);
}

void fill_lanes(Rng& rng, Lane kind, u8* out, u32 n) {
  for (u32 k = 0; k < n;) {
    switch (kind) {
      case Lane::F32: {
        if (n - k < 4) break;
        const u32 v = f32_value(rng);
        memcpy(out + k, &v, 4);
        k += 4;
        continue;
      }
      case Lane::F64: {
        if (n - k < 8) break;
        const u64 v = f64_value(rng);
        memcpy(out + k, &v, 8);
        k += 8;
        continue;
      }
      case Lane::I8: case Lane::I16: case Lane::I32: case Lane::I64: {
        const u32 w = kind == Lane::I8 ? 1 : kind == Lane::I16 ? 2 : kind == Lane::I32 ? 4 : 8;
        if (n - k < w) break;
        const u64 v = random_value(rng, (int)w);
        memcpy(out + k, &v, w);
        k += w;
        continue;
      }
      case Lane::Raw: break;
    }
    const u64 v = rng.next();  // raw bytes (and any tail shorter than a lane)
    const u32 w = n - k < 8 ? n - k : 8;
    memcpy(out + k, &v, w);
    k += w;
  }
}

// An 80-bit packed BCD integer (FBLD m80bcd; SDM Vol. 1 §4.7): 18 digits,
// sign in bit 79, bits 78:72 zero; few or many digits. Invalid digits are
// never drawn: FBLD's result is undefined then ("FBLD" in Vol. 2A).
void bcd_value(Rng& rng, u8* out) {
  const u32 ndigits = rng.below(4) == 0 ? 18 : (u32)rng.below(19);
  for (int k = 0; k < 9; ++k) {
    const u32 lo = 2 * (u32)k < ndigits ? (u32)rng.below(10) : 0;
    const u32 hi = 2 * (u32)k + 1 < ndigits ? (u32)rng.below(10) : 0;
    out[k] = (u8)(hi << 4 | lo);
  }
  out[9] = rng.below(2) ? 0x80 : 0;
}

Lane random_kind(Rng& rng) {
  static const Lane kKinds[] = {Lane::F32, Lane::F32, Lane::F64, Lane::F64, Lane::I8,
                                Lane::I16, Lane::I32, Lane::I64, Lane::Raw};
  return kKinds[rng.below(sizeof kKinds / sizeof kKinds[0])];
}

Lane int_kind(Rng& rng) {
  static const Lane kKinds[] = {Lane::I8, Lane::I16, Lane::I32, Lane::I64};
  return kKinds[rng.below(4)];
}

// The lane kind the row gives an XMM/YMM or MMX operand (or memory) of `s`.
Lane kind_of(OpSize s, Rng& rng) {
  switch (s) {
    case OpSize::ps: case OpSize::ss: return rng.below(8) ? Lane::F32 : random_kind(rng);
    case OpSize::pd: case OpSize::sd: return rng.below(8) ? Lane::F64 : random_kind(rng);
    default: return rng.below(4) ? int_kind(rng) : random_kind(rng);
  }
}

// Physical x87 registers R0..R7: special values, or MMX-style integer
// contents (exponent field all ones, as an MMX write leaves it) for rows
// that use MMX registers.
void fill_x87(Rng& rng, bool mmx, FpState* f) {
  for (int i = 0; i < 8; ++i) {
    if (mmx && rng.below(2)) {
      fill_lanes(rng, int_kind(rng), f->st[i], 8);
      f->st[i][8] = f->st[i][9] = 0xff;
      if (rng.below(4) == 0) f80_value(rng, f->st[i]);
    } else {
      f80_value(rng, f->st[i]);
    }
  }
}

}  // namespace

void random_fp_state(const Env& env, const Insn& in, Rng& rng, FpState* f) {
  *f = FpState{};
  const int nxmm = env.bits == 64 ? 16 : 8;
  const bool avx = (env.hello.xcr0 & 4) != 0;
  const u32 vbytes = avx ? 32 : 16;
  const FpClass cls = row_fp_class(*in.row);
  // Registers the instruction does not name are mostly raw random bytes
  // (cheap: most rows never look at them), sometimes special values.
  for (int i = 0; i < nxmm; ++i)
    fill_lanes(rng, cls == FpClass::None || rng.below(4) ? Lane::Raw : random_kind(rng), f->ymm[i], vbytes);
  // The instruction's own XMM/YMM registers get the lane kind its operands name.
  for (int n = 0; n < in.nops; ++n)
    if (in.op[n].type == OpType::Xmm && in.op[n].reg < nxmm)
      fill_lanes(rng, kind_of(in.row->ops.op[n].size, rng), f->ymm[in.op[n].reg], vbytes);

  // MXCSR (SDM Vol. 1 §10.2.3): random rounding control, DAZ and FTZ a
  // quarter of the time each, all exceptions masked but in one case in
  // eight, flags preset in one in four.
  u32 mx = 0x1f80 | (u32)rng.below(4) << 13;
  if (rng.below(4) == 0) mx |= 0x40;
  if (rng.below(4) == 0) mx |= 0x8000;
  if (rng.below(8) == 0) mx &= ~((u32)rng.next() & 0x1f80);
  if (rng.below(4) == 0) mx |= (u32)rng.next() & 0x3f;
  f->mxcsr = mx & env.hello.mxcsr_mask;

  // FCW (Vol. 1 §8.1.5): bit 6 set as FINIT leaves it; RC random; PC one of
  // 00 (single), 10 (double), 11 (extended): 01 is reserved.
  static const u16 kPc[] = {0, 2, 3, 3};
  u16 fcw = 0x0040 | 0x3f | (u16)(kPc[rng.below(4)] << 8) | (u16)(rng.below(4) << 10);
  if (rng.below(8) == 0) fcw &= (u16)~(rng.next() & 0x3f);
  f->fcw = fcw;

  // FSW (Vol. 1 §8.1.3): TOP and C0-C3 random, exception flags (and SF)
  // preset one time in four; ES and B summarise the unmasked flags.
  const u16 top = (u16)rng.below(8);
  u16 fsw = (u16)(top << 11) | ((u16)rng.next() & 0x4700);
  if (rng.below(4) == 0) fsw |= (u16)rng.next() & 0x7f;
  if (fsw & ~fcw & 0x3f) fsw |= 0x8080;
  f->fsw = fsw;

  fill_x87(rng, cls == FpClass::Mmx, f);
  // Which registers are empty: a stack ST(0)..ST(k-1) half the time (as
  // code leaves it), else random, all empty or all full.
  u8 full;
  switch (rng.below(8)) {
    case 0: full = 0; break;
    case 1: full = 0xff; break;
    case 2: case 3: case 4: case 5: {
      const u32 depth = (u32)rng.below(9);
      full = 0;
      for (u32 k = 0; k < depth; ++k) full |= (u8)(1u << ((top + k) & 7));
      break;
    }
    default: full = (u8)rng.next(); break;
  }
  f->ftw = x87_full_tag(full, f->st);
  transcendental_operands(in, rng, f);
}

void random_fp_memory(const Insn& in, int n, Rng& rng, u8* out, u32 bytes) {
  const Row& row = *in.row;
  const OpSize s = row.ops.op[n].size;
  const FpClass cls = row_fp_class(row);
  if (cls == FpClass::X87 || (cls == FpClass::None && row.name[0] == 'F')) {
    // x87 memory: the mnemonic says the format (FI*: integer, FB*: BCD).
    if (row.name[1] == 'I') fill_lanes(rng, bytes == 2 ? Lane::I16 : bytes == 4 ? Lane::I32 : Lane::I64, out, bytes);
    else if (bytes == 4) fill_lanes(rng, Lane::F32, out, 4);
    else if (bytes == 8) fill_lanes(rng, Lane::F64, out, 8);
    else if (bytes == 10 && row.name[1] == 'B') bcd_value(rng, out);
    else if (bytes == 10) f80_value(rng, out);
    else fill_lanes(rng, Lane::Raw, out, bytes);
    return;
  }
  fill_lanes(rng, kind_of(s, rng), out, bytes);
}

}  // namespace pc64::difftest
