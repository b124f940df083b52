// x87 transcendentals: FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X FYL2XP1
// (SDM Vol. 2A under each mnemonic; Vol. 1 §8.3.8 "Pi" for the pi used by
// the argument reduction, §8.3.10 for the accuracy the SDM promises).
//
// Each result is computed in the 128-bit floats of float80_big.h (error
// near 2^-120 relative) and rounded once to 64 bits by round_pack, by RC;
// precision control does not apply to these instructions (SDM Vol. 1
// §8.1.5.2: only FADD FSUB FMUL FDIV FSQRT and their forms). The host (AMD
// Zen 4) computes to about 68 bits internally, so it rounds the wrong way
// when the exact result lies within about 0.13 ulp of a rounding boundary
// (or, for C1, of a representable number); env.margin reports how far the
// exact result is from those so that the differential tester can leave such
// cases out (docs/CPU.md, "x87 transcendentals").
//
// Argument reduction of FSIN/FCOS/FSINCOS/FPTAN: x - n * P/2 computed
// exactly, with P the 66-bit approximation of pi 0x3243F6A8885A308D3 * 2^-64
// (SDM Vol. 1 §8.3.8 gives its fraction as C90FDAA2 2168C234 C; measured on
// the host: sin(k * pi) gives the residual of exactly this P, k up to 2^40).
#include "cpu/fpu/float80_big.h"

