/* x87: results compared bit for bit with values computed on a real CPU and
 * checked against correctly rounded 64-bit-mantissa values (only inputs
 * where the two agree are used). No long double: 80-bit values are
 * {mantissa, sign/exponent} loaded with FLDT/stored with FSTPT. */
#include "check.h"

#include <string.h>

typedef struct {
  uint64_t m;
  uint16_t se;
} __attribute__((packed)) f80;

static f80 from_double(double d) {
  f80 r;
  __asm__ volatile("fldl %1\n\tfstpt %0" : "=m"(r) : "m"(d));
  return r;
}

#define UNARY(name, insn)                                               \
  static f80 name(f80 x) {                                              \
    f80 r;                                                              \
    __asm__ volatile("fldt %1\n\t" insn "\n\tfstpt %0" : "=m"(r) : "m"(x)); \
    return r;                                                           \
  }
UNARY(x_sqrt, "fsqrt")
UNARY(x_sin, "fsin")
UNARY(x_cos, "fcos")
UNARY(x_f2xm1, "f2xm1")

/* st1 = y, st0 = x */
#define BINARY(name, insn)                                                       \
  static f80 name(f80 y, f80 x) {                                                \
    f80 r;                                                                       \
    __asm__ volatile("fldt %1\n\tfldt %2\n\t" insn "\n\tfstpt %0"                \
                     : "=m"(r) : "m"(y), "m"(x));                                \
    return r;                                                                    \
  }
BINARY(x_fyl2x, "fyl2x")
BINARY(x_fpatan, "fpatan")

static int same(f80 a, uint64_t m, uint16_t se) { return a.m == m && a.se == se; }

#define EXPECT(what, v, wm, wse)                                                     \
  CHECK(same(v, wm, wse), "%s = %04x:%016llx, expected %04x:%016llx", what, (v).se,  \
        (unsigned long long)(v).m, wse, (unsigned long long)(wm))

/* Exactly specified results (IEEE 754 sqrt, exact logs, constants). */
static int c_x87_exact(char *why, size_t n) {
  f80 one = from_double(1), two = from_double(2), half = from_double(0.5),
      eight = from_double(8), quarter = from_double(0.25);
  EXPECT("fsqrt(2)", x_sqrt(two), 0xb504f333f9de6484ULL, 0x3fff);
  EXPECT("fsqrt(0.5)", x_sqrt(half), 0xb504f333f9de6484ULL, 0x3ffe);
  EXPECT("fsqrt(0.25)", x_sqrt(quarter), 0x8000000000000000ULL, 0x3ffe);
  EXPECT("fyl2x(8, 1)", x_fyl2x(one, eight), 0xc000000000000000ULL, 0x4000);
  f80 pi;
  __asm__ volatile("fldpi\n\tfstpt %0" : "=m"(pi));
  EXPECT("fldpi", pi, 0xc90fdaa22168c235ULL, 0x4000);
  /* fprem: 10.5 rem 3 = 1.5, quotient 3 -> C1 = Q0 = 1, C3 = Q1 = 1, C0 = Q2 = 0
   * (SDM Vol. 2A FPREM). */
  f80 a = from_double(10.5), b = from_double(3), r;
  uint16_t sw;
  __asm__ volatile(
      "fldt %3\n\tfldt %2\n"
      "1:\tfprem\n\tfnstsw %%ax\n\ttestw $0x400, %%ax\n\tjnz 1b\n\t"
      "fstpt %0\n\tfstp %%st(0)\n\tmovw %%ax, %1"
      : "=m"(r), "=m"(sw) : "m"(a), "m"(b) : "ax");
  EXPECT("fprem(10.5, 3)", r, 0xc000000000000000ULL, 0x3fff);
  CHECK((sw & 0x4700) == 0x4200, "fprem status word %#x: quotient bits C3,C1 expected", sw);
  return CHECK_PASS;
}

/* Transcendentals, to the last bit of the 64-bit mantissa. The expected
 * values are what a real x86 CPU returns and are also the correctly rounded
 * results (checked with 80-digit decimal arithmetic). Every mismatch is
 * listed. */
