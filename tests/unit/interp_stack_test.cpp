// Hand-written interpreter tests: PUSH POP PUSHA POPA PUSHF POPF ENTER LEAVE (rows in src/core/cpu/table/stack.def).
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

TEST(InterpStack, PushPop64) {
  Machine m(8);
  m.load(0x1000, {
      0x50,                    // push rax
      0x66, 0x53,              // push bx (16-bit)
      0x6A, 0xFE,              // push -2 (64-bit)
      0x68, 0x00, 0x00, 0x00, 0x80,  // push 0xffffffff80000000
      0x41, 0x5F,              // pop r15
      0x8F, 0x44, 0x24, 0x08,  // pop qword [rsp+8]: address after the increment
      0x66, 0x59,              // pop cx
      0x54,                    // push rsp (old value)
      0x5C,                    // pop rsp
  });
  m.r(RAX) = 0x1122334455667788ull;
  m.r(RBX) = 0xabcd;
  m.r(RCX) = 0xffffffffffffffffull;
  m.run(4);
  EXPECT_EQ(m.r(RSP), 0x8000u - 8 - 2 - 8 - 8);
  EXPECT_EQ(m.m<u64>(0x8000 - 8), 0x1122334455667788ull);
  EXPECT_EQ(m.m<u16>(0x8000 - 10), 0xabcd);
  EXPECT_EQ(m.m<u64>(0x8000 - 18), ~1ull);
  m.run(1);
  EXPECT_EQ(m.r(R15), 0xffffffff80000000ull);
  m.run(1);  // pops ~1 (at 0x7fee); rsp becomes 0x7ff6, stores at 0x7ffe
  EXPECT_EQ(m.r(RSP), 0x7ff6u);
  EXPECT_EQ(m.m<u64>(0x7ffe), ~1ull);
  m.run(1);  // pop cx: 16 bits from 0x7ff6 (0xabcd, 0x...)
  EXPECT_EQ(m.r(RCX), 0xffffffffffffabcdull);
  EXPECT_EQ(m.r(RSP), 0x7ff8u);
  m.run(2);
  EXPECT_EQ(m.r(RSP), 0x7ff8u);
}

TEST(InterpStack, PushPop32And16) {
  Machine m(4);
  m.load(0x1000, {0x50, 0x66, 0x50, 0x0E, 0x66, 0x0F, 0xA8, 0x5B, 0x66, 0x5A});
  // push eax; push ax; push cs (4 bytes, zero-extended); push gs (16-bit); pop ebx; pop dx
  m.r(RAX) = 0x11223344;
  m.put<u32>(0x8000 - 10, 0xdeadbeef);
  m.run(4);
  EXPECT_EQ(m.r(RSP), 0x8000u - 4 - 2 - 4 - 2);
  EXPECT_EQ(m.m<u32>(0x8000 - 4), 0x11223344u);
  EXPECT_EQ(m.m<u16>(0x8000 - 6), 0x3344);
  EXPECT_EQ(m.m<u32>(0x8000 - 10), (u32)m.cpu.s.seg[CS].sel);
  EXPECT_EQ(m.m<u16>(0x8000 - 12), m.cpu.s.seg[GS].sel);
  m.run(2);
  EXPECT_EQ(m.r(RBX), ((u32)m.cpu.s.seg[CS].sel << 16) | m.cpu.s.seg[GS].sel);  // 4 bytes at 0x7ff4
  EXPECT_EQ(m.r(RDX) & 0xffff, 0u);  // the zero upper word of the PUSH CS slot
}

TEST(InterpStack, Stack16Wraps) {
  Machine m(2);
  m.load(0x1000, {0x50, 0x66, 0x50, 0x58});  // push ax; push eax; pop ax
  m.r(RSP) = 0x12340002;  // SP = 2: the 16-bit stack pointer wraps, ESP upper half kept
  m.r(RAX) = 0xaabbccdd;
  m.run(1);
  EXPECT_EQ(m.r(RSP), 0x12340000u);
  m.run(1);
  EXPECT_EQ(m.r(RSP), 0x1234fffcu);
  EXPECT_EQ(m.m<u32>(0xfffc), 0xaabbccddu);
  m.run(1);
  EXPECT_EQ(m.r(RSP), 0x1234fffeu);
}

TEST(InterpStack, PushaPopa) {
  Machine m(4);
  m.load(0x1000, {0x60, 0x61, 0x66, 0x60});  // pushad; popad; pushaw
  for (int k = 0; k < 8; ++k) m.r(k) = 0x100 * (k + 1);
  m.r(RSP) = 0x8000;
  m.run(1);
  EXPECT_EQ(m.r(RSP), 0x8000u - 32);
  EXPECT_EQ(m.m<u32>(0x8000 - 4), 0x100u);        // EAX
  EXPECT_EQ(m.m<u32>(0x8000 - 20), 0x8000u);      // original ESP
  EXPECT_EQ(m.m<u32>(0x8000 - 32), 0x800u);       // EDI
  m.put<u32>(0x8000 - 20, 0x1234);               // the saved ESP is skipped by POPA
  m.put<u32>(0x8000 - 4, 0x9999);
  m.run(1);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_EQ(m.r(RAX), 0x9999u);
  EXPECT_EQ(m.r(RDI), 0x800u);
  m.run(1);
  EXPECT_EQ(m.r(RSP), 0x8000u - 16);
  EXPECT_EQ(m.m<u16>(0x8000 - 16), 0x800);
}

