/* SSE2, SSSE3/SSE4.1 and AVX/AVX2/FMA, each only when CPUID says so (and,
 * for AVX, when XGETBV(0) shows the OS enabled the YMM state). The target
 * attributes keep the rest of the binary runnable on CPUs without them. */
#include "check.h"

#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

static unsigned cpuid_reg(unsigned leaf, unsigned sub, int reg) {
  unsigned r[4] = {0, 0, 0, 0};
  if (__get_cpuid_max(leaf & 0x80000000u, 0) < leaf) return 0;
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
  return r[reg];
}
enum { EAX, EBX, ECX, EDX };
#define HAS_SSE2() (cpuid_reg(1, 0, EDX) >> 26 & 1)

static uint64_t bits(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

__attribute__((target("sse2"))) static int c_sse2(char *why, size_t n) {
  if (!HAS_SSE2()) SKIP("no SSE2 in CPUID");
  volatile double two = 2.0, one = 1.0, three = 3.0, big = -7.9, huge = 3e10;
  __m128d r = _mm_sqrt_sd(_mm_set_sd(0), _mm_set_sd(two));
  CHECK(bits(_mm_cvtsd_f64(r)) == 0x3ff6a09e667f3bcdULL, "sqrtsd(2) = %#llx",
        (unsigned long long)bits(_mm_cvtsd_f64(r)));
  r = _mm_div_sd(_mm_set_sd(one), _mm_set_sd(three));
  CHECK(bits(_mm_cvtsd_f64(r)) == 0x3fd5555555555555ULL, "divsd(1,3) = %#llx",
        (unsigned long long)bits(_mm_cvtsd_f64(r)));
  CHECK(_mm_cvttsd_si32(_mm_set_sd(big)) == -7, "cvttsd2si(-7.9)");
  CHECK(_mm_cvtsd_si32(_mm_set_sd(big)) == -8, "cvtsd2si(-7.9) nearest");
  CHECK(_mm_cvttsd_si32(_mm_set_sd(huge)) == (int)0x80000000, "cvttsd2si overflow");
  /* Rounding modes through MXCSR.RC (SDM Vol. 1 §10.2.3): 1/3 rounds down
   * under RC=down and toward zero, up under RC=up. */
  unsigned saved = _mm_getcsr();
  static const struct { unsigned rc; uint64_t q; int cvt; } t[] = {
      {0, 0x3fd5555555555555ULL, -8},
      {1, 0x3fd5555555555555ULL, -8},
      {2, 0x3fd5555555555556ULL, -7},
      {3, 0x3fd5555555555555ULL, -7},
  };
  for (size_t i = 0; i < 4; i++) {
    _mm_setcsr((saved & ~0x6000u) | t[i].rc << 13);
    double q = _mm_cvtsd_f64(_mm_div_sd(_mm_set_sd(one), _mm_set_sd(three)));
    int c = _mm_cvtsd_si32(_mm_set_sd(big));
    _mm_setcsr(saved);
    CHECK(bits(q) == t[i].q, "RC=%u: 1/3 = %#llx", t[i].rc, (unsigned long long)bits(q));
    CHECK(c == t[i].cvt, "RC=%u: cvtsd2si(-7.9) = %d", t[i].rc, c);
  }
  /* Packed integers. */
  __m128i a = _mm_set_epi32(4, 3, 2, 1), b = _mm_set_epi32(40, 30, 20, 10);
  int32_t o[4];
  _mm_storeu_si128((__m128i *)o, _mm_add_epi32(a, b));
  CHECK(o[0] == 11 && o[3] == 44, "paddd");
  _mm_storeu_si128((__m128i *)o, _mm_mul_epu32(a, b));
  CHECK(o[0] == 10 && o[1] == 0 && o[2] == 90, "pmuludq");
  return CHECK_PASS;
}

__attribute__((target("sse2"))) static int c_denormal(char *why, size_t n) {
  if (!HAS_SSE2()) SKIP("no SSE2 in CPUID");
  /* MXCSR_MASK from FXSAVE tells whether DAZ (bit 6) exists. */
  static unsigned char area[512] __attribute__((aligned(16)));
  memset(area, 0, sizeof area);
  __asm__ volatile("fxsave %0" : "=m"(area));
  uint32_t mask;
  memcpy(&mask, area + 28, 4);
  if (mask == 0) mask = 0xffbf;  /* SDM Vol. 1 §11.6.6: 0 means the default */
  volatile double tiny = 0x1p-1022, half = 0.5, den = 0x1p-1060;
  unsigned saved = _mm_getcsr();
  _mm_setcsr(saved & ~0x8040u);
  double r = _mm_cvtsd_f64(_mm_mul_sd(_mm_set_sd(tiny), _mm_set_sd(half)));
  CHECK(bits(r) == 0x0008000000000000ULL, "2^-1022 * 0.5 = %#llx (a denormal expected)",
        (unsigned long long)bits(r));
  r = _mm_cvtsd_f64(_mm_add_sd(_mm_set_sd(den), _mm_set_sd(den)));
  CHECK(bits(r) == bits(0x1p-1059), "denormal + denormal");
  _mm_setcsr((saved & ~0x8040u) | 0x8000);  /* FTZ */
  r = _mm_cvtsd_f64(_mm_mul_sd(_mm_set_sd(tiny), _mm_set_sd(half)));
  CHECK(bits(r) == 0, "FTZ: 2^-1022 * 0.5 = %#llx", (unsigned long long)bits(r));
  if (mask & 0x40) {
    _mm_setcsr((saved & ~0x8040u) | 0x40);  /* DAZ */
    r = _mm_cvtsd_f64(_mm_add_sd(_mm_set_sd(den), _mm_set_sd(1.0)));
    double z = _mm_cvtsd_f64(_mm_mul_sd(_mm_set_sd(den), _mm_set_sd(0x1p100)));
    _mm_setcsr(saved);
    CHECK(bits(z) == 0, "DAZ: denormal * 2^100 = %#llx", (unsigned long long)bits(z));
    CHECK(r == 1.0, "DAZ: denormal + 1");
  }
  _mm_setcsr(saved);
  return CHECK_PASS;
}

/* The sticky MXCSR exception flags (SDM Vol. 1 §11.5.2), all masked. */
__attribute__((target("sse2"))) static int c_mxcsr_flags(char *why, size_t n) {
  if (!HAS_SSE2()) SKIP("no SSE2 in CPUID");
  volatile double one = 1, three = 3, zero = 0, minus = -1, den = 0x1p-1060, two = 2, sink;
  unsigned saved = _mm_getcsr(), base = (saved & ~0x807fu) | 0x1f80, csr;
  static const char *const name[] = {"IE", "DE", "ZE", "OE", "UE", "PE"};
  struct { const char *what; unsigned want; } t[4] = {
      {"1/3", 0x20}, {"1/0", 0x04}, {"sqrt(-1)", 0x01}, {"denormal+2", 0x22}};
  for (int i = 0; i < 4; i++) {
    _mm_setcsr(base);
    switch (i) {
      case 0: sink = _mm_cvtsd_f64(_mm_div_sd(_mm_set_sd(one), _mm_set_sd(three))); break;
      case 1: sink = _mm_cvtsd_f64(_mm_div_sd(_mm_set_sd(one), _mm_set_sd(zero))); break;
      case 2: sink = _mm_cvtsd_f64(_mm_sqrt_sd(_mm_set_sd(0), _mm_set_sd(minus))); break;
      default: sink = _mm_cvtsd_f64(_mm_add_sd(_mm_set_sd(den), _mm_set_sd(two))); break;
    }
    csr = _mm_getcsr() & 0x3f;
    _mm_setcsr(saved);
    for (int b = 0; b < 6; b++)
      CHECK((csr >> b & 1) == (t[i].want >> b & 1), "%s: %s %s (flags %#x, want %#x)",
            t[i].what, name[b], csr >> b & 1 ? "set" : "not set", csr, t[i].want);
  }
  return CHECK_PASS;
}

__attribute__((target("sse4.1,ssse3"))) static int c_sse4(char *why, size_t n) {
  unsigned ecx = cpuid_reg(1, 0, ECX);
  if (!(ecx >> 9 & 1) || !(ecx >> 19 & 1)) SKIP("SSSE3/SSE4.1 not reported");
  __m128i a = _mm_set_epi32(-3, 100000, 65536, 7), b = _mm_set_epi32(5, 100000, 65536, -6);
  int32_t o[4];
  _mm_storeu_si128((__m128i *)o, _mm_mullo_epi32(a, b));
  CHECK(o[0] == -42 && o[1] == 0 && o[2] == (int32_t)1410065408 && o[3] == -15,
        "pmulld: %d %d %d %d", o[0], o[1], o[2], o[3]);
  __m128i bytes = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __m128i ctl = _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, (char)0x80);
  unsigned char ob[16];
  _mm_storeu_si128((__m128i *)ob, _mm_shuffle_epi8(bytes, ctl));
  CHECK(ob[0] == 15 && ob[7] == 8 && ob[14] == 1 && ob[15] == 0, "pshufb: %u %u %u %u", ob[0],
        ob[7], ob[14], ob[15]);
  volatile int z1 = _mm_testz_si128(a, _mm_setzero_si128());
  volatile int z2 = _mm_testz_si128(_mm_set_epi32(0, 0, 0, 0xf0), _mm_set_epi32(0, 0, 0, 0x0f));
  volatile int z3 = _mm_testz_si128(a, a);
  volatile int c1 = _mm_testc_si128(a, a);
  CHECK(z1 == 1 && z2 == 1 && z3 == 0 && c1 == 1, "ptest: %d %d %d %d", z1, z2, z3, c1);
  return CHECK_PASS;
}

