// The SHA extensions: SHA-1 and SHA-256 of "abc" (FIPS 180-4 examples, as
// published by NIST) computed with the instructions' functions only, values
// measured on the host CPU (AMD Zen, _mm_sha1rnds4_epu32 & co. with gcc
// -msha), and the instruction forms.
#include <gtest/gtest.h>

#include "cpu/interp/crypto.h"
#include "crypto_test_util.h"

namespace pc64 {
namespace {

using test::V;

// The one padded block of "abc" as big-endian message words W0..W15.
void abc_block(u32 w[16]) {
  for (int k = 0; k < 16; ++k) w[k] = 0;
  w[0] = 0x61626380;
  w[15] = 24;  // length in bits
}

TEST(CryptoSha, Sha1Abc) {
  u32 w[16];
  abc_block(w);
  const u32 h0[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  // SHA1RNDS4 wants A..D as x[3..0] and W(4g)..W(4g+3) as x[3..0].
  v4u32 msg[4];
  for (int g = 0; g < 4; ++g) msg[g] = (v4u32){w[4 * g + 3], w[4 * g + 2], w[4 * g + 1], w[4 * g]};
  const v4u32 abcd0 = {h0[3], h0[2], h0[1], h0[0]};
  v4u32 abcd = abcd0, prev = abcd0;
  for (int g = 0; g < 20; ++g) {
    v4u32 m;
    if (g < 4) {
      m = msg[g];
    } else {  // W(t) for the next four rounds from the previous 16
      m = sha1_msg2(sha1_msg1(msg[0], msg[1]) ^ msg[2], msg[3]);
      msg[0] = msg[1], msg[1] = msg[2], msg[2] = msg[3], msg[3] = m;
    }
    // E + W: E of the first group is h4, then A of four rounds before ROL 30.
    const v4u32 e = g == 0 ? m + (v4u32){0, 0, 0, h0[4]} : sha1_nexte(prev, m);
    prev = abcd;
    abcd = sha1_rnds4(abcd, e, g / 5);
  }
  const u32 e_final = sha1_nexte(prev, (v4u32){})[3] + h0[4];
  abcd += abcd0;
  EXPECT_EQ(abcd[3], 0xa9993e36u);
  EXPECT_EQ(abcd[2], 0x4706816au);
  EXPECT_EQ(abcd[1], 0xba3e2571u);
  EXPECT_EQ(abcd[0], 0x7850c26cu);
  EXPECT_EQ(e_final, 0x9cd0d89du);
}

TEST(CryptoSha, Sha256Abc) {
  static const u32 kK[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  const u32 h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  u32 w[16];
  abc_block(w);
  v4u32 msg[4];
  for (int g = 0; g < 4; ++g) msg[g] = (v4u32){w[4 * g], w[4 * g + 1], w[4 * g + 2], w[4 * g + 3]};
  // SHA256RNDS2 keeps the state as ABEF and CDGH (x[3] = A / C).
  const v4u32 abef0 = {h0[5], h0[4], h0[1], h0[0]}, cdgh0 = {h0[7], h0[6], h0[3], h0[2]};
  v4u32 abef = abef0, cdgh = cdgh0;
  for (int g = 0; g < 16; ++g) {
    v4u32 m;
    if (g < 4) {
      m = msg[g];
    } else {  // W16..W19 = σ1 terms (MSG2) over W0 + σ0(W1) (MSG1) + W9..W12
      const v4u32 w9 = __builtin_shufflevector(msg[2], msg[3], 1, 2, 3, 4);
      m = sha256_msg2(sha256_msg1(msg[0], msg[1]) + w9, msg[3]);
      msg[0] = msg[1], msg[1] = msg[2], msg[2] = msg[3], msg[3] = m;
    }
    const v4u32 wk = m + (v4u32){kK[4 * g], kK[4 * g + 1], kK[4 * g + 2], kK[4 * g + 3]};
    // Two rounds make the old ABEF the new CDGH, so the roles alternate.
    cdgh = sha256_rnds2(cdgh, abef, wk);
    abef = sha256_rnds2(abef, cdgh, __builtin_shufflevector(wk, wk, 2, 3, 0, 1));
  }
  abef += abef0;
  cdgh += cdgh0;
  const u32 h[8] = {abef[3], abef[2], cdgh[3], cdgh[2], abef[1], abef[0], cdgh[1], cdgh[0]};
  const u32 want[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                       0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
  for (int k = 0; k < 8; ++k) EXPECT_EQ(h[k], want[k]) << k;
}

TEST(CryptoSha, HostVectors) {
  const v4u32 a = (v4u32)V(0x0000000040822041ull, 0x100041060c011441ull);
  const v4u32 b = (v4u32)V(0x9b1e842f6e862629ull, 0xf554f503555d8025ull);
  const v4u32 c = (v4u32)V(0x860c1fb090599265ull, 0xf6b05302e5531801ull);
  EXPECT_TRUE(test::same((v16u8)sha1_rnds4(a, b, 0), V(0x7f2611b4a4186bd7ull, 0x2564408c4baa1847ull)));
  EXPECT_TRUE(test::same((v16u8)sha1_rnds4(a, b, 1), V(0xdbc00f3cac2e8d59ull, 0x9edcc75161ba6e74ull)));
  EXPECT_TRUE(test::same((v16u8)sha1_rnds4(a, b, 2), V(0xad057ea4a11e34b8ull, 0x03f2cccb30f9e3a1ull)));
  EXPECT_TRUE(test::same((v16u8)sha1_rnds4(a, b, 3), V(0xcee8f66cc310c2e6ull, 0xa0979ef7a53fdb36ull)));
  EXPECT_TRUE(test::same((v16u8)sha1_nexte(a, b), V(0x9b1e842f6e862629ull, 0x79550544555d8025ull)));
  EXPECT_TRUE(test::same((v16u8)sha1_msg1(a, b), V(0xf554f50315dfa064ull, 0x100041064c833400ull)));
  EXPECT_TRUE(test::same((v16u8)sha1_msg2(a, b), V(0xdd0c4c529473440full, 0x8abb82462e3f20ddull)));
  EXPECT_TRUE(test::same((v16u8)sha256_rnds2(a, b, c), V(0x1f5c0d359bbfd91dull, 0x46ebedefebb21e15ull)));
  EXPECT_TRUE(test::same((v16u8)sha256_msg1(a, b), V(0xc68863a040822041ull, 0xe687d42e2a62a0e3ull)));
  EXPECT_TRUE(test::same((v16u8)sha256_msg2(a, b), V(0xe41cd13db08577a6ull, 0x02808abf210cc350ull)));
}

// 10000 random inputs per instruction, hashed; expected: the host's hashes.
TEST(CryptoSha, HostHashes) {
  struct Exp { int op; u64 hash; };
  const Exp kExp[] = {{7, 0x23a7a4bfc846e24cull},  {8, 0xf2e1e2c4cc17939bull},
                      {9, 0x18840b1b37ad651bull},  {10, 0xfd80107c4bbc78b1ull},
                      {11, 0xb245efc55c4e7907ull}, {12, 0x2608b01c27bbbad7ull},
                      {13, 0xccc1f90496edcb35ull}};
  for (const Exp& e : kExp) {
    test::XorShift r(0x9e3779b97f4a7c15ull + (u64)e.op);
    test::Fnv h;
    for (int t = 0; t < 10000; ++t) {
      const v4u32 a = (v4u32)r.v(), b = (v4u32)r.v(), c = (v4u32)r.v();
      const u8 imm = (u8)r.next();
      v4u32 res;
      switch (e.op) {
        case 7: res = sha1_rnds4(a, b, imm & 3); break;
        case 8: res = sha1_nexte(a, b); break;
        case 9: res = sha1_msg1(a, b); break;
        case 10: res = sha1_msg2(a, b); break;
        case 11: res = sha256_rnds2(a, b, c); break;
        case 12: res = sha256_msg1(a, b); break;
        default: res = sha256_msg2(a, b); break;
      }
      h.add((v16u8)res);
    }
    EXPECT_EQ(h.h, e.hash) << "op " << e.op;
  }
}

TEST(CryptoShaInsn, Forms) {
  const v16u8 a = V(0x0000000040822041ull, 0x100041060c011441ull);
  const v16u8 b = V(0x9b1e842f6e862629ull, 0xf554f503555d8025ull);
  const v16u8 c = V(0x860c1fb090599265ull, 0xf6b05302e5531801ull);
  test::SimdMachine m;
  m.setx(1, a);
  m.setx(0, c);
  m.r(RAX) = 0x2000;
  std::memcpy(&m.ram[0x2000], &b, 16);
  m.run({0x0f, 0x38, 0xcb, 0x08});  // sha256rnds2 xmm1, [rax], <xmm0>
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_TRUE(test::same(m.x(1), V(0x1f5c0d359bbfd91dull, 0x46ebedefebb21e15ull)));
  test::SimdMachine u;  // misaligned: #GP(0), exception type 4 (SDM Vol. 2A §2.8; see crypto.def)
  u.r(RAX) = 0x2001;
  u.run({0x0f, 0x38, 0xcb, 0x08});
  EXPECT_TRUE(u.faulted_with(kExGP));
  test::SimdMachine r;
  r.setx(1, a);
  r.setx(2, b);
  r.run({0x0f, 0x3a, 0xcc, 0xca, 0x02});  // sha1rnds4 xmm1, xmm2, 2
  EXPECT_TRUE(test::same(r.x(1), V(0xad057ea4a11e34b8ull, 0x03f2cccb30f9e3a1ull)));
  test::SimdMachine p;
  p.run({0x66, 0x0f, 0x38, 0xc8, 0xca});  // 66 sha1nexte: no such instruction
  EXPECT_TRUE(p.faulted_with(kExUD));
}

}  // namespace
}  // namespace pc64
