// Hand-written cases for the shift group (SDM Vol. 2B "RCL/RCR/ROL/ROR",
// "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "cpu/cpu.h"
#include "test_machine.h"

using namespace pc64;

namespace {

using Machine = pc64::test::Machine;

}  // namespace

TEST(InterpShift, CountZeroChangesNoFlagsButZeroExtends) {
  Machine m(8);
  m.r(RAX) = 0xdeadbeefcafebabeull;
  m.set_flags(kCF | kOF | kZF | kSF | kPF | kAF);
  ASSERT_EQ(m.run({0xC1, 0xE0, 0x00}), ExitReason::Budget);  // shl eax, 0
  EXPECT_EQ(m.r(RAX), 0xcafebabeull);
  EXPECT_EQ(m.flags(), (u64)(kCF | kOF | kZF | kSF | kPF | kAF));
  m.r(RCX) = 0x40;  // masked to 0 for a 32-bit operand
  m.run({0xD3, 0xE0});  // shl eax, cl
  EXPECT_EQ(m.flags(), (u64)(kCF | kOF | kZF | kSF | kPF | kAF));
}

TEST(InterpShift, ShlShrSar) {
  Machine m(8);
  m.r(RAX) = 0x81;
  m.run({0xD0, 0xE0});  // shl al, 1
  EXPECT_EQ(m.r(RAX), 0x02u);
  EXPECT_EQ(m.flags() & (kCF | kOF | kZF | kSF), (u64)(kCF | kOF));
  m.r(RAX) = 0x8000000000000000ull;
  m.run({0x48, 0xC1, 0xF8, 0x3F});  // sar rax, 63
  EXPECT_EQ(m.r(RAX), ~0ull);
  EXPECT_EQ(m.flags() & (kCF | kSF | kZF), (u64)kSF);
  m.r(RAX) = 0x8000000000000001ull;
  m.run({0x48, 0xD1, 0xE8});  // shr rax, 1
  EXPECT_EQ(m.r(RAX), 0x4000000000000000ull);
  EXPECT_EQ(m.flags() & (kCF | kOF | kSF), (u64)(kCF | kOF));  // OF = MSB(original)
  m.r(RAX) = 0x05;
  m.run({0xC0, 0xF0, 0x03});  // sal al, 3 (/6, alias of /4)
  EXPECT_EQ(m.r(RAX), 0x28u);
  m.r(RAX) = 0x1;
  m.run({0xC0, 0xE0, 0x08});  // shl al, 8: last bit out is the old LSB
  EXPECT_EQ(m.r(RAX) & 0xff, 0u);
  EXPECT_TRUE(m.flags() & kCF);
  EXPECT_TRUE(m.flags() & kZF);
}

TEST(InterpShift, RotatesThroughCarryModulo9And17) {
  Machine m(8);
  m.r(RAX) = 0x81;
  m.set_flags(kCF);
  m.run({0xC0, 0xD0, 0x09});  // rcl al, 9: a full turn of the 9-bit ring
  EXPECT_EQ(m.r(RAX), 0x81u);
  EXPECT_TRUE(m.flags() & kCF);
  m.set_flags(0);
  m.run({0xC0, 0xD0, 0x01});  // rcl al, 1
  EXPECT_EQ(m.r(RAX), 0x02u);
  EXPECT_EQ(m.flags() & (kCF | kOF), (u64)(kCF | kOF));
  m.r(RAX) = 0x0001;
  m.set_flags(kCF);
  m.run({0x66, 0xC1, 0xD8, 0x11});  // rcr ax, 17: identity
  EXPECT_EQ(m.r(RAX), 0x0001u);
  EXPECT_TRUE(m.flags() & kCF);
  m.run({0x66, 0xD1, 0xD8});  // rcr ax, 1
  EXPECT_EQ(m.r(RAX), 0x8000u);
  EXPECT_EQ(m.flags() & (kCF | kOF), (u64)(kCF | kOF));
  m.r(RAX) = 0x4000;
  m.set_flags(kCF);
  m.run({0x66, 0xC1, 0xD0, 0x12});  // rcl ax, 18 == rcl ax, 1
  EXPECT_EQ(m.r(RAX), 0x8001u);
  EXPECT_FALSE(m.flags() & kCF);
  m.r(RAX) = 0x8000000000000000ull;
  m.set_flags(0);
  m.run({0x48, 0xD1, 0xD0});  // rcl rax, 1
  EXPECT_EQ(m.r(RAX), 0u);
  EXPECT_TRUE(m.flags() & kCF);
}

TEST(InterpShift, RolRor) {
  Machine m(8);
  m.r(RAX) = 0x80000001u;
  m.run({0xD1, 0xC0});  // rol eax, 1
  EXPECT_EQ(m.r(RAX), 0x3u);
  EXPECT_EQ(m.flags() & (kCF | kOF), (u64)(kCF | kOF));
  m.run({0xC1, 0xC8, 0x02});  // ror eax, 2
  EXPECT_EQ(m.r(RAX), 0xC0000000u);
  EXPECT_TRUE(m.flags() & kCF);
  m.r(RAX) = 0x12;
  m.set_flags(kZF);
  m.run({0xC0, 0xC0, 0x08});  // rol al, 8: result unchanged, CF = LSB, ZF kept
  EXPECT_EQ(m.r(RAX), 0x12u);
  EXPECT_EQ(m.flags() & (kCF | kZF), (u64)kZF);
}

TEST(InterpShift, ShldShrd) {
  Machine m(8);
  m.r(RAX) = 0x12345678;
  m.r(RDX) = 0x9abcdef0;
  m.run({0x0F, 0xA4, 0xD0, 0x04});  // shld eax, edx, 4
  EXPECT_EQ(m.r(RAX), 0x23456789u);
  EXPECT_TRUE(m.flags() & kCF);  // bit 28 of 0x12345678
  m.r(RAX) = 0x12345678;
  m.r(RCX) = 8;
  m.run({0x0F, 0xAD, 0xD0});  // shrd eax, edx, cl
  EXPECT_EQ(m.r(RAX), 0xF0123456u);
  EXPECT_FALSE(m.flags() & kCF);
  m.r(RAX) = 0x1111;
  m.set_flags(kCF);
  m.run({0x66, 0x0F, 0xA4, 0xD0, 0x00});  // shld ax, dx, 0: nothing changes
  EXPECT_EQ(m.r(RAX), 0x1111u);
  EXPECT_TRUE(m.flags() & kCF);
  m.r(RAX) = 0x0001;
  m.r(RDX) = 0x8000;
  m.run({0x48, 0x0F, 0xA4, 0xD0, 0x3F});  // shld rax, rdx, 63
  EXPECT_EQ(m.r(RAX), 0x8000000000004000ull);
}

TEST(InterpShift, MemoryDestinationAndMode16) {
  Machine m(2);
  m.ram[0x200] = 0x81;
  m.r(RBX) = 0x200;
  m.run({0xD0, 0x27});  // shl byte [bx], 1
  EXPECT_EQ(m.ram[0x200], 0x02);
  EXPECT_TRUE(m.flags() & kCF);
  m.r(RAX) = 0xAAAA0001;
  m.r(RCX) = 4;
  m.run({0xD3, 0xE0});  // shl ax, cl (16-bit code)
  EXPECT_EQ(m.r(RAX), 0xAAAA0010u);
}
