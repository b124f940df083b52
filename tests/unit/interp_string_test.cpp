// Hand-written interpreter tests: MOVS CMPS SCAS LODS STOS with REP prefixes (rows in src/core/cpu/table/string.def).
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

TEST(InterpString, RepMovsbAcrossPagesAndChunks) {
  Machine m(8);
  for (int k = 0; k < 0x2345; ++k) m.ram[0x14000 + k] = (u8)(k * 7);
  m.load(0x1000, {0xF3, 0xA4});  // rep movsb
  m.r(RSI) = 0x14000;
  m.r(RDI) = 0x20801;
  m.r(RCX) = 0x2345;
  m.run(1);
  EXPECT_EQ(m.r(RCX), 0u);
  EXPECT_EQ(m.r(RSI), 0x14000u + 0x2345);
  EXPECT_EQ(m.r(RDI), 0x20801u + 0x2345);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  EXPECT_EQ(0, std::memcmp(&m.ram[0x14000], &m.ram[0x20801], 0x2345));
}

TEST(InterpString, MovsBackwardAndOverlap) {
  Machine m(8);
  m.load(0x1000, {0xFD, 0xF3, 0xA5, 0xFC, 0xF3, 0xA4});  // std; rep movsd; cld; rep movsb
  for (int k = 0; k < 16; ++k) m.ram[0x4000 + k] = (u8)(k + 1);
  m.r(RSI) = 0x400c;
  m.r(RDI) = 0x500c;
  m.r(RCX) = 4;
  m.run(2);
  EXPECT_EQ(0, std::memcmp(&m.ram[0x4000], &m.ram[0x5000], 16));
  EXPECT_EQ(m.r(RSI), 0x3ffcu);
  EXPECT_EQ(m.r(RDI), 0x4ffcu);
  // Overlapping forward copy replicates the first byte, as the element loop does.
  m.r(RSI) = 0x4000;
  m.r(RDI) = 0x4001;
  m.r(RCX) = 10;
  m.run(2);
  for (int k = 0; k <= 10; ++k) EXPECT_EQ(m.ram[0x4000 + k], 1) << k;
}

TEST(InterpString, AddressSize16InCode32) {
  Machine m(4);
  m.load(0x1000, {0x67, 0xF3, 0xAB});  // rep stosd with DI/CX
  m.r(RAX) = 0xa1b2c3d4;
  m.r(RDI) = 0x1234fff8;
  m.r(RCX) = 0x56780004;
  m.run(1);
  EXPECT_EQ(m.m<u32>(0xfff8), 0xa1b2c3d4u);
  EXPECT_EQ(m.m<u32>(0xfffc), 0xa1b2c3d4u);
  EXPECT_EQ(m.m<u32>(0x0000), 0xa1b2c3d4u);
  EXPECT_EQ(m.m<u32>(0x0004), 0xa1b2c3d4u);
  EXPECT_EQ(m.r(RDI), 0x12340008u);
  EXPECT_EQ(m.r(RCX), 0x56780000u);
}

TEST(InterpString, AddressSize32InCode64) {
  Machine m(8);
  m.load(0x1000, {0x67, 0xF3, 0xA4});  // rep movsb with ESI/EDI/ECX
  m.ram[0x4000] = 0x5a;
  m.r(RSI) = 0xffffffff00004000ull;
  m.r(RDI) = 0xffffffff00005000ull;
  m.r(RCX) = 0xffffffff00000001ull;
  m.run(1);
  EXPECT_EQ(m.ram[0x5000], 0x5a);
  EXPECT_EQ(m.r(RSI), 0x4001u);  // 32-bit register writes zero-extend
  EXPECT_EQ(m.r(RDI), 0x5001u);
  EXPECT_EQ(m.r(RCX), 0u);
}

TEST(InterpString, AddressSize16Code) {
  Machine m(2);
  m.load(0x1000, {0xF3, 0xA4, 0x66, 0x67, 0xF3, 0xA5});  // rep movsb (SI/DI/CX); rep movsd (ESI/EDI/ECX)
  m.ram[0x4000] = 0x11;
  m.ram[0x4001] = 0x22;
  m.r(RSI) = 0xabcd4000;
  m.r(RDI) = 0xabcd5000;
  m.r(RCX) = 0xabcd0002;
  m.run(1);
  EXPECT_EQ(m.m<u16>(0x5000), 0x2211);
  EXPECT_EQ(m.r(RSI), 0xabcd4002u);
  EXPECT_EQ(m.r(RCX), 0xabcd0000u);
  m.r(RSI) = 0x4000;
  m.r(RDI) = 0x6000;
  m.r(RCX) = 1;
  m.run(1);
  EXPECT_EQ(m.m<u32>(0x6000), m.m<u32>(0x4000));
  EXPECT_EQ(m.r(RDI), 0x6004u);
}

