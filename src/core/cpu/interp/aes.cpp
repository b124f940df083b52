// AES-NI: AESENC AESENCLAST AESDEC AESDECLAST AESIMC AESKEYGENASSIST and
// their VEX.128 forms (rows: cpu/table/crypto.def).
//
// The instructions are single AES rounds on the 128-bit state held
// column-major in the register: byte 4c+r is state row r, column c
// (FIPS-197 §3.4; SDM Vol. 2A "AESENC" Operation: STATE ← SRC1, RoundKey ← SRC2).
//   AESENC      ShiftRows, SubBytes, MixColumns, XOR round key
//   AESENCLAST  ShiftRows, SubBytes, XOR round key
//   AESDEC      InvShiftRows, InvSubBytes, InvMixColumns, XOR round key
//   AESDECLAST  InvShiftRows, InvSubBytes, XOR round key
//   AESIMC      InvMixColumns (turns an encryption round key into a
//               decryption one for the Equivalent Inverse Cipher, FIPS-197 §5.3.5)
// The S-box is a table (FIPS-197 §5.1.1), built at compile time from its
// definition: the multiplicative inverse in GF(2^8) mod x^8+x^4+x^3+x+1,
// then the affine transform with 63h.
#include "cpu/interp/crypto.h"
#include "cpu/interp/simd.h"