TEST(InterpStack, PushfPopfUserMode) {
  Machine m(8, 3);
  m.load(0x1000, {0x9C, 0x9D, 0x9C});  // pushfq; popfq; pushfq
  m.cpu.s.rflags |= kIF;
  m.r(RSP) = 0x8000;
  m.run(1);
  EXPECT_EQ(m.m<u64>(0x8000 - 8), (u64)(kIF | kFixed1));
  // The popped image tries to set CF, DF, IOPL=3, clear IF, set RF and VM.
  m.put<u64>(0x8000 - 8, kCF | kDF | kIOPL | kRF | kVM | kAC);
  m.run(1);
  const u64 f = m.cpu.rflags();
  EXPECT_TRUE(f & kCF);
  EXPECT_TRUE(f & kDF);
  EXPECT_TRUE(f & kAC);
  EXPECT_TRUE(f & kIF);  // unchanged at CPL 3 > IOPL 0
  EXPECT_EQ(f & (kIOPL | kVM | kRF), 0u);
  m.run(1);
  EXPECT_EQ(m.m<u64>(0x8000 - 8), f & ~(u64)kRF);
}

TEST(InterpStack, Popf16KernelMode) {
  Machine m(4);
  m.load(0x1000, {0x66, 0x9D});  // popfw at CPL 0
  m.put<u16>(0x8000, (u16)(kIOPL | kCF | kZF));
  m.cpu.s.rflags |= kIF | kAC;
  m.run(1);
  const u64 f = m.cpu.rflags();
  EXPECT_EQ(f & kIOPL, (u64)kIOPL);
  EXPECT_FALSE(f & kIF);
  EXPECT_TRUE(f & kAC);  // upper half untouched by a 16-bit POPF
  EXPECT_TRUE(f & kZF);
}

TEST(InterpStack, EnterLeave32) {
  Machine m(4);
  // enter 0x10, 0; leave; enter 8, 3
  m.load(0x1000, {0xC8, 0x10, 0x00, 0x00, 0xC9, 0xC8, 0x08, 0x00, 0x03});
  m.r(RSP) = 0x8000;
  m.r(RBP) = 0x9000;
  m.put<u32>(0x9000 - 4, 0xaaaa);
  m.put<u32>(0x9000 - 8, 0xbbbb);
  m.run(1);
  EXPECT_EQ(m.r(RBP), 0x8000u - 4);
  EXPECT_EQ(m.r(RSP), 0x8000u - 4 - 0x10);
  EXPECT_EQ(m.m<u32>(0x8000 - 4), 0x9000u);
  m.run(1);  // leave
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_EQ(m.r(RBP), 0x9000u);
  m.run(1);  // enter 8, 3: push ebp, copy [ebp-4], [ebp-8], push frame
  const u32 frame = 0x8000 - 4;
  EXPECT_EQ(m.r(RBP), frame);
  EXPECT_EQ(m.m<u32>(0x8000 - 4), 0x9000u);
  EXPECT_EQ(m.m<u32>(0x8000 - 8), 0xaaaau);
  EXPECT_EQ(m.m<u32>(0x8000 - 12), 0xbbbbu);
  EXPECT_EQ(m.m<u32>(0x8000 - 16), frame);
  EXPECT_EQ(m.r(RSP), 0x8000u - 16 - 8);
}

TEST(InterpStack, EnterNested64AndLevel1) {
  Machine m(8);
  m.load(0x1000, {0xC8, 0x00, 0x01, 0x01, 0xC8, 0x20, 0x00, 0x02});  // enter 0x100, 1; enter 0x20, 2
  m.r(RSP) = 0x8000;
  m.r(RBP) = 0x123456789ull;
  m.run(1);
  EXPECT_EQ(m.m<u64>(0x8000 - 8), 0x123456789ull);
  EXPECT_EQ(m.m<u64>(0x8000 - 16), 0x8000u - 8);
  EXPECT_EQ(m.r(RBP), 0x8000u - 8);
  EXPECT_EQ(m.r(RSP), 0x8000u - 16 - 0x100);
  const u64 sp = m.r(RSP);
  m.run(1);
  // push rbp (0x7ff8), copy [rbp-8] = 0x7ff8's predecessor value 0x7ff8, push frame
  EXPECT_EQ(m.m<u64>(sp - 8), 0x8000u - 8);
  EXPECT_EQ(m.m<u64>(sp - 16), m.m<u64>(0x8000 - 16));
  EXPECT_EQ(m.m<u64>(sp - 24), sp - 8);
  EXPECT_EQ(m.r(RBP), sp - 8);
  EXPECT_EQ(m.r(RSP), sp - 24 - 0x20);
}

TEST(InterpStack, EnterFaultLeavesRegisters) {
  Machine m(4);
  m.load(0x1000, {0xC8, 0x00, 0x00, 0x02});  // enter 0, 2 reading [ebp-4] beyond the SS limit
  m.cpu.s.seg[SS].limit = 0xffff;
  m.r(RSP) = 0x8000;
  m.r(RBP) = 0x20000;
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExSS);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_EQ(m.r(RBP), 0x20000u);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
}
