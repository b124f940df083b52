// FPREM, FPREM1, FSCALE, FXTRACT (SDM Vol. 2A, and Vol. 1 §8.3.10).
#include "cpu/fpu/float80_internal.h"

namespace pc64::fpu {

using namespace detail;

// Partial remainder. The exact remainder is representable (it is a multiple
// of ulp(st1) and smaller than |st1|), so the final round_pack never rounds.
// When the exponent difference D is 64 or more, the reduction is partial:
// st0 is reduced by st1 * 2^(D - N) with N in [32, 63] (the SDM leaves N to
// the implementation; measured on hardware: N = 32 + D mod 32), C2 = 1.
F80 f80_prem(FpEnv& env, F80 st0, F80 st1, bool ieee, u16* cc) {
  *cc = 0;
  env.c1 = false;
  Cls ca = classify(st0), cb = classify(st1);
  if (ca == Cls::Unsupported || cb == Cls::Unsupported) return invalid(env);
  if (is_nan(ca) || is_nan(cb)) return propagate_nan(env, st0, ca, st1, cb);
  if (ca == Cls::Inf || cb == Cls::Zero) return invalid(env);
  if (ca == Cls::Denormal || cb == Cls::Denormal) env.flags |= kDE;
  if (ca == Cls::Zero) return st0;
  Unp ua = unpack(st0);
  if (cb == Cls::Inf) return round_pack(env, ua.sign, ua.exp + 2, (u128)ua.mant << 62, 64);
  Unp ub = unpack(st1);
  i32 d = ua.exp - ub.exp;
  bool sign = ua.sign;
  if (d >= 64) {
    int n = 32 + (d & 31);
    u128 a = (u128)ua.mant << n;
    u128 r = a % ub.mant;
    *cc = kC2;
    return round_pack(env, sign, ua.exp - n + 2, r << 62, 64);
  }
  if (d < 0 && !(ieee && d == -1)) return round_pack(env, sign, ua.exp + 2, (u128)ua.mant << 62, 64);
  i32 e0 = d < 0 ? ua.exp : ub.exp;
  u128 a = (u128)ua.mant << (d > 0 ? d : 0);
  u128 b = (u128)ub.mant << (d < 0 ? -d : 0);
  u128 q = a / b, r = a % b;
  if (ieee && (2 * r > b || (2 * r == b && (q & 1)))) {
    r = b - r;
    q++;
    sign = !sign;
  }
  F80 res = r == 0 ? zero(ua.sign) : round_pack(env, sign, e0 + 2, r << 62, 64);
  *cc = (q & 4 ? kC0 : 0) | (q & 2 ? kC3 : 0) | (q & 1 ? kC1 : 0);
  env.c1 = q & 1;
  return res;
}

F80 f80_scale(FpEnv& env, F80 st0, F80 st1) {
  Cls ca = classify(st0), cb = classify(st1);
  env.c1 = false;
  if (ca == Cls::Unsupported || cb == Cls::Unsupported) return invalid(env);
  if (is_nan(ca) || is_nan(cb)) return propagate_nan(env, st0, ca, st1, cb);
  if (ca == Cls::Denormal || cb == Cls::Denormal) env.flags |= kDE;
  bool sa = sign_of(st0);
  if (cb == Cls::Inf) {
    if (!sign_of(st1)) return ca == Cls::Zero ? invalid(env) : inf(sa);   // 0 * 2^inf
    return ca == Cls::Inf ? invalid(env) : zero(sa);                       // inf * 2^-inf
  }
  if (ca == Cls::Zero || ca == Cls::Inf) return st0;
  i32 n = 0;
  if (cb != Cls::Zero) {
    Unp ub = unpack(st1);
    i32 ue = ub.exp - kBias;
    if (ue >= 20) n = 1 << 20;  // far beyond the exponent range either way
    else if (ue >= 0) n = (i32)(ub.mant >> (63 - ue));
    if (ub.sign) n = -n;
  }
  Unp ua = unpack(st0);
  return round_pack(env, sa, ua.exp + n, (u128)ua.mant << 64, 64);
}

void f80_xtract(FpEnv& env, F80 a, F80* exponent, F80* sig) {
  Cls c = classify(a);
  env.c1 = false;
  if (c == Cls::Unsupported) {
    *exponent = *sig = invalid(env);
    return;
  }
  if (is_nan(c)) {
    *exponent = *sig = propagate_nan(env, a, c, a, c);
    return;
  }
  if (c == Cls::Zero) {  // SDM Vol. 2A FXTRACT: ZE, exponent -inf
    env.flags |= kZE;
    *exponent = inf(true);
    *sig = a;
    return;
  }
  if (c == Cls::Inf) {
    *exponent = inf(false);
    *sig = a;
    return;
  }
  if (c == Cls::Denormal) env.flags |= kDE;
  Unp u = unpack(a);
  *exponent = f80_from_int(u.exp - kBias);
  *sig = make(u.sign, kBias, u.mant);
}

}  // namespace pc64::fpu
