// float80 soft float against the host x87 (x86-64 hosts only): every operation
// on random and special operands, under every rounding and precision control,
// compared bit-exactly in result, exception flags and C0..C3.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cpu/fpu/float80.h"

#if defined(__x86_64__)

using namespace pc64;
using namespace pc64::fpu;

namespace {

// PC64_FP_SEED picks another operand stream, PC64_FP_SCALE multiplies the
// case counts (for soak runs; the defaults keep the suite under a second).
u64 env_u64(const char* name, u64 dflt) {
  const char* v = getenv(name);
  return v ? strtoull(v, nullptr, 0) : dflt;
}
int scaled(int n) { return n * (int)env_u64("PC64_FP_SCALE", 1); }

struct Rng {
  u64 s = 0x9E3779B97F4A7C15ull ^ (env_u64("PC64_FP_SEED", 0) * 0xD1B54A32D192ED03ull);
  u64 next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  u32 below(u32 n) { return (u32)(next() % n); }
};

struct alignas(16) Ext {
  u64 mant;
  u16 se;
  u8 pad[6];
};
static_assert(sizeof(Ext) == 16);

Ext ext(F80 a) { return Ext{a.mant, a.se, {}}; }
F80 f80(const Ext& e) { return F80{e.mant, e.se}; }

// Operands: specials, boundary mantissas, and random values clustered in
// exponent around `near` so that operations interact (cancellation, carries).
F80 gen(Rng& r, i32 near = -1) {
  static const u64 kMants[] = {0x8000000000000000ull, 0xFFFFFFFFFFFFFFFFull, 0xC000000000000000ull,
                               0x8000000000000001ull, 0xFFFFFF0000000000ull, 0xFFFFFF8000000000ull,
                               0x8000008000000000ull, 0xFFFFFFFFFFFFF800ull, 0xFFFFFFFFFFFFFC00ull,
                               0x8000000000000400ull, 0x4000000000000000ull, 0x0000000000000001ull,
                               0xA000000000000000ull, 0x7FFFFFFFFFFFFFFFull};
  u32 k = r.below(16);
  bool sign = r.next() & 1;
  u16 s = sign ? 0x8000 : 0;
  u64 m = r.next();
  switch (k) {
    case 0: return F80{0, s};                                                  // zero
    case 1: return F80{1ull << 63, (u16)(s | 0x7fff)};                         // inf
    case 2: return F80{(3ull << 62) | (m >> 40), (u16)(s | 0x7fff)};            // QNaN
    case 3: return F80{(1ull << 63) | ((m >> 3) | 1), (u16)(s | 0x7fff)};       // SNaN / QNaN
    case 4: return F80{m >> r.below(64), s};                                   // denormal
    case 5: return F80{m | (1ull << 63), s};                                   // pseudo-denormal
    case 6: if (r.below(4) == 0) return F80{m >> 1, (u16)(s | (1 + r.below(0x7ffe)))};  // unnormal
      [[fallthrough]];
    case 7: return F80{kMants[r.below(14)] | (1ull << 63), (u16)(s | (r.below(2) ? 1 : 0x7ffe))};
    default: break;
  }
  if (k < 10) m = kMants[r.below(14)] ^ (r.below(2) ? (r.next() & 0x7ff) << r.below(50) : 0);
  m |= 1ull << 63;
  i32 e;
  if (near > 0 && r.below(4)) e = near + (i32)r.below(140) - 70;
  else if (r.below(4) == 0) e = (i32)r.below(0x7ffe) + 1;
  else if (r.below(2)) e = 0x3fff + (i32)r.below(160) - 80;
  else e = (r.below(2) ? 1 : 0x7ffe) + (i32)r.below(80) * (r.below(2) ? 1 : -1);
  if (e < 1) e = 1;
  if (e > 0x7ffe) e = 0x7ffe;
  return F80{m, (u16)(s | e)};
}

u16 make_cw(u8 rc, u8 pc) { return (u16)(0x3f | (pc << 8) | (rc << 10) | 0x40); }

// x87 raw encodings avoid the AT&T fsub/fsubr operand swap.
#define HOST2(name, bytes)                                                                           \
  u16 name(u16 cw, F80 a, F80 b, F80* out) {                                                         \
    Ext ea = ext(a), eb = ext(b), er{};                                                              \
    u16 sw;                                                                                          \
    asm volatile("fninit\n fldcw %[cw]\n fldt %[b]\n fldt %[a]\n fnclex\n" bytes                     \
                 "\n fnstsw %[sw]\n fstpt %[r]\n fninit"                                             \
                 : [sw] "=m"(sw), [r] "=m"(er)                                                       \
                 : [cw] "m"(cw), [a] "m"(ea), [b] "m"(eb));                                          \
    *out = f80(er);                                                                                  \
    return sw;                                                                                       \
  }
HOST2(host_add, ".byte 0xd8, 0xc1")
HOST2(host_sub, ".byte 0xd8, 0xe1")
HOST2(host_mul, ".byte 0xd8, 0xc9")
HOST2(host_div, ".byte 0xd8, 0xf1")
HOST2(host_sqrt, ".byte 0xd9, 0xfa")
HOST2(host_rndint, ".byte 0xd9, 0xfc")
HOST2(host_fcom, ".byte 0xd8, 0xd1")
HOST2(host_fucom, ".byte 0xdd, 0xe1")
HOST2(host_prem, ".byte 0xd9, 0xf8")
HOST2(host_prem1, ".byte 0xd9, 0xf5")
HOST2(host_scale, ".byte 0xd9, 0xfd")

constexpr u16 kFlags = kIE | kDE | kZE | kOE | kUE | kPE;

std::string hex(F80 a) {
  char b[40];
  snprintf(b, sizeof b, "%04x:%016llx", a.se, (unsigned long long)a.mant);
  return b;
}

struct Counter {
  int fails = 0;
  int seen[16] = {};  // how often the host set each status-word bit: coverage
  void saw(u16 sw) {
    for (int i = 0; i < 16; i++) seen[i] += (sw >> i) & 1;
  }
  // Requires every bit of `bits` to have occurred in the host's results.
  void expect_seen(const char* op, u16 bits) {
    for (int i = 0; i < 16; i++)
      if (((bits >> i) & 1) && seen[i] == 0) ADD_FAILURE() << op << ": no case set status bit " << i;
  }
  bool report(const char* op, u16 cw, F80 a, F80 b, const std::string& got, const std::string& want) {
    if (++fails <= 12)
      ADD_FAILURE() << op << " cw=" << std::hex << cw << " a=" << hex(a) << " b=" << hex(b) << " got " << got
                    << " want " << want;
    return false;
  }
};

std::string res(F80 r, u16 sw) {
  char b[80];
  snprintf(b, sizeof b, "%s sw=%04x", hex(r).c_str(), sw);
  return b;
}

using SoftBin = F80 (*)(FpEnv&, F80, F80);
using HostBin = u16 (*)(u16, F80, F80, F80*);

void check_binary(const char* name, SoftBin soft, HostBin host, int n, u16 cover, bool unary = false) {
  Rng rng;
  Counter c;
  for (int i = 0; i < scaled(n); i++) {
    F80 a = gen(rng), b = gen(rng, a.se & 0x7fff);
    u8 rc = rng.below(4), pc = (u8[]){0, 2, 3}[rng.below(3)];
    u16 cw = make_cw(rc, pc);
    F80 want;
    u16 sw = host(cw, a, b, &want);
    FpEnv env;
    env.rc = rc;
    env.pc = pc;
    F80 got = unary ? soft(env, a, a) : soft(env, a, b);
    u16 gsw = env.flags | (env.c1 ? kC1 : 0);
    u16 mask = kFlags | kC1;
    c.saw(sw);
    if (got.mant != want.mant || got.se != want.se || gsw != (sw & mask))
      c.report(name, cw, a, b, res(got, gsw), res(want, sw & mask));
  }
  c.expect_seen(name, cover);
  EXPECT_EQ(c.fails, 0) << name;
}

F80 soft_sqrt(FpEnv& e, F80 a, F80) { return f80_sqrt(e, a); }
F80 soft_rndint(FpEnv& e, F80 a, F80) { return f80_rndint(e, a); }
F80 soft_scale(FpEnv& e, F80 a, F80 b) { return f80_scale(e, a, b); }

// Compare and partial remainder results carry condition codes.
using SoftCc = u16 (*)(FpEnv&, F80, F80, F80*);
u16 soft_fcom(FpEnv& e, F80 a, F80 b, F80* r) {
  *r = a;
  return f80_compare(e, a, b, false);
}
u16 soft_fucom(FpEnv& e, F80 a, F80 b, F80* r) {
  *r = a;
  return f80_compare(e, a, b, true);
}
u16 soft_prem(FpEnv& e, F80 a, F80 b, F80* r) {
  u16 cc;
  *r = f80_prem(e, a, b, false, &cc);
  return cc;
}
u16 soft_prem1(FpEnv& e, F80 a, F80 b, F80* r) {
  u16 cc;
  *r = f80_prem(e, a, b, true, &cc);
  return cc;
}

void check_cc(const char* name, SoftCc soft, HostBin host, int n, u16 cover) {
  Rng rng;
  Counter c;
  for (int i = 0; i < scaled(n); i++) {
    F80 a = gen(rng), b = gen(rng, a.se & 0x7fff);
    if (i & 1) b = F80{b.mant, (u16)((b.se & 0x8000) | ((a.se + rng.below(160) - 80) & 0x7fff))};
    u8 rc = rng.below(4), pc = (u8[]){0, 2, 3}[rng.below(3)];
    u16 cw = make_cw(rc, pc);
    F80 want;
    u16 sw = host(cw, a, b, &want);
    FpEnv env;
    env.rc = rc;
    env.pc = pc;
    F80 got;
    u16 cc = soft(env, a, b, &got);
    u16 gsw = env.flags | cc | (env.c1 ? kC1 : 0);
    u16 mask = kFlags | kC0 | kC1 | kC2 | kC3;
    c.saw(sw);
    if (got.mant != want.mant || got.se != want.se || gsw != (sw & mask))
      c.report(name, cw, a, b, res(got, gsw), res(want, sw & mask));
  }
  c.expect_seen(name, cover);
  EXPECT_EQ(c.fails, 0) << name;
}

}  // namespace

