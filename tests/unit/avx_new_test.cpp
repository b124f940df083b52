// The FMA3/F16C/AVX2 rows of fma.def, f16c.def and avx_new.def: decoding
// rules (VEX.W0/W1 in every mode, VEX.L, vvvv = 1111b, availability) and
// the masked moves' fault suppression (SDM Vol. 2C "VMASKMOV": masked-off
// elements are not accessed and cannot fault; a faulting selected element
// leaves memory unchanged).
#include <gtest/gtest.h>

#include "cpu/cpu.h"
#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64 {
namespace {

struct AvxMachine : test::Machine {
  explicit AvxMachine(int code_size = 8) : Machine(code_size) {
    cpu.features = kAllFeatures;
    cpu.s.cr4 |= kCR4_OSFXSR | kCR4_OSXSAVE | kCR4_OSXMMEXCPT;
    cpu.s.xcr0 = 7;
    cpu.s.mxcsr = 0x1f80;
  }
  bool ok(std::initializer_list<u8> code) { return run(code) == ExitReason::Budget; }
};

Insn dec(std::initializer_list<u8> b, int mode = 8) {
  Insn i;
  const std::vector<u8> v(b);
  if (decode(v.data(), (u32)v.size(), {(u8)mode, kAllFeatures}, i) != DecodeStatus::Ok) i.row = nullptr;
  return i;
}

TEST(AvxNew, DecodeRules) {
  // vfmadd231ps / vfmadd231pd xmm0,xmm1,xmm2: VEX.W selects PS/PD, also in
  // 32-bit mode (C4 with R̄X̄B̄ = 111 is VEX there).
  EXPECT_EQ(dec({0xC4, 0xE2, 0x71, 0xB8, 0xC2}).row->mn, Mn::VFMADD231PS);
  EXPECT_EQ(dec({0xC4, 0xE2, 0xF1, 0xB8, 0xC2}).row->mn, Mn::VFMADD231PD);
  EXPECT_EQ(dec({0xC4, 0xE2, 0xF1, 0xB8, 0xC2}, 4).row->mn, Mn::VFMADD231PD);
  EXPECT_EQ(dec({0xC4, 0xE2, 0x75, 0xB8, 0xC2}).op[0].size, 32);  // VEX.256
  // Scalar forms ignore VEX.L and still name an XMM register.
  const Insn s = dec({0xC4, 0xE2, 0x75, 0xB9, 0xC2});
  ASSERT_TRUE(s.row);
  EXPECT_EQ(s.row->mn, Mn::VFMADD231SS);
  EXPECT_EQ(s.op[0].size, 16);
  // VPERMQ is VEX.256.W1 only: W0 or L0 is #UD.
  EXPECT_TRUE(dec({0xC4, 0xE3, 0xFD, 0x00, 0xC1, 0x1B}).row);
  EXPECT_FALSE(dec({0xC4, 0xE3, 0x7D, 0x00, 0xC1, 0x1B}).row);
  EXPECT_FALSE(dec({0xC4, 0xE3, 0xF9, 0x00, 0xC1, 0x1B}).row);
  // VCVTPH2PS has no vvvv operand: vvvv != 1111b is #UD; its memory operand
  // is 8 bytes (VEX.128) or 16 (VEX.256).
  EXPECT_TRUE(dec({0xC4, 0xE2, 0x79, 0x13, 0xC1}).row);
  EXPECT_FALSE(dec({0xC4, 0xE2, 0x71, 0x13, 0xC1}).row);
  EXPECT_EQ(dec({0xC4, 0xE2, 0x79, 0x13, 0x00}).op[1].size, 8);
  EXPECT_EQ(dec({0xC4, 0xE2, 0x7D, 0x13, 0x00}).op[1].size, 16);
  // VBROADCASTSD needs VEX.L = 1; VBROADCASTF128 takes memory only.
  EXPECT_FALSE(dec({0xC4, 0xE2, 0x79, 0x19, 0x00}).row);
  EXPECT_TRUE(dec({0xC4, 0xE2, 0x7D, 0x19, 0x00}).row);
  EXPECT_FALSE(dec({0xC4, 0xE2, 0x7D, 0x1A, 0xC0}).row);
  // The masked moves have memory forms only.
  EXPECT_FALSE(dec({0xC4, 0xE2, 0x71, 0x2C, 0xC0}).row);
}

TEST(AvxNew, Availability) {
  AvxMachine m;
  // vfmadd231ps xmm0,xmm1,xmm2 without CR4.OSXSAVE: #UD; with CR0.TS: #NM.
  m.cpu.s.cr4 &= ~(u64)kCR4_OSXSAVE;
  m.run({0xC4, 0xE2, 0x71, 0xB8, 0xC2});
  EXPECT_TRUE(m.faulted_with(kExUD));
  AvxMachine n;
  n.cpu.s.xcr0 = 3;  // AVX state not enabled
  n.run({0xC4, 0xE2, 0x71, 0xB8, 0xC2});
  EXPECT_TRUE(n.faulted_with(kExUD));
  AvxMachine t;
  t.cpu.s.cr0 |= kCR0_TS;
  t.run({0xC4, 0xE2, 0x71, 0xB8, 0xC2});
  EXPECT_TRUE(t.faulted_with(kExNM));
}

TEST(AvxNew, FmaThroughInterpreter) {
  AvxMachine m;
  // vfmadd213ps ymm0,ymm1,ymm2: ymm0 = ymm1 * ymm0 + ymm2, all 8 lanes.
  for (int k = 0; k < 8; ++k) {
    m.cpu.s.ymm[0].d[k] = 0x40000000;  // 2
    m.cpu.s.ymm[1].d[k] = 0x40400000;  // 3
    m.cpu.s.ymm[2].d[k] = 0x3f800000;  // 1
  }
  ASSERT_TRUE(m.ok({0xC4, 0xE2, 0x75, 0xA8, 0xC2}));
  for (int k = 0; k < 8; ++k) EXPECT_EQ(m.cpu.s.ymm[0].d[k], 0x40e00000u);  // 7
  // VEX.128 zeroes bits 255:128; vfmaddsub231ps xmm0,xmm1,xmm2 subtracts in
  // even lanes: 3 * 1 -/+ 7.
  ASSERT_TRUE(m.ok({0xC4, 0xE2, 0x71, 0xB6, 0xC2}));
  EXPECT_EQ(m.cpu.s.ymm[0].d[0], 0xc0800000u);  // 3 - 7 = -4
  EXPECT_EQ(m.cpu.s.ymm[0].d[1], 0x41200000u);  // 3 + 7 = 10
  EXPECT_EQ(m.cpu.s.ymm[0].q[2], 0u);
  EXPECT_EQ(m.cpu.s.ymm[0].q[3], 0u);
  // An unmasked exception (IM clear: inf * 0) writes nothing: #XM.
  m.cpu.s.ymm[1].d[0] = 0x7f800000;
  m.cpu.s.ymm[2].d[0] = 0;
  m.cpu.s.mxcsr = 0x1f80 & ~0x80u;
  const u32 before = m.cpu.s.ymm[0].d[0];
  m.run({0xC4, 0xE2, 0x71, 0xB8, 0xC2});
  EXPECT_TRUE(m.faulted_with(kExXM));
  EXPECT_EQ(m.cpu.s.ymm[0].d[0], before);
  EXPECT_EQ(m.cpu.s.mxcsr & 0x3f, 1u);
}

// vmaskmovps [eax],xmm1,xmm2 / vmaskmovps xmm3,xmm1,[eax] in 32-bit mode,
// with DS's limit ending inside the operand.
constexpr u32 kAt = 0x2000;
TEST(AvxNew, MaskedStoreSuppressesFaults) {
  AvxMachine m(4);
  m.cpu.s.seg[DS].limit = kAt + 7;  // elements 0 and 1 inside, 2 and 3 beyond
  m.r(RAX) = kAt;
  for (int k = 0; k < 4; ++k) m.cpu.s.ymm[2].d[k] = 0x11111111u * (k + 1);
  m.cpu.s.ymm[1] = Vec256{};
  m.cpu.s.ymm[1].d[1] = 0x80000000u;  // only element 1
  ASSERT_TRUE(m.ok({0xC4, 0xE2, 0x71, 0x2E, 0x10}));
  EXPECT_EQ(m.m<u32>(kAt), 0u);
  EXPECT_EQ(m.m<u32>(kAt + 4), 0x22222222u);
  EXPECT_EQ(m.m<u32>(kAt + 8), 0u);
  // Element 3 selected too: #GP(0), and element 1 is not written either.
  m.put<u32>(kAt + 4, 0);
  m.cpu.s.ymm[1].d[3] = 0x80000000u;
  m.run({0xC4, 0xE2, 0x71, 0x2E, 0x10});
  EXPECT_TRUE(m.faulted_with(kExGP));
  EXPECT_EQ(m.m<u32>(kAt + 4), 0u);
}

TEST(AvxNew, MaskedLoadSuppressesFaults) {
  AvxMachine m(4);
  m.cpu.s.seg[DS].limit = kAt + 7;
  m.r(RAX) = kAt;
  m.put<u32>(kAt, 0xaaaaaaaau);
  m.put<u32>(kAt + 4, 0xbbbbbbbbu);
  m.cpu.s.ymm[1] = Vec256{};
  m.cpu.s.ymm[1].d[0] = 0x80000000u;
  for (int k = 0; k < 8; ++k) m.cpu.s.ymm[3].d[k] = 0xffffffffu;
  ASSERT_TRUE(m.ok({0xC4, 0xE2, 0x71, 0x2C, 0x18}));
  EXPECT_EQ(m.cpu.s.ymm[3].d[0], 0xaaaaaaaau);
  for (int k = 1; k < 8; ++k) EXPECT_EQ(m.cpu.s.ymm[3].d[k], 0u) << k;  // masked off, and VEX.128
  m.cpu.s.ymm[1].d[2] = 0x80000000u;  // beyond the limit: #GP, no write
  m.run({0xC4, 0xE2, 0x71, 0x2C, 0x18});
  EXPECT_TRUE(m.faulted_with(kExGP));
  EXPECT_EQ(m.cpu.s.ymm[3].d[0], 0xaaaaaaaau);
}

}  // namespace
}  // namespace pc64
