// Hand-written cases for the bit group: BT*, BSF/BSR, LZCNT/TZCNT/POPCNT,
// BMI1/BMI2, ADX, MOVBE, CRC32 (SDM Vol. 2A/2B under each mnemonic).
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

TEST(InterpBit, BtRegisterOffsetReachesBeyondTheOperand) {
  Machine m(8);
  m.r(RBX) = 0x8000;
  m.ram[0x8020] = 0x20;  // dword at 0x8000 + 4 * (0x105 >> 5), bit 5
  m.r(RAX) = 0x105;
  m.run({0x0F, 0xA3, 0x03});  // bt [rbx], eax
  EXPECT_TRUE(m.flags() & kCF);
  m.ram[0x7fff] = 0x80;  // offset -1: bit 31 of the dword at 0x7ffc
  m.r(RAX) = 0xffffffff;
  m.run({0x0F, 0xA3, 0x03});
  EXPECT_TRUE(m.flags() & kCF);
  m.r(RAX) = (u64)-65;  // qword at 0x8000 - 16, bit 63
  m.run({0x48, 0x0F, 0xAB, 0x03});  // bts [rbx], rax
  EXPECT_FALSE(m.flags() & kCF);
  EXPECT_EQ(m.mem64(0x7ff0), 0x8000000000000000ull);
  m.r(RAX) = 0x7ffffff;  // +2^27 - 1 bits: dword at EA + 0xfffffc, bit 31
  m.r(RBX) = 0x8000 - 0xff0000ull;  // keeps the target (0x17ffc) inside RAM
  m.ram[0x17fff] = 0x80;
  m.run({0x0F, 0xB3, 0x03});  // btr [rbx], eax
  EXPECT_TRUE(m.flags() & kCF);
  EXPECT_EQ(m.ram[0x17fff], 0);
  m.set_flags(0);
  m.run({0x0F, 0xB3, 0x03});
  EXPECT_FALSE(m.flags() & kCF);
}

TEST(InterpBit, BtImmediateAndRegisterForms) {
  Machine m(8);
  m.r(RBX) = 0x8000;
  m.ram[0x8000] = 0x20;
  m.run({0x0F, 0xBA, 0x23, 0x25});  // bt dword [rbx], 37: offset masked to 5
  EXPECT_TRUE(m.flags() & kCF);
  m.r(RCX) = 0;
  m.r(RDX) = 67;  // 67 mod 64 = 3
  m.run({0x48, 0x0F, 0xAB, 0xD1});  // bts rcx, rdx
  EXPECT_EQ(m.r(RCX), 8u);
  m.run({0x48, 0x0F, 0xBA, 0xF9, 0x03});  // btc rcx, 3
  EXPECT_EQ(m.r(RCX), 0u);
  EXPECT_TRUE(m.flags() & kCF);
  m.set_flags(kZF);
  m.run({0x48, 0x0F, 0xBA, 0xF1, 0x03});  // btr rcx, 3: ZF unaffected
  EXPECT_EQ(m.flags() & (kZF | kCF), (u64)kZF);
}

TEST(InterpBit, BitScans) {
  Machine m(8);
  m.r(RAX) = 0xdeadbeefcafebabeull;
  m.r(RCX) = 0;
  m.run({0x0F, 0xBC, 0xC1});  // bsf eax, ecx: zero source
  EXPECT_EQ(m.r(RAX), 0xdeadbeefcafebabeull);
  EXPECT_TRUE(m.flags() & kZF);
  m.r(RCX) = 0x8000000000000001ull;
  m.run({0x48, 0x0F, 0xBD, 0xC1});  // bsr rax, rcx
  EXPECT_EQ(m.r(RAX), 63u);
  EXPECT_FALSE(m.flags() & kZF);
  m.run({0x48, 0x0F, 0xBC, 0xC1});  // bsf rax, rcx
  EXPECT_EQ(m.r(RAX), 0u);
  m.r(RCX) = 0;
  m.run({0xF3, 0x0F, 0xBC, 0xC1});  // tzcnt eax, ecx
  EXPECT_EQ(m.r(RAX), 32u);
  EXPECT_EQ(m.flags() & (kCF | kZF), (u64)kCF);
  m.r(RCX) = 1;
  m.run({0x66, 0xF3, 0x0F, 0xBD, 0xC1});  // lzcnt ax, cx
  EXPECT_EQ(m.r(RAX) & 0xffff, 15u);
  m.r(RCX) = 0xF0F0;
  m.run({0xF3, 0x48, 0x0F, 0xB8, 0xC1});  // popcnt rax, rcx
  EXPECT_EQ(m.r(RAX), 8u);
  EXPECT_EQ(m.flags(), 0u);
}

