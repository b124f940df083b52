// Hand-written interpreter tests: Jcc JMP CALL RET LOOP JrCXZ INT3 INT INTO (rows in src/core/cpu/table/control.def).
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

TEST(InterpControl, JumpsAndConditions64) {
  Machine m(8);
  m.load(0x1000, {
      0xEB, 0x02,                    // jmp +2
      0xCC, 0xCC,
      0x39, 0xC0,                    // cmp eax, eax
      0x75, 0x10,                    // jne (not taken)
      0x0F, 0x84, 0x10, 0x00, 0x00, 0x00,  // je +0x10 (taken) -> 0x101e
  });
  m.run(4);
  EXPECT_EQ(m.cpu.s.rip, 0x100eu + 0x10);
  m.load(0x2000, {0xE9, 0xFB, 0xEF, 0xFF, 0xFF});  // jmp 0x1000 (rel32 negative)
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
}

TEST(InterpControl, CallRet64) {
  Machine m(8);
  m.load(0x1000, {
      0xE8, 0x0B, 0x00, 0x00, 0x00,  // call 0x1010
      0x66, 0xE8, 0x00, 0x00, 0x00, 0x00,  // 66 call: Intel ignores 66 (F64), rel32
  });
  m.ram[0x1010] = 0xC3;                    // ret
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1010u);
  EXPECT_EQ(m.r(RSP), 0x8000u - 8);
  EXPECT_EQ(m.m<u64>(0x8000 - 8), 0x1005u);
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1005u);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x100bu);
  EXPECT_EQ(m.r(RSP), 0x8000u - 8);
}

TEST(InterpControl, IndirectAndRetImm) {
  Machine m(8);
  m.load(0x1000, {0xFF, 0xD0, 0xFF, 0x24, 0x24});  // call rax; jmp [rsp]
  m.r(RAX) = 0x3000;
  m.load(0x3000, {0xC2, 0x10, 0x00});  // ret 0x10
  m.cpu.s.rip = 0x1000;
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x3000u);
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  EXPECT_EQ(m.r(RSP), 0x8000u + 0x10);
  m.put<u64>(0x8010, 0x4000);
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x4000u);
}

TEST(InterpControl, NonCanonicalTargetFaultsOnBranch) {
  Machine m(8);
  m.load(0x1000, {0xFF, 0xD0});  // call rax
  m.r(RAX) = 0x0000800000000000ull;
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExGP);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
  EXPECT_EQ(m.r(RSP), 0x8000u);  // nothing pushed
}

TEST(InterpControl, OperandSize16TruncatesEip) {
  Machine m(4);
  m.load(0x1000, {0x66, 0xE9, 0x00, 0xF0});  // jmp rel16 -0x1000 -> (0x1004 - 0x1000) & 0xffff
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x4u);
  m.load(0x11000, {0x66, 0xEB, 0x00});  // jmp short with 16-bit operand size: upper EIP cleared
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1003u);
  m.load(0x2000, {0x66, 0xE8, 0x00, 0x00});  // call rel16: pushes IP as a word
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x2004u);
  EXPECT_EQ(m.r(RSP), 0x8000u - 2);
  EXPECT_EQ(m.m<u16>(0x8000 - 2), 0x2004);
  m.load(0x2004, {0x66, 0xC3});  // 16-bit ret
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x2004u);
  EXPECT_EQ(m.r(RSP), 0x8000u);
}

TEST(InterpControl, CsLimitFault) {
  Machine m(4);
  m.cpu.s.seg[CS].limit = 0x1fff;
  m.load(0x1000, {0xE9, 0x00, 0x10, 0x00, 0x00});  // jmp 0x2005: past the limit
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExGP);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
}

TEST(InterpControl, LoopFamilies) {
  Machine m(4);
  m.load(0x1000, {0xE2, 0xFE});  // loop $
  m.r(RCX) = 5;
  m.run(5);
  EXPECT_EQ(m.r(RCX), 0u);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  // 16-bit address size: only CX counts; upper ECX preserved.
  m.load(0x1100, {0x67, 0xE2, 0xFD});
  m.r(RCX) = 0x10000;
  m.run(1);
  EXPECT_EQ(m.r(RCX), 0x1ffffu);
  EXPECT_EQ(m.cpu.s.rip, 0x1100u);
  // loope: stops when ZF = 0
  m.load(0x1200, {0x39, 0xC0, 0xE1, 0xFC, 0x31, 0xC0, 0xE0, 0xFC});
  m.r(RCX) = 3;
  m.run(2);  // cmp (ZF=1); loope taken
  EXPECT_EQ(m.cpu.s.rip, 0x1200u);
  EXPECT_EQ(m.r(RCX), 2u);
}

TEST(InterpControl, Jrcxz) {
  Machine m(8);
  m.load(0x1000, {0xE3, 0x10, 0x67, 0xE3, 0x10});  // jrcxz; jecxz
  m.r(RCX) = 0x100000000ull;
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);  // RCX != 0
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1015u);  // ECX == 0
}

TEST(InterpControl, SoftwareTraps) {
  Machine m(8);
  m.load(0x1000, {0xCC});
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExBP);
  EXPECT_EQ(m.cpu.s.rip, 0x1001u);  // trap: after the instruction
  m.load(0x1000, {0xCD, 0x80});
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, 0x80);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  Machine k(4);
  k.load(0x1000, {0xCE, 0x04, 0x7F, 0xCE});  // into (OF=0); add al, 0x7f; ...
  k.r(RAX) = 1;
  k.run(2);
  EXPECT_EQ(k.cpu.s.rip, 0x1003u);
  EXPECT_EQ(k.run(1), ExitReason::Exception);
  EXPECT_EQ(k.cpu.fault_vec, kExOF);
  EXPECT_EQ(k.cpu.s.rip, 0x1004u);
}
