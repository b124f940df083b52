// The SHA extensions (SDM Vol. 2B "SHA1RNDS4", "SHA1NEXTE", "SHA1MSG1",
// "SHA1MSG2", "SHA256RNDS2", "SHA256MSG1", "SHA256MSG2"; FIPS 180-4 §4.1,
// §6.1.2, §6.2.2; rows: cpu/table/crypto.def). Legacy encodings only:
// DEST = SRC1 = the ModRM.reg register, SRC2 = ModRM.r/m (16-byte aligned).
//
// The SDM's pseudo-code names dwords by bit range; here x[k] is bits
// 32k+31:32k, so SRC[127:96] is x[3].
#include "cpu/interp/crypto.h"
#include "cpu/interp/simd.h"

namespace pc64 {
namespace {

PC64_ALWAYS_INLINE u32 rol(u32 x, int n) { return (x << n) | (x >> (32 - n)); }
PC64_ALWAYS_INLINE u32 ror(u32 x, int n) { return (x >> n) | (x << (32 - n)); }
PC64_ALWAYS_INLINE v4u32 vror(v4u32 x, int n) { return (x >> n) | (x << (32 - n)); }

// FIPS 180-4 §4.1.2 (4.5-4.10).
PC64_ALWAYS_INLINE v4u32 sigma0(v4u32 x) { return vror(x, 7) ^ vror(x, 18) ^ (x >> 3); }
PC64_ALWAYS_INLINE u32 sigma1(u32 x) { return ror(x, 17) ^ ror(x, 19) ^ (x >> 10); }
PC64_ALWAYS_INLINE u32 big_sigma0(u32 x) { return ror(x, 2) ^ ror(x, 13) ^ ror(x, 22); }
PC64_ALWAYS_INLINE u32 big_sigma1(u32 x) { return ror(x, 6) ^ ror(x, 11) ^ ror(x, 25); }
PC64_ALWAYS_INLINE u32 ch(u32 e, u32 f, u32 g) { return (e & f) ^ (~e & g); }
PC64_ALWAYS_INLINE u32 maj(u32 a, u32 b, u32 c) { return (a & b) ^ (a & c) ^ (b & c); }

}  // namespace

// Four SHA-1 rounds with the function and constant of imm8[1:0]
// (FIPS 180-4 §4.1.1, §4.2.1): A..D from SRC1 (A = x[3]), W0+E, W1..W3 from
// SRC2 (W0+E = x[3]); the E of rounds 2-4 is the D of the round before.
v4u32 sha1_rnds4(v4u32 s1, v4u32 s2, int func) {
  static constexpr u32 kK[4] = {0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6};
  u32 a = s1[3], b = s1[2], c = s1[1], d = s1[0], e = 0;
  const u32 w[4] = {s2[3], s2[2], s2[1], s2[0]};
  const u32 k = kK[func & 3];
  for (int r = 0; r < 4; ++r) {
    u32 f;
    switch (func & 3) {  // one selector per instruction, not per lane
      case 0: f = ch(b, c, d); break;
      case 2: f = maj(b, c, d); break;
      default: f = b ^ c ^ d; break;
    }
    const u32 t = f + rol(a, 5) + w[r] + e + k;
    e = d;
    d = c;
    c = rol(b, 30);
    b = a;
    a = t;
  }
  return (v4u32){d, c, b, a};
}

// DEST[127:96] = SRC2[127:96] + (SRC1[127:96] ROL 30); the rest is SRC2.
v4u32 sha1_nexte(v4u32 s1, v4u32 s2) {
  v4u32 r = s2;
  r[3] += rol(s1[3], 30);
  return r;
}

// W0..W3 = SRC1[127:0] (W0 = x[3]), W4 W5 = SRC2[127:64]:
// DEST = W2^W0 : W3^W1 : W4^W2 : W5^W3, i.e. SRC1 ^ (SRC1[63:0] : SRC2[127:64]).
v4u32 sha1_msg1(v4u32 s1, v4u32 s2) { return s1 ^ __builtin_shufflevector(s1, s2, 6, 7, 0, 1); }

// W16 = (SRC1[127:96] ^ W13) ROL 1 with W13..W15 = SRC2[95:0] (W13 = x[2]);
// W19 depends on W16.
v4u32 sha1_msg2(v4u32 s1, v4u32 s2) {
  const u32 w16 = rol(s1[3] ^ s2[2], 1);
  const u32 w17 = rol(s1[2] ^ s2[1], 1);
  const u32 w18 = rol(s1[1] ^ s2[0], 1);
  const u32 w19 = rol(s1[0] ^ w16, 1);
  return (v4u32){w19, w18, w17, w16};
}

// Two SHA-256 rounds (FIPS 180-4 §6.2.2 step 3): A B E F from SRC2
// (x[3] x[2] x[1] x[0]), C D G H from SRC1, W+K for the two rounds in
// XMM0[63:0]; DEST = A2 : B2 : E2 : F2.
v4u32 sha256_rnds2(v4u32 s1, v4u32 s2, v4u32 wk) {
  u32 a = s2[3], b = s2[2], e = s2[1], f = s2[0];
  u32 c = s1[3], d = s1[2], g = s1[1], h = s1[0];
  for (int r = 0; r < 2; ++r) {
    const u32 t1 = h + big_sigma1(e) + ch(e, f, g) + wk[r];
    const u32 t2 = big_sigma0(a) + maj(a, b, c);
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  return (v4u32){f, e, b, a};
}

// W0..W3 = SRC1 (W0 = x[0]), W4 = SRC2[31:0]: DEST lane k = W(k) + σ0(W(k+1)).
v4u32 sha256_msg1(v4u32 s1, v4u32 s2) { return s1 + sigma0(__builtin_shufflevector(s1, s2, 1, 2, 3, 4)); }

// W14 W15 = SRC2[127:64]; W16 = SRC1[31:0] + σ1(W14) ... W19 = SRC1[127:96] + σ1(W17).
v4u32 sha256_msg2(v4u32 s1, v4u32 s2) {
  const u32 w16 = s1[0] + sigma1(s2[2]);
  const u32 w17 = s1[1] + sigma1(s2[3]);
  const u32 w18 = s1[2] + sigma1(w16);
  const u32 w19 = s1[3] + sigma1(w17);
  return (v4u32){w16, w17, w18, w19};
}

namespace {

template <v4u32 (*F)(v4u32, v4u32)> void sha2op(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, 1, &b)) return;
  vec_get(c, i, 0, &a);
  vstore(r.b, F(vload<v4u32>(a.b), vload<v4u32>(b.b)));
  vec_put(c, i, 0, r);
}

void sha1rnds4(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, 1, &b)) return;
  vec_get(c, i, 0, &a);
  vstore(r.b, sha1_rnds4(vload<v4u32>(a.b), vload<v4u32>(b.b), (int)(i.imm & 3)));
  vec_put(c, i, 0, r);
}

void sha256rnds2(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, 1, &b)) return;
  vec_get(c, i, 0, &a);
  const v4u32 wk = vload<v4u32>(c.s.ymm[0].b);  // implicit XMM0
  vstore(r.b, sha256_rnds2(vload<v4u32>(a.b), vload<v4u32>(b.b), wk));
  vec_put(c, i, 0, r);
}

}  // namespace

void bind_sha(HandlerTable& t) {
  t.set_all(Mn::SHA1RNDS4, &sha1rnds4);
  t.set_all(Mn::SHA1NEXTE, &sha2op<sha1_nexte>);
  t.set_all(Mn::SHA1MSG1, &sha2op<sha1_msg1>);
  t.set_all(Mn::SHA1MSG2, &sha2op<sha1_msg2>);
  t.set_all(Mn::SHA256RNDS2, &sha256rnds2);
  t.set_all(Mn::SHA256MSG1, &sha2op<sha256_msg1>);
  t.set_all(Mn::SHA256MSG2, &sha2op<sha256_msg2>);
}

}  // namespace pc64
