// binary32/binary64 soft-float with MXCSR semantics (see ieee.h). Every
// operation computes the exact result as an integer significand times a
// power of two, then rounds once in round_pack().
#include "cpu/fpu/ieee.h"

namespace pc64::ieee {
namespace {

enum class Cls : u8 { Zero, Fin, Inf, QNaN, SNaN };

// A finite nonzero value is sig * 2^(exp - M) with sig in [2^M, 2^(M+1)).
struct Unp {
  bool sign;
  Cls cls;
  i32 exp;
  u64 sig;
  bool den;  // a denormal read as such (DAZ = 0)
};

// DE for denormal operands. Measured on the host: not when an operand is a
// NaN or the operation is invalid (callers test those first).
inline void denormal_check(Env& env, const Unp& x, const Unp& y) {
  if (x.den || y.den) env.flags |= kDE;
}

inline bool nan(const Unp& u) { return u.cls == Cls::QNaN || u.cls == Cls::SNaN; }

inline int clz128(u128 v) {
  u64 hi = (u64)(v >> 64);
  return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((u64)v);
}

template <class F> inline u64 sign_bit(bool s) { return s ? F::kSign : 0; }

// The operand as the operation sees it: a denormal is a zero under DAZ.
template <class F> inline u64 seen(const Env& env, u64 a) {
  if ((env.mxcsr & kDAZ) && ((a >> F::kM) & F::kExpMax) == 0) return a & F::kSign;
  return a;
}

template <class F> Unp unpack(const Env& env, u64 a) {
  Unp u{(a & F::kSign) != 0, Cls::Fin, 0, 0, false};
  const u32 e = (u32)(a >> F::kM) & F::kExpMax;
  const u64 f = a & F::kFracMask;
  if (e == (u32)F::kExpMax) {
    u.cls = f == 0 ? Cls::Inf : (f & F::kQuiet) ? Cls::QNaN : Cls::SNaN;
    return u;
  }
  if (e == 0) {
    if (f == 0 || (env.mxcsr & kDAZ)) {
      u.cls = Cls::Zero;
      return u;
    }
    u.den = true;
    const int s = __builtin_clzll(f) - (63 - F::kM);
    u.sig = f << s;
    u.exp = 1 - F::kBias - s;
    return u;
  }
  u.sig = f | (1ull << F::kM);
  u.exp = (i32)e - F::kBias;
  return u;
}

// v >> n rounded in mode rc for a value of sign `sign`.
inline u64 rshift_round(u64 v, int n, bool sign, u8 rc, bool* inexact) {
  if (n <= 0) {
    *inexact = false;
    return v;
  }
  u64 q, rem, half;
  if (n >= 64) {
    q = 0;
    rem = v;
    half = 0;  // unused: rem < 2^(n-1) always
  } else {
    q = v >> n;
    rem = v & ((1ull << n) - 1);
    half = 1ull << (n - 1);
  }
  *inexact = rem != 0;
  bool up = false;
  switch (rc) {
    case kRcNearest: up = n < 64 && (rem > half || (rem == half && (q & 1))); break;
    case kRcDown: up = sign && rem; break;
    case kRcUp: up = !sign && rem; break;
    default: break;
  }
  return q + up;
}

// Rounds sign * sig * 2^(e - 62) (sig in [2^62, 2^63), sticky ORed into
// bit 0) to the format with the masked responses of SDM §4.9.1.4/§4.9.1.5.
template <class F> u64 round_pack(Env& env, bool sign, i32 e, u64 sig) {
  constexpr int sh = 62 - F::kM;
  const u8 rc = env.rc();
  i32 be = e + F::kBias;
  bool inexact;
  u64 q = rshift_round(sig, sh, sign, rc, &inexact);
  if (be >= 1) {
    if (q >> (F::kM + 1)) {
      q >>= 1;
      ++be;
    }
    if (be >= F::kExpMax) {
      // Unmasked: OE, and PE when the significand rounding was inexact
      // (measured; the exponent-scaled result of SDM §4.9.1.4); nothing is
      // written.
      if (!(env.mxcsr & kOM)) {
        env.flags |= kOE | (inexact ? kPE : 0);
        return 0;
      }
      env.flags |= kOE | kPE;
      const bool to_inf = rc == kRcNearest || (rc == kRcUp && !sign) || (rc == kRcDown && sign);
      return sign_bit<F>(sign) | (to_inf ? F::kInf : F::kInf - 1);
    }
    if (inexact) env.flags |= kPE;
    return sign_bit<F>(sign) | (((u64)(be - 1) << F::kM) + q);
  }
  // Tiny unless rounding to the format's precision with an unbounded
  // exponent reaches 2^emin (tininess after rounding).
  const bool tiny = !(be == 0 && (q >> (F::kM + 1)));
  if (tiny && (env.mxcsr & kFTZ) && (env.mxcsr & kUM)) {
    env.flags |= kUE | kPE;
    return sign_bit<F>(sign);
  }
  if (tiny && !(env.mxcsr & kUM)) {  // unmasked: as for OE above
    env.flags |= kUE | (inexact ? kPE : 0);
    return 0;
  }
  q = rshift_round(sig, sh + 1 - be, sign, rc, &inexact);
  if (inexact) env.flags |= kPE;
  if (tiny && inexact) env.flags |= kUE;
  return sign_bit<F>(sign) | q;  // q = 2^M encodes the smallest normal
}

// Rounds sign * mag * 2^scale (mag != 0).
template <class F> u64 finish(Env& env, bool sign, u128 mag, i32 scale) {
  const int p = 127 - clz128(mag);
  u64 sig;
  if (p > 62) {
    const int sh = p - 62;
    const bool lost = (mag & (((u128)1 << sh) - 1)) != 0;
    sig = (u64)(mag >> sh) | lost;
  } else {
    sig = (u64)mag << (62 - p);
  }
  return round_pack<F>(env, sign, p + scale, sig);
}

template <class F> inline u64 finish(Env& env, const Unp& u) {
  return finish<F>(env, u.sign, u.sig, u.exp - F::kM);
}

template <class F> u64 propagate_nan(Env& env, u64 a, const Unp& x, u64 b, const Unp& y) {
  if (x.cls == Cls::SNaN || y.cls == Cls::SNaN) env.flags |= kIE;
  return (nan(x) ? a : b) | F::kQuiet;
}

template <class F> inline u64 invalid(Env& env) {
  env.flags |= kIE;
  return F::kIndefinite;
}

template <class F> u64 addsub(Env& env, u64 a, u64 b, bool negate_b) {
  Unp x = unpack<F>(env, a), y = unpack<F>(env, b);
  if (nan(x) || nan(y)) return propagate_nan<F>(env, a, x, b, y);
  y.sign ^= negate_b;
  denormal_check(env, x, y);
  if (x.cls == Cls::Inf || y.cls == Cls::Inf) {
    if (x.cls == Cls::Inf && y.cls == Cls::Inf && x.sign != y.sign) return invalid<F>(env);
    return sign_bit<F>(x.cls == Cls::Inf ? x.sign : y.sign) | F::kInf;
  }
  if (x.cls == Cls::Zero && y.cls == Cls::Zero)  // SDM §4.8.3.3 Table 4-3
    return sign_bit<F>(x.sign == y.sign ? x.sign : env.rc() == kRcDown);
  if (x.cls == Cls::Zero) return finish<F>(env, y);
  if (y.cls == Cls::Zero) return finish<F>(env, x);
  if (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)) {
    Unp t = x;
    x = y;
    y = t;
  }
  // |x| >= |y|. Exact when the exponents are close; otherwise y only
  // decides rounding as a sticky bit below three guard bits.
  const i32 d = x.exp - y.exp;
  u128 X, Y;
  i32 scale;
  if (d <= 64) {
    X = (u128)x.sig << d;
    Y = y.sig;
    scale = y.exp - F::kM;
  } else {
    X = (u128)x.sig << 3;
    Y = 1;
    scale = x.exp - F::kM - 3;
  }
  u128 r = x.sign == y.sign ? X + Y : X - Y;
  if (r == 0) return sign_bit<F>(env.rc() == kRcDown);
  return finish<F>(env, x.sign, r, scale);
}

template <class F> Rel rel(const Env& env, u64 a, u64 b) {
  a = seen<F>(env, a);
  b = seen<F>(env, b);
  const u64 ma = a & ~F::kSign, mb = b & ~F::kSign;
  if (ma == 0 && mb == 0) return Rel::Eq;
  const i64 ka = (a & F::kSign) ? -(i64)ma : (i64)ma;
  const i64 kb = (b & F::kSign) ? -(i64)mb : (i64)mb;
  return ka < kb ? Rel::Lt : ka == kb ? Rel::Eq : Rel::Gt;
}

template <class F> u64 minmax(Env& env, u64 a, u64 b, bool is_max) {
  Unp x = unpack<F>(env, a), y = unpack<F>(env, b);
  if (nan(x) || nan(y)) {
    env.flags |= kIE;
    return seen<F>(env, b);
  }
  denormal_check(env, x, y);
  // Under DAZ the selected operand is the zero it was read as (measured).
  const Rel r = rel<F>(env, a, b);
  if (r == Rel::Eq) return seen<F>(env, b);
  return seen<F>(env, (r == (is_max ? Rel::Gt : Rel::Lt)) ? a : b);
}

inline u128 isqrt(u128 v, bool* exact) {
  u128 rem = v, root = 0, bit = (u128)1 << 126;
  while (bit > rem) bit >>= 2;
  while (bit) {
    if (rem >= root + bit) {
      rem -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  *exact = rem == 0;
  return root;
}

}  // namespace

template <class F> u64 add(Env& env, u64 a, u64 b) { return addsub<F>(env, a, b, false); }
template <class F> u64 sub(Env& env, u64 a, u64 b) { return addsub<F>(env, a, b, true); }

template <class F> u64 mul(Env& env, u64 a, u64 b) {
  Unp x = unpack<F>(env, a), y = unpack<F>(env, b);
  if (nan(x) || nan(y)) return propagate_nan<F>(env, a, x, b, y);
  denormal_check(env, x, y);
  const bool s = x.sign != y.sign;
  if (x.cls == Cls::Inf || y.cls == Cls::Inf) {
    if (x.cls == Cls::Zero || y.cls == Cls::Zero) return invalid<F>(env);
    return sign_bit<F>(s) | F::kInf;
  }
  if (x.cls == Cls::Zero || y.cls == Cls::Zero) return sign_bit<F>(s);
  return finish<F>(env, s, (u128)x.sig * y.sig, x.exp + y.exp - 2 * F::kM);
}

template <class F> u64 div(Env& env, u64 a, u64 b) {
  Unp x = unpack<F>(env, a), y = unpack<F>(env, b);
  if (nan(x) || nan(y)) return propagate_nan<F>(env, a, x, b, y);
  const bool s = x.sign != y.sign;
  // finite x / 0 raises ZE and not DE (measured).
  if (y.cls == Cls::Zero && x.cls != Cls::Inf) {
    if (x.cls == Cls::Zero) return invalid<F>(env);
    env.flags |= kZE;
    return sign_bit<F>(s) | F::kInf;
  }
  denormal_check(env, x, y);
  if (x.cls == Cls::Inf) {
    if (y.cls == Cls::Inf) return invalid<F>(env);
    return sign_bit<F>(s) | F::kInf;
  }
  if (y.cls == Cls::Inf) return sign_bit<F>(s);
  if (x.cls == Cls::Zero) return sign_bit<F>(s);
  const u128 n = (u128)x.sig << 64;
  const u128 q = n / y.sig;
  const bool rem = (n % y.sig) != 0;
  return finish<F>(env, s, q | rem, x.exp - y.exp - 64);
}

template <class F> u64 sqrt(Env& env, u64 a) {
  Unp x = unpack<F>(env, a);
  if (nan(x)) return propagate_nan<F>(env, a, x, a, x);
  if (x.cls == Cls::Zero) return sign_bit<F>(x.sign);
  if (x.sign) return invalid<F>(env);
  denormal_check(env, x, x);
  if (x.cls == Cls::Inf) return F::kInf;
  i32 t = x.exp - F::kM;
  u64 m = x.sig;
  if (t & 1) {
    m <<= 1;
    --t;
  }
  // radicand m * 2^s (s even, below 2^126): the root has at least 60 bits.
  constexpr int s = ((124 - (F::kM + 2)) / 2) * 2;
  bool exact;
  const u128 root = isqrt((u128)m << s, &exact);
  return finish<F>(env, false, root | !exact, (t - s) / 2);
}

template <class F> u64 min(Env& env, u64 a, u64 b) { return minmax<F>(env, a, b, false); }
template <class F> u64 max(Env& env, u64 a, u64 b) { return minmax<F>(env, a, b, true); }

template <class F> Rel compare(Env& env, u64 a, u64 b, bool signalling) {
  Unp x = unpack<F>(env, a), y = unpack<F>(env, b);
  if (nan(x) || nan(y)) {
    if (signalling || x.cls == Cls::SNaN || y.cls == Cls::SNaN) env.flags |= kIE;
    return Rel::Un;
  }
  denormal_check(env, x, y);
  return rel<F>(env, a, b);
}

u64 f32_to_f64(Env& env, u64 a) {
  Unp x = unpack<F32>(env, a);
  denormal_check(env, x, x);
  switch (x.cls) {
    case Cls::SNaN: env.flags |= kIE; [[fallthrough]];
    case Cls::QNaN: return sign_bit<F64>(x.sign) | F64::kInf | F64::kQuiet | ((a & F32::kFracMask) << 29);
    case Cls::Inf: return sign_bit<F64>(x.sign) | F64::kInf;
    case Cls::Zero: return sign_bit<F64>(x.sign);
    default: return finish<F64>(env, x.sign, x.sig, x.exp - F32::kM);
  }
}

u64 f64_to_f32(Env& env, u64 a) {
  Unp x = unpack<F64>(env, a);
  denormal_check(env, x, x);
  switch (x.cls) {
    case Cls::SNaN: env.flags |= kIE; [[fallthrough]];
    case Cls::QNaN: return sign_bit<F32>(x.sign) | F32::kInf | F32::kQuiet | ((a & F64::kFracMask) >> 29);
    case Cls::Inf: return sign_bit<F32>(x.sign) | F32::kInf;
    case Cls::Zero: return sign_bit<F32>(x.sign);
    default: return finish<F32>(env, x.sign, x.sig, x.exp - F64::kM);
  }
}

template <class F> u64 to_int(Env& env, u64 a, int bits, bool trunc) {
  Unp x = unpack<F>(env, a);
  const u64 indefinite = 1ull << (bits - 1);
  if (x.cls == Cls::Zero) return 0;
  if (x.cls != Cls::Fin || x.exp >= 64) {
    env.flags |= kIE;
    return indefinite;
  }
  bool inexact = false;
  u64 mag;
  if (x.exp >= F::kM) mag = x.sig << (x.exp - F::kM);
  else mag = rshift_round(x.sig, F::kM - x.exp, x.sign, trunc ? (u8)kRcZero : env.rc(), &inexact);
  if (mag > indefinite - (x.sign ? 0 : 1)) {
    env.flags |= kIE;
    return indefinite;
  }
  if (inexact) env.flags |= kPE;
  const u64 v = x.sign ? 0 - mag : mag;
  return bits == 64 ? v : (v & 0xffffffffu);
}

template <class F> u64 from_int(Env& env, i64 v) {
  if (v == 0) return 0;
  const bool s = v < 0;
  return finish<F>(env, s, s ? 0 - (u64)v : (u64)v, 0);
}

template <class F> u64 round_int(Env& env, u64 a, u8 rc, bool no_pe) {
  Unp x = unpack<F>(env, a);
  if (nan(x)) return propagate_nan<F>(env, a, x, a, x);
  if (x.cls != Cls::Fin || x.exp >= F::kM) return seen<F>(env, a);
  bool inexact;
  const u64 q = rshift_round(x.sig, F::kM - x.exp, x.sign, rc, &inexact);
  if (inexact && !no_pe) env.flags |= kPE;
  if (q == 0) return sign_bit<F>(x.sign);
  return finish<F>(env, x.sign, q, 0);
}

// ---- fused multiply-add (FMA3) ----
// a * b + c with one rounding: the product is exact (at most 2M + 2 bits),
// both terms are normalised to bit 125 of a u128 and the smaller one is
// shifted right with a sticky bit. The bits it loses lie below 2^-18 of the
// larger term, so at most one bit cancels and the sticky bit stays far below
// the rounding position.
template <class F>
u64 fma(Env& env, u64 a, u64 b, u64 c, bool neg_prod, bool neg_c) {
  Unp x = unpack<F>(env, a), y = unpack<F>(env, b), z = unpack<F>(env, c);
  if (nan(x) || nan(y) || nan(z)) {
    // Measured on the host (AMD Zen 4): the first NaN of a, b, c (the
    // multiplicands, then the addend, whatever the 132/213/231 form), quieted
    // and never negated (VFNMADD); any SNaN raises IE. 0 * inf + QNaN gives
    // the QNaN without IE (IEEE 754-2019 §7.2 leaves this to the
    // implementation).
    if (x.cls == Cls::SNaN || y.cls == Cls::SNaN || z.cls == Cls::SNaN) env.flags |= kIE;
    return (nan(x) ? a : nan(y) ? b : c) | F::kQuiet;
  }
  const bool ps = x.sign ^ y.sign ^ neg_prod, zs = z.sign ^ neg_c;
  // An invalid operation (inf * 0, or inf - inf in the sum) raises IE
  // alone, without DE for a denormal operand (measured, as for ADDSS).
  if (x.cls == Cls::Inf || y.cls == Cls::Inf) {
    if (x.cls == Cls::Zero || y.cls == Cls::Zero) return invalid<F>(env);
    if (z.cls == Cls::Inf && zs != ps) return invalid<F>(env);
  }
  if (x.den || y.den || z.den) env.flags |= kDE;
  if (x.cls == Cls::Inf || y.cls == Cls::Inf) return sign_bit<F>(ps) | F::kInf;
  if (z.cls == Cls::Inf) return sign_bit<F>(zs) | F::kInf;
  const bool pzero = x.cls == Cls::Zero || y.cls == Cls::Zero;
  if (pzero && z.cls == Cls::Zero)  // exact zero: SDM Vol. 1 §4.8.3.3 Table 4-3
    return sign_bit<F>(ps == zs ? ps : env.rc() == kRcDown);
  if (pzero) return finish<F>(env, zs, z.sig, z.exp - F::kM);
  u128 P = (u128)x.sig * y.sig;
  i32 pscale = x.exp + y.exp - 2 * F::kM;
  if (z.cls == Cls::Zero) return finish<F>(env, ps, P, pscale);
  u128 C = z.sig;
  i32 cscale = z.exp - F::kM;
  const int pn = 125 - (127 - clz128(P)), cn = 125 - (127 - clz128(C));
  P <<= pn;
  pscale -= pn;
  C <<= cn;
  cscale -= cn;
  bool bsign = ps, ssign = zs;
  u128 B = P, S = C;
  i32 scale = pscale, d = pscale - cscale;
  if (d < 0 || (d == 0 && C > P)) {
    B = C;
    S = P;
    bsign = zs;
    ssign = ps;
    scale = cscale;
    d = -d;
  }
  if (d > 0) {
    if (d >= 127) {
      S = 1;
    } else {
      const bool lost = (S & (((u128)1 << d) - 1)) != 0;
      S = (S >> d) | lost;
    }
  }
  const u128 r = bsign == ssign ? B + S : B - S;
  if (r == 0) return sign_bit<F>(env.rc() == kRcDown);
  return finish<F>(env, bsign, r, scale);
}

// ---- binary16 (F16C) ----
using F16 = Fmt<5, 10>;

u64 f16_to_f32(Env& env, u64 h) {
  // VCVTPH2PS (SDM Vol. 2A "VCVTPH2PS", measured): DAZ does not apply to
  // the half source and a denormal half raises no DE; every half is exact
  // in binary32. An SNaN raises IE and is quieted.
  Env e{env.mxcsr & ~(u32)kDAZ};
  Unp x = unpack<F16>(e, h & 0xffff);
  switch (x.cls) {
    case Cls::SNaN: env.flags |= kIE; [[fallthrough]];
    case Cls::QNaN: return sign_bit<F32>(x.sign) | F32::kInf | F32::kQuiet | ((h & F16::kFracMask) << 13);
    case Cls::Inf: return sign_bit<F32>(x.sign) | F32::kInf;
    case Cls::Zero: return sign_bit<F32>(x.sign);
    default: return finish<F32>(e, x.sign, x.sig, x.exp - F16::kM);
  }
}

u64 f32_to_f16(Env& env, u64 a, u8 rc) {
  // VCVTPS2PH (SDM Vol. 2A "VCVTPS2PH", measured): DAZ applies to the
  // source, FTZ does not apply to the result; rounding by `rc`.
  Env e{(env.mxcsr & ~(u32)(kFTZ | (3u << 13))) | ((u32)rc << 13)};
  Unp x = unpack<F32>(e, a);
  u64 r;
  switch (x.cls) {
    case Cls::SNaN: e.flags |= kIE; [[fallthrough]];
    case Cls::QNaN: r = sign_bit<F16>(x.sign) | F16::kInf | F16::kQuiet | ((a & F32::kFracMask) >> 13); break;
    case Cls::Inf: r = sign_bit<F16>(x.sign) | F16::kInf; break;
    case Cls::Zero: r = sign_bit<F16>(x.sign); break;
    default:
      denormal_check(e, x, x);
      r = finish<F16>(e, x.sign, x.sig, x.exp - F32::kM);
  }
  env.flags |= e.flags;
  return r;
}

#define PC64_IEEE_INST(F)                                          \
  template u64 add<F>(Env&, u64, u64);                             \
  template u64 sub<F>(Env&, u64, u64);                             \
  template u64 mul<F>(Env&, u64, u64);                             \
  template u64 div<F>(Env&, u64, u64);                             \
  template u64 sqrt<F>(Env&, u64);                                 \
  template u64 min<F>(Env&, u64, u64);                             \
  template u64 max<F>(Env&, u64, u64);                             \
  template Rel compare<F>(Env&, u64, u64, bool);                   \
  template u64 to_int<F>(Env&, u64, int, bool);                    \
  template u64 from_int<F>(Env&, i64);                             \
  template u64 round_int<F>(Env&, u64, u8, bool);
PC64_IEEE_INST(F32)
PC64_IEEE_INST(F64)
template u64 fma<F32>(Env&, u64, u64, u64, bool, bool);
template u64 fma<F64>(Env&, u64, u64, u64, bool, bool);

}  // namespace pc64::ieee