TEST(InterpString, RepeCmpsAndRepneScas) {
  Machine m(8);
  std::memcpy(&m.ram[0x4000], "abcXef", 6);
  std::memcpy(&m.ram[0x5000], "abcYef", 6);
  m.load(0x1000, {0xF3, 0xA6, 0xF2, 0xAE});  // repe cmpsb; repne scasb
  m.r(RSI) = 0x4000;
  m.r(RDI) = 0x5000;
  m.r(RCX) = 10;
  m.run(1);
  EXPECT_EQ(m.r(RCX), 6u);
  EXPECT_EQ(m.r(RSI), 0x4004u);
  EXPECT_FALSE(m.cpu.rflags() & kZF);
  EXPECT_TRUE(m.cpu.rflags() & kCF);  // 'X' < 'Y'
  m.r(RDI) = 0x5000;
  m.r(RAX) = 'e';
  m.r(RCX) = 100;
  m.run(1);
  EXPECT_EQ(m.r(RDI), 0x5005u);
  EXPECT_EQ(m.r(RCX), 95u);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
}

TEST(InterpString, LodsStosScasSingle) {
  Machine m(8);
  m.load(0x1000, {0x66, 0xAD, 0x48, 0xAB, 0xAF});  // lodsw; stosq; scasd
  m.put<u16>(0x4000, 0xbeef);
  m.put<u32>(0x5008, 0x1234beef);
  m.r(RAX) = 0x1234000000000000ull;
  m.r(RSI) = 0x4000;
  m.r(RDI) = 0x5000;
  m.run(3);
  EXPECT_EQ(m.r(RAX), 0x123400000000beefull);
  EXPECT_EQ(m.m<u64>(0x5000), 0x123400000000beefull);
  EXPECT_EQ(m.r(RSI), 0x4002u);
  EXPECT_EQ(m.r(RDI), 0x500cu);
  EXPECT_FALSE(m.cpu.rflags() & kZF);  // eax 0x0000beef vs 0x1234beef
}

TEST(InterpString, ZeroCountDoesNothing) {
  Machine m(8);
  m.load(0x1000, {0xF3, 0xA6});  // repe cmpsb, rcx = 0: no flags, no access
  m.r(RSI) = 0x7fffffffffffull;  // would fault if touched
  m.r(RCX) = 0;
  m.cpu.s.rflags |= kCF;
  m.cpu.s.lazy.op = lazy_op(FlagOp::Eager, 1);
  EXPECT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_TRUE(m.cpu.rflags() & kCF);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
}

TEST(InterpString, FaultMidRepLeavesRemainingWork) {
  Machine m(4);
  m.cpu.s.seg[ES].limit = 0x5007;  // the third dword store is past the limit
  m.load(0x1000, {0xF3, 0xA5});    // rep movsd
  m.r(RSI) = 0x4000;
  m.r(RDI) = 0x5000;
  m.r(RCX) = 4;
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExGP);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
  EXPECT_EQ(m.r(RCX), 2u);
  EXPECT_EQ(m.r(RSI), 0x4008u);
  EXPECT_EQ(m.r(RDI), 0x5008u);
}

TEST(InterpString, LongRepRestartsInChunks) {
  Machine m(8);
  m.load(0x1000, {0xF3, 0xAA});  // rep stosb
  m.r(RAX) = 0xab;
  m.r(RDI) = 0x10000;
  m.r(RCX) = 0x30000;
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);  // not finished: restarts
  EXPECT_LT(m.r(RCX), 0x30000u);
  EXPECT_GT(m.r(RCX), 0u);
  m.run(10);
  EXPECT_EQ(m.r(RCX), 0u);
  EXPECT_EQ(m.r(RDI), 0x40000u);
  EXPECT_EQ(m.ram[0x3ffff], 0xab);
  EXPECT_EQ(m.ram[0x40000], 0);
}

TEST(InterpString, SegmentOverrideOnSourceOnly) {
  Machine m(4);
  m.cpu.s.seg[FS].base = 0x10000;
  m.cpu.s.seg[ES].base = 0x20000;
  m.load(0x1000, {0x64, 0xA4, 0x64, 0xAA});  // movsb fs:[esi] -> es:[edi]; stosb (fs ignored)
  m.ram[0x10100] = 0x42;
  m.r(RSI) = 0x100;
  m.r(RDI) = 0x200;
  m.r(RAX) = 0x99;
  m.run(2);
  EXPECT_EQ(m.ram[0x20200], 0x42);
  EXPECT_EQ(m.ram[0x20201], 0x99);
}