constexpr u16 kAll = kFlags | kC1;
TEST(Float80, Add) { check_binary("fadd", f80_add, host_add, 150000, kAll & ~kZE); }
TEST(Float80, Sub) { check_binary("fsub", f80_sub, host_sub, 150000, kAll & ~kZE); }
TEST(Float80, Mul) { check_binary("fmul", f80_mul, host_mul, 150000, kAll & ~kZE); }
TEST(Float80, Div) { check_binary("fdiv", f80_div, host_div, 150000, kAll); }
TEST(Float80, Sqrt) { check_binary("fsqrt", soft_sqrt, host_sqrt, 60000, kIE | kDE | kPE | kC1, true); }
TEST(Float80, Rndint) { check_binary("frndint", soft_rndint, host_rndint, 60000, kIE | kDE | kPE | kC1, true); }

TEST(Float80, Scale) { check_binary("fscale", soft_scale, host_scale, 100000, kAll & ~kZE); }
TEST(Float80, Fcom) { check_cc("fcom", soft_fcom, host_fcom, 60000, kIE | kDE | kC0 | kC2 | kC3); }
TEST(Float80, Fucom) { check_cc("fucom", soft_fucom, host_fucom, 60000, kIE | kDE | kC0 | kC2 | kC3); }
TEST(Float80, Prem) { check_cc("fprem", soft_prem, host_prem, 100000, kIE | kDE | kC0 | kC1 | kC2 | kC3); }
TEST(Float80, Prem1) { check_cc("fprem1", soft_prem1, host_prem1, 100000, kIE | kDE | kC0 | kC1 | kC2 | kC3); }