TEST(InterpBit, TzcntIsBsfWithoutBmi1) {
  Machine m(8);
  m.cpu.features &= ~(1ull << (int)Feature::BMI1);
  m.cpu.features &= ~(1ull << (int)Feature::LZCNT);
  m.r(RAX) = 77;
  m.r(RCX) = 0;
  m.run({0xF3, 0x0F, 0xBC, 0xC1});  // runs as bsf eax, ecx
  EXPECT_EQ(m.r(RAX), 77u);
  EXPECT_TRUE(m.flags() & kZF);
  m.r(RCX) = 0x10;
  m.run({0xF3, 0x0F, 0xBD, 0xC1});  // runs as bsr eax, ecx
  EXPECT_EQ(m.r(RAX), 4u);
}

TEST(InterpBit, PdepPext) {
  Machine m(8);
  m.r(RBX) = 0x1B3;
  m.r(RCX) = 0xF0F0;
  m.run({0xC4, 0xE2, 0xE3, 0xF5, 0xC1});  // pdep rax, rbx, rcx
  EXPECT_EQ(m.r(RAX), 0xB030u);
  m.r(RBX) = 0xB030;
  m.run({0xC4, 0xE2, 0xE2, 0xF5, 0xC1});  // pext rax, rbx, rcx
  EXPECT_EQ(m.r(RAX), 0xB3u);
  m.r(RBX) = 0xffffffff12345678ull;
  m.r(RCX) = 0x8000000000000001ull;
  m.run({0xC4, 0xE2, 0xE2, 0xF5, 0xC1});  // pext rax, rbx, rcx
  EXPECT_EQ(m.r(RAX), 0x2u);
}

TEST(InterpBit, Bmi) {
  Machine m(8);
  m.r(RBX) = 0xFF00;
  m.r(RCX) = 0x0FF0;
  m.run({0xC4, 0xE2, 0xE0, 0xF2, 0xC1});  // andn rax, rbx, rcx
  EXPECT_EQ(m.r(RAX), 0x00F0u);
  m.r(RCX) = ~0ull;
  m.r(RBX) = 12;
  m.run({0xC4, 0xE2, 0xE0, 0xF5, 0xC1});  // bzhi rax, rcx, rbx
  EXPECT_EQ(m.r(RAX), 0xFFFu);
  EXPECT_FALSE(m.flags() & kCF);
  m.r(RBX) = 0x0804;  // start 4, length 8
  m.r(RCX) = 0x12345;
  m.run({0xC4, 0xE2, 0xE0, 0xF7, 0xC1});  // bextr rax, rcx, rbx
  EXPECT_EQ(m.r(RAX), 0x34u);
  m.r(RCX) = 0b101000;
  m.run({0xC4, 0xE2, 0xF8, 0xF3, 0xC9});  // blsr rax, rcx
  EXPECT_EQ(m.r(RAX), 0b100000u);
  EXPECT_FALSE(m.flags() & kCF);
  m.run({0xC4, 0xE2, 0xF8, 0xF3, 0xD9});  // blsi rax, rcx
  EXPECT_EQ(m.r(RAX), 0b1000u);
  EXPECT_TRUE(m.flags() & kCF);
  m.run({0xC4, 0xE2, 0xF8, 0xF3, 0xD1});  // blsmsk rax, rcx
  EXPECT_EQ(m.r(RAX), 0b1111u);
  m.r(RDX) = ~0ull;
  m.r(RCX) = 0x10;
  m.run({0xC4, 0xE2, 0xE3, 0xF6, 0xC1});  // mulx rax, rbx, rcx: rax:rbx = rdx * rcx
  EXPECT_EQ(m.r(RAX), 0xfu);
  EXPECT_EQ(m.r(RBX), 0xfffffffffffffff0ull);
  m.run({0xC4, 0xE2, 0xFB, 0xF6, 0xC1});  // mulx rax, rax, rcx: the high half wins
  EXPECT_EQ(m.r(RAX), 0xfu);
  m.r(RCX) = 0x12345678;
  m.run({0xC4, 0xE3, 0x7B, 0xF0, 0xC1, 0x08});  // rorx eax, ecx, 8
  EXPECT_EQ(m.r(RAX), 0x78123456u);
  m.r(RCX) = 1;
  m.r(RBX) = 65;  // count masked to 1
  m.run({0xC4, 0xE2, 0xE1, 0xF7, 0xC1});  // shlx rax, rcx, rbx
  EXPECT_EQ(m.r(RAX), 2u);
}