namespace pc64::fpu {

using namespace detail;

namespace {

constexpr Big kOne = {false, 0, (u128)1 << 127};
constexpr Big kPi = {false, 1, ((u128)0xc90fdaa22168c234ull << 64) | 0xc4c6628b80dc1cd1ull};
constexpr Big kLn2 = {false, -1, ((u128)0xb17217f7d1cf79abull << 64) | 0xc9e3b39803f2f6afull};
constexpr Big kLog2e = {false, 0, ((u128)0xb8aa3b295c17f0bbull << 64) | 0xbe87fed0691d3e88ull};
// atan(j/8), j = 1..8.
constexpr Big kAtan[8] = {
    {false, -4, ((u128)0xfeadd4d5617b6e32ull << 64) | 0xc897989f3e888ef7ull},
    {false, -3, ((u128)0xfadbafc96406eb15ull << 64) | 0x6dc79ef5f7a217e5ull},
    {false, -2, ((u128)0xb7b0ca0f26f78473ull << 64) | 0x8aa32122dcfe4483ull},
    {false, -2, ((u128)0xed63382b0dda7b45ull << 64) | 0x6fe445ecbc3a8d03ull},
    {false, -1, ((u128)0x8f005d5ef7f59f9bull << 64) | 0x5c835e1665c43747ull},
    {false, -1, ((u128)0xa4bc7d1934f70924ull << 64) | 0x19a87f2a457dac9eull},
    {false, -1, ((u128)0xb8053e2bc2319e73ull << 64) | 0xcb2da55210a4443dull},
    {false, -1, ((u128)0xc90fdaa22168c234ull << 64) | 0xc4c6628b80dc1cd1ull},
};
// P/2 * 2^65 (see the file comment).
constexpr u128 kHalfP65 = ((u128)0x3ull << 64) | 0x243F6A8885A308D3ull;

// A term is negligible once it is below 2^-125 of the sum: big_add would
// lose it (or keep one bit of it); note_tail then records its sign.
inline bool negligible(Big term, Big sum) { return term.m == 0 || (sum.m != 0 && term.e < sum.e - 125); }

// Where the exact value lies from a computed one whose last bits carry no
// information: when a series stops at a term too small to change the sum,
// the sum can be exactly representable while the exact value is just below
// it in magnitude (sin, cos, atan of tiny arguments). *below records that.
inline void note_tail(Big term, Big sum, bool* below) {
  if (below) *below = term.m != 0 && term.neg != sum.neg;
}

// sin(r), cos(r) for |r| <= about pi/4 (Taylor series).
Big sin_series(Big r, bool* below) {
  Big r2 = big_mul(r, r), term = r, sum = r;
  for (u64 k = 1; k < 60; k++) {
    term = big_neg(big_div_small(big_mul(term, r2), (2 * k) * (2 * k + 1)));
    if (negligible(term, sum)) break;
    sum = big_add(sum, term);
  }
  note_tail(term, sum, below);
  return sum;
}

Big cos_series(Big r, bool* below) {
  Big r2 = big_mul(r, r), term = kOne, sum = kOne;
  for (u64 k = 1; k < 60; k++) {
    term = big_neg(big_div_small(big_mul(term, r2), (2 * k - 1) * (2 * k)));
    if (negligible(term, sum)) break;
    sum = big_add(sum, term);
  }
  note_tail(term, sum, below);
  return sum;
}

// atanh(s) / s - 1 summed as s + s^3/3 + ...: returns atanh(s), |s| <= 0.18.
Big atanh_series(Big s) {
  Big s2 = big_mul(s, s), pw = s, sum = s;
  for (u64 k = 1; k < 80; k++) {
    pw = big_mul(pw, s2);
    Big term = big_div_small(pw, 2 * k + 1);
    if (negligible(term, sum)) break;
    sum = big_add(sum, term);
  }
  return sum;
}

// atan(t) for 0 <= t <= 1: atan(c) + atan((t - c) / (1 + t c)), c = j/8.
Big atan_01(Big t, bool* below) {
  u32 j = 0;
  if (t.m != 0 && t.e >= -4) {
    // j = round(8t): t = m * 2^(e - 127), e in [-4, 0].
    u128 eight_t = t.m >> (127 - 3 - t.e - 8);  // 8t * 2^8
    j = (u32)((eight_t + 128) >> 8);
    if (j > 8) j = 8;
  }
  Big u = t;
  if (j) {
    Big c = big_div_small(big_int(j), 8);
    u = big_div(big_sub(t, c), big_add(kOne, big_mul(t, c)));
  }
  Big u2 = big_mul(u, u), pw = u, sum = u;
  for (u64 k = 1; k < 80; k++) {
    pw = big_neg(big_mul(pw, u2));
    Big term = big_div_small(pw, 2 * k + 1);
    if (negligible(term, sum)) break;
    sum = big_add(sum, term);
  }
  if (j) return big_add(kAtan[j - 1], sum);
  note_tail(pw, sum, below);  // pw: the first term left out, by its sign
  return sum;
}

// log2(u) for u > 0: u = m * 2^E with m in [1/sqrt2, sqrt2), log2(m) =
// 2 atanh((m - 1) / (m + 1)) / ln 2. Exact (0 plus the integer E) when m = 1.
Big log2_big(Big u) {
  i32 E = u.e;
  Big m = Big{false, 0, u.m};
  // sqrt(2) * 2^127 = 0xB504F333F9DE6484...
  if (m.m > (((u128)0xB504F333F9DE6484ull << 64) | 0x597D89B3754ABE9Full)) {
    m.e = -1;
    E++;
  }
  Big s = big_div(big_sub(m, kOne), big_add(m, kOne));
  Big l = big_scale(big_mul(atanh_series(s), kLog2e), 1);
  return big_add(big_int(E), l);
}

// How far m is from a rounding boundary when its low `sh` bits are rounded
// off, in 1/256 of that ulp (0 when they cannot be seen).
u8 position_margin(u128 m, int sh, u8 rc) {
  if (sh >= 128) return 0;
  u128 f = m << (128 - sh);  // the fraction of an ulp, as 0.f
  u128 d = f > ((u128)1 << 127) ? (u128)0 - f : f;  // to a representable neighbour
  if (rc == kRoundNearest) {
    u128 h = f > ((u128)1 << 127) ? f - ((u128)1 << 127) : ((u128)1 << 127) - f;
    if (h < d) d = h;
  }
  u128 q = d >> 120;
  return q > 255 ? 255 : (u8)q;
}

// Rounds v to 64 bits by RC (round_pack: C1, PE, UE, OE) and reports in
// env.margin how far the exact value is from a rounding boundary, in
// 1/256 ulp (255: exact or far). `exact`: v is the exact result; else the
// exact value is a little above v in magnitude, or below it when `below`.
F80 round_big(FpEnv& env, Big v, bool exact, bool below = false) {
  if (v.m == 0) {
    env.c1 = false;
    return zero(v.neg);
  }
  if (!exact) {
    // A tiny result is rounded at the denormal position (masked UE) or at
    // 64 bits (unmasked UE, exponent-wrapped): both count.
    i32 be = v.e + kBias;  // biased exponent of the result
    u8 margin = position_margin(v.m, 64, env.rc);
    if (be < 1) {
      u8 m2 = position_margin(v.m, 64 + 1 - be, env.rc);
      if (m2 < margin) margin = m2;
    }
    if (margin < env.margin) env.margin = margin;
  }
  u128 m = exact ? v.m : ((below ? v.m - 1 : v.m) | 1);
  return round_pack(env, v.neg, v.e + kBias, m, 64);
}

// The FSIN family's common part: returns false for |x| >= 2^63 (C2).
// Otherwise sin(x) and cos(x) of a finite nonzero x.
bool sin_cos(F80 a, Big* s, Big* c, bool* sb, bool* cb, bool want_tan, Big* t) {
  Unp u = unpack(a);
  i32 E = u.exp - kBias;
  if (E >= 63) return false;
  Big r;
  u64 n = 0;
  if (E < -2) {
    r = Big{false, E, (u128)u.mant << 64};
  } else {
    u128 X = (u128)u.mant << (E + 2);  // |x| * 2^65
    n = (u64)(X / kHalfP65);
    u128 R = X % kHalfP65;
    bool neg = false;
    if (2 * R > kHalfP65) {
      n++;
      R = kHalfP65 - R;
      neg = true;
    }
    r = big_norm(neg, 62, R);  // R * 2^-65
  }
  bool Sb, Cb;
  Big S = sin_series(r, &Sb), C = cos_series(r, &Cb);
  switch (n & 3) {
    case 0: *s = S; *c = C; break;
    case 1: *s = C; *c = big_neg(S); break;
    case 2: *s = big_neg(S); *c = big_neg(C); break;
    default: *s = big_neg(C); *c = S; break;
  }
  *sb = n & 1 ? Cb : Sb;
  *cb = n & 1 ? Sb : Cb;
  if (u.sign) *s = big_neg(*s);
  if (want_tan) *t = n & 1 ? big_neg(big_div(C, S)) : big_div(S, C);
  if (want_tan && u.sign) *t = big_neg(*t);
  return true;
}

// Operand checks of the one-operand instructions: returns true when *out
// is final (unsupported, NaN, infinity).
bool special1(FpEnv& env, F80 a, Cls c, F80* out) {
  env.c1 = false;
  if (c == Cls::Unsupported || c == Cls::Inf) {
    *out = invalid(env);
    return true;
  }
  if (is_nan(c)) {
    *out = propagate_nan(env, a, c, a, c);
    return true;
  }
  if (c == Cls::Denormal) env.flags |= kDE;
  return false;
}

}  // namespace

F80 f80_sin(FpEnv& env, F80 a, bool* oor) {
  *oor = false;
  Cls c = classify(a);
  F80 r;
  if (special1(env, a, c, &r)) return r;
  if (c == Cls::Zero) return a;
  Big s, co;
  bool sb, cb;
  if (!sin_cos(a, &s, &co, &sb, &cb, false, nullptr)) {
    *oor = true;
    return a;
  }
  return round_big(env, s, false, sb);
}

F80 f80_cos(FpEnv& env, F80 a, bool* oor) {
  *oor = false;
  Cls c = classify(a);
  F80 r;
  if (special1(env, a, c, &r)) return r;
  if (c == Cls::Zero) return make(false, kBias, 1ull << 63);
  Big s, co;
  bool sb, cb;
  if (!sin_cos(a, &s, &co, &sb, &cb, false, nullptr)) {
    *oor = true;
    return a;
  }
  return round_big(env, co, false, cb);
}

F80 f80_tan(FpEnv& env, F80 a, bool* oor) {
  *oor = false;
  Cls c = classify(a);
  F80 r;
  if (special1(env, a, c, &r)) return r;
  if (c == Cls::Zero) return a;
  Big s, co, t;
  bool sb, cb;
  if (!sin_cos(a, &s, &co, &sb, &cb, true, &t)) {
    *oor = true;
    return a;
  }
  return round_big(env, t, false);
}

// C1 and the underflow report follow the sine (measured: C1 is the sine's
// rounding direction); PE is either's.
void f80_sincos(FpEnv& env, F80 a, F80* sin, F80* cos, bool* oor) {
  *oor = false;
  Cls c = classify(a);
  F80 r;
  if (special1(env, a, c, &r)) {
    *sin = *cos = r;
    return;
  }
  if (c == Cls::Zero) {
    *sin = a;
    *cos = make(false, kBias, 1ull << 63);
    return;
  }
  Big s, co;
  bool sb, cb;
  if (!sin_cos(a, &s, &co, &sb, &cb, false, nullptr)) {
    *oor = true;
    *sin = *cos = a;
    return;
  }
  *cos = round_big(env, co, false, cb);
  FpEnv es = env;
  *sin = round_big(es, s, false, sb);
  es.flags |= env.flags;
  env = es;
}

// FPATAN: atan2(y, x) with y = ST(1), x = ST(0), in (-pi, pi].
F80 f80_atan2(FpEnv& env, F80 y, F80 x) {
  Cls cy = classify(y), cx = classify(x);
  env.c1 = false;
  if (cy == Cls::Unsupported || cx == Cls::Unsupported) return invalid(env);
  if (is_nan(cx) || is_nan(cy)) return propagate_nan(env, x, cx, y, cy);
  if (cx == Cls::Denormal || cy == Cls::Denormal) env.flags |= kDE;
  const bool sy = sign_of(y), sx = sign_of(x);
  Big res;
  if (cy == Cls::Zero) {
    if (!sx) return y;  // +-0 for x = +0 and x > 0
    res = kPi;          // x = -0 or x < 0: +-pi
  } else if (cy == Cls::Inf) {
    if (cx == Cls::Inf) res = sx ? big_sub(kPi, big_scale(kPi, -2)) : big_scale(kPi, -2);
    else res = big_scale(kPi, -1);
  } else if (cx == Cls::Zero) {
    res = big_scale(kPi, -1);
  } else if (cx == Cls::Inf) {
    if (!sx) return zero(sy);
    res = kPi;
  } else {
    Big by = big_of(y), bx = big_of(x);
    by.neg = bx.neg = false;
    Big t;
    bool below = false;
    if (!big_mag_less(bx, by)) {
      t = atan_01(big_div(by, bx), &below);  // |y| <= |x|
    } else {
      t = big_sub(big_scale(kPi, -1), atan_01(big_div(bx, by), nullptr));
    }
    res = sx ? big_sub(kPi, t) : t;
    res.neg = sy;
    return round_big(env, res, false, below && !sx);
  }
  res.neg = sy;
  return round_big(env, res, false);
}

// F2XM1: 2^x - 1 for -1 <= x <= 1. Outside that range the SDM leaves the
// result undefined; the host returns x with PE, and so does this.
F80 f80_2xm1(FpEnv& env, F80 a) {
  Cls c = classify(a);
  env.c1 = false;
  if (c == Cls::Unsupported) return invalid(env);
  if (is_nan(c)) return propagate_nan(env, a, c, a, c);
  if (c == Cls::Zero) return a;
  if (c == Cls::Inf) return sign_of(a) ? make(true, kBias, 1ull << 63) : a;  // -inf: -1
  if (c == Cls::Denormal) env.flags |= kDE;
  Unp u = unpack(a);
  i32 E = u.exp - kBias;
  if (E >= 1 || (E == 0 && u.mant != 1ull << 63)) {
    env.flags |= kPE;
    return make(u.sign, (u32)u.exp, u.mant);
  }
  if (E == 0) {
    // x = -1: exactly -1/2, still flagged inexact. x = 1: the host rounds
    // as if the value were just below 1 (RN gives 1 with C1 = 1, RD and RZ
    // 1 - ulp).
    if (u.sign) {
      env.flags |= kPE;
      return make(true, kBias - 1, 1ull << 63);
    }
    return round_pack(env, false, kBias - 1, ~(u128)0, 64);
  }
  Big w = big_mul(big_of(a), kLn2), term = w, sum = w;
  for (u64 k = 2; k < 60; k++) {
    term = big_div_small(big_mul(term, w), k);
    if (negligible(term, sum)) break;
    sum = big_add(sum, term);
  }
  return round_big(env, sum, false);
}

// y * L rounded, always inexact (the host sets PE even when x is a power
// of two and the product is exact), UE then follows a tiny result.
static F80 scale_log(FpEnv& env, Big y, Big L, bool exact) {
  F80 r = round_big(env, big_mul(y, L), exact);
  if (!(env.flags & kPE)) {
    env.flags |= kPE;
    if (env.tiny) env.flags |= kUE;
  }
  return r;
}

// FYL2X: y * log2(x), x = ST(0), y = ST(1).
F80 f80_yl2x(FpEnv& env, F80 x, F80 y) {
  Cls cx = classify(x), cy = classify(y);
  env.c1 = false;
  if (cx == Cls::Unsupported || cy == Cls::Unsupported) return invalid(env);
  if (is_nan(cx) || is_nan(cy)) return propagate_nan(env, x, cx, y, cy);
  const bool sx = sign_of(x), sy = sign_of(y);
  if (sx && cx != Cls::Zero) return invalid(env);  // log of a negative number
  if (cx == Cls::Zero) {
    // log2(0) = -inf: 0 * -inf invalid, finite y: divide by zero (no DE).
    if (cy == Cls::Zero) return invalid(env);
    if (cy != Cls::Inf) env.flags |= kZE;
    return inf(!sy);
  }
  if (cx == Cls::Denormal || cy == Cls::Denormal) env.flags |= kDE;
  if (cx == Cls::Inf) return cy == Cls::Zero ? invalid(env) : inf(sy);
  Unp u = unpack(x);
  const bool one = u.exp == kBias && u.mant == 1ull << 63;
  const bool below = u.exp < kBias;  // log2(x) < 0
  if (cy == Cls::Inf) return one ? invalid(env) : inf(sy ^ below);
  if (cy == Cls::Zero || one) return zero(sy ^ below);
  Big L = log2_big(big_of(x));
  return scale_log(env, big_of(y), L, u.mant == 1ull << 63);
}

// FYL2XP1: y * log2(x + 1), x = ST(0), y = ST(1). The SDM defines it for
// |x| < 1 - sqrt(2)/2; the host computes it for any x > -1 and returns x
// (with PE) for x <= -1, which this follows.
F80 f80_yl2xp1(FpEnv& env, F80 x, F80 y) {
  Cls cx = classify(x), cy = classify(y);
  env.c1 = false;
  if (cx == Cls::Unsupported || cy == Cls::Unsupported) return invalid(env);
  if (is_nan(cx) || is_nan(cy)) return propagate_nan(env, x, cx, y, cy);
  const bool sx = sign_of(x), sy = sign_of(y);
  if (cx == Cls::Inf && sx) return invalid(env);
  if (cx == Cls::Denormal || cy == Cls::Denormal) env.flags |= kDE;
  if (cx == Cls::Zero) return cy == Cls::Inf ? invalid(env) : zero(sx ^ sy);
  if (cx == Cls::Inf) return cy == Cls::Zero ? invalid(env) : inf(sy);
  if (cy == Cls::Inf) return inf(sx ^ sy);
  if (cy == Cls::Zero) return zero(sx ^ sy);
  Unp u = unpack(x);
  if (sx && u.exp >= kBias) {  // x <= -1
    env.flags |= kPE;
    return make(true, (u32)u.exp, u.mant);
  }
  Big bx = big_of(x), L;
  if (u.exp < kBias - 2) {
    // |x| < 1/4: log2(1 + x) = 2 atanh(x / (2 + x)) / ln 2.
    Big s = big_div(bx, big_add(big_scale(kOne, 1), bx));
    L = big_scale(big_mul(atanh_series(s), kLog2e), 1);
  } else {
    L = log2_big(big_add(kOne, bx));  // exact sum: no cancellation loss
  }
  return scale_log(env, big_of(y), L, false);
}

}  // namespace pc64::fpu
