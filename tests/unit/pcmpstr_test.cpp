// SSE4.2 PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM: the §4.1 semantics on
// hand-checked cases, every imm8 against hashes of the host CPU's results
// (AMD Zen; the instructions run natively by a gcc program over the same
// generated inputs), and the instruction forms (implicit registers, REX.W,
// VEX, flags, alignment).
#include <gtest/gtest.h>

#include "cpu/flags.h"
#include "cpu/interp/crypto.h"
#include "crypto_test_util.h"

namespace pc64 {
namespace {

using test::V;

v16u8 str(const char* s) {
  v16u8 v = {};
  for (int k = 0; k < 16 && s[k]; ++k) v[k] = (u8)s[k];
  return v;
}

struct Out {
  u32 ecx;
  u32 flags;
};
Out istri(const char* a, const char* b, u8 imm) {
  const v16u8 x = str(a), y = str(b);
  const PcmpStrResult r = pcmpstr(x, y, pcmpstr_implicit_len(x, imm), pcmpstr_implicit_len(y, imm), imm);
  return {pcmpstr_index(r.intres2, imm), r.flags};
}

TEST(Pcmpstr, Aggregations) {
  // Equal any: first of "aeiou" in "xyzzy ok".
  EXPECT_EQ(istri("aeiou", "xyzzy ok", 0x00).ecx, 6u);
  // Ranges: first character in 'a'..'z' or '0'..'9' in "  ,,Ab3".
  EXPECT_EQ(istri("az09", "  ,,Ab3", 0x04).ecx, 5u);
  // Negative polarity ranges: first not in 'a'..'z'.
  EXPECT_EQ(istri("az", "abc.def", 0x14).ecx, 3u);
  // Equal each (strcmp): first difference; masked negative ignores the tail.
  EXPECT_EQ(istri("hello", "help", 0x18).ecx, 3u);
  EXPECT_EQ(istri("same", "same", 0x18).ecx, 16u);  // no difference: 16, CF = 0
  EXPECT_EQ(istri("same", "same", 0x18).flags & kCF, 0u);
  // Masked negative negates only the valid elements of the second operand,
  // so the equal invalid tail (both null) stays set: index 4.
  EXPECT_EQ(istri("same", "same", 0x38).ecx, 4u);
  // Equal ordered (strstr): "lo" in "hello world"; most significant index with imm8[6].
  EXPECT_EQ(istri("lo", "hello world", 0x0c).ecx, 3u);
  EXPECT_EQ(istri("o", "hello world", 0x4c).ecx, 7u);
  // A needle running past the end of the 16 bytes still matches its prefix.
  EXPECT_EQ(istri("xyz", "aaaaaaaaaaaaaaax", 0x0c).ecx, 15u);
  // Words: "b" (0x0062) among the words of "a\0b\0c\0".
  const v16u8 w = V(0x0000006300620061ull, 0), n = V(0x0062ull, 0);
  const PcmpStrResult r = pcmpstr(n, w, 1, 3, 0x01);
  EXPECT_EQ(pcmpstr_index(r.intres2, 0x01), 1u);
}

TEST(Pcmpstr, FlagsAndLengths) {
  // Both strings shorter than 16: ZF and SF; a match: CF; IntRes2[0]: OF.
  const Out o = istri("a", "abc", 0x00);
  EXPECT_EQ(o.flags, (u32)(kCF | kZF | kSF | kOF));
  EXPECT_EQ(pcmpstr_explicit_len(0xfffffff0u, false, 0), 16);  // |-16| = 16
  EXPECT_EQ(pcmpstr_explicit_len(0xfffffffbu, false, 0), 5);
  EXPECT_EQ(pcmpstr_explicit_len(0x80000000u, false, 0), 16);  // |INT_MIN| saturates
  EXPECT_EQ(pcmpstr_explicit_len(0x100000003ull, false, 0), 3);  // EAX only
  EXPECT_EQ(pcmpstr_explicit_len(0x100000003ull, true, 0), 16);  // RAX with REX.W
  EXPECT_EQ(pcmpstr_explicit_len(9, false, 1), 8);                // words: at most 8
  EXPECT_EQ(pcmpstr_implicit_len(V(0x0100, 0), 1), 1);            // word 0x0100 is not null
  EXPECT_EQ(pcmpstr_implicit_len(V(0x0100, 0), 0), 0);
}

TEST(Pcmpstr, Masks) {
  EXPECT_TRUE(test::same(pcmpstr_mask(0x8005, 0x00), V(0x8005, 0)));
  EXPECT_TRUE(test::same(pcmpstr_mask(0x8005, 0x40), V(0x0000000000ff00ffull, 0xff00000000000000ull)));
  EXPECT_TRUE(test::same(pcmpstr_mask(0x81, 0x41), V(0xffffull, 0xffff000000000000ull)));
}

// Must match the generator of the host program (strings from a small
// alphabet, with nulls; lengths around the saturation and sign limits).
struct Gen : test::XorShift {
  using XorShift::XorShift;
  v16u8 s() {
    v16u8 v = this->v();
    const int mode = (int)(next() % 4);
    for (int k = 0; k < 16; ++k) {
      if (mode == 0) v[k] = (u8)"ab\0c"[next() % 4];
      else if (mode == 1) v[k] = (u8)(next() % 3 == 0 ? 0 : v[k]);
      else if (mode == 2) v[k] = (u8)(0x7e + next() % 4);
    }
    return v;
  }
  u64 len() {
    switch (next() % 6) {
      case 0: return (u64)((i64)(next() % 40) - 20);
      case 1: return 0x80000000u;
      case 2: return 0xffffffff80000000ull;
      case 3: return next();
      case 4: return 0x100000005ull;
      default: return next() % 18;
    }
  }
};

// Every imm8 (bit 7 included) x 200 inputs per form, hashed.
TEST(Pcmpstr, HostHashesEveryImm8) {
  struct Exp { const char* name; bool expl, wide, index; u64 hash; };
  const Exp kExp[] = {{"PCMPESTRI", true, false, true, 0x62cfe13eb739f26aull},
                      {"PCMPESTRI REX.W", true, true, true, 0x9125a54681f99e6dull},
                      {"PCMPISTRI", false, false, true, 0x742ee51fc9a170e0ull},
                      {"PCMPESTRM", true, false, false, 0x227fedb37e0e15d8ull},
                      {"PCMPISTRM", false, false, false, 0x6080aec252d6f2e4ull}};
  for (int k = 0; k < 5; ++k) {
    const Exp& e = kExp[k];
    Gen g(0x243f6a8885a308d3ull + (u64)k);
    test::Fnv h;
    for (int imm = 0; imm < 256; ++imm) {
      for (int t = 0; t < 200; ++t) {
        const v16u8 a = g.s(), b = g.s();
        const u64 rax = g.len(), rdx = g.len();
        const u8 i8 = (u8)imm;
        const int la = e.expl ? pcmpstr_explicit_len(rax, e.wide, i8) : pcmpstr_implicit_len(a, i8);
        const int lb = e.expl ? pcmpstr_explicit_len(rdx, e.wide, i8) : pcmpstr_implicit_len(b, i8);
        const PcmpStrResult r = pcmpstr(a, b, la, lb, i8);
        const u32 ecx = e.index ? pcmpstr_index(r.intres2, i8) : 0;
        h.add(&ecx, 4);
        h.add(&r.flags, 4);
        if (!e.index) h.add(pcmpstr_mask(r.intres2, i8));
      }
    }
    EXPECT_EQ(h.h, e.hash) << e.name;
  }
}

// ---- the instructions ----

TEST(PcmpstrInsn, ImplicitRegisters) {
  test::SimdMachine m;
  m.setx(1, str("lo"));
  m.r(RAX) = 0x2001;  // PCMPxSTRx take any address
  const v16u8 hay = str("hello world");
  std::memcpy(&m.ram[0x2001], &hay, 16);
  m.r(RCX) = ~0ull;
  m.run({0x66, 0x0f, 0x3a, 0x63, 0x08, 0x0c});  // pcmpistri xmm1, [rax], 0x0c
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.r(RCX), 3u);
  EXPECT_EQ(m.flags(), (u64)(kCF | kZF | kSF));  // AF PF cleared
  // pcmpestri with REX.W: RAX/RDX = 2^32 + 2 give 16, not 2.
  test::SimdMachine e;
  e.setx(1, str("ab"));
  e.setx(2, V(0x62610000, 0));  // "\0\0ab"
  e.r(RAX) = 0x100000002ull;
  e.r(RDX) = 0x100000004ull;
  e.run({0x66, 0x0f, 0x3a, 0x61, 0xca, 0x00});  // pcmpestri xmm1, xmm2, 0: lengths 2, 4
  EXPECT_EQ(e.r(RCX), 2u);
  EXPECT_EQ(e.flags() & (kZF | kSF), (u64)(kZF | kSF));
  e.load(0x1000, {0x66, 0x48, 0x0f, 0x3a, 0x61, 0xca, 0x00});  // REX.W: lengths 16, 16
  e.run(1);
  EXPECT_EQ(e.r(RCX), 0u);  // the nulls of xmm1 now count and match xmm2[0]
  EXPECT_EQ(e.flags() & (kZF | kSF), 0u);
}

TEST(PcmpstrInsn, MaskToXmm0) {
  test::SimdMachine m;
  m.setx(1, str("l"));
  m.setx(2, str("hello"));
  m.cpu.s.ymm[0].q[2] = ~0ull;
  m.run({0x66, 0x0f, 0x3a, 0x62, 0xca, 0x40});  // pcmpistrm xmm1, xmm2, 0x40
  EXPECT_TRUE(test::same(m.x(0), V(0x0000ffff0000ull, 0)));
  EXPECT_EQ(m.cpu.s.ymm[0].q[2], ~0ull);  // legacy: YMM0[255:128] kept
  test::SimdMachine v;
  v.setx(1, str("l"));
  v.setx(2, str("hello"));
  v.cpu.s.ymm[0].q[2] = ~0ull;
  v.run({0xc4, 0xe3, 0x79, 0x62, 0xca, 0x00});  // vpcmpistrm xmm1, xmm2, 0
  EXPECT_TRUE(test::same(v.x(0), V(0x0c, 0)));
  EXPECT_EQ(v.cpu.s.ymm[0].q[2], 0u);  // VEX.128: zeroed (measured on the host)
  test::SimdMachine l;
  l.run({0xc4, 0xe3, 0x7d, 0x63, 0xca, 0x00});  // VEX.L = 1: #UD
  EXPECT_TRUE(l.faulted_with(kExUD));
}

}  // namespace
}  // namespace pc64