namespace pc64 {
namespace {

constexpr u8 gf_mul(u8 a, u8 b) {
  u8 r = 0;
  for (int k = 0; k < 8; ++k) {
    if (b & 1) r ^= a;
    a = (u8)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
    b >>= 1;
  }
  return r;
}

struct SBoxes {
  u8 fwd[256];
  u8 inv[256];
  constexpr SBoxes() : fwd(), inv() {
    for (int x = 0; x < 256; ++x) {
      // x^254 = x^-1 (0 maps to 0).
      u8 p = 1, base = (u8)x;
      for (int e = 254; e; e >>= 1) {
        if (e & 1) p = gf_mul(p, base);
        base = gf_mul(base, base);
      }
      if (x == 0) p = 0;
      u8 s = 0x63;
      for (int k = 0; k < 5; ++k) s ^= (u8)((p << k) | (p >> ((8 - k) & 7)));
      fwd[x] = s;
    }
    for (int x = 0; x < 256; ++x) inv[fwd[x]] = (u8)x;
  }
};
constexpr SBoxes kSBox{};
static_assert(kSBox.fwd[0x00] == 0x63 && kSBox.fwd[0x53] == 0xed && kSBox.inv[0x63] == 0x00,
              "FIPS-197 Figure 7 / Figure 14");

PC64_ALWAYS_INLINE v16u8 sub_bytes(v16u8 s, const u8* box) {
  v16u8 r;
  for (int k = 0; k < 16; ++k) r[k] = box[s[k]];
  return r;
}

// Row r moves left by r columns (FIPS-197 §5.1.2) / right (§5.3.1).
PC64_ALWAYS_INLINE v16u8 shift_rows(v16u8 s) {
  return __builtin_shufflevector(s, s, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
}
PC64_ALWAYS_INLINE v16u8 inv_shift_rows(v16u8 s) {
  return __builtin_shufflevector(s, s, 0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3);
}

// Multiplication by x in GF(2^8), every byte at once (FIPS-197 §4.2.1).
PC64_ALWAYS_INLINE v16u8 xtime(v16u8 a) {
  return (v16u8)(a << 1) ^ ((v16u8)((v16i8)a >> 7) & (u8)0x1b);
}

// Byte r of each column replaced by byte r+k (mod 4) of the same column:
// with the column as a little-endian dword that is a right rotation.
template <int K> PC64_ALWAYS_INLINE v16u8 col_rot(v16u8 a) {
  const v4u32 d = (v4u32)a;
  return (v16u8)((d >> (8 * K)) | (d << (32 - 8 * K)));
}

// s'[r] = 2 s[r] + 3 s[r+1] + s[r+2] + s[r+3] (FIPS-197 §5.1.3, eq. 5.6).
PC64_ALWAYS_INLINE v16u8 mix_columns(v16u8 a) {
  const v16u8 a1 = col_rot<1>(a), a2 = col_rot<2>(a), a3 = col_rot<3>(a);
  return xtime(a ^ a1) ^ a1 ^ a2 ^ a3;
}

// InvMixColumns (§5.3.3: 0e 0b 0d 09) as MixColumns after adding
// 4·(s[r] + s[r+2]) to s[r]: {0e,0b,0d,09} = {02,03,01,01}·{05,00,04,00}.
PC64_ALWAYS_INLINE v16u8 inv_mix_columns(v16u8 a) {
  const v16u8 t = xtime(xtime(a ^ col_rot<2>(a)));
  return mix_columns(a ^ t);
}

PC64_ALWAYS_INLINE u32 sub_word(u32 w) {
  return (u32)kSBox.fwd[w & 0xff] | (u32)kSBox.fwd[(w >> 8) & 0xff] << 8 |
         (u32)kSBox.fwd[(w >> 16) & 0xff] << 16 | (u32)kSBox.fwd[w >> 24] << 24;
}

}  // namespace

v16u8 aes_enc(v16u8 s, v16u8 k) { return mix_columns(sub_bytes(shift_rows(s), kSBox.fwd)) ^ k; }
v16u8 aes_enc_last(v16u8 s, v16u8 k) { return sub_bytes(shift_rows(s), kSBox.fwd) ^ k; }
v16u8 aes_dec(v16u8 s, v16u8 k) { return inv_mix_columns(sub_bytes(inv_shift_rows(s), kSBox.inv)) ^ k; }
v16u8 aes_dec_last(v16u8 s, v16u8 k) { return sub_bytes(inv_shift_rows(s), kSBox.inv) ^ k; }
v16u8 aes_imc(v16u8 s) { return inv_mix_columns(s); }

// SDM "AESKEYGENASSIST": X1 = SRC[63:32], X3 = SRC[127:96];
// DEST = RotWord(SubWord(X3)) ^ RCON : SubWord(X3) : RotWord(SubWord(X1)) ^ RCON : SubWord(X1),
// RotWord being a rotation right by 8 bits ([b3 b2 b1 b0] -> [b0 b3 b2 b1]).
v16u8 aes_keygen_assist(v16u8 src, u8 rcon) {
  const v4u32 x = (v4u32)src;
  const u32 s1 = sub_word(x[1]), s3 = sub_word(x[3]);
  const v4u32 r = {s1, ((s1 >> 8) | (s1 << 24)) ^ rcon, s3, ((s3 >> 8) | (s3 << 24)) ^ rcon};
  return (v16u8)r;
}

namespace {

// Two-source rounds: legacy "V,W" (the destination is the state), VEX "V,H,W".
template <v16u8 (*F)(v16u8, v16u8)> void aes_round(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s, k;
  if (!vec_get(c, i, src2_index(i), &k)) return;
  vec_get(c, i, src1_index(i), &s);
  Vec256 r{};
  vstore(r.b, F(vload<v16u8>(s.b), vload<v16u8>(k.b)));
  vec_put(c, i, 0, r);
}

void aesimc(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s, r{};
  if (!vec_get(c, i, 1, &s)) return;
  vstore(r.b, aes_imc(vload<v16u8>(s.b)));
  vec_put(c, i, 0, r);
}

void aeskeygenassist(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s, r{};
  if (!vec_get(c, i, 1, &s)) return;
  vstore(r.b, aes_keygen_assist(vload<v16u8>(s.b), (u8)i.imm));
  vec_put(c, i, 0, r);
}

}  // namespace

void bind_aes(HandlerTable& t) {
  t.set_all(Mn::AESENC, &aes_round<aes_enc>);
  t.set_all(Mn::AESENCLAST, &aes_round<aes_enc_last>);
  t.set_all(Mn::AESDEC, &aes_round<aes_dec>);
  t.set_all(Mn::AESDECLAST, &aes_round<aes_dec_last>);
  t.set_all(Mn::AESIMC, &aesimc);
  t.set_all(Mn::AESKEYGENASSIST, &aeskeygenassist);
}

}  // namespace pc64
