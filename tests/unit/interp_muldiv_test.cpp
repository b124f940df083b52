// Hand-written cases for MUL, IMUL, DIV and IDIV (SDM Vol. 2A "DIV", "IDIV",
// "IMUL", Vol. 2B "MUL"), including the #DE cases.
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

TEST(InterpMulDiv, Mul) {
  Machine m(8);
  m.r(RAX) = 0x8000000000000000ull;
  m.r(RCX) = 4;
  m.run({0x48, 0xF7, 0xE1});  // mul rcx
  EXPECT_EQ(m.r(RAX), 0u);
  EXPECT_EQ(m.r(RDX), 2u);
  EXPECT_EQ(m.flags() & (kCF | kOF), (u64)(kCF | kOF));
  m.r(RAX) = 0xffffff00u | 200;
  m.r(RCX) = 2;
  m.run({0xF6, 0xE1});  // mul cl: AX = AL * CL
  EXPECT_EQ(m.r(RAX), 0xffff0000u | 400);
  EXPECT_TRUE(m.flags() & kCF);
  m.r(RAX) = 0xffffffff00000003ull;
  m.r(RDX) = 0xffffffff00000000ull;
  m.r(RCX) = 5;
  m.run({0xF7, 0xE1});  // mul ecx: EDX:EAX, both zero-extended
  EXPECT_EQ(m.r(RAX), 15u);
  EXPECT_EQ(m.r(RDX), 0u);
  EXPECT_EQ(m.flags() & (kCF | kOF), 0u);
}

TEST(InterpMulDiv, Imul) {
  Machine m(8);
  m.r(RCX) = 5;
  m.run({0x6B, 0xC1, 0xFD});  // imul eax, ecx, -3
  EXPECT_EQ(m.r(RAX), 0xFFFFFFF1u);
  EXPECT_EQ(m.flags() & (kCF | kOF), 0u);
  m.r(RAX) = 0x10000;
  m.r(RCX) = 0x10000;
  m.run({0x0F, 0xAF, 0xC1});  // imul eax, ecx
  EXPECT_EQ(m.r(RAX), 0u);
  EXPECT_EQ(m.flags() & (kCF | kOF), (u64)(kCF | kOF));
  m.r(RAX) = (u64)-3;
  m.r(RCX) = 7;
  m.run({0x48, 0xF7, 0xE9});  // imul rcx: RDX:RAX = -21
  EXPECT_EQ(m.r(RAX), (u64)-21);
  EXPECT_EQ(m.r(RDX), ~0ull);
  EXPECT_EQ(m.flags() & (kCF | kOF), 0u);
  m.r(RAX) = 0x80;  // AL = -128
  m.r(RCX) = 0xFF;  // CL = -1
  m.run({0xF6, 0xE9});  // imul cl: AX = 128, does not fit AL
  EXPECT_EQ(m.r(RAX) & 0xffff, 0x0080u);
  EXPECT_EQ(m.flags() & (kCF | kOF), (u64)(kCF | kOF));
  m.r(RCX) = 0x1234;
  m.run({0x66, 0x69, 0xC1, 0x10, 0x00});  // imul ax, cx, 16
  EXPECT_EQ(m.r(RAX) & 0xffff, 0x2340u);
}

TEST(InterpMulDiv, Div) {
  Machine m(8);
  m.r(RAX) = 100;
  m.r(RDX) = 0;
  m.r(RCX) = 7;
  m.run({0xF7, 0xF1});  // div ecx
  EXPECT_EQ(m.r(RAX), 14u);
  EXPECT_EQ(m.r(RDX), 2u);
  m.r(RAX) = 0x0103;  // AX = 259
  m.r(RCX) = 2;
  m.run({0xF6, 0xF1});  // div cl
  EXPECT_EQ(m.r(RAX) & 0xffff, 0x0181u);  // AH = 1, AL = 129
  m.r(RDX) = 1;
  m.r(RAX) = 0;
  m.r(RCX) = 4;
  m.run({0x48, 0xF7, 0xF1});  // div rcx: 2^64 / 4
  EXPECT_EQ(m.r(RAX), 0x4000000000000000ull);
  EXPECT_EQ(m.r(RDX), 0u);
}

TEST(InterpMulDiv, DivideErrors) {
  Machine m(8);
  m.r(RAX) = 100;
  m.r(RDX) = 0;
  m.r(RCX) = 0;
  EXPECT_EQ(m.run({0xF7, 0xF1}), ExitReason::Exception);  // div ecx, ecx = 0
  EXPECT_TRUE(m.faulted_with(kExDE));
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
  EXPECT_EQ(m.r(RAX), 100u);
  m.r(RDX) = 2;
  m.r(RAX) = 0;
  m.r(RCX) = 2;
  m.run({0xF7, 0xF1});  // quotient 2^32 does not fit
  EXPECT_TRUE(m.faulted_with(kExDE));
  EXPECT_EQ(m.r(RDX), 2u);
  m.r(RDX) = ~0ull;
  m.r(RAX) = 0x8000000000000000ull;
  m.r(RCX) = ~0ull;
  m.run({0x48, 0xF7, 0xF9});  // idiv rcx: -2^63 / -1
  EXPECT_TRUE(m.faulted_with(kExDE));
  m.r(RAX) = 0xFF80;  // AX = -128
  m.r(RCX) = 0xFF;
  m.run({0xF6, 0xF9});  // idiv cl: 128 does not fit AL
  EXPECT_TRUE(m.faulted_with(kExDE));
  m.r(RAX) = 0xFF00;  // AX = -256
  m.r(RCX) = 2;
  m.run({0xF6, 0xF9});  // idiv cl: -128 fits
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.r(RAX) & 0xffff, 0x0080u);
  m.r(RDX) = 0x80000000u;
  m.r(RAX) = 0;
  m.r(RCX) = 0;
  m.ram[0x3000] = 0;
  m.r(RBX) = 0x3000;
  m.run({0xF7, 0x33});  // div dword [rbx] = 0
  EXPECT_TRUE(m.faulted_with(kExDE));
}

TEST(InterpMulDiv, Idiv) {
  Machine m(8);
  m.r(RAX) = (u16)-7;
  m.r(RCX) = 2;
  m.run({0xF6, 0xF9});  // idiv cl: -7 / 2 = -3 rem -1 (truncation)
  EXPECT_EQ(m.r(RAX) & 0xffff, 0xFFFDu);
  m.r(RDX) = ~0ull;
  m.r(RAX) = (u64)-100;
  m.r(RCX) = 7;
  m.run({0x48, 0xF7, 0xF9});  // idiv rcx
  EXPECT_EQ(m.r(RAX), (u64)-14);
  EXPECT_EQ(m.r(RDX), (u64)-2);
}

TEST(InterpMulDiv, Mode16) {
  Machine m(2);
  m.r(RDX) = 0x0001;
  m.r(RAX) = 0x0000;
  m.r(RCX) = 2;
  m.run({0xF7, 0xF1});  // div cx: DX:AX = 0x10000
  EXPECT_EQ(m.r(RAX), 0x8000u);
  EXPECT_EQ(m.r(RDX), 0u);
  m.r(RAX) = 0x7fff;
  m.r(RCX) = 0x7fff;
  m.run({0x66, 0xF7, 0xE1});  // mul ecx (66 in 16-bit code)
  EXPECT_EQ(m.r(RAX), 0x3fff0001u);
}