// Every pair of a list of special operands, under every RC and PC.
const F80 kSpecials[] = {
    {0, 0}, {0, 0x8000},                                                      // zeros
    {1, 0}, {1, 0x8000}, {0x7FFFFFFFFFFFFFFFull, 0}, {0x4000000000000001ull, 0x8000},  // denormals
    {0x8000000000000000ull, 0}, {0xC000000000000001ull, 0x8000},             // pseudo-denormals
    {0x8000000000000000ull, 1}, {0x8000000000000000ull, 0x8001},             // smallest normals
    {~0ull, 0x7ffe}, {~0ull, 0xfffe},                                         // largest normals
    {0x8000000000000000ull, 0x3fff}, {0x8000000000000000ull, 0xbfff},       // ±1
    {0xC000000000000000ull, 0x3fff}, {0xA000000000000000ull, 0xc000},       // 1.5, -2.5
    {0xC000000000000000ull, 0x4000}, {0x8000000000000000ull, 0x3ffe},       // 3, 0.5
    {0xFFFFFFFFFFFFFFFFull, 0x403e}, {0x8000000000000000ull, 0xc03e},       // 2^64-1, -2^63
    {0xDE0B6B3A763FFFFull << 4, 0x403a},                                     // ~10^18
    {0x8000000000000000ull, 0x7fff}, {0x8000000000000000ull, 0xffff},       // ±inf
    {0xC000000000000000ull, 0xffff}, {0xC000000000000001ull, 0x7fff},       // QNaNs
    {0xC000000000000001ull, 0xffff}, {0xE000000000000000ull, 0x7fff},
    {0x8000000000000001ull, 0x7fff}, {0x8000000000000001ull, 0xffff},       // SNaNs
    {0xA000000000000000ull, 0x7fff}, {0xA000000000000000ull, 0xffff},
    {0x4000000000000000ull, 0x3fff}, {0, 0x7fff}, {0x4000000000000000ull, 0x7fff},  // unsupported
    {0x8000000000000400ull, 0x3ffe}, {0xFFFFFF8000000000ull, 0x0001},       // rounding ties
};

