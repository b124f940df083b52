// The x87/SIMD groundwork: SIMD operand decoding, the availability checks
// (CR0.EM/TS, CR4.OSFXSR/OSXSAVE, XCR0), alignment rules and the upper-half
// rule of legacy vs VEX writes, through the SSE moves (sse_mov.def).
#include <gtest/gtest.h>

#include "cpu/decoder.h"
#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64 {
namespace {

Insn dec(std::initializer_list<u8> b, u8 code_size = 8) {
  std::vector<u8> v(b);
  Insn in;
  EXPECT_EQ(decode(v.data(), (u32)v.size(), DecodeMode{code_size, kAllFeatures}, in), DecodeStatus::Ok);
  return in;
}

TEST(SimdDecode, OperandKindsAndSizes) {
  Insn a = dec({0x44, 0x0f, 0x28, 0xc9});  // movaps xmm9, xmm1
  EXPECT_EQ(a.op[0].type, OpType::Xmm);
  EXPECT_EQ(a.op[0].reg, 9);
  EXPECT_EQ(a.op[1].reg, 1);
  EXPECT_EQ(a.op[0].size, 16);
  Insn b = dec({0xc5, 0xfc, 0x28, 0x00});  // vmovaps ymm0, [rax]
  EXPECT_EQ(b.op[0].type, OpType::Xmm);
  EXPECT_EQ(b.op[0].size, 32);
  EXPECT_EQ(b.op[1].type, OpType::Mem);
  EXPECT_EQ(b.op[1].size, 32);
  EXPECT_EQ(row_fp_class(*b.row), FpClass::Avx);
  EXPECT_EQ(row_fp_class(*a.row), FpClass::Sse);
  Insn c = dec({0x66, 0x0f, 0x6f, 0x04, 0x24});  // movdqa xmm0, [rsp]
  EXPECT_EQ(c.op[1].type, OpType::Mem);
  EXPECT_EQ(c.op[1].size, 16);
  // VEX.vvvv must be 1111b when no operand uses it (SDM Vol. 2A §2.3.6).
  Insn bad;
  const u8 vvvv[] = {0xc5, 0xf4, 0x28, 0xc1};
  EXPECT_EQ(decode(vvvv, 4, DecodeMode{8, kAllFeatures}, bad), DecodeStatus::Invalid);
}

struct SimdMachine : test::Machine {
  SimdMachine() : Machine(8) {
    cpu.features = kAllFeatures;
    cpu.s.cr4 |= kCR4_OSFXSR | kCR4_OSXSAVE;
    cpu.s.xcr0 = 7;
  }
};

TEST(SimdChecks, AvailabilityFaults) {
  SimdMachine m;
  m.cpu.s.cr4 &= ~(u64)kCR4_OSFXSR;
  m.run({0x0f, 0x28, 0xc1});  // movaps xmm0, xmm1
  EXPECT_TRUE(m.faulted_with(kExUD));
  SimdMachine n;
  n.cpu.s.cr0 |= kCR0_TS;
  n.run({0x0f, 0x28, 0xc1});
  EXPECT_TRUE(n.faulted_with(kExNM));
  SimdMachine e;
  e.cpu.s.cr0 |= kCR0_EM;
  e.run({0x0f, 0x28, 0xc1});
  EXPECT_TRUE(e.faulted_with(kExUD));
  SimdMachine x;
  x.cpu.s.xcr0 = 3;  // AVX state disabled
  x.run({0xc5, 0xf8, 0x28, 0xc1});
  EXPECT_TRUE(x.faulted_with(kExUD));
}

TEST(SimdChecks, Alignment) {
  SimdMachine m;
  m.r(RAX) = 0x2008;
  m.run({0x0f, 0x28, 0x00});  // movaps xmm0, [rax]: misaligned
  EXPECT_TRUE(m.faulted_with(kExGP));
  SimdMachine u;
  u.r(RAX) = 0x2008;
  u.put<u64>(0x2008, 0x1122334455667788ull);
  u.run({0x0f, 0x10, 0x00});  // movups: any address
  EXPECT_EQ(u.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(u.cpu.s.ymm[0].q[0], 0x1122334455667788ull);
  SimdMachine v;
  v.r(RAX) = 0x2008;
  v.run({0xc5, 0xf8, 0x10, 0x00});  // vmovups xmm0, [rax]
  EXPECT_EQ(v.cpu.exit, ExitReason::Budget);
  SimdMachine w;
  w.r(RAX) = 0x2010;
  w.run({0xc5, 0xfc, 0x28, 0x00});  // vmovaps ymm0, [rax]: needs 32-byte alignment
  EXPECT_TRUE(w.faulted_with(kExGP));
}

TEST(SimdWrites, UpperHalfRule) {
  SimdMachine m;
  for (int k = 0; k < 4; ++k) m.cpu.s.ymm[0].q[k] = ~0ull;
  m.cpu.s.ymm[1].q[0] = 5;
  m.run({0x0f, 0x28, 0xc1});  // movaps xmm0, xmm1: YMM0[255:128] kept
  EXPECT_EQ(m.cpu.s.ymm[0].q[0], 5u);
  EXPECT_EQ(m.cpu.s.ymm[0].q[1], 0u);
  EXPECT_EQ(m.cpu.s.ymm[0].q[2], ~0ull);
  EXPECT_EQ(m.cpu.s.ymm[0].q[3], ~0ull);
  m.load(0x1000, {0xc5, 0xf8, 0x28, 0xc1});  // vmovaps xmm0, xmm1: upper zeroed
  for (int k = 0; k < 4; ++k) m.cpu.s.ymm[0].q[k] = ~0ull;
  m.run(1);
  EXPECT_EQ(m.cpu.s.ymm[0].q[0], 5u);
  EXPECT_EQ(m.cpu.s.ymm[0].q[2], 0u);
  EXPECT_EQ(m.cpu.s.ymm[0].q[3], 0u);
}

}  // namespace
}  // namespace pc64
