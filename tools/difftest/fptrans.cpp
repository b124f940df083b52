// Operands of the x87 transcendental rows (FSIN FCOS FSINCOS FPTAN F2XM1
// FPATAN FYL2X FYL2XP1), after random_fp_state has drawn the general x87
// state (special values stay: a quarter of the cases keep them).
//
// Values: the functions' domains at every scale, arguments next to multiples
// of pi/2 (the argument reduction), and the edges (|x| near 2^63 for FSIN,
// x near -1 for FYL2XP1, overflowing and underflowing FYL2X products).
//
// Excluded, and redrawn (docs/CPU.md, "x87 transcendentals"):
// - results whose exact value lies within 1/16 ulp (FSIN FCOS FSINCOS) or
//   3/16 ulp (the others) of a rounding boundary or of a representable
//   number (FpEnv::margin): the host computes to about 68 bits and is off
//   by up to 0.135 ulp before rounding, so it rounds those either way (and
//   sets C1 from its own approximation). Not for FSIN FCOS FSINCOS with
//   |x| < 2^-32, where the host is exact.
// - F2XM1 with 1 < |x| < 2^64 is kept (the host returns x, so does pc64).
#include <string.h>

#include "cpu/fpu/float80.h"
#include "difftest.h"

namespace pc64::difftest {
namespace {

using fpu::F80;
using fpu::FpEnv;
using testgen::Rng;

constexpr u64 J = 1ull << 63;

F80 get(const FpState* f, int phys) {
  F80 v;
  memcpy(&v.mant, f->st[phys], 8);
  memcpy(&v.se, f->st[phys] + 8, 2);
  return v;
}
void put(FpState* f, int phys, F80 v) {
  memcpy(f->st[phys], &v.mant, 8);
  memcpy(f->st[phys] + 8, &v.se, 2);
}

F80 value(Rng& rng, int lo, int hi, int sign) {  // sign: 0, 1, or -1 = random
  const u32 e = (u32)(0x3fff + lo + (int)rng.below((u64)(hi - lo + 1)));
  const bool s = sign < 0 ? rng.below(2) : sign;
  u64 m = J | rng.next();
  if (rng.below(8) == 0) m = J | (rng.next() << 40);  // short significands
  return F80{m, (u16)((s ? 0x8000 : 0) | (e & 0x7fff))};
}

// k * P/2 + small, with P the 66-bit pi of the reduction.
F80 near_half_pi(Rng& rng) {
  const u128 half_p65 = ((u128)0x3ull << 64) | 0x243F6A8885A308D3ull;
  const int bits = 1 + (int)rng.below(60);
  u64 k = (rng.next() >> (64 - bits)) | 1;
  u128 X = half_p65 * k;  // < 2^126
  const u64 d = rng.next() >> (rng.below(63) + 1);
  if (rng.below(2)) X += d;
  else if (X > d) X -= d;
  int s = 0;
  while (!(X >> (127 - s))) s++;
  const u64 m = (u64)((X << s) >> 64);  // truncated to 64 bits
  const int e = 127 - s - 65;           // value = X * 2^-65
  return F80{m, (u16)((0x3fff + e) | (rng.below(2) ? 0x8000 : 0))};
}

enum class Kind : u8 { Sin, Cos, SinCos, Tan, F2xm1, Atan, Yl2x, Yl2xp1, None };

Kind kind_of(const Insn& in) {
  switch (in.row->mn) {
    case Mn::FSIN: return Kind::Sin;
    case Mn::FCOS: return Kind::Cos;
    case Mn::FSINCOS: return Kind::SinCos;
    case Mn::FPTAN: return Kind::Tan;
    case Mn::F2XM1: return Kind::F2xm1;
    case Mn::FPATAN: return Kind::Atan;
    case Mn::FYL2X: return Kind::Yl2x;
    case Mn::FYL2XP1: return Kind::Yl2xp1;
    default: return Kind::None;
  }
}

void draw(Kind k, Rng& rng, F80* x, F80* y) {
  switch (k) {
    case Kind::Sin: case Kind::Cos: case Kind::SinCos: case Kind::Tan:
      if (rng.below(3) == 0) *x = near_half_pi(rng);
      else if (rng.below(8) == 0) *x = value(rng, 60, 63, -1);
      else *x = value(rng, -70, 62, -1);
      break;
    case Kind::F2xm1:
      *x = rng.below(16) == 0 ? value(rng, 0, 70, -1) : value(rng, -70, -1, -1);
      break;
    case Kind::Atan:
      *x = value(rng, -40, 40, -1);
      *y = rng.below(4) == 0 ? value(rng, -16000, 16000, -1) : value(rng, -40, 40, -1);
      break;
    case Kind::Yl2x:
      *x = rng.below(4) == 0 ? value(rng, -16382, 16383, 0) : value(rng, -40, 40, 0);
      if (rng.below(8) == 0) *x = F80{J | (rng.next() >> (20 + rng.below(44))), 0x3fff};  // near 1
      *y = rng.below(8) == 0 ? value(rng, 16300, 16383, -1) : value(rng, -80, 80, -1);
      if (rng.below(16) == 0) *y = value(rng, -16382, -16300, -1);
      break;
    case Kind::Yl2xp1:
      *x = rng.below(4) == 0 ? value(rng, -2, 30, 0) : value(rng, -70, -2, -1);
      if (rng.below(8) == 0) *x = value(rng, -2, -1, 1);  // -1 < x <= -1/4
      if (rng.below(8) == 0) *x = F80{(~0ull) - (rng.next() >> (1 + rng.below(63))), 0xbffe};  // near -1
      *y = rng.below(8) == 0 ? value(rng, 16300, 16383, -1) : value(rng, -80, 80, -1);
      if (rng.below(16) == 0) *y = value(rng, -16382, -16300, -1);
      break;
    case Kind::None: break;
  }
}

// True when pc64's exact result is too close to a boundary (see the top).
bool hard(Kind k, F80 x, F80 y, u8 rc) {
  FpEnv env;
  env.rc = rc;
  bool oor;
  F80 a, b;
  switch (k) {
    case Kind::Sin: fpu::f80_sin(env, x, &oor); break;
    case Kind::Cos: fpu::f80_cos(env, x, &oor); break;
    case Kind::SinCos: fpu::f80_sincos(env, x, &a, &b, &oor); break;
    case Kind::Tan: fpu::f80_tan(env, x, &oor); break;
    case Kind::F2xm1: fpu::f80_2xm1(env, x); break;
    case Kind::Atan: fpu::f80_atan2(env, y, x); break;
    case Kind::Yl2x: fpu::f80_yl2x(env, x, y); break;
    case Kind::Yl2xp1: fpu::f80_yl2xp1(env, x, y); break;
    case Kind::None: return false;
  }
  const bool exact_tiny = (k == Kind::Sin || k == Kind::Cos || k == Kind::SinCos) &&
                          (x.se & 0x7fff) < 0x3fff - 32;
  // Thresholds in 1/256 ulp, about 1.5 times the worst host error measured
  // over 12000-24000 random cases per function (FSIN FCOS FSINCOS 0.031
  // ulp, FPTAN 0.108, FPATAN 0.124, F2XM1 0.134, FYL2X 0.082, FYL2XP1 0.091).
  const bool sincos = k == Kind::Sin || k == Kind::Cos || k == Kind::SinCos;
  return !exact_tiny && env.margin < (sincos ? 16 : 48);
}

}  // namespace

void transcendental_operands(const Insn& in, Rng& rng, FpState* f) {
  const Kind k = kind_of(in);
  if (k == Kind::None) return;
  const int top = (f->fsw >> 11) & 7;
  const int p0 = top, p1 = (top + 1) & 7;
  const u8 rc = (u8)((f->fcw >> 10) & 3);
  const bool keep = rng.below(4) == 0;  // the general special values
  for (int tries = 0; tries < 64; ++tries) {
    F80 x = get(f, p0), y = get(f, p1);
    if (!keep || tries > 0) draw(k, rng, &x, &y);
    if (!hard(k, x, y, rc)) {
      put(f, p0, x);
      put(f, p1, y);
      break;
    }
    if (tries == 63) {  // give up: a value whose result is exact
      put(f, p0, F80{0, 0});
      put(f, p1, F80{J, 0x3fff});
    }
  }
  // Tags follow the new contents (empty registers stay empty).
  u8 full = 0;
  for (int i = 0; i < 8; ++i)
    if (((f->ftw >> (2 * i)) & 3) != 3) full |= (u8)(1u << i);
  f->ftw = x87_full_tag(full, f->st);
}

}  // namespace pc64::difftest
