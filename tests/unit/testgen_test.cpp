// The random encoder must produce, for every row and mode, encodings that
// pc64's decoder maps back to the very same row with the same length.
#include <gtest/gtest.h>

#include "cpu/decoder.h"
#include "testgen.h"

using namespace pc64;
using namespace pc64::testgen;

namespace {

void check_mode(int mode) {
  Rng rng(0x5eed0000u + (u64)mode);
  EncodeOptions opt;
  opt.mode = mode;
  opt.mem_lo = 0x10000000;
  opt.mem_hi = 0x10010000;
  opt.rip = 0x20000800;
  const DecodeMode dm{(u8)(mode / 8), kAllFeatures};
  int encodable = 0;
  for (u32 r = 0; r < kNumRows; ++r) {
    const Row& row = kRows[r];
    if (!row_valid_in_mode(row, mode)) {
      Encoded e;
      EXPECT_FALSE(encode_random(row, rng, opt, &e)) << row.name << " " << row.operands;
      continue;
    }
    ++encodable;
    for (int k = 0; k < 64; ++k) {
      Encoded e{};
      ASSERT_TRUE(encode_random(row, rng, opt, &e)) << "row " << r << " " << row.name << " "
                                                   << row.operands << " mode " << mode;
      ASSERT_GE(e.len, 1);
      ASSERT_LE(e.len, 15);
      EXPECT_EQ(e.row, &row);
      Insn insn;
      ASSERT_EQ(decode(e.bytes, e.len, dm, insn), DecodeStatus::Ok) << row.name;
      EXPECT_EQ(insn.row, &row) << row.name << " " << row.operands << " decoded as "
                                << insn.row->name << " " << insn.row->operands;
      EXPECT_EQ(insn.len, e.len) << row.name;
    }
  }
  EXPECT_GT(encodable, 0);
}

}  // namespace

TEST(Testgen, EveryRowRoundTrips64) { check_mode(64); }
TEST(Testgen, EveryRowRoundTrips32) { check_mode(32); }
TEST(Testgen, EveryRowRoundTrips16) { check_mode(16); }

TEST(Testgen, RngIsDeterministic) {
  Rng a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  Rng c(7);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(c.below(10), 10u);
}

TEST(Testgen, UsesMemoryAndPrefixForms) {
  // Over many encodings of ADD Ev,Gv in 64-bit mode, both register and
  // memory forms, REX, 66 and 67 all appear.
  const Row* add = nullptr;
  for (u32 r = 0; r < kNumRows; ++r)
    if (kRows[r].mn == Mn::ADD && kRows[r].opcode == 0x01) add = &kRows[r];
  ASSERT_NE(add, nullptr);
  Rng rng(1);
  EncodeOptions opt;
  bool reg = false, mem = false, p66 = false, p67 = false, rex = false, sib = false;
  const DecodeMode dm{8, kAllFeatures};
  for (int k = 0; k < 2000; ++k) {
    Encoded e{};
    ASSERT_TRUE(encode_random(*add, rng, opt, &e));
    Insn insn;
    ASSERT_EQ(decode(e.bytes, e.len, dm, insn), DecodeStatus::Ok);
    (insn.op[0].type == OpType::Mem ? mem : reg) = true;
    p66 |= insn.opsize == 2;
    p67 |= insn.asize == 4;
    rex |= insn.rex != 0;
    sib |= insn.op[0].type == OpType::Mem && (insn.modrm & 7) == 4;
  }
  EXPECT_TRUE(reg && mem && p66 && p67 && rex && sib);
}
