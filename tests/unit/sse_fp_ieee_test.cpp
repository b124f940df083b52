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


// Unary host ops: the operand is the third argument (as sqrtss above).
#define HOST_CVT(NAME, INSN, TI, CI, TO, CO, FROM, TOBITS)                            \
  u64 NAME(u32 m, u64, u64 a, u32* fl) {                                              \
    TI x = FROM(a);                                                                   \
    TO y{};                                                                           \
    u32 o, d = 0x1f80;                                                                \
    asm volatile("ldmxcsr %2\n\t" INSN " %3, %0\n\tstmxcsr %1\n\tldmxcsr %4"          \
                 : "=" CO(y), "=m"(o) : "m"(m), CI(x), "m"(d));                       \
    *fl = o & 0x3f;                                                                   \
    return TOBITS(y);                                                                 \
  }
inline u64 ibits(u64 v) { return v; }
inline u32 lo32(u64 v) { return (u32)v; }
HOST_CVT(h_cvtss2sd, "cvtss2sd", float, "x", double, "x", ffloat_of, bits)
HOST_CVT(h_cvtsd2ss, "cvtsd2ss", double, "x", float, "x", fdouble_of, bits)
HOST_CVT(h_cvtss2si32, "cvtss2si", float, "x", u32, "r", ffloat_of, ibits)
HOST_CVT(h_cvtss2si64, "cvtss2si", float, "x", u64, "r", ffloat_of, ibits)
HOST_CVT(h_cvttss2si32, "cvttss2si", float, "x", u32, "r", ffloat_of, ibits)
HOST_CVT(h_cvttss2si64, "cvttss2si", float, "x", u64, "r", ffloat_of, ibits)
HOST_CVT(h_cvtsd2si32, "cvtsd2si", double, "x", u32, "r", fdouble_of, ibits)
HOST_CVT(h_cvtsd2si64, "cvtsd2si", double, "x", u64, "r", fdouble_of, ibits)
HOST_CVT(h_cvttsd2si32, "cvttsd2si", double, "x", u32, "r", fdouble_of, ibits)
HOST_CVT(h_cvttsd2si64, "cvttsd2si", double, "x", u64, "r", fdouble_of, ibits)
HOST_CVT(h_cvtsi2ss32, "cvtsi2ssl", u32, "r", float, "x", lo32, bits)
HOST_CVT(h_cvtsi2ss64, "cvtsi2ssq", u64, "r", float, "x", ibits, bits)
HOST_CVT(h_cvtsi2sd32, "cvtsi2sdl", u32, "r", double, "x", lo32, bits)
HOST_CVT(h_cvtsi2sd64, "cvtsi2sdq", u64, "r", double, "x", ibits, bits)

template <int Imm> u64 h_roundss(u32 m, u64, u64 a, u32* fl) {
  float x = f32(a), y = 0;
  u32 o, d = 0x1f80;
  asm volatile("ldmxcsr %2\n\troundss %5, %3, %0\n\tstmxcsr %1\n\tldmxcsr %4"
               : "+x"(y), "=m"(o) : "m"(m), "x"(x), "m"(d), "i"(Imm));
  *fl = o & 0x3f;
  return bits(y);
}
template <int Imm> u64 h_roundsd(u32 m, u64, u64 a, u32* fl) {
  double x = f64(a), y = 0;
  u32 o, d = 0x1f80;
  asm volatile("ldmxcsr %2\n\troundsd %5, %3, %0\n\tstmxcsr %1\n\tldmxcsr %4"
               : "+x"(y), "=m"(o) : "m"(m), "x"(x), "m"(d), "i"(Imm));
  *fl = o & 0x3f;
  return bits(y);
}

// comiss/ucomiss: the result is EFLAGS & (ZF|PF|CF|OF|SF|AF).
#define HOST_COMI(NAME, INSN, T)                                                     \
  u64 NAME(u32 m, u64 a, u64 b, u32* fl) {                                           \
    T x = f##T##_of(a), y = f##T##_of(b);                                            \
    u32 o, d = 0x1f80;                                                               \
    u64 f;                                                                           \
    asm volatile("ldmxcsr %3\n\t" INSN " %5, %4\n\tpushfq\n\tpopq %0\n\tstmxcsr %1\n\t" \
                 "ldmxcsr %2"                                                        \
                 : "=&r"(f), "=m"(o) : "m"(d), "m"(m), "x"(x), "x"(y) : "cc");       \
    *fl = o & 0x3f;                                                                  \
    return f & 0x8d5;                                                                \
  }
