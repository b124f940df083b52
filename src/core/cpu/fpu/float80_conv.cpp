// x87 format conversions: integers (FILD/FIST/FISTTP), single and double
// (FLD/FST m32/m64), packed BCD (FBLD/FBSTP). SDM Vol. 1 §4.2, §4.7, §8.2,
// Vol. 2A FIST/FISTTP/FBSTP.
#include "cpu/fpu/float80_internal.h"

namespace pc64::fpu {

using namespace detail;

F80 f80_from_int(i64 v) {
  if (v == 0) return zero(false);
  bool sign = v < 0;
  u64 mag = sign ? (u64)0 - (u64)v : (u64)v;
  int s = __builtin_clzll(mag);
  return make(sign, (u32)(kBias + 63 - s), mag << s);
}

// Rounds a finite operand to an integer magnitude (rc, or toward zero).
// Returns false when the magnitude does not fit in 64 bits.
static bool round_to_integer(FpEnv& env, F80 a, Cls c, u8 rc, u128* mag, bool* inexact, bool* up) {
  *inexact = *up = false;
  *mag = 0;
  if (c == Cls::Zero) return true;
  Unp u = unpack(a);
  i32 sh = kBias + 63 - u.exp;
  if (sh < 0) return false;
  *mag = round_shift(u.mant, sh > 100 ? 100 : sh, u.sign, rc, inexact, up);
  return true;
}

u64 f80_to_int(FpEnv& env, F80 a, int bytes, bool truncate) {
  env.c1 = false;
  u64 indefinite = sign_bit(bytes);  // integer indefinite, SDM §4.2.2
  Cls c = classify(a);
  if (c == Cls::Unsupported || c == Cls::Inf || is_nan(c)) {
    env.flags |= kIE;
    return indefinite;
  }
  // No DE for a denormal source: FIST raises only IS, IA and P (SDM Vol. 2A).
  bool sign = sign_of(a), inexact, up;
  u128 q;
  bool fits = round_to_integer(env, a, c, truncate ? kRoundZero : env.rc, &q, &inexact, &up);
  u128 limit = ((u128)1 << (bytes * 8 - 1)) - (sign ? 0 : 1);
  if (!fits || q > limit) {
    env.flags |= kIE;
    return indefinite;
  }
  if (inexact) env.flags |= kPE;
  env.c1 = up;
  u64 r = sign ? (u64)0 - (u64)q : (u64)q;
  return r & width_mask(bytes);
}

// Binary interchange formats with `fbits` fraction bits and `ebits` exponent bits.
static F80 from_binary(FpEnv& env, u64 v, int fbits, int ebits, bool keep_snan) {
  env.c1 = false;
  u64 emax = (1ull << ebits) - 1, fmask = (1ull << fbits) - 1;
  i32 bias = (i32)(emax >> 1);
  bool sign = (v >> (fbits + ebits)) & 1;
  u64 e = (v >> fbits) & emax, f = v & fmask;
  if (e == emax) {
    if (f == 0) return inf(sign);
    u64 mant = (1ull << 63) | (f << (63 - fbits));
    if (!keep_snan && !(f >> (fbits - 1))) {  // SNaN: IE and quiet it (SDM §4.8.3.4)
      env.flags |= kIE;
      mant |= 1ull << 62;
    }
    return make(sign, 0x7fff, mant);
  }
  if (e == 0) {
    if (f == 0) return zero(sign);
    env.flags |= kDE;  // denormal source operand (SDM §4.9.1.2)
    int s = __builtin_clzll(f);
    return make(sign, (u32)(kBias + 64 - bias - fbits - s), f << s);
  }
  return make(sign, (u32)((i32)e - bias + kBias), (1ull << 63) | (f << (63 - fbits)));
}

static u64 to_binary(FpEnv& env, F80 a, int fbits, int ebits) {
  env.c1 = false;
  u64 emax = (1ull << ebits) - 1, fmask = (1ull << fbits) - 1;
  i32 bias = (i32)(emax >> 1);
  Cls c = classify(a);
  bool sign = sign_of(a);
  u64 s = (u64)sign << (fbits + ebits);
  u64 qnan = (emax << fbits) | (1ull << (fbits - 1));
  if (c == Cls::Unsupported) {
    env.flags |= kIE;
    return ((u64)1 << (fbits + ebits)) | qnan;  // indefinite
  }
  if (is_nan(c)) {
    if (c == Cls::SNaN) env.flags |= kIE;
    return s | qnan | ((a.mant << 1) >> (64 - fbits));  // payload: top fraction bits
  }
  if (c == Cls::Inf) return s | (emax << fbits);
  if (c == Cls::Zero) return s;
  // An extended denormal source raises no DE on a store (measured).
  Unp u = unpack(a);
  i32 e = u.exp - kBias + bias;
  int prec = fbits + 1;
  bool inexact, up;
  u128 q = round_shift(u.mant, 64 - prec, sign, env.rc, &inexact, &up);
  i32 er = e;
  if (q >> prec) {
    q >>= 1;
    er++;
  }
  if (er >= (i32)emax) {  // masked overflow, SDM §4.9.1.4
    env.flags |= kOE | kPE;
    bool to_inf = env.rc == kRoundNearest || (env.rc == kRoundDown && sign) || (env.rc == kRoundUp && !sign);
    env.c1 = to_inf;
    return to_inf ? s | (emax << fbits) : s | ((emax - 1) << fbits) | fmask;
  }
  if (er < 1) {  // tiny after rounding: denormalize (SDM §4.9.1.5)
    i32 total = 64 - prec + (1 - e);
    q = round_shift(u.mant, total > 100 ? 100 : total, sign, env.rc, &inexact, &up);
    if (inexact) env.flags |= kUE | kPE;
    env.c1 = up;
    return s | (u64)q;  // a carry into bit fbits makes it the smallest normal
  }
  if (inexact) env.flags |= kPE;
  env.c1 = up;
  return s | ((u64)er << fbits) | ((u64)q & fmask);
}

F80 f80_from_f32(FpEnv& env, u32 v, bool keep_snan) { return from_binary(env, v, 23, 8, keep_snan); }
F80 f80_from_f64(FpEnv& env, u64 v, bool keep_snan) { return from_binary(env, v, 52, 11, keep_snan); }
u32 f80_to_f32(FpEnv& env, F80 a) { return (u32)to_binary(env, a, 23, 8); }
u64 f80_to_f64(FpEnv& env, F80 a) { return to_binary(env, a, 52, 11); }

F80 f80_from_bcd(const u8* p) {
  // Invalid digits (A..F) give an undefined result (SDM Vol. 2A FBLD); this
  // just weights them like digits.
  u64 v = 0;
  for (int i = 8; i >= 0; i--) v = v * 100 + (p[i] >> 4) * 10 + (p[i] & 15);
  F80 r = f80_from_int((i64)v);
  if (p[9] & 0x80) r.se |= 0x8000;
  return r;
}

void f80_to_bcd(FpEnv& env, F80 a, u8* p) {
  env.c1 = false;
  Cls c = classify(a);
  bool ok = !(c == Cls::Unsupported || c == Cls::Inf || is_nan(c));
  bool sign = sign_of(a), inexact = false, up = false;
  u128 q = 0;
  if (ok) {
    ok = round_to_integer(env, a, c, env.rc, &q, &inexact, &up) && q <= 999999999999999999ull;
  }
  if (!ok) {
    // Packed BCD indefinite (SDM §4.7, Table 4-4): FFFF C000 0000 0000 0000.
    env.flags |= kIE;
    for (int i = 0; i < 7; i++) p[i] = 0;
    p[7] = 0xC0;
    p[8] = p[9] = 0xFF;
    return;
  }
  if (inexact) env.flags |= kPE;
  env.c1 = up;
  u64 v = (u64)q;
  for (int i = 0; i < 9; i++) {
    u8 lo = (u8)(v % 10);
    v /= 10;
    u8 hi = (u8)(v % 10);
    v /= 10;
    p[i] = (u8)(hi << 4 | lo);
  }
  p[9] = sign ? 0x80 : 0;
}

}  // namespace pc64::fpu
