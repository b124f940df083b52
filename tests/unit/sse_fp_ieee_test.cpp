// The binary32/binary64 soft-float (cpu/fpu/ieee.h) against the host CPU's
// SSE unit: random and special operands (zeros, denormals, the normal
// boundaries, infinities, QNaN/SNaN, near-equal exponents for cancellation)
// under all four rounding modes with DAZ and FTZ, comparing the result bits
// and the six MXCSR flags (all exceptions masked).
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "cpu/fpu/ieee.h"

#if defined(__x86_64__)
namespace pc64::ieee {
namespace {

// Random operands biased to the interesting encodings of the format.
template <class F> struct Gen {
  std::mt19937_64 rng{12345};
  u64 last = 0;
  u64 operator()() {
    const u64 r = rng();
    u64 sign = (r & 1) ? F::kSign : 0;
    u64 exp;
    switch ((r >> 1) & 15) {
      case 0: exp = 0; break;
      case 1: exp = F::kExpMax; break;
      case 2: exp = 1; break;
      case 3: exp = F::kExpMax - 1; break;
      case 4: case 5: {  // near the previous operand's exponent
        const u64 le = (last >> F::kM) & F::kExpMax;
        exp = (le + ((r >> 8) % 5) - 2) & F::kExpMax;
        break;
      }
      case 6: exp = F::kBias + ((r >> 8) % 70) - 35; break;
      case 7: exp = ((r >> 8) % 4) + 1; break;
      default: exp = (r >> 8) & F::kExpMax; break;
    }
    u64 frac;
    const u64 m = rng();
    switch ((r >> 24) & 7) {
      case 0: frac = 0; break;
      case 1: frac = 1; break;
      case 2: frac = F::kFracMask; break;
      case 3: frac = F::kQuiet; break;
      case 4: frac = m & ((1ull << ((r >> 28) % F::kM)) - 1); break;  // few bits set
      case 5: frac = (m << ((r >> 28) % F::kM)) & F::kFracMask; break;  // trailing zeros
      default: frac = m & F::kFracMask; break;
    }
    if ((r >> 34 & 15) == 0) {  // ±1 ulp of the previous operand
      last = (last + ((r >> 40) & 1 ? 1 : -1)) & (F::kSign | (F::kSign - 1));
      return last;
    }
    last = sign | (exp << F::kM) | frac;
    return last;
  }
};

inline float f32(u64 v) { u32 x = (u32)v; float f; std::memcpy(&f, &x, 4); return f; }
inline double f64(u64 v) { double d; std::memcpy(&d, &v, 8); return d; }
inline u64 bits(float f) { u32 x; std::memcpy(&x, &f, 4); return x; }
inline u64 bits(double d) { u64 x; std::memcpy(&x, &d, 8); return x; }

// Host op: runs `insn src, dst` under mxcsr m; returns the result and the flags.
#define HOST_BIN(NAME, INSN, T)                                                     \
  u64 NAME(u32 m, u64 a, u64 b, u32* fl) {                                          \
    T x = f##T##_of(a), y = f##T##_of(b);                                           \
    u32 o, d = 0x1f80;                                                              \
    asm volatile("ldmxcsr %2\n\t" INSN " %3, %0\n\tstmxcsr %1\n\tldmxcsr %4"        \
                 : "+x"(x), "=m"(o) : "m"(m), "x"(y), "m"(d));                      \
    *fl = o & 0x3f;                                                                 \
    return bits(x);                                                                 \
  }
inline float ffloat_of(u64 v) { return f32(v); }
inline double fdouble_of(u64 v) { return f64(v); }
HOST_BIN(h_addss, "addss", float)
HOST_BIN(h_subss, "subss", float)
HOST_BIN(h_mulss, "mulss", float)
HOST_BIN(h_divss, "divss", float)
HOST_BIN(h_minss, "minss", float)
HOST_BIN(h_maxss, "maxss", float)
HOST_BIN(h_sqrtss, "sqrtss", float)
HOST_BIN(h_addsd, "addsd", double)
HOST_BIN(h_subsd, "subsd", double)
HOST_BIN(h_mulsd, "mulsd", double)
HOST_BIN(h_divsd, "divsd", double)
HOST_BIN(h_minsd, "minsd", double)
HOST_BIN(h_maxsd, "maxsd", double)
HOST_BIN(h_sqrtsd, "sqrtsd", double)

constexpr u32 kModes[] = {0, 1 << 13, 2 << 13, 3 << 13};
constexpr u32 kExtra[] = {0, kDAZ, kFTZ, kDAZ | kFTZ};

template <class F, class Soft, class Host>
void check_binary(const char* name, Soft soft, Host host, int n, bool unary = false) {
  Gen<F> g;
  int fails = 0;
  for (int k = 0; k < n; ++k) {
    const u64 a = g(), b = unary ? 0 : g();
    for (u32 rc : kModes)
      for (u32 ex : kExtra) {
        const u32 m = 0x1f80 | rc | ex;
        u32 hf;
        // The scalar forms compute dst op src: a is the first operand.
        const u64 hr = unary ? host(m, 0, a, &hf) : host(m, a, b, &hf);
        Env env{m};
        const u64 sr = soft(env, a, b);
        if ((hr != sr || hf != env.flags) && fails++ < 10)
          ADD_FAILURE() << name << std::hex << " a=" << a << " b=" << b << " mxcsr=" << m
                        << " host=" << hr << " fl=" << hf << " soft=" << sr << " fl=" << env.flags;
      }
  }
  EXPECT_EQ(fails, 0) << name;
}

// sqrtss writes dst = sqrt(src) with dst's upper lanes kept: the scalar
// result is the low lane either way.
TEST(Ieee, BinaryOpsF32) {
  const int n = 40000;
  check_binary<F32>("addss", [](Env& e, u64 a, u64 b) { return add<F32>(e, a, b); }, h_addss, n);
  check_binary<F32>("subss", [](Env& e, u64 a, u64 b) { return sub<F32>(e, a, b); }, h_subss, n);
  check_binary<F32>("mulss", [](Env& e, u64 a, u64 b) { return mul<F32>(e, a, b); }, h_mulss, n);
  check_binary<F32>("divss", [](Env& e, u64 a, u64 b) { return div<F32>(e, a, b); }, h_divss, n);
  check_binary<F32>("minss", [](Env& e, u64 a, u64 b) { return min<F32>(e, a, b); }, h_minss, n);
  check_binary<F32>("maxss", [](Env& e, u64 a, u64 b) { return max<F32>(e, a, b); }, h_maxss, n);
  check_binary<F32>("sqrtss", [](Env& e, u64 a, u64) { return sqrt<F32>(e, a); }, h_sqrtss, n, true);
}

TEST(Ieee, BinaryOpsF64) {
  const int n = 40000;
  check_binary<F64>("addsd", [](Env& e, u64 a, u64 b) { return add<F64>(e, a, b); }, h_addsd, n);
  check_binary<F64>("subsd", [](Env& e, u64 a, u64 b) { return sub<F64>(e, a, b); }, h_subsd, n);
  check_binary<F64>("mulsd", [](Env& e, u64 a, u64 b) { return mul<F64>(e, a, b); }, h_mulsd, n);
  check_binary<F64>("divsd", [](Env& e, u64 a, u64 b) { return div<F64>(e, a, b); }, h_divsd, n);
  check_binary<F64>("minsd", [](Env& e, u64 a, u64 b) { return min<F64>(e, a, b); }, h_minsd, n);
  check_binary<F64>("maxsd", [](Env& e, u64 a, u64 b) { return max<F64>(e, a, b); }, h_maxsd, n);
  check_binary<F64>("sqrtsd", [](Env& e, u64 a, u64) { return sqrt<F64>(e, a); }, h_sqrtsd, n, true);
}

}  // namespace
}  // namespace pc64::ieee
#endif