TEST(Float80, SpecialPairs) {
  struct Op {
    const char* name;
    SoftBin soft;
    SoftCc cc;
    HostBin host;
  } ops[] = {{"fadd", f80_add, nullptr, host_add},        {"fsub", f80_sub, nullptr, host_sub},
             {"fmul", f80_mul, nullptr, host_mul},        {"fdiv", f80_div, nullptr, host_div},
             {"fsqrt", soft_sqrt, nullptr, host_sqrt},    {"frndint", soft_rndint, nullptr, host_rndint},
             {"fscale", soft_scale, nullptr, host_scale}, {"fcom", nullptr, soft_fcom, host_fcom},
             {"fucom", nullptr, soft_fucom, host_fucom},  {"fprem", nullptr, soft_prem, host_prem},
             {"fprem1", nullptr, soft_prem1, host_prem1}};
  Counter c;
  for (const Op& op : ops)
    for (F80 a : kSpecials)
      for (F80 b : kSpecials)
        for (u8 rc = 0; rc < 4; rc++)
          for (u8 pc : {0, 2, 3}) {
            u16 cw = make_cw(rc, pc);
            F80 want, got;
            u16 sw = op.host(cw, a, b, &want);
            FpEnv env;
            env.rc = rc;
            env.pc = pc;
            u16 cc = 0, mask = kFlags | kC1;
            if (op.soft) {
              got = op.soft(env, a, b);
            } else {
              cc = op.cc(env, a, b, &got);
              mask |= kC0 | kC2 | kC3;
            }
            u16 gsw = env.flags | cc | (env.c1 ? kC1 : 0);
            if (got.mant != want.mant || got.se != want.se || gsw != (sw & mask))
              c.report(op.name, cw, a, b, res(got, gsw), res(want, sw & mask));
          }
  EXPECT_EQ(c.fails, 0);
}

