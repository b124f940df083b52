// x87 extended-precision arithmetic: rounding, FADD FSUB FMUL FDIV FSQRT,
// FRNDINT and FCOM/FUCOM (SDM Vol. 1 §4.8, §4.9, §8.3, §8.5).
//
// Every operation unpacks its operands to an integer significand with the
// integer bit at bit 63, computes an exact (or exact-plus-sticky) u128
// significand, and hands it to round_pack, which implements precision control,
// rounding control, C1 and the masked overflow/underflow responses in one place.
#include "cpu/fpu/float80_internal.h"

namespace pc64::fpu {

using namespace detail;

Cls classify(F80 a) {
  u32 e = a.se & 0x7fff;
  bool j = a.mant >> 63;
  if (e == 0) return a.mant == 0 ? Cls::Zero : Cls::Denormal;  // J=1: pseudo-denormal
  if (!j) return Cls::Unsupported;  // unnormal, pseudo-infinity, pseudo-NaN
  if (e == 0x7fff) {
    if ((a.mant << 1) == 0) return Cls::Inf;
    return (a.mant >> 62) & 1 ? Cls::QNaN : Cls::SNaN;
  }
  return Cls::Normal;
}

namespace detail {

u128 round_shift(u128 v, int sh, bool sign, u8 rc, bool* inexact, bool* up) {
  *inexact = false;
  *up = false;
  if (sh <= 0) return v;
  u128 q, rem;
  int half_cmp;  // remainder compared with half an ulp: -1, 0, 1
  if (sh > 128) {
    q = 0;
    rem = v;
    half_cmp = -1;
  } else if (sh == 128) {
    q = 0;
    rem = v;
    u128 half = (u128)1 << 127;
    half_cmp = rem < half ? -1 : rem == half ? 0 : 1;
  } else {
    q = v >> sh;
    rem = v & (((u128)1 << sh) - 1);
    u128 half = (u128)1 << (sh - 1);
    half_cmp = rem < half ? -1 : rem == half ? 0 : 1;
  }
  if (rem == 0) return q;
  *inexact = true;
  bool inc = false;
  switch (rc & 3) {
    case kRoundNearest: inc = half_cmp > 0 || (half_cmp == 0 && (q & 1)); break;
    case kRoundDown: inc = sign; break;
    case kRoundUp: inc = !sign; break;
    case kRoundZero: inc = false; break;
  }
  *up = inc;
  return q + inc;
}

// Tininess is detected after rounding with an unbounded exponent
// (SDM §4.9.1.5: "the result of rounding with unbounded exponent ... is
// non-zero and tiny").
F80 round_pack(FpEnv& env, bool sign, i32 exp, u128 sig, int prec) {
  env.c1 = false;
  if (sig == 0) return zero(sign);
  int s = clz128(sig);
  sig <<= s;
  exp -= s;
  int sh = 128 - prec;
  bool inexact, up;
  u128 q = round_shift(sig, sh, sign, env.rc, &inexact, &up);
  i32 e = exp;
  if (q >> prec) {  // carry out of the significand
    q >>= 1;
    e++;
  }
  u64 m = (u64)q << (64 - prec);
  if (e >= 0x7fff) {
    // Masked overflow (SDM §4.9.1.4, Table 4-10): infinity or the largest
    // finite value of the precision, by rounding direction.
    env.overflow = true;
    env.wrapped = make(sign, (u32)(e - 0x6000) & 0x7fff, m);
    env.wrapped_ok = e - 0x6000 < 0x7fff;
    env.wrapped_pe = inexact;
    env.wrapped_up = up;
    env.flags |= kOE | kPE;
    bool to_inf = env.rc == kRoundNearest || (env.rc == kRoundDown && sign) || (env.rc == kRoundUp && !sign);
    env.c1 = to_inf;
    return to_inf ? inf(sign) : make(sign, 0x7ffe, ~0ull << (64 - prec));
  }
  if (e < 1) {
    // Tiny: denormalize to exponent 1 and round at the same absolute bit
    // position (the top `prec` bits of the 64-bit field).
    env.tiny = true;
    env.wrapped = make(sign, (u32)(e + 0x6000) & 0x7fff, m);
    env.wrapped_ok = e + 0x6000 > 0;
    env.wrapped_pe = inexact;
    env.wrapped_up = up;
    i32 extra = 1 - exp;
    int total = extra > 200 ? 200 + sh : sh + extra;
    q = round_shift(sig, total, sign, env.rc, &inexact, &up);
    m = (u64)q << (64 - prec);
    if (inexact) env.flags |= kUE | kPE;  // masked UE needs inexactness
    env.c1 = up;
    return make(sign, m >> 63 ? 1 : 0, m);
  }
  if (inexact) env.flags |= kPE;
  env.c1 = up;
  return make(sign, (u32)e, m);
}

F80 propagate_nan(FpEnv& env, F80 a, Cls ca, F80 b, Cls cb) {
  if (ca == Cls::SNaN || cb == Cls::SNaN) env.flags |= kIE;
  F80 r;
  if (is_nan(ca) && is_nan(cb)) {
    // An SNaN and a QNaN: the QNaN. Two of a kind: the larger significand.
    if (ca != cb) r = ca == Cls::QNaN ? a : b;
    else if (a.mant != b.mant) r = a.mant > b.mant ? a : b;
    else r = sign_of(a) ? b : a;
  } else {
    r = is_nan(ca) ? a : b;
  }
  r.mant |= 1ull << 62;
  return r;
}

}  // namespace detail

// Common prologue of the two-operand operations: unsupported and NaN operands,
// and DE. Returns true when *out holds the final result.
static bool special2(FpEnv& env, F80 a, Cls ca, F80 b, Cls cb, F80* out, bool de = true) {
  env.c1 = false;
  if (ca == Cls::Unsupported || cb == Cls::Unsupported) {
    *out = invalid(env);
    return true;
  }
  if (is_nan(ca) || is_nan(cb)) {
    *out = propagate_nan(env, a, ca, b, cb);
    return true;
  }
  if (de && (ca == Cls::Denormal || cb == Cls::Denormal)) env.flags |= kDE;
  return false;
}

static F80 addsub(FpEnv& env, F80 a, F80 b, bool negate_b) {
  Cls ca = classify(a), cb = classify(b);
  F80 r;
  if (special2(env, a, ca, b, cb, &r)) return r;
  bool sa = sign_of(a), sb = sign_of(b) ^ negate_b;
  if (ca == Cls::Inf || cb == Cls::Inf) {
    if (ca == Cls::Inf && cb == Cls::Inf && sa != sb) return invalid(env);  // inf - inf
    return inf(ca == Cls::Inf ? sa : sb);
  }
  int prec = prec_bits(env.pc);
  if (ca == Cls::Zero && cb == Cls::Zero) {
    // SDM §4.8.3.3 / Table 4-2: exact zero sums are +0 except in round down.
    return zero(sa == sb ? sa : env.rc == kRoundDown);
  }
  if (ca == Cls::Zero) {
    Unp ub = unpack(b);
    return round_pack(env, sb, ub.exp, (u128)ub.mant << 64, prec);
  }
  if (cb == Cls::Zero) {
    Unp ua = unpack(a);
    return round_pack(env, sa, ua.exp, (u128)ua.mant << 64, prec);
  }
  Unp ua = unpack(a), ub = unpack(b);
  ua.sign = sa;
  ub.sign = sb;
  if (ua.exp < ub.exp || (ua.exp == ub.exp && ua.mant < ub.mant)) {
    Unp t = ua;
    ua = ub;
    ub = t;
  }
  // Integer bit at bit 126: one bit of headroom for the carry, 63 guard bits.
  u128 x = (u128)ua.mant << 63, y = (u128)ub.mant << 63;
  i32 diff = ua.exp - ub.exp;
  if (diff >= 127) {
    y = 1;  // sticky
  } else if (diff > 0) {
    bool sticky = (y & (((u128)1 << diff) - 1)) != 0;
    y = (y >> diff) | (u128)sticky;
  }
  u128 z;
  bool sign = ua.sign;
  if (ua.sign == ub.sign) {
    z = x + y;
  } else {
    z = x - y;
    if (z == 0) return zero(env.rc == kRoundDown);
  }
  // value = z * 2^(ua.exp - kBias - 126); round_pack wants 2^(E - kBias - 127).
  return round_pack(env, sign, ua.exp + 1, z, prec);
}

F80 f80_add(FpEnv& env, F80 a, F80 b) { return addsub(env, a, b, false); }
F80 f80_sub(FpEnv& env, F80 a, F80 b) { return addsub(env, a, b, true); }

F80 f80_mul(FpEnv& env, F80 a, F80 b) {
  Cls ca = classify(a), cb = classify(b);
  F80 r;
  if (special2(env, a, ca, b, cb, &r)) return r;
  bool sign = sign_of(a) ^ sign_of(b);
  if (ca == Cls::Inf || cb == Cls::Inf) {
    if (ca == Cls::Zero || cb == Cls::Zero) return invalid(env);  // 0 * inf
    return inf(sign);
  }
  if (ca == Cls::Zero || cb == Cls::Zero) return zero(sign);
  Unp ua = unpack(a), ub = unpack(b);
  u128 p = (u128)ua.mant * ub.mant;  // value = p * 2^(ea + eb - 2*kBias - 126)
  return round_pack(env, sign, ua.exp + ub.exp - kBias + 1, p, prec_bits(env.pc));
}

F80 f80_div(FpEnv& env, F80 a, F80 b) {
  Cls ca = classify(a), cb = classify(b);
  F80 r;
  if (special2(env, a, ca, b, cb, &r, false)) return r;
  bool sign = sign_of(a) ^ sign_of(b);
  // x / 0 raises ZE and not DE (measured); otherwise DE as usual.
  if (cb != Cls::Zero && (ca == Cls::Denormal || cb == Cls::Denormal)) env.flags |= kDE;
  if (ca == Cls::Inf) return cb == Cls::Inf ? invalid(env) : inf(sign);
  if (cb == Cls::Inf) return zero(sign);
  if (cb == Cls::Zero) {
    if (ca == Cls::Zero) return invalid(env);  // 0 / 0
    env.flags |= kZE;                           // SDM §4.9.1.3
    return inf(sign);
  }
  if (ca == Cls::Zero) return zero(sign);
  Unp ua = unpack(a), ub = unpack(b);
  // 127 quotient bits in two long-division steps, then a sticky bit.
  u128 n = (u128)ua.mant << 63;
  u128 q1 = n / ub.mant, r1 = n % ub.mant;
  u128 n2 = r1 << 64;
  u128 q2 = n2 / ub.mant, r2 = n2 % ub.mant;
  u128 q = (q1 << 64) | q2 | (u128)(r2 != 0);
  // q ~= ma/mb * 2^127; value = q * 2^(ea - eb - 127).
  return round_pack(env, sign, ua.exp - ub.exp + kBias, q, prec_bits(env.pc));
}

F80 f80_sqrt(FpEnv& env, F80 a) {
  Cls ca = classify(a);
  env.c1 = false;
  if (ca == Cls::Unsupported) return invalid(env);
  if (is_nan(ca)) return propagate_nan(env, a, ca, a, ca);
  if (ca == Cls::Zero) return a;  // sqrt(-0) = -0
  if (sign_of(a)) return invalid(env);  // no DE for a negative denormal (measured)
  if (ca == Cls::Denormal) env.flags |= kDE;
  if (ca == Cls::Inf) return a;
  Unp u = unpack(a);
  i32 ue = u.exp - kBias;  // value = (mant / 2^63) * 2^ue
  // y = radicand with 64 fraction bits and an even exponent: y / 2^64 in [1, 4).
  u128 y = (u128)u.mant << 1;
  if (ue & 1) {
    y <<= 1;
    ue -= 1;
  }
  // Digit-by-digit square root: 33 bit pairs of y, then 33 pairs of zeros,
  // giving 66 root bits q = floor(sqrt(y / 2^64) * 2^65).
  u128 rem = 0, q = 0;
  for (int i = 0; i < 66; i++) {
    int pos = 64 - 2 * i;  // bit pair at pos+1, pos of y (none once pos < 0)
    u128 pair = pos >= 0 ? (y >> pos) & 3 : 0;
    rem = (rem << 2) | pair;
    u128 t = (q << 2) | 1;
    q <<= 1;
    if (rem >= t) {
      rem -= t;
      q |= 1;
    }
  }
  u128 sig = (q << 62) | (u128)(rem != 0);
  return round_pack(env, false, ue / 2 + kBias, sig, prec_bits(env.pc));
}

F80 f80_rndint(FpEnv& env, F80 a) {
  Cls ca = classify(a);
  env.c1 = false;
  if (ca == Cls::Unsupported) return invalid(env);
  if (is_nan(ca)) return propagate_nan(env, a, ca, a, ca);
  if (ca == Cls::Zero || ca == Cls::Inf) return a;
  if (ca == Cls::Denormal) env.flags |= kDE;
  Unp u = unpack(a);
  i32 sh = kBias + 63 - u.exp;  // fraction bits in mant
  if (sh <= 0) return make(u.sign, (u32)u.exp, u.mant);
  bool inexact, up;
  u128 q = round_shift(u.mant, sh > 100 ? 100 : sh, u.sign, env.rc, &inexact, &up);
  if (inexact) env.flags |= kPE;
  env.c1 = up;
  if (q == 0) return zero(u.sign);
  int s = clz128(q);  // q < 2^64
  return make(u.sign, (u32)(kBias + 127 - s), (u64)(q << (s - 64)));
}

u16 f80_compare(FpEnv& env, F80 a, F80 b, bool quiet) {
  Cls ca = classify(a), cb = classify(b);
  env.c1 = false;
  constexpr u16 kUnordered = kC3 | kC2 | kC0;
  if (ca == Cls::Unsupported || cb == Cls::Unsupported) {
    env.flags |= kIE;
    return kUnordered;
  }
  if (is_nan(ca) || is_nan(cb)) {
    // FCOM: any NaN is invalid; FUCOM: only SNaN (SDM Vol. 2A FUCOM).
    if (!quiet || ca == Cls::SNaN || cb == Cls::SNaN) env.flags |= kIE;
    return kUnordered;
  }
  if (ca == Cls::Denormal || cb == Cls::Denormal) env.flags |= kDE;
  if (ca == Cls::Zero && cb == Cls::Zero) return kC3;
  // Order key: sign-magnitude to a monotone integer over (exp, mant).
  auto key = [](F80 x, Cls c) -> i128 {
    if (c == Cls::Zero) return 0;
    i128 mag;
    if (c == Cls::Inf) {
      mag = (i128)(0x7fff + 64) << 64;
    } else {
      Unp u = unpack(x);
      mag = ((i128)(u.exp + 64) << 64) | u.mant;  // exp + 64 > 0 for denormals
    }
    return sign_of(x) ? -mag : mag;
  };
  i128 ka = key(a, ca), kb = key(b, cb);
  if (ka == kb) return kC3;
  return ka < kb ? kC0 : 0;
}

}  // namespace pc64::fpu
