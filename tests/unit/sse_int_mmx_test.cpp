// Integer SIMD (sse_int_*.cpp): the MMX state effects (SDM Vol. 1 §9.5,
// Vol. 3A §12.2, §12.5.1) and lane results checked against values the host
// CPU (AMD Zen) produced for the same inputs.
#include <gtest/gtest.h>

#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64 {
namespace {

struct SimdMachine : test::Machine {
  SimdMachine() : Machine(8) {
    cpu.features = kAllFeatures;
    cpu.s.cr4 |= kCR4_OSFXSR | kCR4_OSXSAVE;
    cpu.s.xcr0 = 7;
  }
};

TEST(MmxState, TopTagsAndExponent) {
  SimdMachine m;
  m.cpu.s.fpu.fsw = 0x3800 | 0x0041;  // TOP = 7, C0/IE left as they are
  m.cpu.s.fpu.ftw = 0xFFFF;
  m.cpu.s.fpu.r[1].mant = 0x0102030405060708ull;
  m.cpu.s.fpu.r[1].se = 0x1234;
  m.cpu.s.fpu.r[2].mant = 0x1111111111111111ull;
  m.cpu.s.fpu.r[2].se = 0x4000;
  m.run({0x0f, 0xfc, 0xca});  // paddb mm1, mm2
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.fpu.r[1].mant, 0x1213141516171819ull);
  EXPECT_EQ(m.cpu.s.fpu.r[1].se, 0xFFFF);  // written register: bits 79:64 all ones
  EXPECT_EQ(m.cpu.s.fpu.r[2].se, 0x4000);  // read only: unchanged
  EXPECT_EQ(m.cpu.s.fpu.fsw, 0x0041);      // TOP = 0, other bits kept
  EXPECT_EQ(m.cpu.s.fpu.ftw, 0x5569);      // none empty: R1, R2 special, the rest zero
  m.load(0x1000, {0x0f, 0x77});            // emms
  m.run(1);
  EXPECT_EQ(m.cpu.s.fpu.ftw, 0xFFFF);
}

TEST(MmxState, StoreTouchesTagsOnly) {
  SimdMachine m;
  m.cpu.s.fpu.fsw = 0x2000;
  m.cpu.s.fpu.ftw = 0xFFFF;
  m.cpu.s.fpu.r[3].mant = 0x8877665544332211ull;
  m.cpu.s.fpu.r[3].se = 0x0001;
  m.r(RAX) = 0x2000;
  m.run({0x0f, 0x7f, 0x18});  // movq [rax], mm3
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.mem64(0x2000), 0x8877665544332211ull);
  EXPECT_EQ(m.cpu.s.fpu.r[3].se, 0x0001);
  EXPECT_EQ(m.cpu.s.fpu.fsw, 0x0000);
  EXPECT_EQ(m.cpu.s.fpu.ftw, 0x5515);  // R3 valid, the rest zero (FSTENV tags)
}

TEST(MmxState, PendingX87ExceptionIsMF) {
  SimdMachine m;
  m.cpu.s.cr0 |= kCR0_NE;
  m.cpu.s.fpu.fsw = 0x0081;  // ES with IE unmasked-pending
  m.cpu.s.fpu.ftw = 0xFFFF;
  m.run({0x0f, 0x77});  // emms
  EXPECT_TRUE(m.faulted_with(kExMF));
  EXPECT_EQ(m.cpu.s.fpu.ftw, 0xFFFF);
  SimdMachine e;
  e.cpu.s.cr0 |= kCR0_EM;
  e.run({0x0f, 0xfc, 0xca});  // paddb: #UD with CR0.EM
  EXPECT_TRUE(e.faulted_with(kExUD));
}

TEST(MmxState, MovdZeroExtendsAndGprForms) {
  SimdMachine m;
  m.r(RAX) = 0xFFFFFFFF80000001ull;
  m.run({0x0f, 0x6e, 0xc0});  // movd mm0, eax
  EXPECT_EQ(m.cpu.s.fpu.r[0].mant, 0x80000001ull);
  m.load(0x1000, {0x48, 0x0f, 0x7e, 0xc3});  // movq rbx, mm0
  m.run(1);
  EXPECT_EQ(m.r(RBX), 0x80000001ull);
  m.cpu.s.ymm[1].q[1] = 0x55;
  m.cpu.s.ymm[1].q[2] = 0x66;
  m.load(0x1000, {0xf3, 0x0f, 0xd6, 0xc8});  // movq2dq xmm1, mm0
  m.run(1);
  EXPECT_EQ(m.cpu.s.ymm[1].q[0], 0x80000001ull);
  EXPECT_EQ(m.cpu.s.ymm[1].q[1], 0u);     // bits 127:64 cleared
  EXPECT_EQ(m.cpu.s.ymm[1].q[2], 0x66u);  // legacy: 255:128 kept
}

// Lane results: inputs and outputs from the host CPU.
TEST(SimdIntLanes, MmxNarrowingForms) {
  SimdMachine m;
  m.cpu.s.fpu.r[0].mant = 0x7fff800000ff0100ull;
  m.cpu.s.fpu.r[1].mant = 0xff7f0080fffe0002ull;
  m.run({0x0f, 0x63, 0xc1});  // packsswb mm0, mm1
  EXPECT_EQ(m.cpu.s.fpu.r[0].mant, 0x807ffe027f807f7full);
  m.cpu.s.fpu.r[2].mant = 0x7fff7fff80008000ull;
  m.cpu.s.fpu.r[3].mant = 0x0001ffff12340004ull;
  m.load(0x1000, {0x0f, 0x38, 0x03, 0xd3});  // phaddsw mm2, mm3
  m.run(1);
  EXPECT_EQ(m.cpu.s.fpu.r[2].mant, 0x000012387fff8000ull);
}

TEST(SimdIntLanes, XmmForms) {
  SimdMachine m;
  m.cpu.s.ymm[0].q[0] = 0x0123456789abcdefull;
  m.cpu.s.ymm[0].q[1] = 0xfedcba9876543210ull;
  m.cpu.s.ymm[1].q[0] = 0x8000800080007fffull;
  m.cpu.s.ymm[1].q[1] = 0x00ff7f8001020304ull;
  m.run({0x66, 0x0f, 0x38, 0x04, 0xc1});  // pmaddubsw xmm0, xmm1
  EXPECT_EQ(m.cpu.s.ymm[0].q[0], 0xff80dd80bb8064c4ull);
  EXPECT_EQ(m.cpu.s.ymm[0].q[1], 0xff241046011e00d6ull);
  m.cpu.s.ymm[2].q[0] = 0x0004000300020001ull;
  m.cpu.s.ymm[2].q[1] = 0x0008000700060005ull;
  m.cpu.s.ymm[3].q[0] = 0x0000000000000000ull;
  m.cpu.s.ymm[3].q[1] = 0x0000000000000000ull;
  m.load(0x1000, {0x66, 0x0f, 0x3a, 0x42, 0xd3, 0x05});  // mpsadbw xmm2, xmm3, 5
  m.run(1);
  EXPECT_EQ(m.cpu.s.ymm[2].q[0], 0x000b000900090007ull);
  EXPECT_EQ(m.cpu.s.ymm[2].q[1], 0x000f000d000d000bull);
}

}  // namespace
}  // namespace pc64
