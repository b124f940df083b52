// Hand-written cases for the misc group: NOPs, fences, CPUID, RDTSC/RDTSCP,
// RDRAND/RDSEED, RDPID and UD0/UD1/UD2. CPUID, the time-stamp counter and the
// random-number instructions are host-dependent, so the differential tester
// skips them (NOTEST) and these tests are their coverage.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "test_machine.h"
#include "cpu/cpuid.h"

using namespace pc64;

namespace {

using Machine = pc64::test::Machine;

}  // namespace

namespace {

constexpr u64 fbit(Feature f) { return 1ull << (int)f; }

struct CpuidOut {
  u32 a, b, c, d;
};
CpuidOut query(const Cpu& cpu, u32 leaf, u32 sub = 0) {
  CpuidOut r;
  cpuid(cpu, leaf, sub, &r.a, &r.b, &r.c, &r.d);
  return r;
}

}  // namespace

TEST(InterpMisc, NopsAndHints) {
  Machine m(8);
  // nop; nop dword [rax+rax]; nop word [rax+rax+0]; pause; mfence; lfence;
  // sfence; prefetchnta [rax]; prefetchw [rax]; nop ecx (0F 19); endbr64;
  // clflush [rax]
  m.r(RAX) = 0x2000;
  const u64 before = m.r(RAX);
  m.run({0x90, 0x0F, 0x1F, 0x44, 0x00, 0x00, 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00,
         0x00, 0xF3, 0x90, 0x0F, 0xAE, 0xF0, 0x0F, 0xAE, 0xE8, 0x0F, 0xAE, 0xF8, 0x0F, 0x18,
         0x00, 0x0F, 0x0D, 0x08, 0x0F, 0x19, 0xC1, 0xF3, 0x0F, 0x1E, 0xFA, 0x0F, 0xAE, 0x38},
        12);
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u + 42);
  EXPECT_EQ(m.r(RAX), before);
}

TEST(InterpMisc, UndefinedOpcodes) {
  Machine m(8);
  EXPECT_EQ(m.run({0x0F, 0x0B}), ExitReason::Exception);  // ud2
  EXPECT_TRUE(m.faulted_with(kExUD));
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
  m.run({0x0F, 0xB9, 0xC0});  // ud1 eax, eax
  EXPECT_TRUE(m.faulted_with(kExUD));
  m.run({0x0F, 0xFF, 0xC0});  // ud0 eax, eax
  EXPECT_TRUE(m.faulted_with(kExUD));
  m.run({0x0F, 0x0D, 0xC8});  // prefetchw with a register operand
  EXPECT_TRUE(m.faulted_with(kExUD));
}

TEST(InterpMisc, CpuidVendorAndBrand) {
  Machine m(8);
  m.r(RAX) = 0;
  m.r(RBX) = 0xffffffff00000000ull;
  m.run({0x0F, 0xA2});
  char vendor[13] = {};
  std::memcpy(vendor, &m.r(RBX), 4);
  std::memcpy(vendor + 4, &m.r(RDX), 4);
  std::memcpy(vendor + 8, &m.r(RCX), 4);
  EXPECT_STREQ(vendor, "GenuineIntel");
  EXPECT_EQ(m.r(RAX), 0x16u);  // leaf 16H (frequencies) is the highest basic leaf
  char brand[49] = {};
  for (u32 k = 0; k < 3; ++k) {
    const CpuidOut r = query(m.cpu, 0x80000002u + k);
    std::memcpy(brand + 16 * k, &r, 16);
  }
  EXPECT_STREQ(brand, "pc64 virtual CPU");
  EXPECT_EQ(query(m.cpu, 0x80000000u).a, 0x80000008u);
  EXPECT_EQ(query(m.cpu, 0x80000008u).a & 0xff00, 57u << 8);  // LA57 (5-level paging)
  EXPECT_TRUE(query(m.cpu, 7).c & (1u << 16));
  // Beyond the maximum: the highest basic leaf.
  EXPECT_EQ(query(m.cpu, 0x40000000u).a, query(m.cpu, 0x16).a);
  EXPECT_EQ(query(m.cpu, 0x40000000u).b, query(m.cpu, 0x16).b);
}

// The TSC frequency, for Linux to skip calibration: 1 GHz from leaf 15H
// (crystal * EBX / EAX) and 16H (MHz), invariant per 80000007H.
TEST(InterpMisc, CpuidTscFrequency) {
  Machine m(8);
  const CpuidOut l15 = query(m.cpu, 0x15);
  ASSERT_NE(l15.a, 0u);
  EXPECT_EQ((u64)l15.c * l15.b / l15.a, 1000000000ull);
  EXPECT_EQ(query(m.cpu, 0x16).a, 1000u);
  EXPECT_TRUE(query(m.cpu, 0x80000007u).d & (1u << 8));
}

