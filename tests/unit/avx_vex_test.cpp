// The VEX forms of the legacy SSE..SSE4.2 rows (VROW in the .def files):
// the upper-half rule (SDM Vol. 1 §14.1.3: VEX.128 zeroes bits 255:128 of
// the destination, legacy SSE keeps them), the encoding rules of Vol. 2A
// §2.3 (66/F2/F3/REX before VEX, VEX.L = 1 without a 256-bit form, unused
// VEX.vvvv), the AVX availability rule, and the forms whose VEX operands
// differ from the legacy ones (VMOVSS merge, shifts by imm8 into vvvv,
// VPBLENDVB's is4 mask, widening/narrowing conversions, 32 VCMPPS
// predicates, VZEROUPPER/VZEROALL).
#include <gtest/gtest.h>

#include <vector>

#include "cpu/decoder.h"
#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64 {
namespace {

DecodeStatus try_dec(std::initializer_list<u8> b, Insn* in, u8 code_size = 8) {
  std::vector<u8> v(b);
  return decode(v.data(), (u32)v.size(), DecodeMode{code_size, kAllFeatures}, *in);
}

struct AvxMachine : test::Machine {
  AvxMachine() : Machine(8) {
    cpu.features = kAllFeatures;
    cpu.s.cr4 |= kCR4_OSFXSR | kCR4_OSXSAVE;
    cpu.s.xcr0 = 7;
    for (int r = 0; r < 16; ++r)
      for (int q = 0; q < 4; ++q) cpu.s.ymm[r].q[q] = 0x0101010101010101ull * (u64)(16 * r + q + 1);
  }
  const Vec256& y(int r) const { return cpu.s.ymm[r]; }
};

TEST(AvxVex, RowsShareTheLegacyHandlerAndNameTheVForm) {
  Insn in;
  ASSERT_EQ(try_dec({0xc5, 0xf1, 0xfc, 0xc2}, &in), DecodeStatus::Ok);  // vpaddb xmm0, xmm1, xmm2
  EXPECT_EQ(in.row->mn, Mn::PADDB);
  EXPECT_STREQ(in.row->name, "VPADDB");
  EXPECT_EQ(in.row->feature, Feature::AVX);
  EXPECT_EQ(row_fp_class(*in.row), FpClass::Avx);
  ASSERT_EQ(try_dec({0xc5, 0xf5, 0xfc, 0xc2}, &in), DecodeStatus::Ok);  // vpaddb ymm0, ymm1, ymm2
  EXPECT_EQ(in.row->feature, Feature::AVX2);
  EXPECT_EQ(in.op[0].size, 32);
  // Without AVX2 the VEX.256 integer form does not exist.
  std::vector<u8> b = {0xc5, 0xf5, 0xfc, 0xc2};
  EXPECT_EQ(decode(b.data(), 4, DecodeMode{8, kAllFeatures & ~(1ull << (int)Feature::AVX2)}, in),
            DecodeStatus::Invalid);
}

TEST(AvxVex, EncodingRules) {
  Insn in;
  // 66, F2, F3 or REX before VEX: #UD (SDM Vol. 2A §2.3.2).
  EXPECT_EQ(try_dec({0x66, 0xc5, 0xf1, 0xfc, 0xc2}, &in), DecodeStatus::Invalid);
  EXPECT_EQ(try_dec({0xf3, 0xc5, 0xf1, 0xfc, 0xc2}, &in), DecodeStatus::Invalid);
  EXPECT_EQ(try_dec({0xf2, 0xc5, 0xf1, 0xfc, 0xc2}, &in), DecodeStatus::Invalid);
  EXPECT_EQ(try_dec({0x41, 0xc5, 0xf1, 0xfc, 0xc2}, &in), DecodeStatus::Invalid);
  // VEX.L = 1 where there is no 256-bit form: VMOVD, VPEXTRW, VPHMINPOSUW, VLDMXCSR.
  EXPECT_EQ(try_dec({0xc5, 0xfd, 0x6e, 0xc0}, &in), DecodeStatus::Invalid);
  EXPECT_EQ(try_dec({0xc5, 0xfd, 0xc5, 0xc0, 0x01}, &in), DecodeStatus::Invalid);
  EXPECT_EQ(try_dec({0xc4, 0xe2, 0x7d, 0x41, 0xc1}, &in), DecodeStatus::Invalid);
  EXPECT_EQ(try_dec({0xc5, 0xfc, 0xae, 0x10}, &in), DecodeStatus::Invalid);
  // Scalar forms are VEX.LIG: vaddss with L = 1 is still vaddss.
  ASSERT_EQ(try_dec({0xc5, 0xf6, 0x58, 0xc2}, &in), DecodeStatus::Ok);
  EXPECT_EQ(in.row->mn, Mn::ADDSS);
  // VEX.vvvv must be 1111b where no operand uses it (§2.3.6): vpshufd.
  EXPECT_EQ(try_dec({0xc5, 0xf1, 0x70, 0xc1, 0x1b}, &in), DecodeStatus::Invalid);
  EXPECT_EQ(try_dec({0xc5, 0xf9, 0x70, 0xc1, 0x1b}, &in), DecodeStatus::Ok);
}

TEST(AvxVex, UpperHalfRule) {
  AvxMachine m;
  const Vec256 y0 = m.y(0), y1 = m.y(1), y2 = m.y(2);
  m.run({0xc5, 0xf1, 0xfc, 0xc2});  // vpaddb xmm0, xmm1, xmm2: 255:128 zeroed
  ASSERT_EQ(m.cpu.exit, ExitReason::Budget);
  for (int k = 0; k < 16; ++k) EXPECT_EQ(m.y(0).b[k], (u8)(y1.b[k] + y2.b[k]));
  EXPECT_EQ(m.y(0).q[2], 0u);
  EXPECT_EQ(m.y(0).q[3], 0u);
  EXPECT_EQ(m.y(1).q[2], y1.q[2]);  // sources untouched
  AvxMachine n;
  n.run({0x66, 0x0f, 0xfc, 0xc2});  // paddb xmm0, xmm2: legacy keeps 255:128
  for (int k = 0; k < 16; ++k) EXPECT_EQ(n.y(0).b[k], (u8)(y0.b[k] + y2.b[k]));
  EXPECT_EQ(n.y(0).q[2], y0.q[2]);
  EXPECT_EQ(n.y(0).q[3], y0.q[3]);
  AvxMachine w;
  w.run({0xc5, 0xf5, 0xfc, 0xc2});  // vpaddb ymm0, ymm1, ymm2: both lanes
  for (int k = 0; k < 32; ++k) EXPECT_EQ(w.y(0).b[k], (u8)(y1.b[k] + y2.b[k]));
  // A VEX.128 store-form register move (vmovups xmm1, xmm0 via 11 /r) zeroes too.
  AvxMachine s;
  s.run({0xc5, 0xf8, 0x11, 0xc1});
  EXPECT_EQ(s.y(1).q[0], y0.q[0]);
  EXPECT_EQ(s.y(1).q[2], 0u);
}

TEST(AvxVex, Availability) {
  AvxMachine ts;
  ts.cpu.s.cr0 |= kCR0_TS;
  ts.run({0xc5, 0xf1, 0xfc, 0xc2});
  EXPECT_TRUE(ts.faulted_with(kExNM));
  AvxMachine nox;
  nox.cpu.s.cr4 &= ~(u64)kCR4_OSXSAVE;
  nox.run({0xc5, 0xf1, 0xfc, 0xc2});
  EXPECT_TRUE(nox.faulted_with(kExUD));
  AvxMachine noymm;
  noymm.cpu.s.xcr0 = 3;
  noymm.run({0xc5, 0xf1, 0xfc, 0xc2});
  EXPECT_TRUE(noymm.faulted_with(kExUD));
  // VLDMXCSR follows the AVX rule, LDMXCSR the SSE one.
  AvxMachine v;
  v.cpu.s.cr4 &= ~(u64)kCR4_OSXSAVE;
  v.r(RAX) = 0x2000;
  v.put<u32>(0x2000, 0x1f80);
  v.run({0xc5, 0xf8, 0xae, 0x10});  // vldmxcsr [rax]
  EXPECT_TRUE(v.faulted_with(kExUD));
  AvxMachine l;
  l.cpu.s.cr4 &= ~(u64)kCR4_OSXSAVE;
  l.r(RAX) = 0x2000;
  l.put<u32>(0x2000, 0x1fc0);
  l.run({0x0f, 0xae, 0x10});  // ldmxcsr [rax]
  EXPECT_EQ(l.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(l.cpu.s.mxcsr, 0x1fc0u);
  // VEX forms take unaligned operands except the aligned moves.
  AvxMachine u;
  u.r(RAX) = 0x2004;
  u.run({0xc5, 0xf1, 0xfc, 0x00});  // vpaddb xmm0, xmm1, [rax]
  EXPECT_EQ(u.cpu.exit, ExitReason::Budget);
  AvxMachine a;
  a.r(RAX) = 0x2010;
  a.run({0xc5, 0xfd, 0xe7, 0x00});  // vmovntdq [rax], ymm0: 32-byte alignment
  EXPECT_TRUE(a.faulted_with(kExGP));
}

TEST(AvxVex, ThreeOperandMergesAndShifts) {
  AvxMachine m;
  const Vec256 y1 = m.y(1), y2 = m.y(2);
  m.run({0xc5, 0xf2, 0x10, 0xc2});  // vmovss xmm0, xmm1, xmm2
  EXPECT_EQ(m.y(0).d[0], y2.d[0]);
  EXPECT_EQ(m.y(0).d[1], y1.d[1]);
  EXPECT_EQ(m.y(0).q[1], y1.q[1]);
  EXPECT_EQ(m.y(0).q[2], 0u);
  AvxMachine h;
  h.run({0xc5, 0xf0, 0x12, 0xc2});  // vmovhlps xmm0, xmm1, xmm2
  EXPECT_EQ(h.y(0).q[0], y2.q[1]);
  EXPECT_EQ(h.y(0).q[1], y1.q[1]);
  EXPECT_EQ(h.y(0).q[2], 0u);
  AvxMachine s;
  s.run({0xc5, 0xf9, 0x71, 0xf1, 0x04});  // vpsllw xmm0, xmm1, 4: vvvv is the destination
  for (int k = 0; k < 8; ++k) EXPECT_EQ(s.y(0).w[k], (u16)(y1.w[k] << 4));
  EXPECT_EQ(s.y(0).q[2], 0u);
  EXPECT_EQ(s.y(1).q[0], y1.q[0]);
}

TEST(AvxVex, BlendvMaskFromIs4) {
  AvxMachine m;
  m.cpu.s.ymm[3] = Vec256{};
  m.cpu.s.ymm[3].b[0] = 0x80;
  m.cpu.s.ymm[3].b[5] = 0xff;
  m.cpu.s.ymm[0].b[1] = 0x80;  // XMM0 is not the VEX form's mask
  const Vec256 y1 = m.y(1), y2 = m.y(2);
  m.run({0xc4, 0xe3, 0x71, 0x4c, 0xc2, 0x30});  // vpblendvb xmm0, xmm1, xmm2, xmm3
  for (int k = 0; k < 16; ++k) EXPECT_EQ(m.y(0).b[k], (k == 0 || k == 5) ? y2.b[k] : y1.b[k]);
  EXPECT_EQ(m.y(0).q[2], 0u);
}

TEST(AvxVex, ConversionSizes) {
  AvxMachine m;
  for (int k = 0; k < 4; ++k) m.cpu.s.ymm[1].d[k] = (u32)(k - 2);
  m.run({0xc5, 0xfe, 0xe6, 0xc1});  // vcvtdq2pd ymm0, xmm1
  const double want[4] = {-2.0, -1.0, 0.0, 1.0};
  for (int k = 0; k < 4; ++k) {
    double d;
    __builtin_memcpy(&d, &m.y(0).q[k], 8);
    EXPECT_EQ(d, want[k]);
  }
  AvxMachine n;
  for (int k = 0; k < 4; ++k) {
    const double d = 1.5 * (k + 1);
    __builtin_memcpy(&n.cpu.s.ymm[1].q[k], &d, 8);
  }
  n.run({0xc5, 0xfd, 0x5a, 0xc1});  // vcvtpd2ps xmm0, ymm1
  for (int k = 0; k < 4; ++k) {
    float f;
    __builtin_memcpy(&f, &n.y(0).d[k], 4);
    EXPECT_EQ(f, 1.5f * (float)(k + 1));
  }
  EXPECT_EQ(n.y(0).q[2], 0u);
  EXPECT_EQ(n.y(0).q[3], 0u);
}

TEST(AvxVex, CmpPredicates) {
  // imm8 15 TRUE_UQ, 11 FALSE_OQ, 29 GE_OQ (SDM Vol. 2A "CMPPS" Table 3-1).
  auto run = [](u8 imm, float a, float b) {
    AvxMachine m;
    for (int k = 0; k < 4; ++k) {
      __builtin_memcpy(&m.cpu.s.ymm[1].d[k], &a, 4);
      __builtin_memcpy(&m.cpu.s.ymm[2].d[k], &b, 4);
    }
    m.run({0xc5, 0xf0, 0xc2, 0xc2, imm});  // vcmpps xmm0, xmm1, xmm2, imm
    EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
    return m.y(0).d[0];
  };
  EXPECT_EQ(run(15, 1.0f, 2.0f), ~0u);
  EXPECT_EQ(run(11, 1.0f, 1.0f), 0u);
  EXPECT_EQ(run(29, 2.0f, 1.0f), ~0u);
  EXPECT_EQ(run(29, 1.0f, 2.0f), 0u);
  EXPECT_EQ(run(8, __builtin_nanf(""), 1.0f), ~0u);  // EQ_UQ: unordered is true
  EXPECT_EQ(run(0, __builtin_nanf(""), 1.0f), 0u);
}

TEST(AvxVex, ZeroUpperAndZeroAll) {
  AvxMachine m;
  const Vec256 y9 = m.y(9);
  m.run({0xc5, 0xf8, 0x77});  // vzeroupper
  for (int r = 0; r < 16; ++r) {
    EXPECT_EQ(m.y(r).q[2], 0u);
    EXPECT_EQ(m.y(r).q[3], 0u);
  }
  EXPECT_EQ(m.y(9).q[0], y9.q[0]);
  AvxMachine a;
  a.run({0xc5, 0xfc, 0x77});  // vzeroall
  for (int r = 0; r < 16; ++r)
    for (int q = 0; q < 4; ++q) EXPECT_EQ(a.y(r).q[q], 0u);
}

}  // namespace
}  // namespace pc64
