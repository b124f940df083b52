// x87 transcendentals: known results (bit patterns and FSW measured on the
// AMD Zen 4 host, as the differential tester compares them), the argument
// reduction with the 66-bit pi, special operands, the stack rules of the
// pushing forms, and the interpreter paths (FLDPI; FSIN and friends).
#include <gtest/gtest.h>

#include "cpu/fpu/float80.h"
#include "cpu/interp/x87.h"
#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64 {
namespace {

using namespace fpu;

constexpr u64 J = 1ull << 63;
constexpr F80 kOne{J, 0x3fff}, kHalf{J, 0x3ffe};
constexpr F80 kPiRn{0xC90FDAA22168C235ull, 0x4000};  // FLDPI, round to nearest

bool same(F80 a, F80 b) { return a.mant == b.mant && a.se == b.se; }
#define EXPECT_F80(v, se_, mant_) \
  do {                            \
    F80 v_ = (v);                 \
    EXPECT_EQ(v_.se, se_);        \
    EXPECT_EQ(v_.mant, mant_);    \
  } while (0)

TEST(X87Trans, SinCosOfPiUseThe66BitPi) {
  // pi rounded to 64 bits minus P (0x3243F6A8885A308D3 * 2^-64) is exactly
  // 2^-64, so sin gives -2^-64 (host), not -sin(x - pi) with the true pi.
  FpEnv e;
  bool oor;
  EXPECT_F80(f80_sin(e, kPiRn, &oor), 0xbfbf, J);
  EXPECT_FALSE(oor);
  EXPECT_EQ(e.flags, kPE);
  EXPECT_TRUE(e.c1);  // the exact -2^-64 * (1 - tiny) was rounded up in magnitude
  FpEnv c;
  EXPECT_F80(f80_cos(c, kPiRn, &oor), 0xbfff, J);  // -1
  EXPECT_TRUE(c.c1);
}

TEST(X87Trans, KnownValues) {
  FpEnv e;
  EXPECT_F80(f80_2xm1(e, kHalf), 0x3ffd, 0xd413cccfe7799211ull);  // sqrt(2) - 1
  EXPECT_EQ(e.flags, kPE);
  EXPECT_FALSE(e.c1);
  FpEnv l;
  EXPECT_F80(f80_yl2x(l, F80{J, 0x4002}, kOne), 0x4000, 0xc000000000000000ull);  // log2(8) = 3
  EXPECT_EQ(l.flags, kPE);  // exact, still inexact on the host
  FpEnv l5;
  EXPECT_F80(f80_yl2x(l5, F80{0xa000000000000000ull, 0x4001}, kOne), 0x4000, 0x949a784bcd1b8afeull);
  FpEnv p;
  EXPECT_F80(f80_yl2xp1(p, kHalf, kOne), 0x3ffe, 0x95c01a39fbd687a0ull);  // log2(1.5)
  EXPECT_TRUE(p.c1);
  FpEnv a;
  EXPECT_F80(f80_atan2(a, kOne, kOne), 0x3ffe, 0xc90fdaa22168c235ull);  // pi/4
  EXPECT_TRUE(a.c1);
  FpEnv sc;
  F80 s, co;
  bool oor;
  f80_sincos(sc, kOne, &s, &co, &oor);
  EXPECT_F80(s, 0x3ffe, 0xd76aa47848677021ull);
  EXPECT_F80(co, 0x3ffe, 0x8a51407da8345c92ull);
  EXPECT_TRUE(sc.c1);  // the sine's rounding
  FpEnv t;
  EXPECT_F80(f80_tan(t, F80{0xC90FDAA22168C235ull, 0x3ffe}, &oor), 0x3fff, J);  // tan(pi/4) rounds to 1
  EXPECT_FALSE(t.c1);
}

TEST(X87Trans, RoundingModesAndPrecisionControlIgnored) {
  // F2XM1(1): the host rounds as if just below 1.
  FpEnv rn, rd;
  rd.rc = kRoundDown;
  EXPECT_F80(f80_2xm1(rn, kOne), 0x3fff, J);
  EXPECT_TRUE(rn.c1);
  EXPECT_F80(f80_2xm1(rd, kOne), 0x3ffe, ~0ull);
  // The library rounds to 64 bits whatever env.pc says (x87_env passes 64).
  FpEnv up;
  up.rc = kRoundUp;
  EXPECT_F80(f80_2xm1(up, kHalf), 0x3ffd, 0xd413cccfe7799212ull);
}

TEST(X87Trans, SpecialOperands) {
  bool oor;
  FpEnv e;
  EXPECT_TRUE(same(f80_sin(e, F80{J, 0x403e}, &oor), F80{J, 0x403e}));  // 2^63: out of range
  EXPECT_TRUE(oor);
  EXPECT_EQ(e.flags, 0);
  FpEnv i;
  EXPECT_TRUE(same(f80_cos(i, F80{J, 0x7fff}, &oor), kIndefinite));  // cos(inf)
  EXPECT_EQ(i.flags, kIE);
  FpEnv d;  // sin of a denormal: itself, DE UE PE, rounded up
  EXPECT_F80(f80_sin(d, F80{0x1234, 0}, &oor), 0, 0x1234ull);
  EXPECT_EQ(d.flags, kDE | kUE | kPE);
  EXPECT_TRUE(d.c1);
  FpEnv pd;  // a pseudo-denormal comes out normalized, no UE
  EXPECT_F80(f80_sin(pd, F80{J | 0x1234, 0}, &oor), 1, J | 0x1234);
  EXPECT_EQ(pd.flags, kDE | kPE);
  FpEnv u;
  EXPECT_TRUE(same(f80_2xm1(u, F80{0x1234, 0x3fff}), kIndefinite));  // unnormal
  EXPECT_EQ(u.flags, kIE);
  FpEnv big;  // outside F2XM1's range the host returns x
  EXPECT_F80(f80_2xm1(big, F80{0xc000000000000000ull, 0x4000}), 0x4000, 0xc000000000000000ull);
  EXPECT_EQ(big.flags, kPE);
  FpEnv z;  // log2(0): divide by zero, -inf for y > 0
  EXPECT_F80(f80_yl2x(z, F80{0, 0}, kOne), 0xffff, J);
  EXPECT_EQ(z.flags, kZE);
  FpEnv n;
  EXPECT_TRUE(same(f80_yl2x(n, F80{J, 0xbfff}, kOne), kIndefinite));  // log of -1
  FpEnv q;  // a QNaN passes through, quiet
  EXPECT_F80(f80_atan2(q, kOne, F80{J | (1ull << 62) | 5, 0x7fff}), 0x7fff, J | (1ull << 62) | 5);
  EXPECT_EQ(q.flags, 0);
  FpEnv s;  // an SNaN is quieted with IE
  EXPECT_F80(f80_sin(s, F80{J | 5, 0x7fff}, &oor), 0x7fff, J | (1ull << 62) | 5);
  EXPECT_EQ(s.flags, kIE);
  FpEnv m1;  // FYL2XP1 with x <= -1: x (host)
  EXPECT_F80(f80_yl2xp1(m1, F80{J, 0xc000}, kOne), 0xc000, J);
  EXPECT_EQ(m1.flags, kPE);
  FpEnv at;  // atan2(+0, -0) = pi
  EXPECT_F80(f80_atan2(at, F80{0, 0}, F80{0, 0x8000}), 0x4000, 0xc90fdaa22168c235ull);
}

TEST(X87Trans, ReductionNearMultiplesOfHalfPi) {
  // x = 0xC90FDAA22168C234 * 2^-62 is P - 3 * 2^-64 exactly: n = 2, and
  // sin(x) = sin(P - x) = 3 * 2^-64 * (1 - tiny), rounded up (host).
  bool oor;
  FpEnv e;
  EXPECT_F80(f80_sin(e, F80{0xC90FDAA22168C234ull, 0x4000}, &oor), 0x3fc0, 0xc000000000000000ull);
  EXPECT_FALSE(oor);
  EXPECT_TRUE(e.c1);
  EXPECT_EQ(e.flags, kPE);
}

struct TransMachine : test::Machine {
  TransMachine() : Machine(8) {
    cpu.features = kAllFeatures;
    cpu.s.cr0 |= kCR0_NE | kCR0_MP;
    cpu.s.cr4 |= kCR4_OSFXSR;
    cpu.s.fpu.fcw = 0x037f;
    cpu.s.fpu.fsw = 0;
    cpu.s.fpu.ftw = 0xffff;
  }
  F80 st(int i) const {
    const X87Reg& r = cpu.s.fpu.r[(((cpu.s.fpu.fsw >> 11) & 7) + i) & 7];
    return F80{r.mant, r.se};
  }
  int top() const { return (cpu.s.fpu.fsw >> 11) & 7; }
};

TEST(X87Trans, FldpiFsin) {
  TransMachine m;
  m.run({0xd9, 0xeb, 0xd9, 0xfe}, 2);  // fldpi; fsin
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_TRUE(same(m.st(0), F80{J, 0xbfbf}));
  EXPECT_EQ(m.cpu.s.fpu.fsw & 0x47ff, kC1 | kPE);
}

TEST(X87Trans, Fyl2xOfEightAndOne) {
  TransMachine m;
  // fld1 (y); fld1; fadd st,st; fadd st,st; fadd st,st (x = 8); fyl2x
  m.run({0xd9, 0xe8, 0xd9, 0xe8, 0xd8, 0xc0, 0xd8, 0xc0, 0xd8, 0xc0, 0xd9, 0xf1}, 6);
  EXPECT_TRUE(same(m.st(0), F80{0xc000000000000000ull, 0x4000}));
  EXPECT_EQ(m.top(), 7);
  EXPECT_EQ(m.cpu.s.fpu.fsw & 0x3f, kPE);
}

TEST(X87Trans, FptanPushesOneAndFsincosPushesCos) {
  TransMachine m;
  m.run({0xd9, 0xee, 0xd9, 0xf2}, 2);  // fldz; fptan
  EXPECT_EQ(m.top(), 6);
  EXPECT_TRUE(same(m.st(0), kOne));
  EXPECT_TRUE(same(m.st(1), F80{0, 0}));
  TransMachine s;
  s.run({0xd9, 0xe8, 0xd9, 0xfb}, 2);  // fld1; fsincos
  EXPECT_TRUE(same(s.st(0), F80{0x8a51407da8345c92ull, 0x3ffe}));
  EXPECT_TRUE(same(s.st(1), F80{0xd76aa47848677021ull, 0x3ffe}));
  EXPECT_EQ(s.cpu.s.fpu.fsw & kC1, kC1);
}

TEST(X87Trans, OutOfRangeSetsC2AndLeavesTheStack) {
  TransMachine m;
  m.put<u64>(0x3000, J);
  m.put<u16>(0x3008, 0x403e);  // 2^63
  m.r(RAX) = 0x3000;
  m.run({0xdb, 0x28, 0xd9, 0xf2}, 2);  // fld tword [rax]; fptan
  EXPECT_EQ(m.top(), 7);  // nothing pushed
  EXPECT_TRUE(same(m.st(0), F80{J, 0x403e}));
  EXPECT_EQ(m.cpu.s.fpu.fsw & (kC2 | kC1 | 0x3f), kC2);
}

TEST(X87Trans, StackFaults) {
  TransMachine u;  // empty ST(0): underflow, masked: indefinite, C1 = 0
  u.run({0xd9, 0xfe}, 1);  // fsin
  EXPECT_EQ(u.cpu.s.fpu.fsw & (kFswSF | kIE | kC1), kFswSF | kIE);
  EXPECT_TRUE(same(u.st(0), kIndefinite));
  TransMachine o;  // FSINCOS with ST(7) in use: overflow, C1 = 1
  o.cpu.s.fpu.ftw = 0x0000;
  o.run({0xd9, 0xfb}, 1);
  EXPECT_EQ(o.cpu.s.fpu.fsw & (kFswSF | kIE | kC1), kFswSF | kIE | kC1);
  EXPECT_TRUE(same(o.st(0), kIndefinite));
  EXPECT_TRUE(same(o.st(1), kIndefinite));
  TransMachine b;  // FPATAN with ST(1) empty, IE unmasked: nothing changes
  b.cpu.s.fpu.fcw = 0x037e;
  b.run({0xd9, 0xe8, 0xd9, 0xf3}, 2);  // fld1; fpatan
  EXPECT_EQ(b.top(), 7);
  EXPECT_EQ(b.cpu.s.fpu.fsw & (kFswES | kFswSF | kIE), kFswES | kFswSF | kIE);
}

TEST(X87Trans, KeepsC0AndC3) {
  TransMachine m;
  m.cpu.s.fpu.fsw = kC0 | kC3;
  m.run({0xd9, 0xe8, 0xd9, 0xf0}, 2);  // fld1; f2xm1 -> 1, rounded up
  EXPECT_EQ(m.cpu.s.fpu.fsw & kFswCC, kC0 | kC3 | kC1);
}

}  // namespace
}  // namespace pc64