TEST(InterpMisc, CpuidFollowsFeatures) {
  Machine m(8);
  m.cpu.features = default_features();
  const u64 f = m.cpu.features;
  EXPECT_TRUE(f & fbit(Feature::BASE));
  EXPECT_TRUE(f & fbit(Feature::BMI1));
  EXPECT_TRUE(f & fbit(Feature::BMI2));
  EXPECT_TRUE(f & fbit(Feature::POPCNT));
  EXPECT_TRUE(f & fbit(Feature::SSE));
  EXPECT_TRUE(f & fbit(Feature::FPU));
  EXPECT_TRUE(f & fbit(Feature::SSE42));
  EXPECT_FALSE(f & fbit(Feature::AVX));  // held back until XSAVE is reported
  EXPECT_FALSE(f & fbit(Feature::XSAVE));
  const CpuidOut l1 = query(m.cpu, 1);
  EXPECT_TRUE(l1.d & 1);            // x87
  EXPECT_TRUE(l1.d & (1u << 24));   // FXSR
  EXPECT_TRUE(l1.d & (1u << 25));   // SSE
  EXPECT_TRUE(l1.d & (1u << 26));   // SSE2
  EXPECT_FALSE(l1.c & (1u << 28));  // no AVX
  EXPECT_TRUE(l1.d & (1u << 4));    // TSC
  EXPECT_TRUE(l1.c & (1u << 23));   // POPCNT
  EXPECT_TRUE(l1.c & (1u << 22));   // MOVBE
  EXPECT_TRUE(l1.c & (1u << 20));   // SSE4.2
  EXPECT_TRUE(l1.d & (1u << 7));     // MCE (CR4.MCE is accepted)
  EXPECT_TRUE(l1.c & (1u << 3));    // MONITOR, while IA32_MISC_ENABLE[18] = 1
  m.cpu.s.misc_enable &= ~(1ull << 18);
  EXPECT_FALSE(query(m.cpu, 1).c & (1u << 3));
  m.cpu.s.misc_enable |= 1ull << 18;
  const CpuidOut l7 = query(m.cpu, 7);
  EXPECT_TRUE(l7.b & (1u << 3));   // BMI1
  EXPECT_TRUE(l7.b & (1u << 8));   // BMI2
  EXPECT_TRUE(l7.b & (1u << 19));  // ADX
  EXPECT_TRUE(l7.c & (1u << 16));  // LA57 (5-level paging)
  const CpuidOut e1 = query(m.cpu, 0x80000001u);
  EXPECT_TRUE(e1.d & (1u << 29));  // LM
  EXPECT_TRUE(e1.c & (1u << 5));   // LZCNT
  m.cpu.features &= ~fbit(Feature::BMI1);
  EXPECT_FALSE(query(m.cpu, 7).b & (1u << 3));
  EXPECT_EQ(query(m.cpu, 7, 1).b, 0u);  // subleaf 1: nothing
}

TEST(InterpMisc, RdtscIsVirtualTime) {
  Machine m(8);
  m.cpu.s.tsc_offset = 0x100000000ull;
  m.cpu.icount = 5;
  m.r(RAX) = m.r(RDX) = ~0ull;
  m.run({0x0F, 0x31});
  EXPECT_EQ(m.r(RAX), 5u);
  EXPECT_EQ(m.r(RDX), 1u);
  m.cpu.s.tsc_aux = 0x1234;
  m.run({0x0F, 0x01, 0xF9});  // rdtscp
  EXPECT_EQ(m.r(RAX), 6u);
  EXPECT_EQ(m.r(RCX), 0x1234u);
  m.run({0xF3, 0x0F, 0xC7, 0xF8});  // rdpid rax
  EXPECT_EQ(m.r(RAX), 0x1234u);
}

TEST(InterpMisc, RdtscFaultsWithTsdAtCpl3) {
  Machine m(8);
  m.cpu.set_flat_mode(8, 3);
  m.cpu.s.cr4 |= 1u << 2;  // TSD
  EXPECT_EQ(m.run({0x0F, 0x31}), ExitReason::Exception);
  EXPECT_TRUE(m.faulted_with(kExGP));
}

TEST(InterpMisc, Rdrand) {
  Machine m(8);
  m.set_flags(kZF | kOF);
  m.run({0x48, 0x0F, 0xC7, 0xF0, 0x48, 0x0F, 0xC7, 0xF1}, 2);  // rdrand rax; rdrand rcx
  EXPECT_EQ(m.flags(), (u64)kCF);
  EXPECT_NE(m.r(RAX), m.r(RCX));
  m.run({0x0F, 0xC7, 0xFA});  // rdseed edx
  EXPECT_EQ(m.r(RDX) >> 32, 0u);
  EXPECT_EQ(m.flags(), (u64)kCF);
  m.run({0x66, 0x0F, 0xC7, 0xF3});  // rdrand bx
  EXPECT_EQ(m.r(RBX) >> 16, 0u);
}