// Unmasked OE/UE (SDM §8.5.4, §8.5.5): the x87 delivers the result with the
// exponent wrapped by 0x6000. FNSAVE reads it without triggering #MF.
#define HOSTU(name, bytes)                                                                            \
  u16 name(u16 cw, F80 a, F80 b, F80* out) {                                                          \
    Ext ea = ext(a), eb = ext(b);                                                                     \
    u8 save[108];                                                                                     \
    u16 sw;                                                                                           \
    asm volatile("fninit\n fldcw %[cw]\n fldt %[b]\n fldt %[a]\n fnclex\n" bytes                    \
                 "\n fnstsw %[sw]\n fnsave %[s]\n fninit"                                             \
                 : [sw] "=m"(sw), [s] "=m"(save)                                                      \
                 : [cw] "m"(cw), [a] "m"(ea), [b] "m"(eb));                                           \
    *out = F80{load_le<u64>(save + 28), load_le<u16>(save + 36)};                                    \
    return sw;                                                                                        \
  }
HOSTU(hostu_add, ".byte 0xd8, 0xc1")
HOSTU(hostu_mul, ".byte 0xd8, 0xc9")
HOSTU(hostu_div, ".byte 0xd8, 0xf1")
HOSTU(hostu_scale, ".byte 0xd9, 0xfd")

TEST(Float80, UnmaskedOverflowUnderflow) {
  struct Op {
    const char* name;
    SoftBin soft;
    HostBin host;
  } ops[] = {{"fadd", f80_add, hostu_add}, {"fmul", f80_mul, hostu_mul}, {"fdiv", f80_div, hostu_div},
             {"fscale", soft_scale, hostu_scale}};
  Rng rng;
  Counter c;
  int wrapped = 0;
  for (int i = 0; i < scaled(80000); i++) {
    const Op& op = ops[i & 3];
    F80 a = gen(rng), b = gen(rng, a.se & 0x7fff);
    if (op.soft == soft_scale) b = F80{(1ull << 63) | (rng.next() >> 1), (u16)((rng.next() & 0x8000) | (0x3fff + 13))};
    u8 rc = rng.below(4), pc = (u8[]){0, 2, 3}[rng.below(3)];
    u16 cw = make_cw(rc, pc) & ~(kOE | kUE);
    F80 want;
    u16 sw = op.host(cw, a, b, &want);
    if (!(sw & (kOE | kUE))) continue;
    FpEnv env;
    env.rc = rc;
    env.pc = pc;
    op.soft(env, a, b);
    if (!env.overflow && !env.tiny) {
      c.report(op.name, cw, a, b, "no OE/UE", res(want, sw));
      continue;
    }
    wrapped++;
    u16 gsw = (env.overflow ? kOE : kUE) | (env.wrapped_pe ? kPE : 0) | (env.wrapped_up ? kC1 : 0) |
              (env.flags & (kDE));
    u16 mask = kFlags | kC1;
    c.saw(sw);
    if (env.wrapped.mant != want.mant || env.wrapped.se != want.se || gsw != (sw & mask))
      c.report(op.name, cw, a, b, res(env.wrapped, gsw), res(want, sw & mask));
  }
  EXPECT_GT(wrapped, 5000);
  c.expect_seen("unmasked", kOE | kUE | kPE | kC1);
  EXPECT_EQ(c.fails, 0);
}

TEST(Float80, Xtract) {
  Rng rng;
  Counter c;
  for (int i = 0; i < scaled(40000); i++) {
    F80 a = gen(rng);
    Ext ea = ext(a), e1{}, e2{};
    u16 sw;
    asm volatile("fninit\n fldt %[a]\n fnclex\n fxtract\n fnstsw %[sw]\n fstpt %[s]\n fstpt %[e]\n fninit"
                 : [sw] "=m"(sw), [s] "=m"(e1), [e] "=m"(e2)
                 : [a] "m"(ea));
    FpEnv env;
    F80 ge, gs;
    f80_xtract(env, a, &ge, &gs);
    u16 gsw = env.flags;
    if (ge.mant != e2.mant || ge.se != e2.se || gs.mant != e1.mant || gs.se != e1.se || gsw != (sw & (kFlags | kC1)))
      c.report("fxtract", 0, a, a, res(gs, gsw) + " " + hex(ge), res(f80(e1), sw) + " " + hex(f80(e2)));
  }
  EXPECT_EQ(c.fails, 0);
}

