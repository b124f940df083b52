// Hand-written cases for DAA DAS AAA AAS AAM AAD (SDM Vol. 2A; the DAA/DAS
// cases are the SDM's own examples).
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

TEST(InterpBcd, DaaDas) {
  Machine m(4);
  m.r(RAX) = 0x79;
  m.r(RBX) = 0x35;
  m.run({0x00, 0xD8, 0x27}, 2);  // add al, bl; daa
  EXPECT_EQ(m.r(RAX), 0x14u);
  EXPECT_EQ(m.flags() & (kCF | kAF), (u64)(kCF | kAF));
  m.r(RAX) = 0x35;
  m.r(RBX) = 0x47;
  m.run({0x28, 0xD8, 0x2F}, 2);  // sub al, bl; das
  EXPECT_EQ(m.r(RAX), 0x88u);
  EXPECT_EQ(m.flags() & (kCF | kAF | kSF | kZF), (u64)(kCF | kAF | kSF));
  m.r(RAX) = 0x12;
  m.set_flags(0);
  m.run({0x27});  // daa: nothing to adjust
  EXPECT_EQ(m.r(RAX), 0x12u);
  EXPECT_EQ(m.flags() & (kCF | kAF | kPF), (u64)kPF);
}

TEST(InterpBcd, AaaAas) {
  Machine m(4);
  m.r(RAX) = 0x08;
  m.r(RBX) = 0x09;
  m.run({0x00, 0xD8, 0x37}, 2);  // add al, bl; aaa
  EXPECT_EQ(m.r(RAX), 0x0107u);
  EXPECT_EQ(m.flags() & (kCF | kAF), (u64)(kCF | kAF));
  m.r(RAX) = 0x03;
  m.r(RBX) = 0x05;
  m.run({0x28, 0xD8, 0x3F}, 2);  // sub al, bl; aas
  EXPECT_EQ(m.r(RAX), 0xFF08u);
  EXPECT_EQ(m.flags() & (kCF | kAF), (u64)(kCF | kAF));
  m.r(RAX) = 0x0505;
  m.set_flags(0);
  m.run({0x37});  // aaa: no adjustment, AL high nibble cleared
  EXPECT_EQ(m.r(RAX), 0x0505u);
  EXPECT_EQ(m.flags() & (kCF | kAF), 0u);
}

TEST(InterpBcd, AamAad) {
  Machine m(4);
  m.r(RAX) = 0x3F;  // 63
  m.run({0xD4, 0x0A});  // aam
  EXPECT_EQ(m.r(RAX), 0x0603u);
  m.run({0xD5, 0x0A});  // aad
  EXPECT_EQ(m.r(RAX), 0x003Fu);
  EXPECT_EQ(m.flags() & (kZF | kSF), 0u);
  m.r(RAX) = 0x0100;
  m.run({0xD4, 0x10});  // aam 16 of AL = 0
  EXPECT_EQ(m.r(RAX), 0x0000u);
  EXPECT_TRUE(m.flags() & kZF);
  m.r(RAX) = 0x0203;
  m.run({0xD5, 0x07});  // aad 7: AL = 3 + 2 * 7
  EXPECT_EQ(m.r(RAX), 17u);
  EXPECT_EQ(m.run({0xD4, 0x00}), ExitReason::Exception);  // aam 0
  EXPECT_TRUE(m.faulted_with(kExDE));
  EXPECT_EQ(m.r(RAX), 17u);
}

TEST(InterpBcd, InvalidIn64BitMode) {
  Machine m(8);
  for (u8 op : {0x27, 0x2F, 0x37, 0x3F}) {
    EXPECT_EQ(m.run({op}), ExitReason::Exception);
    EXPECT_TRUE(m.faulted_with(kExUD));
  }
  EXPECT_EQ(m.run({0xD4, 0x0A}), ExitReason::Exception);
  EXPECT_TRUE(m.faulted_with(kExUD));
}

TEST(InterpBcd, Mode16) {
  Machine m(2);
  m.r(RAX) = 0x0099;
  m.r(RBX) = 0x0001;
  m.run({0x00, 0xD8, 0x27}, 2);  // add al, bl; daa: 99 + 1 = 100
  EXPECT_EQ(m.r(RAX), 0x0000u);
  EXPECT_EQ(m.flags() & (kCF | kZF), (u64)(kCF | kZF));
}
