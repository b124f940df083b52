// Helpers shared by the float80 files: unpacking, rounding, NaN propagation.
#pragma once
#include "cpu/fpu/float80.h"

namespace pc64::fpu::detail {

constexpr i32 kBias = 16383;

// A finite nonzero operand with its significand normalized (bit 63 set):
// value = mant * 2^(exp - kBias - 63). Denormals get exp < 1.
struct Unp {
  bool sign;
  i32 exp;
  u64 mant;
};

inline bool sign_of(F80 a) { return a.se >> 15; }
inline bool is_nan(Cls c) { return c == Cls::QNaN || c == Cls::SNaN; }
inline F80 make(bool sign, u32 exp, u64 mant) { return F80{mant, (u16)((sign ? 0x8000 : 0) | exp)}; }
inline F80 zero(bool sign) { return make(sign, 0, 0); }
inline F80 inf(bool sign) { return make(sign, 0x7fff, 1ull << 63); }

inline Unp unpack(F80 a) {
  Unp u{sign_of(a), (i32)(a.se & 0x7fff), a.mant};
  if (u.exp == 0) u.exp = 1;  // denormal and pseudo-denormal: SDM §8.2.2
  int s = __builtin_clzll(u.mant);
  u.mant <<= s;
  u.exp -= s;
  return u;
}

inline int clz128(u128 v) {
  u64 hi = (u64)(v >> 64);
  return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((u64)v);
}

// Precision in bits for the PC field (SDM §8.1.5.2); the reserved 1 acts as 64.
inline int prec_bits(u8 pc) { return pc == kPrec24 ? 24 : pc == kPrec53 ? 53 : 64; }

// v >> sh rounded by rc for a value of sign `sign`. *inexact reports lost
// bits, *up an increment (the magnitude was rounded up: C1, SDM §8.1.3.3).
u128 round_shift(u128 v, int sh, bool sign, u8 rc, bool* inexact, bool* up);

// Rounds sign * sig * 2^(exp - kBias - 127) to `prec` bits of significand in
// the extended exponent range, with the masked overflow/underflow responses
// (SDM §4.9.1.4, §4.9.1.5, §8.5.4, §8.5.5). Sets env.c1 and the flags.
F80 round_pack(FpEnv& env, bool sign, i32 exp, u128 sig, int prec);

// Masked invalid operation: IE and the QNaN indefinite.
inline F80 invalid(FpEnv& env) {
  env.flags |= kIE;
  return kIndefinite;
}

// NaN result of an operation with at least one NaN operand (SDM §4.8.3.5,
// Table 4-7, x87 column). SNaN operands raise IE and are quieted.
F80 propagate_nan(FpEnv& env, F80 a, Cls ca, F80 b, Cls cb);

}  // namespace pc64::fpu::detail
