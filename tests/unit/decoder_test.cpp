#include <gtest/gtest.h>

#include "cpu/cpu.h"
#include "test_machine.h"

using namespace pc64;

namespace {

using Machine = pc64::test::Machine;

}  // namespace

TEST(Decoder, AddForms64) {
  Insn i;
  const u8 b1[] = {0x48, 0x83, 0xC0, 0x05};  // add rax, 5
  ASSERT_EQ(decode(b1, sizeof b1, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_EQ(i.len, 4);
  EXPECT_EQ(i.row->mn, Mn::ADD);
  EXPECT_EQ(i.opsize, 8);
  EXPECT_EQ(i.op[0].type, OpType::Reg);
  EXPECT_EQ(i.imm, 5u);
  const u8 b2[] = {0x00, 0x24, 0x25, 0x00, 0x10, 0x00, 0x00};  // add [0x1000], ah
  ASSERT_EQ(decode(b2, sizeof b2, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_EQ(i.len, 7);
  EXPECT_EQ(i.op[0].type, OpType::Mem);
  EXPECT_EQ(i.op[1].hi8, 1);
  EXPECT_EQ(i.disp, 0x1000);
  const u8 b3[] = {0xF0, 0x01, 0xC0};  // lock add eax, eax: #UD
  EXPECT_EQ(decode(b3, sizeof b3, {8, kAllFeatures}, i), DecodeStatus::Invalid);
  const u8 b4[] = {0x48, 0x05};  // truncated
  EXPECT_EQ(decode(b4, sizeof b4, {8, kAllFeatures}, i), DecodeStatus::NeedMore);
}

TEST(Interp, AddAndFlags) {
  Machine m(8);
  m.load(0x1000, {0x48, 0x83, 0xC0, 0x05, 0x48, 0x01, 0xC0, 0x83, 0xE8, 0x0C, 0xCC});
  m.cpu.s.gpr[RAX] = 1;
  m.cpu.run(3);
  EXPECT_EQ(m.cpu.s.gpr[RAX], 0u);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  EXPECT_FALSE(m.cpu.rflags() & kCF);
  EXPECT_EQ(m.cpu.s.rip, 0x100Au);
}
