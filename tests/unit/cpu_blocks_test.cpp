// Decoded blocks (cpu/blocks.cpp): self-modifying code inside a block and
// code rewritten between runs must execute as the new bytes say.
#include <gtest/gtest.h>

#include "test_machine.h"

namespace pc64 {
namespace {

using test::Machine;

// A store into the next instruction of the same block takes effect.
TEST(CpuBlocks, StoreIntoNextInstructionOfTheBlock) {
  Machine m(8);
  // mov byte [rip+1], 0x42 ; mov al, 0 ; mov bl, 7
  m.load(0x1000, {0xC6, 0x05, 0x01, 0x00, 0x00, 0x00, 0x42, 0xB0, 0x00, 0xB3, 0x07});
  m.run(3);
  EXPECT_EQ(m.r(RAX) & 0xff, 0x42u);
  EXPECT_EQ(m.r(RBX) & 0xff, 0x07u);
  EXPECT_EQ(m.cpu.s.rip, 0x100Bu);
}

// A store through another linear alias of the code page (a data segment
// with another base in 32-bit code) also ends the block.
TEST(CpuBlocks, StoreThroughAnotherSegmentBase) {
  Machine m(4);
  m.cpu.s.seg[ES].base = 0x1000;
  // mov byte es:[9], 0x55 ; mov al, 0 ; mov bl, 7   (es:9 = 0x1009 = the imm of mov al)
  m.load(0x1000, {0x26, 0xC6, 0x05, 0x09, 0x00, 0x00, 0x00, 0x55, 0xB0, 0x00, 0xB3, 0x07});
  m.run(3);
  EXPECT_EQ(m.r(RAX) & 0xff, 0x55u);
  EXPECT_EQ(m.r(RBX) & 0xff, 0x07u);
}

// Code rewritten from outside between two runs is decoded again.
TEST(CpuBlocks, RewrittenBetweenRuns) {
  Machine m(8);
  m.load(0x1000, {0xB0, 0x01, 0xB3, 0x02});  // mov al, 1 ; mov bl, 2
  m.run(2);
  EXPECT_EQ(m.r(RAX) & 0xff, 1u);
  m.load(0x1000, {0xB0, 0x03, 0xB3, 0x04});
  m.run(2);
  EXPECT_EQ(m.r(RAX) & 0xff, 3u);
  EXPECT_EQ(m.r(RBX) & 0xff, 4u);
}

// The budget is exact: run(1) retires one instruction of a longer block.
TEST(CpuBlocks, BudgetStopsInsideABlock) {
  Machine m(8);
  m.load(0x1000, {0xB0, 0x01, 0xB3, 0x02, 0xB1, 0x03});
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  EXPECT_EQ(m.cpu.icount, 1u);
  m.run(2);
  EXPECT_EQ(m.cpu.s.rip, 0x1006u);
  EXPECT_EQ(m.cpu.icount, 3u);
}

// A block ends at the page boundary: the instruction after it comes from
// the next page even when that page's bytes change.
TEST(CpuBlocks, EndsAtThePageBoundary) {
  Machine m(8);
  m.load(0x1ffe, {0xB0, 0x01, 0xB3, 0x02});  // mov al,1 at 0x1ffe ; mov bl,2 at 0x2000
  m.run(2);
  EXPECT_EQ(m.r(RBX) & 0xff, 2u);
  m.load(0x1ffe, {0xB0, 0x01, 0xB3, 0x09});
  m.run(2);
  EXPECT_EQ(m.r(RBX) & 0xff, 9u);
}

}  // namespace
}  // namespace pc64
