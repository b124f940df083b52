// The fused multiply-add and binary16 conversions of the soft-float
// (cpu/fpu/ieee.h: fma, f16_to_f32, f32_to_f16): fixed corner cases (the
// sign of exact zeros per rounding mode, sums a multiply-then-add rounds
// twice and gets wrong, invalid operations, NaN order) and, on a host with
// FMA/F16C, random operands against VFMADD231SS/SD, VCVTPH2PS and VCVTPS2PH
// under every rounding mode with DAZ and FTZ.
#include <gtest/gtest.h>

#include <random>

#include "cpu/fpu/ieee.h"

namespace pc64::ieee {
namespace {

constexpr u32 kRN = 0x1f80, kRD = 0x1f80 | (1 << 13), kRU = 0x1f80 | (2 << 13), kRZ = 0x1f80 | (3 << 13);

u64 fma32(u32 m, u64 a, u64 b, u64 c, u32* fl = nullptr, bool np = false, bool nc = false) {
  Env e{m};
  const u64 r = fma<F32>(e, a, b, c, np, nc);
  if (fl) *fl = e.flags;
  return r;
}
u64 fma64(u32 m, u64 a, u64 b, u64 c, u32* fl = nullptr, bool np = false, bool nc = false) {
  Env e{m};
  const u64 r = fma<F64>(e, a, b, c, np, nc);
  if (fl) *fl = e.flags;
  return r;
}

constexpr u64 kOne32 = 0x3f800000, kMinusOne32 = 0xbf800000;
constexpr u64 kOne64 = 0x3ff0000000000000ull;

TEST(IeeeFma, ExactZeroSign) {
  // 1 * -1 + 1 = 0 exactly: +0, but -0 when rounding down (SDM Vol. 1
  // §4.8.3.3 Table 4-3, IEEE 754 §6.3).
  for (u32 m : {kRN, kRU, kRZ}) EXPECT_EQ(fma32(m, kOne32, kMinusOne32, kOne32), 0u);
  EXPECT_EQ(fma32(kRD, kOne32, kMinusOne32, kOne32), F32::kSign);
  // (+0 * x) + -0: signs differ, +0 except in RD; (-0 * x) + -0 = -0 always.
  EXPECT_EQ(fma32(kRN, 0, kOne32, F32::kSign), 0u);
  EXPECT_EQ(fma32(kRD, 0, kOne32, F32::kSign), F32::kSign);
  EXPECT_EQ(fma32(kRN, F32::kSign, kOne32, F32::kSign), F32::kSign);
  EXPECT_EQ(fma32(kRU, F32::kSign, kOne32, F32::kSign), F32::kSign);
  // VFNMADD: -(+0 * 1) + +0 = -0 + +0.
  EXPECT_EQ(fma32(kRN, 0, kOne32, 0, nullptr, true, false), 0u);
  EXPECT_EQ(fma32(kRD, 0, kOne32, 0, nullptr, true, false), F32::kSign);
  // A tiny nonzero product does not make the sum an exact zero.
  EXPECT_EQ(fma64(kRN, 1, 1, 0), 0u);  // 2^-2148 rounds to +0 (inexact)
  EXPECT_EQ(fma64(kRD, 1, 0x8000000000000001ull, 0), 0x8000000000000001ull);
}

TEST(IeeeFma, SingleRounding) {
  // binary64: (1 + 2^-30)^2 - 1 = 2^-29 + 2^-60 exactly; rounding the
  // product first loses 2^-60.
  const u64 a = kOne64 | (1ull << 22);  // 1 + 2^-30
  u32 fl;
  EXPECT_EQ(fma64(kRN, a, a, 0xbff0000000000000ull, &fl), 0x3e20000000200000ull);
  EXPECT_EQ(fl, 0u);  // exact
  // binary32: (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 is a tie the product alone
  // rounds to even (down); + 2^-30 puts the exact sum above the tie.
  const u64 b = kOne32 | (1u << 11);
  EXPECT_EQ(fma32(kRN, b, b, 0x30800000 /* 2^-30 */, &fl), 0x3f800000u | (1u << 12) | 1u);
  EXPECT_EQ(fl, kPE);
  EXPECT_EQ(fma32(kRN, b, b, 0), 0x3f800000u | (1u << 12));
  // Massive cancellation: a*b - c with c the rounded product leaves the
  // product's rounding error exactly: (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46.
  const u64 d = kOne32 | 1;
  EXPECT_EQ(fma32(kRN, d, d, kOne32 | 2, &fl, false, true), 0x28800000u);
  EXPECT_EQ(fl, 0u);
  // Far-apart addend: only its sticky bit counts, and decides directed
  // rounding: 1 * 1 + 2^-100 rounds up in RU, stays in RN.
  EXPECT_EQ(fma32(kRU, kOne32, kOne32, 0x0d800000), kOne32 + 1);
  EXPECT_EQ(fma32(kRN, kOne32, kOne32, 0x0d800000), kOne32);
  EXPECT_EQ(fma32(kRD, kOne32, kOne32, 0x8d800000), kOne32 - 1);
}

TEST(IeeeFma, SpecialsAndFlags) {
  constexpr u64 kInf = F32::kInf, kQ1 = 0x7fc00001, kQ2 = 0x7fc00002, kQ3 = 0x7fc00003, kS2 = 0x7f800002;
  u32 fl;
  EXPECT_EQ(fma32(kRN, kInf, 0, kOne32, &fl), F32::kIndefinite);
  EXPECT_EQ(fl, kIE);
  EXPECT_EQ(fma32(kRN, kInf, kOne32, kInf | F32::kSign, &fl), F32::kIndefinite);
  EXPECT_EQ(fl, kIE);
  // inf * 0 + QNaN: the QNaN, no IE (measured on AMD Zen 4).
  EXPECT_EQ(fma32(kRN, kInf, 0, kQ3, &fl), kQ3);
  EXPECT_EQ(fl, 0u);
  // NaN order a, b, c; SNaN quieted with IE but not preferred.
  EXPECT_EQ(fma32(kRN, kQ1, kQ2, kQ3, &fl), kQ1);
  EXPECT_EQ(fma32(kRN, kOne32, kQ2, kQ3, &fl), kQ2);
  EXPECT_EQ(fma32(kRN, kOne32, kQ2, kS2, &fl), kQ2);
  EXPECT_EQ(fl, kIE);
  EXPECT_EQ(fma32(kRN, kOne32, kS2, kQ3, &fl), kS2 | F32::kQuiet);
  // NaNs are not negated by VFNMADD/VFMSUB.
  EXPECT_EQ(fma32(kRN, kQ1, kOne32, kOne32, &fl, true, true), kQ1);
  // Denormal operand: DE, also when the product is zero; DAZ reads it as 0.
  EXPECT_EQ(fma32(kRN, 0, 1, kOne32, &fl), kOne32);
  EXPECT_EQ(fl, kDE);
  EXPECT_EQ(fma32(kRN | kDAZ, 1, kOne32, kOne32, &fl), kOne32);
  EXPECT_EQ(fl, 0u);
  // Overflow and underflow with FTZ.
  EXPECT_EQ(fma32(kRN, 0x7f000000, 0x40000000, 0, &fl), kInf);
  EXPECT_EQ(fl, kOE | kPE);
  EXPECT_EQ(fma32(kRN | kFTZ, 0x00800001, 0x3f000000, 0, &fl), 0u);
  EXPECT_EQ(fl, kUE | kPE);
}

TEST(IeeeF16, Conversions) {
  u32 m = kRN | kDAZ;
  Env e{m};
  EXPECT_EQ(f16_to_f32(e, 0x0001), 0x33800000u);  // denormal half: exact, DAZ ignored
  EXPECT_EQ(f16_to_f32(e, 0x7c01), 0x7fc02000u);  // SNaN quieted
  EXPECT_EQ(e.flags, kIE);
  Env e2{kRN};
  EXPECT_EQ(f32_to_f16(e2, 0x477ff000, 0), 0x7c00u);  // rounds past 65504
  EXPECT_EQ(e2.flags, kOE | kPE);
  Env e3{kRN | kFTZ};
  EXPECT_EQ(f32_to_f16(e3, 0x387fc000, 0), 0x03ffu);  // FTZ ignored: exact denormal
  EXPECT_EQ(e3.flags, 0u);
  Env e4{kRN};
  EXPECT_EQ(f32_to_f16(e4, 0x3f800001, kRcUp), 0x3c01u);
  EXPECT_EQ(e4.flags, kPE);
  Env e5{kRN | kDAZ};
  EXPECT_EQ(f32_to_f16(e5, 0x00000001, 0), 0u);
  EXPECT_EQ(e5.flags, 0u);
}

#if defined(__x86_64__)
u64 h_fma231ss(u32 m, u64 a, u64 b, u64 c, u32* fl) {
  u32 o, d = 0x1f80;
  u32 x = (u32)c, y = (u32)a, z = (u32)b;
  asm volatile("vmovd %3, %%xmm0\n\tvmovd %4, %%xmm1\n\tvmovd %5, %%xmm2\n\tldmxcsr %2\n\t"
               "vfmadd231ss %%xmm2, %%xmm1, %%xmm0\n\tstmxcsr %1\n\tldmxcsr %6\n\tvmovd %%xmm0, %0"
               : "=r"(x), "=m"(o) : "m"(m), "r"(x), "r"(y), "r"(z), "m"(d) : "xmm0", "xmm1", "xmm2");
  *fl = o & 0x3f;
  return x;
}
u64 h_fma231sd(u32 m, u64 a, u64 b, u64 c, u32* fl) {
  u32 o, d = 0x1f80;
  u64 x = c;
  asm volatile("vmovq %3, %%xmm0\n\tvmovq %4, %%xmm1\n\tvmovq %5, %%xmm2\n\tldmxcsr %2\n\t"
               "vfmadd231sd %%xmm2, %%xmm1, %%xmm0\n\tstmxcsr %1\n\tldmxcsr %6\n\tvmovq %%xmm0, %0"
               : "=r"(x), "=m"(o) : "m"(m), "r"(x), "r"(a), "r"(b), "m"(d) : "xmm0", "xmm1", "xmm2");
  *fl = o & 0x3f;
  return x;
}

template <class F> u64 rand_operand(std::mt19937_64& rng, u64 prev) {
  const u64 r = rng();
  const u64 sign = (r & 1) ? F::kSign : 0;
  u64 exp;
  switch ((r >> 1) & 7) {
    case 0: exp = 0; break;
    case 1: exp = F::kExpMax; break;
    case 2: exp = ((prev >> F::kM) & F::kExpMax) + ((r >> 8) % 7) - 3; break;  // cancellation
    case 3: exp = F::kBias + ((r >> 8) % 60) - 30; break;
    default: exp = (r >> 8) & F::kExpMax; break;
  }
  exp &= F::kExpMax;
  u64 frac = rng() & F::kFracMask;
  if ((r >> 20) & 1) frac &= ~((1ull << ((r >> 24) % F::kM)) - 1);
  if (((r >> 30) & 7) == 0) frac = 0;
  return sign | (exp << F::kM) | frac;
}

template <class F, class Host> void check_fma(Host host, int n) {
  std::mt19937_64 rng(77);
  int fails = 0;
  u64 prev = 0;
  for (int k = 0; k < n; ++k) {
    const u64 a = rand_operand<F>(rng, prev), b = rand_operand<F>(rng, a);
    // c near a*b's magnitude half the time (cancellation).
    u64 c = rand_operand<F>(rng, rng() & 1 ? a + b - ((u64)F::kBias << F::kM) : b);
    prev = c;
    for (u32 rc = 0; rc < 4; ++rc)
      for (u32 ex : {0u, (u32)kDAZ, (u32)kFTZ, (u32)(kDAZ | kFTZ)}) {
        const u32 m = 0x1f80 | (rc << 13) | ex;
        u32 hf;
        const u64 hr = host(m, a, b, c, &hf);
        Env e{m};
        const u64 sr = fma<F>(e, a, b, c, false, false);
        if ((hr != sr || hf != e.flags) && fails++ < 10)
          ADD_FAILURE() << std::hex << "a=" << a << " b=" << b << " c=" << c << " mxcsr=" << m
                        << " host=" << hr << " fl=" << hf << " soft=" << sr << " fl=" << e.flags;
      }
  }
  EXPECT_EQ(fails, 0);
}

TEST(IeeeFma, HostF32) {
  if (!__builtin_cpu_supports("fma")) GTEST_SKIP() << "host has no FMA";
  check_fma<F32>(h_fma231ss, 100000);
}
TEST(IeeeFma, HostF64) {
  if (!__builtin_cpu_supports("fma")) GTEST_SKIP() << "host has no FMA";
  check_fma<F64>(h_fma231sd, 100000);
}

TEST(IeeeF16, HostAll) {
  if (!__builtin_cpu_supports("avx")) GTEST_SKIP() << "host has no F16C";
  int fails = 0;
  for (u32 h = 0; h < 0x10000; ++h) {  // every half, both MXCSR extremes
    for (u32 m : {kRN, kRD | kDAZ | kFTZ}) {
      u32 o, d = 0x1f80, r;
      asm volatile("vmovd %3, %%xmm1\n\tldmxcsr %2\n\tvcvtph2ps %%xmm1, %%xmm0\n\tstmxcsr %1\n\t"
                   "ldmxcsr %4\n\tvmovd %%xmm0, %0"
                   : "=r"(r), "=m"(o) : "m"(m), "r"(h), "m"(d) : "xmm0", "xmm1");
      Env e{m};
      const u64 s = f16_to_f32(e, h);
      if ((s != r || e.flags != (o & 0x3f)) && fails++ < 10)
        ADD_FAILURE() << std::hex << "ph2ps " << h << " host=" << r << " soft=" << s;
    }
  }
  std::mt19937_64 rng(5);
  for (int k = 0; k < 200000; ++k) {
    const u32 f = (u32)rand_operand<F32>(rng, 0x38000000u + (rng() % 0x0f000000u));
    for (u32 rc = 0; rc < 4; ++rc)
      for (u32 ex : {0u, (u32)kDAZ, (u32)kFTZ}) {
        const u32 m = 0x1f80 | (rc << 13) | ex;
        u32 o, d = 0x1f80, r;
        asm volatile("vmovd %3, %%xmm1\n\tldmxcsr %2\n\tvcvtps2ph $4, %%xmm1, %%xmm0\n\tstmxcsr %1\n\t"
                     "ldmxcsr %4\n\tvmovd %%xmm0, %0"
                     : "=r"(r), "=m"(o) : "m"(m), "r"(f), "m"(d) : "xmm0", "xmm1");
        Env e{m};
        const u64 s = f32_to_f16(e, f, (u8)rc);
        if (((u32)s != (r & 0xffff) || e.flags != (o & 0x3f)) && fails++ < 10)
          ADD_FAILURE() << std::hex << "ps2ph " << f << " m=" << m << " host=" << r << " fl=" << (o & 0x3f)
                        << " soft=" << s << " fl=" << e.flags;
      }
  }
  EXPECT_EQ(fails, 0);
}
#endif

}  // namespace
}  // namespace pc64::ieee
