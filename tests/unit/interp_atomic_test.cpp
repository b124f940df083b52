// Hand-written interpreter tests: XADD CMPXCHG CMPXCHG8B/16B XCHG, and the flag instructions (rows in src/core/cpu/table/atomic.def, flagops.def).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "cpu/cpu.h"
#include "test_machine.h"

using namespace pc64;

namespace {

using Machine = pc64::test::Machine;

}  // namespace

TEST(InterpAtomic, CmpxchgRegister32In64) {
  Machine m(8);
  m.load(0x1000, {0x0F, 0xB1, 0xD1, 0x0F, 0xB1, 0xD1});  // cmpxchg ecx, edx (twice)
  m.r(RAX) = 0xaaaaaaaa00000005ull;
  m.r(RCX) = 0xcccccccc00000005ull;
  m.r(RDX) = 0xdddddddd00000009ull;
  m.run(1);  // equal: ecx := edx (zero-extended), RAX untouched
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.r(RCX), 9u);
  EXPECT_EQ(m.r(RAX), 0xaaaaaaaa00000005ull);
  m.r(RCX) = 0xcccccccc00000007ull;
  m.run(1);  // not equal: eax := ecx (zero-extended), RCX untouched
  EXPECT_FALSE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.r(RAX), 7u);
  EXPECT_EQ(m.r(RCX), 0xcccccccc00000007ull);
}

TEST(InterpAtomic, CmpxchgMemoryLocked) {
  Machine m(8);
  m.load(0x1000, {0xF0, 0x48, 0x0F, 0xB1, 0x1E, 0xF0, 0x0F, 0xB0, 0x1E});  // lock cmpxchg [rsi], rbx; lock cmpxchg [rsi], bl
  m.put<u64>(0x4000, 0x1122334455667788ull);
  m.r(RSI) = 0x4000;
  m.r(RAX) = 0x1122334455667788ull;
  m.r(RBX) = 0x42;
  m.run(1);
  EXPECT_EQ(m.m<u64>(0x4000), 0x42u);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  m.r(RAX) = 0x40;
  m.run(1);  // 0x40 vs 0x42: AL := 0x42, CF (0x40 < 0x42)
  EXPECT_EQ(m.r(RAX), 0x42u);
  EXPECT_FALSE(m.cpu.rflags() & kZF);
  EXPECT_TRUE(m.cpu.rflags() & kCF);
  EXPECT_EQ(m.m<u64>(0x4000), 0x42u);
}

TEST(InterpAtomic, Xadd) {
  Machine m(8);
  m.load(0x1000, {0x0F, 0xC1, 0xC0, 0x0F, 0xC1, 0x0E});  // xadd eax, eax; xadd [rsi], ecx
  m.r(RAX) = 0xffffffff80000000ull;
  m.r(RSI) = 0x4000;
  m.r(RCX) = 3;
  m.put<u32>(0x4000, 10);
  m.run(1);
  EXPECT_EQ(m.r(RAX), 0u);
  EXPECT_TRUE(m.cpu.rflags() & kCF);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  m.run(1);
  EXPECT_EQ(m.m<u32>(0x4000), 13u);
  EXPECT_EQ(m.r(RCX), 10u);
}

TEST(InterpAtomic, Cmpxchg8b) {
  Machine m(8);
  m.load(0x1000, {0x0F, 0xC7, 0x0E, 0x0F, 0xC7, 0x0E});  // cmpxchg8b [rsi] twice
  m.r(RSI) = 0x4004;  // only 16B needs alignment
  m.put<u64>(0x4004, 0x0000000200000001ull);
  m.r(RAX) = 0xffffffff00000001ull;
  m.r(RDX) = 0xffffffff00000002ull;
  m.r(RBX) = 0x33;
  m.r(RCX) = 0x44;
  m.run(1);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.m<u64>(0x4004), 0x0000004400000033ull);
  EXPECT_EQ(m.r(RAX), 0xffffffff00000001ull);  // untouched on success
  m.run(1);
  EXPECT_FALSE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.r(RAX), 0x33u);  // EDX:EAX := m64, zero-extended
  EXPECT_EQ(m.r(RDX), 0x44u);
}

TEST(InterpAtomic, Cmpxchg16b) {
  Machine m(8);
  m.load(0x1000, {0x48, 0x0F, 0xC7, 0x0E});  // cmpxchg16b [rsi]
  m.r(RSI) = 0x4008;
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExGP);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
  m.r(RSI) = 0x4010;
  m.put<u64>(0x4010, 1);
  m.put<u64>(0x4018, 2);
  m.r(RAX) = 1;
  m.r(RDX) = 2;
  m.r(RBX) = 0x1111111111111111ull;
  m.r(RCX) = 0x2222222222222222ull;
  m.run(1);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.m<u64>(0x4010), 0x1111111111111111ull);
  EXPECT_EQ(m.m<u64>(0x4018), 0x2222222222222222ull);
  Insn i;
  const u8 b8[] = {0x0F, 0xC7, 0x0E}, b16[] = {0x48, 0x0F, 0xC7, 0x0E}, reg[] = {0x0F, 0xC7, 0xC8};
  ASSERT_EQ(decode(b8, 3, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_EQ(i.row->mn, Mn::CMPXCHG8B);
  ASSERT_EQ(decode(b16, 4, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_EQ(i.row->mn, Mn::CMPXCHG16B);
  EXPECT_NE(decode(reg, 3, {8, kAllFeatures}, i) == DecodeStatus::Ok && i.row->mn == Mn::CMPXCHG8B, true);
}

TEST(InterpAtomic, XchgMemory32) {
  Machine m(4);
  m.load(0x1000, {0x87, 0x06});  // xchg [esi], eax
  m.r(RSI) = 0x4000;
  m.r(RAX) = 0x12345678;
  m.put<u32>(0x4000, 0x9abcdef0);
  m.run(1);
  EXPECT_EQ(m.r(RAX), 0x9abcdef0u);
  EXPECT_EQ(m.m<u32>(0x4000), 0x12345678u);
}

TEST(InterpFlagops, ClcStcCmcCldStdLahfSahf) {
  Machine m(8);
  m.load(0x1000, {0xF9, 0xF5, 0xFD, 0x9F, 0xFC, 0x9E});  // stc; cmc; std; lahf; cld; sahf
  m.run(4);
  EXPECT_FALSE(m.cpu.rflags() & kCF);
  EXPECT_TRUE(m.cpu.rflags() & kDF);
  EXPECT_EQ((m.r(RAX) >> 8) & 0xff, (m.cpu.rflags() & 0xff));
  m.r(RAX) = 0xd500;  // SF ZF AF PF CF
  m.run(2);
  EXPECT_FALSE(m.cpu.rflags() & kDF);
  EXPECT_EQ(m.cpu.rflags() & 0xff, 0xd7u);
}