static int c_x87_trans(char *why, size_t n) {
  f80 one = from_double(1), half = from_double(0.5), ten = from_double(10);
  struct {
    const char *what;
    f80 got;
    uint64_t m;
    uint16_t se;
  } t[] = {
      {"fsin(0.5)", x_sin(half), 0xf57743a2582f7f44ULL, 0x3ffd},
      {"fcos(0.5)", x_cos(half), 0xe0a94032dbea7ceeULL, 0x3ffe},
      {"fyl2x(10,1)", x_fyl2x(one, ten), 0xd49a784bcd1b8afeULL, 0x4000},
      {"fpatan(1,1)", x_fpatan(one, one), 0xc90fdaa22168c235ULL, 0x3ffe},
      {"fpatan(0.5,1)", x_fpatan(half, one), 0xed63382b0dda7b45ULL, 0x3ffd},
      {"f2xm1(0.5)", x_f2xm1(half), 0xd413cccfe7799211ULL, 0x3ffd},
  };
  size_t used = 0;
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    if (same(t[i].got, t[i].m, t[i].se)) continue;
    int w = snprintf(why + used, n - used, "%s%s=%04x:%016llx (want %016llx)", used ? "; " : "",
                     t[i].what, t[i].got.se, (unsigned long long)t[i].got.m,
                     (unsigned long long)t[i].m);
    if (w < 0 || (size_t)w >= n - used) break;
    used += (size_t)w;
  }
  return used ? CHECK_FAIL : CHECK_PASS;
}

static int32_t fist(double d, uint16_t rc) {
  uint16_t cw, ncw;
  int32_t r;
  __asm__ volatile("fnstcw %0" : "=m"(cw));
  ncw = (uint16_t)((cw & ~0x0c00) | (rc << 10));
  __asm__ volatile("fldcw %2\n\tfldl %1\n\tfistpl %0\n\tfldcw %3"
                   : "=m"(r) : "m"(d), "m"(ncw), "m"(cw));
  return r;
}

static int c_x87_int(char *why, size_t n) {
  /* RC: 0 nearest-even, 1 down, 2 up, 3 toward zero (SDM Vol. 1 §8.1.5.3). */
  static const struct { double in; uint16_t rc; int32_t out; } t[] = {
      {2.5, 0, 2},   {3.5, 0, 4},   {-2.5, 0, -2}, {-2.5, 1, -3}, {2.1, 2, 3},
      {-2.7, 3, -2}, {2.7, 3, 2},   {-0.4, 1, -1}, {1e9, 0, 1000000000},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    int32_t got = fist(t[i].in, t[i].rc);
    CHECK(got == t[i].out, "fistp(%g) RC=%u = %d, expected %d", t[i].in, t[i].rc, got, t[i].out);
  }
  /* Out of range with IE masked: the integer indefinite, and IE set. */
  uint16_t sw;
  __asm__ volatile("fnclex");
  int32_t big = fist(3e9, 0);
  __asm__ volatile("fnstsw %0" : "=m"(sw));
  CHECK((uint32_t)big == 0x80000000u, "fistp(3e9) = %#x, expected 0x80000000", (unsigned)big);
  CHECK(sw & 1, "IE not set after fistp overflow (sw %#x)", sw);
  __asm__ volatile("fnclex");
  /* fbstp -987654321: packed BCD, sign in byte 9. */
  int64_t v = -987654321;
  unsigned char bcd[10];
  __asm__ volatile("fildq %1\n\tfbstp %0" : "=m"(bcd) : "m"(v));
  static const unsigned char want[10] = {0x21, 0x43, 0x65, 0x87, 0x09, 0, 0, 0, 0, 0x80};
  CHECK(memcmp(bcd, want, 10) == 0, "fbstp: %02x %02x %02x %02x %02x .. %02x", bcd[0], bcd[1],
        bcd[2], bcd[3], bcd[4], bcd[9]);
  /* fbld reads it back. */
  int64_t back = 0;
  __asm__ volatile("fbld %1\n\tfistpq %0" : "=m"(back) : "m"(bcd));
  CHECK(back == v, "fbld/fistpq gave %lld", (long long)back);
  /* Exact 80-bit arithmetic: (2^63 + 1) survives, it does not in a double. */
  int64_t big63 = INT64_MAX, out;
  __asm__ volatile("fildq %1\n\tfld1\n\tfsubrp\n\tfistpq %0" : "=m"(out) : "m"(big63));
  CHECK(out == INT64_MAX - 1, "fildq/fsub/fistpq of 2^63-1 - 1 = %lld", (long long)out);
  return CHECK_PASS;
}

const struct check fpu_checks[] = {
    {"x87.exact", c_x87_exact},
    {"x87.trans", c_x87_trans},
    {"x87.int", c_x87_int},
    {0, 0},
};
