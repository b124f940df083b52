// AES-NI and PCLMULQDQ: FIPS-197 known answers through the round
// instructions, values measured on the host CPU (AMD Zen, _mm_aesenc_si128
// & co. compiled with gcc -maes -mpclmul), and the instruction forms
// (legacy/VEX operands, alignment, the upper-half rule).
#include <gtest/gtest.h>

#include "cpu/interp/crypto.h"
#include "crypto_test_util.h"

namespace pc64 {
namespace {

using test::hex128;
using test::V;
using test::XorShift;

// FIPS-197 Appendix A.1 key expansion with AESKEYGENASSIST: w[4i+4..4i+7]
// from w[4i..4i+3] and RotWord(SubWord(w[4i+3])) ^ Rcon.
v16u8 expand(v16u8 k, u8 rcon) {
  const v4u32 t = (v4u32)aes_keygen_assist(k, rcon);
  v4u32 w = (v4u32)k;
  w[1] ^= w[0];
  w[2] ^= w[1];
  w[3] ^= w[2];
  return (v16u8)(w ^ t[3]);
}

TEST(CryptoAes, Fips197AppendixC1) {
  // AES-128: key 000102..0f, plaintext 00112233..ff (bytes in memory order).
  v16u8 key, pt;
  for (int k = 0; k < 16; ++k) key[k] = (u8)k, pt[k] = (u8)(0x11 * k);
  static const u8 kRcon[10] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36};
  v16u8 rk[11];
  rk[0] = key;
  for (int r = 1; r <= 10; ++r) rk[r] = expand(rk[r - 1], kRcon[r - 1]);
  // Last round key of Appendix C.1: 13111d7fe3944a17f307a78b4d2b30c5.
  EXPECT_EQ(hex128(rk[10]), "13111d7fe3944a17f307a78b4d2b30c5");
  v16u8 s = pt ^ rk[0];
  for (int r = 1; r < 10; ++r) s = aes_enc(s, rk[r]);
  s = aes_enc_last(s, rk[10]);
  EXPECT_EQ(hex128(s), "69c4e0d86a7b0430d8cdb78070b4c55a");
  // Equivalent inverse cipher (§5.3.5): AESIMC on the middle round keys.
  v16u8 d = s ^ rk[10];
  for (int r = 9; r >= 1; --r) d = aes_dec(d, aes_imc(rk[r]));
  d = aes_dec_last(d, rk[0]);
  EXPECT_EQ(hex128(d), "00112233445566778899aabbccddeeff");
}

TEST(CryptoAes, Fips197AppendixA1KeyExpansion) {
  const u8 key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                      0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
  v16u8 k = vload<v16u8>(key);
  k = expand(k, 0x01);
  EXPECT_EQ(hex128(k), "a0fafe1788542cb123a339392a6c7605");  // w[4..7]
}

// One input pair measured on the host (gen.cpp seed 1).
TEST(CryptoAes, HostVectors) {
  const v16u8 a = V(0x0000000040822041ull, 0x100041060c011441ull);
  const v16u8 b = V(0x9b1e842f6e862629ull, 0xf554f503555d8025ull);
  EXPECT_EQ(test::same(aes_enc(a, b), V(0xb55aa49660db2d27ull, 0x7753b4829dde48d6ull)), true);
  EXPECT_EQ(test::same(aes_enc_last(a, b), V(0x927d7e4ca4fa45aaull, 0x0b37426c364e03a6ull)), true);
  EXPECT_EQ(test::same(aes_dec(a, b), V(0xf9d6825658650c8dull, 0x555980c527ba49beull)), true);
  EXPECT_EQ(test::same(aes_dec_last(a, b), V(0x1a4cd07d3c8fded1ull, 0x87066ea6294cd2ddull)), true);
  EXPECT_EQ(test::same(aes_imc(a), V(0x0000000015f0286eull, 0xbae1454958aef05eull)), true);
  EXPECT_EQ(test::same(aes_keygen_assist(a, 0x5a), V(0x6363633963636363ull, 0x6fca63d9ca63836full)), true);
  const v2u64 qa = (v2u64)a, qb = (v2u64)b;
  EXPECT_EQ(test::same((v16u8)clmul64(qa[0], qb[0]), V(0x487275b113188c69ull, 0x00000000268b0b31ull)), true);
  EXPECT_EQ(test::same((v16u8)clmul64(qa[1], qb[0]), V(0x74b43e7f7fdc9869ull, 0x09b1ce1d1594909aull)), true);
  EXPECT_EQ(test::same((v16u8)clmul64(qa[0], qb[1]), V(0x8032bb0fe0f32965ull, 0x000000003d2e6304ull)), true);
  EXPECT_EQ(test::same((v16u8)clmul64(qa[1], qb[1]), V(0xcc552754901a4d65ull, 0x0f5572f267653d9eull)), true);
}

TEST(CryptoPclmul, Algebra) {
  const v2u64 one = clmul64(0x8000000000000000ull, 0x8000000000000000ull);
  EXPECT_EQ(one[0], 0u);
  EXPECT_EQ(one[1], 1ull << 62);  // x^63 * x^63 = x^126
  const v2u64 sq = clmul64(0xffffffffffffffffull, 0xffffffffffffffffull);
  EXPECT_EQ(sq[0], 0x5555555555555555ull);  // (sum x^i)^2 = sum x^2i
  EXPECT_EQ(sq[1], 0x5555555555555555ull);  // up to x^126
  const v2u64 id = clmul64(0x123456789abcdef0ull, 1);
  EXPECT_EQ(id[0], 0x123456789abcdef0ull);
  EXPECT_EQ(id[1], 0u);
}

// 10000 random inputs per instruction, hashed (FNV-1a over the results);
// the expected hashes are the host CPU's for the same inputs.
TEST(CryptoAes, HostHashes) {
  struct Exp { int op; u64 hash; };
  const Exp kExp[] = {{0, 0xb1abda57f1674eebull}, {1, 0x9c4429ad8ef4db79ull}, {2, 0x998d73aa843d1780ull},
                      {3, 0xaecb19e75ce62db2ull}, {4, 0xff747f171cc8c0a2ull}, {5, 0xc36a1883cf13d101ull},
                      {6, 0x14ae00c1d99c1db6ull}};
  for (const Exp& e : kExp) {
    XorShift r(0x9e3779b97f4a7c15ull + (u64)e.op);
    test::Fnv h;
    for (int t = 0; t < 10000; ++t) {
      const v16u8 a = r.v(), b = r.v();
      (void)r.v();
      const u8 imm = (u8)r.next();
      v16u8 res;
      switch (e.op) {
        case 0: res = aes_enc(a, b); break;
        case 1: res = aes_enc_last(a, b); break;
        case 2: res = aes_dec(a, b); break;
        case 3: res = aes_dec_last(a, b); break;
        case 4: res = aes_imc(a); break;
        case 5: res = aes_keygen_assist(a, 0x5a); break;
        default: res = (v16u8)clmul64(((v2u64)a)[imm & 1], ((v2u64)b)[(imm >> 4) & 1]); break;
      }
      h.add(res);
    }
    EXPECT_EQ(h.h, e.hash) << "op " << e.op;
  }
}

// ---- the instructions ----

TEST(CryptoAesInsn, LegacyAndVexForms) {
  test::SimdMachine m;
  const v16u8 a = V(0x0000000040822041ull, 0x100041060c011441ull);
  const v16u8 b = V(0x9b1e842f6e862629ull, 0xf554f503555d8025ull);
  m.setx(1, a);
  m.setx(2, b);
  m.cpu.s.ymm[1].q[2] = m.cpu.s.ymm[1].q[3] = ~0ull;
  m.run({0x66, 0x0f, 0x38, 0xdc, 0xca});  // aesenc xmm1, xmm2
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_TRUE(test::same(m.x(1), V(0xb55aa49660db2d27ull, 0x7753b4829dde48d6ull)));
  EXPECT_EQ(m.cpu.s.ymm[1].q[2], ~0ull);  // legacy: YMM1[255:128] kept
  test::SimdMachine v;
  v.setx(3, a);
  v.setx(2, b);
  v.cpu.s.ymm[1].q[2] = ~0ull;
  v.run({0xc4, 0xe2, 0x61, 0xdd, 0xca});  // vaesenclast xmm1, xmm3, xmm2
  EXPECT_EQ(v.cpu.exit, ExitReason::Budget);
  EXPECT_TRUE(test::same(v.x(1), V(0x927d7e4ca4fa45aaull, 0x0b37426c364e03a6ull)));
  EXPECT_EQ(v.cpu.s.ymm[1].q[2], 0u);  // VEX.128: zeroed
  test::SimdMachine k;
  k.setx(2, a);
  k.run({0x66, 0x0f, 0x3a, 0xdf, 0xca, 0x5a});  // aeskeygenassist xmm1, xmm2, 0x5a
  EXPECT_TRUE(test::same(k.x(1), V(0x6363633963636363ull, 0x6fca63d9ca63836full)));
  test::SimdMachine p;
  p.setx(3, a);
  p.setx(2, b);
  p.run({0xc4, 0xe3, 0x61, 0x44, 0xca, 0x01});  // vpclmulqdq xmm1, xmm3, xmm2, 0x01
  EXPECT_TRUE(test::same(p.x(1), V(0x74b43e7f7fdc9869ull, 0x09b1ce1d1594909aull)));
}

TEST(CryptoAesInsn, AlignmentAndVexL) {
  test::SimdMachine m;
  m.r(RAX) = 0x2008;
  m.run({0x66, 0x0f, 0x38, 0xdc, 0x08});  // aesenc xmm1, [rax]: misaligned
  EXPECT_TRUE(m.faulted_with(kExGP));
  test::SimdMachine p;
  p.r(RAX) = 0x2008;
  p.run({0x66, 0x0f, 0x3a, 0x44, 0x08, 0x00});  // pclmulqdq xmm1, [rax], 0
  EXPECT_TRUE(p.faulted_with(kExGP));
  test::SimdMachine v;
  v.r(RAX) = 0x2008;
  v.run({0xc4, 0xe2, 0x71, 0xdc, 0x08});  // vaesenc xmm1, xmm1, [rax]: VEX, any address
  EXPECT_EQ(v.cpu.exit, ExitReason::Budget);
  test::SimdMachine l;
  l.run({0xc4, 0xe2, 0x75, 0xdc, 0xca});  // VEX.256 vaesenc is VAES: #UD here
  EXPECT_TRUE(l.faulted_with(kExUD));
}

}  // namespace
}  // namespace pc64