// Stores to memory formats: FIST/FISTTP m16/m32/m64, FST m32/m64, FBSTP.
TEST(Float80, Stores) {
  Rng rng;
  Counter c;
  for (int i = 0; i < scaled(60000); i++) {
    F80 a = gen(rng);
    if (i & 1) a.se = (a.se & 0x8000) | (0x3fff + rng.below(70));  // integer range
    if ((i & 7) == 2) a.se = (a.se & 0x8000) | (0x3c01 - 60 + rng.below(120));  // double denormals
    if ((i & 7) == 4) a.se = (a.se & 0x8000) | (0x3f81 - 40 + rng.below(80));   // float denormals
    if ((i & 7) == 6) a.se = (a.se & 0x8000) | (0x43fe - 2 + rng.below(4));     // double overflow
    u8 rc = rng.below(4);
    u16 cw = make_cw(rc, (u8[]){0, 2, 3}[rng.below(3)]);  // PC must not matter
    Ext ea = ext(a);
    u16 sw[9];
    u16 i16v, t16;
    u32 i32v, t32, f32v;
    u64 i64v, t64, f64v;
    u8 bcd[10];
    asm volatile(
        "fninit\n fldcw %[cw]\n"
        "fldt %[a]\n fnclex\n fistps %[i16]\n fnstsw %[sw0]\n"
        "fldt %[a]\n fnclex\n fistpl %[i32]\n fnstsw %[sw1]\n"
        "fldt %[a]\n fnclex\n fistpll %[i64]\n fnstsw %[sw2]\n"
        "fldt %[a]\n fnclex\n fisttps %[t16]\n fnstsw %[sw3]\n"
        "fldt %[a]\n fnclex\n fisttpl %[t32]\n fnstsw %[sw4]\n"
        "fldt %[a]\n fnclex\n fisttpll %[t64]\n fnstsw %[sw5]\n"
        "fldt %[a]\n fnclex\n fstps %[f32]\n fnstsw %[sw6]\n"
        "fldt %[a]\n fnclex\n fstpl %[f64]\n fnstsw %[sw7]\n"
        "fldt %[a]\n fnclex\n fbstp %[bcd]\n fnstsw %[sw8]\n fninit"
        : [i16] "=m"(i16v), [i32] "=m"(i32v), [i64] "=m"(i64v), [t16] "=m"(t16), [t32] "=m"(t32),
          [t64] "=m"(t64), [f32] "=m"(f32v), [f64] "=m"(f64v), [bcd] "=m"(bcd), [sw0] "=m"(sw[0]),
          [sw1] "=m"(sw[1]), [sw2] "=m"(sw[2]), [sw3] "=m"(sw[3]), [sw4] "=m"(sw[4]), [sw5] "=m"(sw[5]),
          [sw6] "=m"(sw[6]), [sw7] "=m"(sw[7]), [sw8] "=m"(sw[8])
        : [cw] "m"(cw), [a] "m"(ea));
    const u64 want[8] = {i16v, i32v, i64v, t16, t32, t64, f32v, f64v};
    static const char* kNames[9] = {"fist16", "fist32", "fist64", "fisttp16", "fisttp32",
                                    "fisttp64", "fst32", "fst64", "fbstp"};
    for (int k = 0; k < 9; k++) {
      FpEnv env;
      env.rc = rc;
      u64 got = 0;
      u8 gb[10];
      if (k < 6) got = f80_to_int(env, a, k % 3 == 0 ? 2 : k % 3 == 1 ? 4 : 8, k >= 3);
      else if (k == 6) got = f80_to_f32(env, a);
      else if (k == 7) got = f80_to_f64(env, a);
      else f80_to_bcd(env, a, gb);
      u16 gsw = env.flags | (env.c1 ? kC1 : 0);
      bool same = k < 8 ? got == want[k] : memcmp(gb, bcd, 10) == 0;
      if (k >= 6) c.saw(sw[k]);
      if (!same || gsw != (sw[k] & (kFlags | kC1))) {
        char g[64], w[64];
        if (k < 8) {
          snprintf(g, sizeof g, "%llx sw=%x", (unsigned long long)got, gsw);
          snprintf(w, sizeof w, "%llx sw=%x", (unsigned long long)want[k], sw[k] & (kFlags | kC1));
        } else {
          snprintf(g, sizeof g, "%016llx%04x sw=%x", (unsigned long long)load_le<u64>(gb), load_le<u16>(gb + 8), gsw);
          snprintf(w, sizeof w, "%016llx%04x sw=%x", (unsigned long long)load_le<u64>(bcd), load_le<u16>(bcd + 8),
                   sw[k] & (kFlags | kC1));
        }
        c.report(kNames[k], cw, a, a, g, w);
      }
    }
  }
  c.expect_seen("stores", kIE | kOE | kUE | kPE | kC1);
  EXPECT_EQ(c.fails, 0);
}