static int avx_enabled(void) {
  unsigned ecx = cpuid_reg(1, 0, ECX);
  if (!(ecx >> 27 & 1) || !(ecx >> 28 & 1)) return 0;  /* OSXSAVE, AVX */
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (lo & 6) == 6;  /* XMM and YMM state enabled by the OS */
}

__attribute__((target("avx"))) static int avx_part(char *why, size_t n) {
  __m256d a = _mm256_set_pd(4, 3, 2, 1), b = _mm256_set_pd(0.5, 0.25, 2, 8);
  double o[4];
  _mm256_storeu_pd(o, _mm256_div_pd(a, b));
  CHECK(o[0] == 0.125 && o[1] == 1 && o[2] == 12 && o[3] == 8, "vdivpd ymm: %g %g %g %g", o[0],
        o[1], o[2], o[3]);
  _mm256_storeu_pd(o, _mm256_sqrt_pd(_mm256_set1_pd(2)));
  CHECK(bits(o[3]) == 0x3ff6a09e667f3bcdULL, "vsqrtpd lane 3");
  return CHECK_PASS;
}

__attribute__((target("avx2,fma"))) static int avx2_part(char *why, size_t n) {
  __m256i a = _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 8);
  __m256i idx = _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0);
  int32_t o[8];
  _mm256_storeu_si256((__m256i *)o, _mm256_add_epi32(_mm256_permutevar8x32_epi32(a, idx), a));
  for (int i = 0; i < 8; i++) CHECK(o[i] == 9, "vpermd+vpaddd lane %d = %d", i, o[i]);
  /* Fused: (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; unfused gives 0. */
  __m256d x = _mm256_set1_pd(1 + 0x1p-30), y = _mm256_set1_pd(1 - 0x1p-30);
  double d[4];
  _mm256_storeu_pd(d, _mm256_fmadd_pd(x, y, _mm256_set1_pd(-1)));
  CHECK(d[0] == -0x1p-60 && d[3] == -0x1p-60, "vfmadd231pd: %a (not fused?)", d[0]);
  return CHECK_PASS;
}

static int c_avx(char *why, size_t n) {
  if (!avx_enabled()) SKIP("not reported");
  if (avx_part(why, n) != CHECK_PASS) return CHECK_FAIL;
  unsigned ebx7 = cpuid_reg(7, 0, EBX), ecx1 = cpuid_reg(1, 0, ECX);
  if ((ebx7 >> 5 & 1) && (ecx1 >> 12 & 1)) {
    if (avx2_part(why, n) != CHECK_PASS) return CHECK_FAIL;
  } else {
    info("simd.avx", "AVX2/FMA not reported; AVX only");
  }
  return CHECK_PASS;
}

const struct check simd_checks[] = {
    {"simd.sse2", c_sse2},
    {"simd.denormal", c_denormal},
    {"simd.mxcsr", c_mxcsr_flags},
    {"simd.sse4", c_sse4},
    {"simd.avx", c_avx},
    {0, 0},
};