TEST(InterpBit, AdcxAdox) {
  Machine m(8);
  m.r(RAX) = ~0ull;
  m.r(RCX) = 1;
  m.set_flags(kOF | kZF);
  m.run({0x66, 0x48, 0x0F, 0x38, 0xF6, 0xC1});  // adcx rax, rcx
  EXPECT_EQ(m.r(RAX), 0u);
  EXPECT_EQ(m.flags(), (u64)(kCF | kOF | kZF));  // only CF changed
  m.r(RAX) = 5;
  m.run({0xF3, 0x48, 0x0F, 0x38, 0xF6, 0xC1});  // adox rax, rcx: + OF
  EXPECT_EQ(m.r(RAX), 7u);
  EXPECT_EQ(m.flags(), (u64)(kCF | kZF));
}

TEST(InterpBit, Movbe) {
  Machine m(8);
  m.r(RBX) = 0x3000;
  m.set_mem64(0x3000, 0x1122334455667788ull);
  m.run({0x0F, 0x38, 0xF0, 0x03});  // movbe eax, [rbx]
  EXPECT_EQ(m.r(RAX), 0x88776655u);
  m.r(RCX) = 0xAABB;
  m.run({0x66, 0x0F, 0x38, 0xF1, 0x0B});  // movbe [rbx], cx
  EXPECT_EQ(m.mem64(0x3000), 0x112233445566BBAAull);
  EXPECT_EQ(m.run({0x0F, 0x38, 0xF0, 0xC3}), ExitReason::Exception);  // register form: #UD
  EXPECT_TRUE(m.faulted_with(kExUD));
}

TEST(InterpBit, Crc32c) {
  Machine m(8);
  // CRC32 is implemented but CPUID does not report SSE4.2 until the rest of
  // SSE4.2 exists, so its rows are off by default.
  m.cpu.features |= 1ull << (int)Feature::SSE42;
  const char* msg = "123456789";
  m.r(RAX) = 0xffffffff;
  for (const char* p = msg; *p; ++p) {
    m.r(RCX) = (u8)*p;
    m.run({0xF2, 0x0F, 0x38, 0xF0, 0xC1});  // crc32 eax, cl
  }
  EXPECT_EQ((u32)~m.r(RAX), 0xE3069283u);  // the CRC-32C check value
  // Wider sources process the bytes least significant first.
  m.r(RAX) = 0xffffffff;
  m.r(RCX) = 0x3837363534333231ull;  // "12345678"
  m.run({0xF2, 0x48, 0x0F, 0x38, 0xF1, 0xC1});  // crc32 rax, rcx
  m.r(RCX) = '9';
  m.run({0xF2, 0x0F, 0x38, 0xF0, 0xC1});
  EXPECT_EQ((u32)~m.r(RAX), 0xE3069283u);
  EXPECT_EQ(m.r(RAX) >> 32, 0u);
}