HOST_COMI(h_comiss, "comiss", float)
HOST_COMI(h_ucomiss, "ucomiss", float)
HOST_COMI(h_comisd, "comisd", double)
HOST_COMI(h_ucomisd, "ucomisd", double)

u64 comi_flags(Rel r) {
  switch (r) {
    case Rel::Un: return 0x45;
    case Rel::Lt: return 0x01;
    case Rel::Eq: return 0x40;
    default: return 0;
  }
}

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


TEST(Ieee, Conversions) {
  const int n = 30000;
  auto un = [](auto f) { return f; };
  (void)un;
  check_binary<F32>("cvtss2sd", [](Env& e, u64 a, u64) { return f32_to_f64(e, a); }, h_cvtss2sd, n, true);
  check_binary<F64>("cvtsd2ss", [](Env& e, u64 a, u64) { return f64_to_f32(e, a); }, h_cvtsd2ss, n, true);
  check_binary<F32>("cvtss2si32", [](Env& e, u64 a, u64) { return to_int<F32>(e, a, 32, false); }, h_cvtss2si32, n, true);
  check_binary<F32>("cvtss2si64", [](Env& e, u64 a, u64) { return to_int<F32>(e, a, 64, false); }, h_cvtss2si64, n, true);
  check_binary<F32>("cvttss2si32", [](Env& e, u64 a, u64) { return to_int<F32>(e, a, 32, true); }, h_cvttss2si32, n, true);
  check_binary<F32>("cvttss2si64", [](Env& e, u64 a, u64) { return to_int<F32>(e, a, 64, true); }, h_cvttss2si64, n, true);
  check_binary<F64>("cvtsd2si32", [](Env& e, u64 a, u64) { return to_int<F64>(e, a, 32, false); }, h_cvtsd2si32, n, true);
  check_binary<F64>("cvtsd2si64", [](Env& e, u64 a, u64) { return to_int<F64>(e, a, 64, false); }, h_cvtsd2si64, n, true);
  check_binary<F64>("cvttsd2si32", [](Env& e, u64 a, u64) { return to_int<F64>(e, a, 32, true); }, h_cvttsd2si32, n, true);
  check_binary<F64>("cvttsd2si64", [](Env& e, u64 a, u64) { return to_int<F64>(e, a, 64, true); }, h_cvttsd2si64, n, true);
  check_binary<F64>("cvtsi2ss32", [](Env& e, u64 a, u64) { return from_int<F32>(e, (i32)a); }, h_cvtsi2ss32, n, true);
  check_binary<F64>("cvtsi2ss64", [](Env& e, u64 a, u64) { return from_int<F32>(e, (i64)a); }, h_cvtsi2ss64, n, true);
  check_binary<F64>("cvtsi2sd32", [](Env& e, u64 a, u64) { return from_int<F64>(e, (i32)a); }, h_cvtsi2sd32, n, true);
  check_binary<F64>("cvtsi2sd64", [](Env& e, u64 a, u64) { return from_int<F64>(e, (i64)a); }, h_cvtsi2sd64, n, true);
}

TEST(Ieee, RoundAndCompare) {
  const int n = 30000;
#define RND(IMM)                                                                                    \
  check_binary<F32>("roundss" #IMM, [](Env& e, u64 a, u64) {                                         \
    return round_int<F32>(e, a, (IMM & 4) ? e.rc() : (u8)(IMM & 3), IMM & 8); }, h_roundss<IMM>, n, true); \
  check_binary<F64>("roundsd" #IMM, [](Env& e, u64 a, u64) {                                         \
    return round_int<F64>(e, a, (IMM & 4) ? e.rc() : (u8)(IMM & 3), IMM & 8); }, h_roundsd<IMM>, n, true);
  RND(0) RND(1) RND(2) RND(3) RND(4) RND(8) RND(9) RND(12)
#undef RND
  check_binary<F32>("comiss", [](Env& e, u64 a, u64 b) { return comi_flags(compare<F32>(e, a, b, true)); }, h_comiss, n);
  check_binary<F32>("ucomiss", [](Env& e, u64 a, u64 b) { return comi_flags(compare<F32>(e, a, b, false)); }, h_ucomiss, n);
  check_binary<F64>("comisd", [](Env& e, u64 a, u64 b) { return comi_flags(compare<F64>(e, a, b, true)); }, h_comisd, n);
  check_binary<F64>("ucomisd", [](Env& e, u64 a, u64 b) { return comi_flags(compare<F64>(e, a, b, false)); }, h_ucomisd, n);
}

}  // namespace
}  // namespace pc64::ieee
#endif
