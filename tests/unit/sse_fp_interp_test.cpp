// SSE floating-point handlers through the interpreter: the unmasked
// exception rule (no destination write, #XM or #UD by CR4.OSXMMEXCPT),
// MXCSR flag accumulation over lanes, LDMXCSR reserved bits, MOVSS merge vs
// zeroing, CVTSS2SI indefinite, the MMX transition of CVTPS2PI.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64 {
namespace {

struct FpMachine : test::Machine {
  FpMachine() : Machine(8) {
    cpu.features = kAllFeatures;
    cpu.s.cr4 |= kCR4_OSFXSR | kCR4_OSXMMEXCPT;
  }
};

TEST(SseFp, PackedFlagsOredAndUnmaskedNoWrite) {
  FpMachine m;
  // xmm0 = {1, 1, 1, 1}, xmm1 = {0, 3, 1, 1}: 1/0 (ZE) and 1/3 (PE).
  for (int k = 0; k < 4; ++k) m.cpu.s.ymm[0].d[k] = 0x3f800000;
  m.cpu.s.ymm[1].d[0] = 0;
  m.cpu.s.ymm[1].d[1] = 0x40400000;
  m.cpu.s.ymm[1].d[2] = m.cpu.s.ymm[1].d[3] = 0x3f800000;
  m.run({0x0f, 0x5e, 0xc1});  // divps xmm0, xmm1
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.mxcsr, 0x1f80u | 0x4 | 0x20);
  EXPECT_EQ(m.cpu.s.ymm[0].d[0], 0x7f800000u);
  EXPECT_EQ(m.cpu.s.ymm[0].d[1], 0x3eaaaaabu);

  FpMachine u;  // ZE unmasked: ZE set, PE (post-computation) not, no write, #XM
  for (int k = 0; k < 4; ++k) u.cpu.s.ymm[0].d[k] = 0x3f800000;
  u.cpu.s.ymm[1] = m.cpu.s.ymm[1];
  u.cpu.s.ymm[1].d[0] = 0;
  u.cpu.s.ymm[1].d[1] = 0x40400000;
  u.cpu.s.ymm[1].d[2] = u.cpu.s.ymm[1].d[3] = 0x3f800000;
  u.cpu.s.mxcsr = 0x1f80 & ~0x200u;
  u.run({0x0f, 0x5e, 0xc1});
  EXPECT_TRUE(u.faulted_with(kExXM));
  EXPECT_EQ(u.cpu.s.mxcsr, (0x1f80u & ~0x200u) | 0x4);
  EXPECT_EQ(u.cpu.s.ymm[0].d[0], 0x3f800000u);

  FpMachine n;  // without CR4.OSXMMEXCPT: #UD
  n.cpu.s.cr4 &= ~(u64)kCR4_OSXMMEXCPT;
  n.cpu.s.mxcsr = 0x1f80 & ~0x1000u;  // PE unmasked
  n.cpu.s.ymm[0].d[0] = 0x3f800000;
  n.cpu.s.ymm[1].d[0] = 0x40400000;
  n.run({0xf3, 0x0f, 0x5e, 0xc1});  // divss xmm0, xmm1
  EXPECT_TRUE(n.faulted_with(kExUD));
  EXPECT_EQ(n.cpu.s.mxcsr & 0x3f, 0x20u);
  EXPECT_EQ(n.cpu.s.ymm[0].d[0], 0x3f800000u);
}

TEST(SseFp, LdmxcsrReservedBits) {
  FpMachine m;
  m.put<u32>(0x2000, 0x10000);
  m.r(RAX) = 0x2000;
  m.run({0x0f, 0xae, 0x10});  // ldmxcsr [rax]
  EXPECT_TRUE(m.faulted_with(kExGP));
  FpMachine g;
  g.put<u32>(0x2000, 0xffff);
  g.r(RAX) = 0x2000;
  g.run({0x0f, 0xae, 0x10, 0x0f, 0xae, 0x18}, 2);  // ldmxcsr [rax]; stmxcsr [rax]
  EXPECT_EQ(g.cpu.s.mxcsr, 0xffffu);
  EXPECT_EQ(g.m<u32>(0x2000), 0xffffu);
}

