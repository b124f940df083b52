// A 128-bit-significand binary float for the x87 transcendentals
// (float80_trans.cpp): value = m * 2^(e - 127), m normalized (bit 127 set)
// or zero. Every operation truncates, so each adds an error below 2^-126
// relative; the series in float80_trans.cpp keep the total near 2^-120,
// far below the 2^-64 of the result.
#pragma once
#include "cpu/fpu/float80_internal.h"

namespace pc64::fpu::detail {

struct Big {
  bool neg;
  i32 e;
  u128 m;
};

inline Big big_norm(bool neg, i32 e, u128 m) {
  if (m == 0) return Big{neg, 0, 0};
  int s = clz128(m);
  return Big{neg, e - s, m << s};
}

// The exact value of an F80 (finite, nonzero or zero).
inline Big big_of(F80 a) {
  if ((a.se & 0x7fff) == 0 && a.mant == 0) return Big{sign_of(a), 0, 0};
  Unp u = unpack(a);
  return Big{u.sign, u.exp - kBias, (u128)u.mant << 64};
}

inline Big big_int(i64 v) {
  bool neg = v < 0;
  u64 mag = neg ? (u64)0 - (u64)v : (u64)v;
  return big_norm(neg, 127, mag);
}

inline Big big_neg(Big a) {
  a.neg = !a.neg;
  return a;
}

inline Big big_mul(Big a, Big b) {
  if (a.m == 0 || b.m == 0) return Big{(bool)(a.neg ^ b.neg), 0, 0};
  u64 ah = (u64)(a.m >> 64), al = (u64)a.m, bh = (u64)(b.m >> 64), bl = (u64)b.m;
  u128 hh = (u128)ah * bh, hl = (u128)ah * bl, lh = (u128)al * bh, ll = (u128)al * bl;
  u128 mid = (hl & ~0ull) + (lh & ~0ull) + (ll >> 64);
  u128 hi = hh + (hl >> 64) + (lh >> 64) + (mid >> 64);
  // a.m * b.m = hi * 2^128 + ..., value = hi * 2^(ea + eb - 126).
  return big_norm(a.neg ^ b.neg, a.e + b.e + 1, hi);
}

inline bool big_mag_less(Big a, Big b) {
  if (a.m == 0) return b.m != 0;
  if (b.m == 0) return false;
  return a.e < b.e || (a.e == b.e && a.m < b.m);
}

inline Big big_add(Big a, Big b) {
  if (a.m == 0) return b;
  if (b.m == 0) return a;
  if (big_mag_less(a, b)) {
    Big t = a;
    a = b;
    b = t;
  }
  i32 d = a.e - b.e;
  // One bit of headroom: both shifted right by one, value = x * 2^(a.e - 126).
  u128 x = a.m >> 1, y = d >= 127 ? 0 : b.m >> (d + 1);
  if (a.neg == b.neg) return big_norm(a.neg, a.e + 1, x + y);
  return big_norm(a.neg, a.e + 1, x - y);
}

inline Big big_sub(Big a, Big b) { return big_add(a, big_neg(b)); }

// a / b (b nonzero): 128 quotient bits by restoring division.
inline Big big_div(Big a, Big b) {
  if (a.m == 0) return Big{(bool)(a.neg ^ b.neg), 0, 0};
  u128 r = a.m, q = 0;
  bool carry = false;
  for (int i = 0; i < 128; i++) {
    bool ge = carry || r >= b.m;
    q = (q << 1) | (u128)ge;
    if (ge) r -= b.m;
    carry = r >> 127;
    r <<= 1;
  }
  // q = floor(ma / mb * 2^127), value = q * 2^(ea - eb - 127).
  return big_norm(a.neg ^ b.neg, a.e - b.e, q);
}

// a / d for a small positive integer d < 2^64.
inline Big big_div_small(Big a, u64 d) {
  if (a.m == 0) return a;
  u128 hi = a.m / d, rem = a.m % d;
  u128 lo = (rem << 64) / d;
  int s = clz128(hi);  // hi >= 2^63, so s <= 64
  u128 m = (hi << s) | (s ? lo >> (64 - s) : 0);
  return Big{a.neg, a.e - s, m};
}

inline Big big_scale(Big a, i32 k) {
  a.e += k;
  return a;
}

}  // namespace pc64::fpu::detail
