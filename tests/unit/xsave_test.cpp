// The XSAVE feature set (interp/xsave.cpp, interp/fxsave_area.cpp): area
// layouts (SDM Vol. 1 §13.4, §13.5), XSAVE/XSAVEOPT/XSAVEC/XSAVES, the init
// optimization and the fault rules of XRSTOR/XRSTORS (§13.7-§13.12), XGETBV
// with ECX = 1, XSETBV, CPUID leaf 0DH, IA32_XSS, VZEROUPPER/VZEROALL.
// Expected bytes are from the SDM's tables; the layout of the legacy region
// matches what an AMD Zen host's XSAVE writes for the same state (bytes
// 416..511 untouched, the six bytes above each ST register written as 0).
#include <gtest/gtest.h>

#include "cpu/cpuid.h"
#include "cpu/decoder.h"
#include "cpu/interp/xsave.h"
#include "cpu/system/control_regs.h"
#include "cpu/system/msr.h"
#include "test_machine.h"

namespace pc64 {
namespace {

constexpr u64 fbit(Feature f) { return 1ull << (int)f; }
constexpr u64 kArea = 0x4000;  // 64-byte aligned

// Instructions with [rbx] (EDX:EAX is the instruction mask).
#define XSAVE_RBX 0x0F, 0xAE, 0x23
#define XRSTOR_RBX 0x0F, 0xAE, 0x2B
#define XSAVEOPT_RBX 0x0F, 0xAE, 0x33
#define XSAVEC_RBX 0x0F, 0xC7, 0x23
#define XSAVES_RBX 0x0F, 0xC7, 0x2B
#define XRSTORS_RBX 0x0F, 0xC7, 0x1B

struct XMachine : test::Machine {
  explicit XMachine(int code_size = 8, int cpl = 0) : Machine(code_size, cpl) {
    cpu.features = kAllFeatures;
    cpu.s.cr4 |= kCR4_OSFXSR | kCR4_OSXSAVE;
    cpu.s.xcr0 = 7;
    r(RBX) = kArea;
    std::fill(ram.begin() + kArea, ram.begin() + kArea + 1024, 0xAA);
    std::fill(ram.begin() + kArea + 512, ram.begin() + kArea + 576, 0);
  }
  void mask(u64 m) {
    r(RAX) = (m & 0xffffffffu) | 0xdead000000000000ull;  // upper halves are ignored
    r(RDX) = (m >> 32) | 0xbeef000000000000ull;
  }
  bool ok(std::initializer_list<u8> code) { return run(code) == ExitReason::Budget; }
  bool fault(std::initializer_list<u8> code, u8 vec) {
    run(code);
    return faulted_with(vec) && cpu.s.rip == 0x1000;
  }
  u8 b(u64 off) const { return ram[kArea + off]; }
  // A distinctive x87/SSE/AVX state: TOP = 6, R6 = 1.0, R7 = pi, the rest empty.
  void fill_state() {
    FpuState& f = cpu.s.fpu;
    for (int k = 0; k < 8; ++k) f.r[k] = X87Reg{0x0123456789abcdefull * (k + 1), (u16)(0x4000 + k), {}};
    f.r[6] = X87Reg{0x8000000000000000ull, 0x3fff, {}};
    f.r[7] = X87Reg{0xc90fdaa22168c235ull, 0x4000, {}};
    f.fcw = 0x027f;
    f.fsw = (6 << 11) | 0x21;
    f.ftw = 0x0fff;
    f.fop = 0x123;
    f.fip = 0x1122334455667788ull;
    f.fcs = 0x33;
    f.fdp = 0x99aabbccddeeff00ull;
    f.fds = 0x2b;
    cpu.s.mxcsr = 0x1fa0;
    for (int k = 0; k < 16; ++k)
      for (int q = 0; q < 4; ++q) cpu.s.ymm[k].q[q] = 0x0101010101010101ull * (u64)(16 * k + q + 1);
  }
};

TEST(Xsave, Decode) {
  auto dec = [](std::initializer_list<u8> b, u8 cs = 8) {
    std::vector<u8> v(b);
    Insn in;
    const DecodeStatus st = decode(v.data(), (u32)v.size(), DecodeMode{cs, kAllFeatures}, in);
    return st == DecodeStatus::Ok ? in.row->mn : Mn::INVALID;
  };
  EXPECT_EQ(dec({0x0F, 0xAE, 0x20}), Mn::XSAVE);
  EXPECT_EQ(dec({0x48, 0x0F, 0xAE, 0x20}), Mn::XSAVE64);
  EXPECT_EQ(dec({0x48, 0x0F, 0xAE, 0x28}), Mn::XRSTOR64);
  EXPECT_EQ(dec({0x0F, 0xAE, 0x30}), Mn::XSAVEOPT);
  EXPECT_EQ(dec({0x0F, 0xC7, 0x20}), Mn::XSAVEC);
  EXPECT_EQ(dec({0x0F, 0xC7, 0x28}), Mn::XSAVES);
  EXPECT_EQ(dec({0x0F, 0xC7, 0x18}), Mn::XRSTORS);
  EXPECT_EQ(dec({0x0F, 0xAE, 0xE8}), Mn::LFENCE);  // register form of /5
  EXPECT_EQ(dec({0x66, 0x0F, 0xAE, 0x20}), Mn::INVALID);  // 66/F2/F3: #UD
  EXPECT_EQ(dec({0xF2, 0x0F, 0xAE, 0x28}), Mn::INVALID);
  EXPECT_EQ(dec({0xC5, 0xF8, 0x77}), Mn::VZEROUPPER);
  EXPECT_EQ(dec({0xC5, 0xFC, 0x77}), Mn::VZEROALL);
  EXPECT_EQ(dec({0xC4, 0xE1, 0x7C, 0x77}), Mn::VZEROALL);
  EXPECT_EQ(dec({0xC5, 0xF0, 0x77}), Mn::INVALID);  // VEX.vvvv must be 1111b
  EXPECT_EQ(dec({0x0F, 0xAE, 0x20}, 4), Mn::XSAVE);
}

TEST(Xsave, StandardLayout) {
  XMachine m;
  m.fill_state();
  m.put<u64>(kArea + 512, 0xf0);  // XSTATE_BV bits outside RFBM survive
  m.mask(7);
  ASSERT_TRUE(m.ok({XSAVE_RBX}));
  // x87 (SDM Vol. 1 Table 13-1, §13.5.1): no REX.W.
  EXPECT_EQ(m.m<u16>(kArea + 0), 0x027f);
  EXPECT_EQ(m.m<u16>(kArea + 2), (6 << 11) | 0x21);
  EXPECT_EQ(m.b(4), 0xc0);  // abridged FTW: R6 and R7 in use
  EXPECT_EQ(m.b(5), 0);
  EXPECT_EQ(m.m<u16>(kArea + 6), 0x123);
  EXPECT_EQ(m.m<u32>(kArea + 8), 0x55667788u);
  EXPECT_EQ(m.m<u16>(kArea + 12), 0x33);
  EXPECT_EQ(m.m<u16>(kArea + 14), 0);
  EXPECT_EQ(m.m<u32>(kArea + 16), 0xddeeff00u);
  EXPECT_EQ(m.m<u16>(kArea + 20), 0x2b);
  EXPECT_EQ(m.m<u16>(kArea + 22), 0);
  EXPECT_EQ(m.m<u32>(kArea + 24), 0x1fa0u);
  EXPECT_EQ(m.m<u32>(kArea + 28), 0xffffu);  // MXCSR_MASK
  // ST(i) in stack order: ST0 = R6, ST1 = R7, ST2 = R0.
  EXPECT_EQ(m.m<u64>(kArea + 32), 0x8000000000000000ull);
  EXPECT_EQ(m.m<u16>(kArea + 40), 0x3fff);
  EXPECT_EQ(m.m<u64>(kArea + 48), 0xc90fdaa22168c235ull);
  EXPECT_EQ(m.m<u64>(kArea + 64), 0x0123456789abcdefull);
  EXPECT_EQ(m.m<u16>(kArea + 72), 0x4000);
  for (int k = 0; k < 8; ++k)
    for (int j = 10; j < 16; ++j) EXPECT_EQ(m.b(32 + 16 * k + j), 0) << k << " " << j;
  // XMM0-15, then bytes 416..511 untouched.
  for (int k = 0; k < 16; ++k) {
    EXPECT_EQ(m.m<u64>(kArea + 160 + 16 * k), m.cpu.s.ymm[k].q[0]);
    EXPECT_EQ(m.m<u64>(kArea + 168 + 16 * k), m.cpu.s.ymm[k].q[1]);
  }
  for (int k = 416; k < 512; ++k) EXPECT_EQ(m.b(k), 0xAA) << k;
  // Header: XSTATE_BV = XINUSE for RFBM bits; XCOMP_BV and the rest not written.
  EXPECT_EQ(m.m<u64>(kArea + 512), 0xf7u);
  EXPECT_EQ(m.m<u64>(kArea + 520), 0u);
  // AVX state at 576: YMM0_H..YMM15_H.
  for (int k = 0; k < 16; ++k) {
    EXPECT_EQ(m.m<u64>(kArea + 576 + 16 * k), m.cpu.s.ymm[k].q[2]);
    EXPECT_EQ(m.m<u64>(kArea + 584 + 16 * k), m.cpu.s.ymm[k].q[3]);
  }
  EXPECT_EQ(m.b(832), 0xAA);
}

TEST(Xsave, Rex64Format) {
  XMachine m;
  m.fill_state();
  m.mask(1);
  ASSERT_TRUE(m.ok({0x48, XSAVE_RBX}));  // xsave64
  EXPECT_EQ(m.m<u64>(kArea + 8), 0x1122334455667788ull);
  EXPECT_EQ(m.m<u64>(kArea + 16), 0x99aabbccddeeff00ull);
  EXPECT_EQ(m.b(24), 0xAA);  // RFBM = x87 only: no MXCSR
  EXPECT_EQ(m.b(160), 0xAA);
  // XRSTOR64 reads the same format back.
  m.cpu.s.fpu.fip = m.cpu.s.fpu.fdp = 0;
  ASSERT_TRUE(m.ok({0x48, XRSTOR_RBX}));
  EXPECT_EQ(m.cpu.s.fpu.fip, 0x1122334455667788ull);
  EXPECT_EQ(m.cpu.s.fpu.fdp, 0x99aabbccddeeff00ull);
}

TEST(Xsave, PartialMasks) {
  XMachine m;
  m.fill_state();
  m.mask(4);  // AVX only: MXCSR still saved, the x87 and XMM bytes are not
  ASSERT_TRUE(m.ok({XSAVE_RBX}));
  EXPECT_EQ(m.b(0), 0xAA);
  EXPECT_EQ(m.m<u32>(kArea + 24), 0x1fa0u);
  EXPECT_EQ(m.b(160), 0xAA);
  EXPECT_EQ(m.m<u64>(kArea + 576), m.cpu.s.ymm[0].q[2]);
  EXPECT_EQ(m.m<u64>(kArea + 512), 4u);
  // XCR0 limits the mask.
  XMachine n;
  n.fill_state();
  n.cpu.s.xcr0 = 3;
  n.mask(~0ull);
  ASSERT_TRUE(n.ok({XSAVE_RBX}));
  EXPECT_EQ(n.m<u64>(kArea + 512), 3u);
  EXPECT_EQ(n.b(576), 0xAA);
}

TEST(Xsave, Outside64BitMode) {
  XMachine m(4);
  m.fill_state();
  m.mask(7);
  ASSERT_TRUE(m.ok({XSAVE_RBX}));
  EXPECT_EQ(m.m<u64>(kArea + 160 + 16 * 7), m.cpu.s.ymm[7].q[0]);
  EXPECT_EQ(m.b(288), 0xAA);  // XMM8-15 not written
  EXPECT_EQ(m.m<u64>(kArea + 576 + 16 * 7), m.cpu.s.ymm[7].q[2]);
  EXPECT_EQ(m.b(576 + 128), 0xAA);  // YMM8_H-15_H not written
  // XRSTOR with init leaves XMM8-15 alone.
  const u64 x8 = m.cpu.s.ymm[8].q[0], y8 = m.cpu.s.ymm[8].q[2];
  m.put<u64>(kArea + 512, 0);
  ASSERT_TRUE(m.ok({XRSTOR_RBX}));
  EXPECT_EQ(m.cpu.s.ymm[7].q[0], 0u);
  EXPECT_EQ(m.cpu.s.ymm[7].q[2], 0u);
  EXPECT_EQ(m.cpu.s.ymm[8].q[0], x8);
  EXPECT_EQ(m.cpu.s.ymm[8].q[2], y8);
}

TEST(Xsave, Availability) {
  XMachine m;
  m.mask(7);
  m.cpu.s.cr4 &= ~(u64)kCR4_OSXSAVE;
  EXPECT_TRUE(m.fault({XSAVE_RBX}, kExUD));
  EXPECT_TRUE(m.fault({XRSTOR_RBX}, kExUD));
  EXPECT_TRUE(m.fault({0x0F, 0x01, 0xD0}, kExUD));  // xgetbv
  m.cpu.s.cr4 |= kCR4_OSXSAVE;
  m.cpu.s.cr0 |= kCR0_TS;
  EXPECT_TRUE(m.fault({XSAVE_RBX}, kExNM));
  EXPECT_TRUE(m.fault({XSAVEC_RBX}, kExNM));
  m.cpu.s.cr0 &= ~(u64)kCR0_TS;
  m.cpu.s.cr0 |= kCR0_EM;  // not consulted
  EXPECT_TRUE(m.ok({XSAVE_RBX}));
  m.r(RBX) = kArea + 0x20;  // misaligned: #GP(0), nothing written
  EXPECT_TRUE(m.fault({XSAVE_RBX}, kExGP));
  EXPECT_TRUE(m.fault({XRSTOR_RBX}, kExGP));
  EXPECT_TRUE(m.fault({XSAVEC_RBX}, kExGP));
  EXPECT_EQ(m.cpu.fault_err, 0u);
  // A feature that is off makes the opcode #UD.
  m.r(RBX) = kArea;
  m.cpu.features &= ~fbit(Feature::XSAVEC);
  EXPECT_TRUE(m.fault({XSAVEC_RBX}, kExUD));
}

TEST(Xsave, SegmentFaultWritesNothing) {
  // 32-bit flat data segment with a limit that ends inside the header: the
  // #GP comes before any byte of the legacy region is stored.
  XMachine m(4);
  m.fill_state();
  m.mask(3);
  m.cpu.s.seg[DS].limit = kArea + 515;
  EXPECT_TRUE(m.fault({XSAVE_RBX}, kExGP));
  for (int k = 0; k < 416; ++k) ASSERT_EQ(m.b(k), 0xAA) << k;
}

TEST(Xsave, XrstorInitOptimization) {
  XMachine m;
  m.fill_state();
  m.put<u32>(kArea + 24, 0x1f00);  // MXCSR in memory
  m.mask(7);
  ASSERT_TRUE(m.ok({XRSTOR_RBX}));  // XSTATE_BV = 0: every component initialised
  const FpuState& f = m.cpu.s.fpu;
  EXPECT_EQ(f.fcw, 0x037f);
  EXPECT_EQ(f.fsw, 0);
  EXPECT_EQ(f.ftw, 0xffff);
  EXPECT_EQ(f.fip, 0u);
  EXPECT_EQ(f.fdp, 0u);
  EXPECT_EQ(f.fcs, 0);
  EXPECT_EQ(f.r[6].mant, 0u);
  for (int k = 0; k < 16; ++k)
    for (int q = 0; q < 4; ++q) EXPECT_EQ(m.cpu.s.ymm[k].q[q], 0u);
  // The standard form loads MXCSR whenever RFBM[1] or RFBM[2] is set.
  EXPECT_EQ(m.cpu.s.mxcsr, 0x1f00u);
  // XINUSE is now 0 for all three, except that MXCSR != 1F80H shows as SSE.
  m.r(RCX) = 1;
  ASSERT_TRUE(m.ok({0x0F, 0x01, 0xD0}));
  EXPECT_EQ(m.r(RAX), 2u);
  m.cpu.s.mxcsr = 0x1f80;
  ASSERT_TRUE(m.ok({0x0F, 0x01, 0xD0}));
  EXPECT_EQ(m.r(RAX), 0u);
  EXPECT_EQ(m.r(RDX), 0u);
  // XSAVE of init state: XSTATE_BV 0, but the init values are still written.
  m.mask(7);
  ASSERT_TRUE(m.ok({XSAVE_RBX}));
  EXPECT_EQ(m.m<u64>(kArea + 512), 0u);
  EXPECT_EQ(m.m<u16>(kArea + 0), 0x037f);
  EXPECT_EQ(m.m<u64>(kArea + 160), 0u);
  // RFBM[i] = 0: component i untouched even with XSTATE_BV[i] = 0.
  m.fill_state();
  m.mask(1);
  m.put<u64>(kArea + 512, 0);
  ASSERT_TRUE(m.ok({XRSTOR_RBX}));
  EXPECT_EQ(m.cpu.s.fpu.fcw, 0x037f);
  EXPECT_EQ(m.cpu.s.mxcsr, 0x1fa0u);  // RFBM[1] = RFBM[2] = 0: MXCSR not loaded
  EXPECT_NE(m.cpu.s.ymm[3].q[0], 0u);
}

TEST(Xsave, XrstorRoundTripAndTags) {
  XMachine m;
  m.fill_state();
  m.mask(7);
  ASSERT_TRUE(m.ok({XSAVE_RBX}));
  // Make ST2 (R0) a zero and ST3 (R1) a denormal, both marked in use.
  m.put<u64>(kArea + 64, 0);
  m.put<u16>(kArea + 72, 0x8000);
  m.put<u64>(kArea + 80, 1);
  m.put<u16>(kArea + 88, 0);
  m.put<u8>(kArea + 4, 0xc3);
  const CpuState want = m.cpu.s;
  XMachine n;
  n.mask(7);
  std::copy(m.ram.begin() + kArea, m.ram.begin() + kArea + 1024, n.ram.begin() + kArea);
  ASSERT_TRUE(n.ok({XRSTOR_RBX}));
  const FpuState& f = n.cpu.s.fpu;
  EXPECT_EQ(f.fcw, want.fpu.fcw);
  EXPECT_EQ(f.fsw, want.fpu.fsw);
  EXPECT_EQ(f.fop, want.fpu.fop);
  EXPECT_EQ(f.fip, 0x55667788u);  // 32-bit format
  EXPECT_EQ(f.fcs, 0x33);
  EXPECT_EQ(f.fdp, 0xddeeff00u);
  EXPECT_EQ(f.fds, 0x2b);
  // Tags: R0 zero (01), R1 special (10), R2..R5 empty, R6/R7 valid.
  EXPECT_EQ(f.ftw, 0x0ff9);
  EXPECT_EQ(f.r[0].se, 0x8000);
  EXPECT_EQ(f.r[7].mant, want.fpu.r[7].mant);
  EXPECT_EQ(n.cpu.s.mxcsr, want.mxcsr);
  for (int k = 0; k < 16; ++k)
    for (int q = 0; q < 4; ++q) EXPECT_EQ(n.cpu.s.ymm[k].q[q], want.ymm[k].q[q]);
  // Loaded components stay "in use" even when the values are the initial ones.
  XMachine z;
  z.mask(2);
  z.put<u64>(kArea + 512, 2);
  for (int k = 160; k < 416; ++k) z.ram[kArea + k] = 0;
  z.put<u32>(kArea + 24, 0x1f80);
  ASSERT_TRUE(z.ok({XRSTOR_RBX}));
  z.r(RCX) = 1;
  ASSERT_TRUE(z.ok({0x0F, 0x01, 0xD0}));
  EXPECT_EQ(z.r(RAX) & 2, 2u);
}

TEST(Xsave, XrstorStandardFaults) {
  auto faults = [](auto setup) {
    XMachine m;
    m.fill_state();
    m.mask(7);
    ASSERT_TRUE(m.ok({XSAVE_RBX}));
    m.cpu.s.fpu.fcw = 0x0123;
    m.cpu.s.mxcsr = 0x1f80;
    m.cpu.s.ymm[4].q[3] = 0x44;
    setup(m);
    EXPECT_TRUE(m.fault({XRSTOR_RBX}, kExGP));
    EXPECT_EQ(m.cpu.fault_err, 0u);
    EXPECT_EQ(m.cpu.s.fpu.fcw, 0x0123);  // nothing restored or initialised
    EXPECT_EQ(m.cpu.s.mxcsr, 0x1f80u);
    EXPECT_EQ(m.cpu.s.ymm[4].q[3], 0x44u);
  };
  // XSTATE_BV bit not in XCR0.
  faults([](XMachine& m) { m.cpu.s.xcr0 = 3; m.put<u64>(kArea + 512, 7); });
  faults([](XMachine& m) { m.put<u64>(kArea + 512, 0x8000000000000007ull); });
  // Header bytes 23:8 not zero (XCOMP_BV without bit 63, or bytes 23:16).
  faults([](XMachine& m) { m.put<u64>(kArea + 520, 1); });
  faults([](XMachine& m) { m.put<u8>(kArea + 535, 1); });
  // MXCSR with a reserved bit, loaded because RFBM[1] or RFBM[2] is set.
  faults([](XMachine& m) {
    m.put<u32>(kArea + 24, 0x10000 | 0x1f80);
    m.put<u64>(kArea + 512, 0);
  });
  faults([](XMachine& m) { m.put<u32>(kArea + 24, 0x80000000u); m.mask(4); });
  // Bytes 63:24 of the header are not checked by the standard form; nor is
  // a bad MXCSR that is not loaded.
  XMachine m;
  m.fill_state();
  m.mask(1);
  ASSERT_TRUE(m.ok({XSAVE_RBX}));
  m.put<u8>(kArea + 540, 1);
  m.put<u32>(kArea + 24, 0xffffffffu);
  EXPECT_TRUE(m.ok({XRSTOR_RBX}));
}

TEST(Xsave, CompactedForm) {
  XMachine m;
  m.fill_state();
  for (int k = 0; k < 16; ++k) m.cpu.s.ymm[k].q[2] = m.cpu.s.ymm[k].q[3] = 0;  // AVX state init
  m.put<u64>(kArea + 528, 0x5555);
  m.mask(7);
  ASSERT_TRUE(m.ok({XSAVEC_RBX}));
  EXPECT_EQ(m.m<u64>(kArea + 512), 3u);  // AVX not in use
  EXPECT_EQ(m.m<u64>(kArea + 520), 0x8000000000000007ull);
  EXPECT_EQ(m.m<u64>(kArea + 528), 0x5555u);  // bytes 63:16 not written
  EXPECT_EQ(m.b(576), 0xAA);                  // AVX not saved
  EXPECT_EQ(m.m<u16>(kArea + 0), 0x027f);
  EXPECT_EQ(m.m<u32>(kArea + 24), 0x1fa0u);
  // XRSTOR reads it back (compacted form); AVX state gets initialised.
  m.put<u64>(kArea + 528, 0);
  m.cpu.s.ymm[2].q[3] = 5;
  m.cpu.s.fpu.fcw = 0x37f;
  ASSERT_TRUE(m.ok({XRSTOR_RBX}));
  EXPECT_EQ(m.cpu.s.fpu.fcw, 0x027f);
  EXPECT_EQ(m.cpu.s.ymm[2].q[3], 0u);
  // With AVX in use, YMM_H goes to offset 576 (the first extended component).
  m.cpu.s.ymm[1].q[2] = 0x77;
  m.mask(4);
  ASSERT_TRUE(m.ok({XSAVEC_RBX}));
  EXPECT_EQ(m.m<u64>(kArea + 512), 4u);
  EXPECT_EQ(m.m<u64>(kArea + 520), 0x8000000000000004ull);
  EXPECT_EQ(m.m<u64>(kArea + 576 + 16), 0x77u);
  // SSE with XMM init but MXCSR != 1F80H is saved (XSTATE_BV[1] = 1).
  XMachine s;
  s.cpu.s.mxcsr = 0x1f81;
  s.mask(2);
  ASSERT_TRUE(s.ok({XSAVEC_RBX}));
  EXPECT_EQ(s.m<u64>(kArea + 512), 2u);
  EXPECT_EQ(s.m<u32>(kArea + 24), 0x1f81u);
  EXPECT_EQ(s.m<u64>(kArea + 160), 0u);
  s.cpu.s.mxcsr = 0x1f80;
  std::fill(s.ram.begin() + kArea, s.ram.begin() + kArea + 512, 0xAA);
  ASSERT_TRUE(s.ok({XSAVEC_RBX}));
  EXPECT_EQ(s.m<u64>(kArea + 512), 0u);
  EXPECT_EQ(s.b(24), 0xAA);  // MXCSR goes with SSE state only
  // The compacted XRSTOR initialises MXCSR to 1F80H with SSE state.
  s.cpu.s.mxcsr = 0x1f00;
  s.put<u64>(kArea + 512, 0);
  ASSERT_TRUE(s.ok({XRSTOR_RBX}));
  EXPECT_EQ(s.cpu.s.mxcsr, 0x1f80u);
  // RFBM[2] alone does not load or initialise MXCSR in the compacted form.
  s.cpu.s.mxcsr = 0x1f00;
  s.mask(4);
  ASSERT_TRUE(s.ok({XRSTOR_RBX}));
  EXPECT_EQ(s.cpu.s.mxcsr, 0x1f00u);
}

TEST(Xsave, CompactedFaults) {
  auto faults = [](u64 bv, u64 comp, int dirty_byte, bool xsavec = true) {
    XMachine m;
    m.mask(7);
    if (!xsavec) m.cpu.features &= ~fbit(Feature::XSAVEC);
    m.put<u64>(kArea + 512, bv);
    m.put<u64>(kArea + 520, comp);
    if (dirty_byte >= 0) m.put<u8>(kArea + 512 + dirty_byte, 1);
    m.put<u32>(kArea + 24, 0x1f80);
    return m.fault({XRSTOR_RBX}, kExGP);
  };
  const u64 C = 1ull << 63;
  EXPECT_TRUE(faults(0, C | 3, -1, false));  // compaction not supported
  EXPECT_TRUE(faults(0, C | 8, -1));         // XCOMP_BV bit not in XCR0
  EXPECT_TRUE(faults(4, C | 3, -1));         // XSTATE_BV bit not in XCOMP_BV
  EXPECT_TRUE(faults(0, C | 3, 40));         // bytes 63:16
  EXPECT_TRUE(faults(0, C | 3, 16));
  EXPECT_FALSE(faults(3, C | 3, -1));
  EXPECT_FALSE(faults(0, C, -1));  // XCOMP_BV[i] = 0 with RFBM[i] = 1: initialised
}

TEST(Xsave, XsaveoptSkipsInitComponents) {
  XMachine m;
  m.cpu.s.mxcsr = 0x1fc0;
  for (int k = 0; k < 16; ++k) m.cpu.s.ymm[k].q[2] = 9;  // AVX in use, x87/SSE init
  m.cpu.s.fpu.fcw = 0x037f;
  m.cpu.s.fpu.ftw = 0xffff;
  m.mask(7);
  ASSERT_TRUE(m.ok({XSAVEOPT_RBX}));
  EXPECT_EQ(m.m<u64>(kArea + 512), 4u);
  EXPECT_EQ(m.b(0), 0xAA);                   // x87 not saved
  EXPECT_EQ(m.b(160), 0xAA);                 // XMM not saved
  EXPECT_EQ(m.m<u32>(kArea + 24), 0x1fc0u);  // MXCSR always saved
  EXPECT_EQ(m.m<u64>(kArea + 576), 9u);
}

TEST(Xsave, SupervisorForms) {
  XMachine u(8, 3);
  u.mask(7);
  EXPECT_TRUE(u.fault({XSAVES_RBX}, kExGP));
  EXPECT_TRUE(u.fault({XRSTORS_RBX}, kExGP));
  XMachine m;
  m.fill_state();
  m.mask(7);
  ASSERT_TRUE(m.ok({XSAVES_RBX}));
  EXPECT_EQ(m.m<u64>(kArea + 520), 0x8000000000000007ull);
  EXPECT_EQ(m.m<u64>(kArea + 512), 7u);
  const CpuState want = m.cpu.s;
  m.cpu.s.fpu.fcw = 0x37f;
  m.cpu.s.ymm[5].q[3] = 0;
  ASSERT_TRUE(m.ok({XRSTORS_RBX}));
  EXPECT_EQ(m.cpu.s.fpu.fcw, want.fpu.fcw);
  EXPECT_EQ(m.cpu.s.ymm[5].q[3], want.ymm[5].q[3]);
  // XRSTORS has no standard form.
  m.put<u64>(kArea + 520, 7);
  EXPECT_TRUE(m.fault({XRSTORS_RBX}, kExGP));
  // IA32_XSS: reads 0; any set bit is reserved.
  u64 v = 1;
  EXPECT_TRUE(read_msr(m.cpu, kMsrXss, &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(write_msr(m.cpu, kMsrXss, 0));
  EXPECT_FALSE(write_msr(m.cpu, kMsrXss, 1u << 8));
  m.cpu.features &= ~fbit(Feature::XSAVES);
  EXPECT_FALSE(read_msr(m.cpu, kMsrXss, &v));
}

TEST(Xsave, XsetbvRules) {
  XMachine m;
  auto xsetbv = [&](u32 ecx, u64 v) {
    m.r(RCX) = ecx;
    m.mask(v);
    return m.run({0x0F, 0x01, 0xD1}) == ExitReason::Budget;
  };
  EXPECT_TRUE(xsetbv(0, 7));
  EXPECT_EQ(m.cpu.s.xcr0, 7u);
  EXPECT_FALSE(xsetbv(0, 6));     // x87 bit clear
  EXPECT_FALSE(xsetbv(0, 5));     // AVX without SSE
  EXPECT_FALSE(xsetbv(0, 0xf));   // unsupported component
  EXPECT_FALSE(xsetbv(0, 1ull << 32));
  EXPECT_FALSE(xsetbv(1, 3));     // only XCR0
  EXPECT_TRUE(m.faulted_with(kExGP));
  m.cpu.features &= ~fbit(Feature::AVX);
  EXPECT_FALSE(xsetbv(0, 7));     // AVX state needs the AVX feature
  EXPECT_TRUE(xsetbv(0, 3));
  EXPECT_EQ(xcr0_supported(m.cpu), 3u);
  XMachine u(8, 3);
  u.r(RCX) = 0;
  u.mask(3);
  EXPECT_TRUE(u.fault({0x0F, 0x01, 0xD1}, kExGP));
  // XGETBV: ECX = 0 and 1; others #GP(0).
  u.r(RCX) = 0;
  EXPECT_TRUE(u.ok({0x0F, 0x01, 0xD0}));
  EXPECT_EQ(u.r(RAX), 7u);
  EXPECT_EQ(u.r(RDX), 0u);
  u.r(RCX) = 2;
  EXPECT_TRUE(u.fault({0x0F, 0x01, 0xD0}, kExGP));
}

TEST(Xsave, CpuidLeafD) {
  XMachine m;
  auto q = [&](u32 sub) {
    u32 r[4];
    cpuid(m.cpu, 0xd, sub, &r[0], &r[1], &r[2], &r[3]);
    return std::vector<u32>(r, r + 4);
  };
  u32 a, b, c, d;
  cpuid(m.cpu, 0, 0, &a, &b, &c, &d);
  EXPECT_GE(a, 0xdu);  // leaf 0DH is enumerated
  EXPECT_EQ(q(0), (std::vector<u32>{7, 832, 832, 0}));
  m.cpu.s.xcr0 = 3;
  EXPECT_EQ(q(0), (std::vector<u32>{7, 576, 832, 0}));
  EXPECT_EQ(q(1), (std::vector<u32>{0xf, 576, 0, 0}));
  m.cpu.s.xcr0 = 7;
  EXPECT_EQ(q(1), (std::vector<u32>{0xf, 832, 0, 0}));
  EXPECT_EQ(q(2), (std::vector<u32>{256, 576, 0, 0}));
  EXPECT_EQ(q(3), (std::vector<u32>{0, 0, 0, 0}));
  m.cpu.features &= ~(fbit(Feature::AVX) | fbit(Feature::XSAVEOPT) | fbit(Feature::XSAVEC) |
                      fbit(Feature::XSAVES));
  m.cpu.s.xcr0 = 3;
  EXPECT_EQ(q(0), (std::vector<u32>{3, 576, 576, 0}));
  EXPECT_EQ(q(1), (std::vector<u32>{4, 0, 0, 0}));  // XGETBV with ECX = 1 only
  EXPECT_EQ(q(2), (std::vector<u32>{0, 0, 0, 0}));
  m.cpu.features &= ~fbit(Feature::XSAVE);
  EXPECT_EQ(q(0), (std::vector<u32>{0, 0, 0, 0}));
  // Leaves 8..0CH read as zero.
  cpuid(m.cpu, 0xb, 0, &a, &b, &c, &d);
  EXPECT_EQ(a | b | c | d, 0u);
}

TEST(Xsave, VzeroUpperAll) {
  XMachine m;
  m.fill_state();
  ASSERT_TRUE(m.ok({0xC5, 0xF8, 0x77}));  // vzeroupper
  for (int k = 0; k < 16; ++k) {
    EXPECT_NE(m.cpu.s.ymm[k].q[0], 0u);
    EXPECT_EQ(m.cpu.s.ymm[k].q[2] | m.cpu.s.ymm[k].q[3], 0u);
  }
  m.fill_state();
  ASSERT_TRUE(m.ok({0xC5, 0xFC, 0x77}));  // vzeroall
  for (int k = 0; k < 16; ++k)
    for (int q = 0; q < 4; ++q) EXPECT_EQ(m.cpu.s.ymm[k].q[q], 0u);
  XMachine p(4);
  p.fill_state();
  ASSERT_TRUE(p.ok({0xC5, 0xFC, 0x77}));
  EXPECT_EQ(p.cpu.s.ymm[7].q[0], 0u);
  EXPECT_NE(p.cpu.s.ymm[8].q[0], 0u);  // YMM8-15 untouched outside 64-bit mode
  ASSERT_TRUE(p.ok({0xC5, 0xF8, 0x77}));
  EXPECT_NE(p.cpu.s.ymm[8].q[2], 0u);
  // AVX availability: XCR0 without AVX state, CR0.TS.
  m.cpu.s.xcr0 = 3;
  EXPECT_TRUE(m.fault({0xC5, 0xF8, 0x77}, kExUD));
  m.cpu.s.xcr0 = 7;
  m.cpu.s.cr0 |= kCR0_TS;
  EXPECT_TRUE(m.fault({0xC5, 0xFC, 0x77}, kExNM));
}

}  // namespace
}  // namespace pc64