TEST(SseFp, MovssMergeAndZero) {
  FpMachine m;
  for (int k = 0; k < 4; ++k) m.cpu.s.ymm[0].d[k] = 7, m.cpu.s.ymm[1].d[k] = 9;
  m.run({0xf3, 0x0f, 0x10, 0xc1});  // movss xmm0, xmm1: merge
  EXPECT_EQ(m.cpu.s.ymm[0].d[0], 9u);
  EXPECT_EQ(m.cpu.s.ymm[0].d[1], 7u);
  m.put<u32>(0x2000, 5);
  m.r(RAX) = 0x2000;
  m.load(0x1000, {0xf3, 0x0f, 0x10, 0x00});  // movss xmm0, [rax]: zero upper
  m.run(1);
  EXPECT_EQ(m.cpu.s.ymm[0].d[0], 5u);
  EXPECT_EQ(m.cpu.s.ymm[0].d[1], 0u);
  EXPECT_EQ(m.cpu.s.ymm[0].d[3], 0u);
}

TEST(SseFp, CvtIndefiniteAndMmxTransition) {
  FpMachine m;
  m.cpu.s.ymm[1].d[0] = 0x7fc00000;  // QNaN
  m.run({0xf3, 0x48, 0x0f, 0x2d, 0xc1});  // cvtss2si rax, xmm1
  EXPECT_EQ(m.r(RAX), 0x8000000000000000ull);
  EXPECT_EQ(m.cpu.s.mxcsr & 0x3f, 1u);
  FpMachine p;
  p.cpu.s.fpu.fsw = 5u << 11;
  p.cpu.s.fpu.ftw = 0xffff;
  p.cpu.s.ymm[1].d[0] = 0x3fc00000;  // 1.5 -> 2 (nearest even)
  p.cpu.s.ymm[1].d[1] = 0xc0200000;  // -2.5 -> -2
  p.run({0x0f, 0x2d, 0xc1});  // cvtps2pi mm0, xmm1
  EXPECT_EQ(p.cpu.s.fpu.r[0].mant, 0xfffffffe00000002ull);
  EXPECT_EQ(p.cpu.s.fpu.r[0].se, 0xffffu);
  EXPECT_EQ((p.cpu.s.fpu.fsw >> 11) & 7, 0);
  EXPECT_EQ(p.cpu.s.fpu.ftw, 0x5556u);  // R0 special (exponent ones), R1-R7 zero
}

// RCPSS/RSQRTSS: within the SDM's relative error bound |err| <= 1.5 * 2^-12
// (the bits themselves are model specific), no flags, specials exact.
TEST(SseFp, RcpRsqrtBound) {
  std::mt19937 rng(7);
  for (int n = 0; n < 2000; ++n) {
    u32 x = (rng() & 0x007fffff) | ((u32)(rng() % 250 + 2) << 23);
    for (int rsqrt = 0; rsqrt < 2; ++rsqrt) {
      FpMachine m;
      m.cpu.s.ymm[1].d[0] = x;
      m.run({0xf3, 0x0f, (u8)(rsqrt ? 0x52 : 0x53), 0xc1});
      float fx, fr;
      std::memcpy(&fx, &x, 4);
      std::memcpy(&fr, &m.cpu.s.ymm[0].d[0], 4);
      const double exact = rsqrt ? 1.0 / std::sqrt((double)fx) : 1.0 / fx;
      if (!rsqrt && std::fabs(exact) < 0x1p-126) continue;  // tiny results flush
      EXPECT_LE(std::fabs(fr / exact - 1.0), 1.5 * 0x1p-12) << std::hex << x;
      EXPECT_EQ(m.cpu.s.mxcsr, 0x1f80u);
    }
  }
  FpMachine z;
  z.cpu.s.ymm[1].d[0] = 0x80000001;  // denormal: read as -0 -> -inf
  z.run({0xf3, 0x0f, 0x53, 0xc1});
  EXPECT_EQ(z.cpu.s.ymm[0].d[0], 0xff800000u);
  FpMachine q;
  q.cpu.s.ymm[1].d[0] = 0xbf800000;  // rsqrt(-1): QNaN indefinite
  q.run({0xf3, 0x0f, 0x52, 0xc1});
  EXPECT_EQ(q.cpu.s.ymm[0].d[0], 0xffc00000u);
  EXPECT_EQ(q.cpu.s.mxcsr, 0x1f80u);
}

}  // namespace
}  // namespace pc64