// Loads: FILD m16/m32/m64, FLD m32/m64, FBLD.
TEST(Float80, Loads) {
  Rng rng;
  Counter c;
  for (int i = 0; i < scaled(60000); i++) {
    u64 v = rng.next() >> rng.below(64);
    if (rng.below(2)) v = ~v;
    u32 f = (u32)v;
    if (i % 5 == 1) f = (f & 0x807fffff) | (rng.below(2) ? 0x7f800000 : 0);
    u64 d = v;
    if (i % 5 == 2) d = (d & 0x800fffffffffffffull) | (rng.below(2) ? 0x7ff0000000000000ull : 0);
    u8 bcd[10];
    u64 dec = v;
    for (int k = 0; k < 9; k++) {
      bcd[k] = (u8)((dec % 10) | ((dec / 10 % 10) << 4));
      dec /= 100;
    }
    bcd[9] = (v & 1) ? 0x80 : 0;
    Ext r[6];
    u16 sw[6];
    asm volatile(
        "fninit\n"
        "fnclex\n filds %[w]\n fnstsw %[s0]\n fstpt %[r0]\n"
        "fnclex\n fildl %[dw]\n fnstsw %[s1]\n fstpt %[r1]\n"
        "fnclex\n fildll %[q]\n fnstsw %[s2]\n fstpt %[r2]\n"
        "fnclex\n flds %[f]\n fnstsw %[s3]\n fstpt %[r3]\n"
        "fnclex\n fldl %[d]\n fnstsw %[s4]\n fstpt %[r4]\n"
        "fnclex\n fbld %[b]\n fnstsw %[s5]\n fstpt %[r5]\n fninit"
        : [r0] "=m"(r[0]), [r1] "=m"(r[1]), [r2] "=m"(r[2]), [r3] "=m"(r[3]), [r4] "=m"(r[4]), [r5] "=m"(r[5]),
          [s0] "=m"(sw[0]), [s1] "=m"(sw[1]), [s2] "=m"(sw[2]), [s3] "=m"(sw[3]), [s4] "=m"(sw[4]), [s5] "=m"(sw[5])
        : [w] "m"(v), [dw] "m"(v), [q] "m"(v), [f] "m"(f), [d] "m"(d), [b] "m"(bcd));
    FpEnv env[6];
    F80 got[6] = {f80_from_int((i16)v), f80_from_int((i32)v), f80_from_int((i64)v),
                  f80_from_f32(env[3], f), f80_from_f64(env[4], d), f80_from_bcd(bcd)};
    for (int k = 0; k < 6; k++) {
      if (got[k].mant != r[k].mant || got[k].se != r[k].se || env[k].flags != (sw[k] & kFlags))
        c.report("load", k, F80{v, 0}, F80{d, 0}, res(got[k], env[k].flags), res(f80(r[k]), sw[k]));
    }
  }
  EXPECT_EQ(c.fails, 0);
}

#endif  // __x86_64__
