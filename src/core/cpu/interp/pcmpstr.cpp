// SSE4.2 string compares PCMPESTRI PCMPESTRM PCMPISTRI PCMPISTRM and their
// VEX.128 forms (rows: cpu/table/sse42.def), following SDM Vol. 2B §4.1
// "Imm8 Control Byte Operation for PCMPESTRI / PCMPESTRM / PCMPISTRI /
// PCMPISTRM":
//   imm8[1:0]  source format: unsigned bytes, unsigned words, signed bytes,
//              signed words (§4.1.2)
//   imm8[3:2]  aggregation: equal any, ranges, equal each, equal ordered (§4.1.3)
//   imm8[5:4]  polarity: +, - (negate), masked +, masked - (negate only the
//              valid elements of the second operand) (§4.1.4)
//   imm8[6]    output: least/most significant index (…STRI), bit mask or
//              element mask (…STRM) (§4.1.5)
// Flags (§4.1.6): CF = IntRes2 != 0, ZF = the second operand is shorter
// than the element count, SF = the first one is, OF = IntRes2[0], AF = PF = 0.
//
// The comparisons form a matrix with one row per element i of the first
// operand (a bit per element j of the second): each row is one vector
// compare of a broadcast a[i] with all of b. The aggregations then work on
// the rows as bit masks; the invalid-element overrides of §4.1.3 Table 4-7
// become masks of the valid elements.
#include "cpu/interp/crypto.h"
#include "cpu/interp/simd.h"

namespace pc64 {
namespace {

enum : u8 { kAggEqualAny = 0, kAggRanges = 1, kAggEqualEach = 2, kAggEqualOrdered = 3 };

// One bit per lane of a compare result (lanes all-ones or zero). Each
// 64-bit half keeps one distinct bit per lane; the multiply then sums the
// lanes of a half into its top byte (no carries: the bits are distinct).
PC64_ALWAYS_INLINE u32 bits_of(v16i8 m) {
  const v2u64 q = (v2u64)m & 0x8040201008040201ull;
  return (u32)((q[0] * 0x0101010101010101ull) >> 56) |
         (u32)((q[1] * 0x0101010101010101ull) >> 56) << 8;
}
PC64_ALWAYS_INLINE u32 bits_of(v8i16 m) {
  const v2u64 q = (v2u64)m & 0x0008000400020001ull;
  return (u32)((q[0] * 0x0001000100010001ull) >> 48) |
         (u32)((q[1] * 0x0001000100010001ull) >> 48) << 4;
}

// The comparison matrix for element vector type V (N lanes): eq[i] bit j =
// a[i] == b[j]; for ranges instead, range[i] bit j = b[j] >= a[i] (even i,
// a lower bound) or b[j] <= a[i] (odd i, an upper bound).
template <typename V, typename M, int N> struct Matrix {
  u32 eq[N];
  u32 range[N];
  Matrix(v16u8 av, v16u8 bv, int la, bool ranges) {
    const V a = (V)av, b = (V)bv;
    for (int k = 0; k < N; ++k) {
      const V ak = (V){} + a[k];
      if (ranges) range[k] = k < la ? bits_of((M)((k & 1) ? (b <= ak) : (b >= ak))) : 0;
      else eq[k] = k < la ? bits_of((M)(b == ak)) : 0;
    }
  }
};

template <typename V, typename M, int N> u32 intres1(v16u8 a, v16u8 b, int la, int lb, int agg) {
  const u32 full = (1u << N) - 1, va = (1u << la) - 1, vb = (1u << lb) - 1;
  if (agg == kAggEqualEach) {
    // Both invalid compares true, one invalid false (Table 4-7).
    const u32 eq = bits_of((M)((V)a == (V)b));
    return (eq & va & vb) | (~va & ~vb & full);
  }
  const Matrix<V, M, N> m(a, b, la, agg == kAggRanges);
  u32 r = 0;
  switch (agg) {
    case kAggEqualAny:
      for (int k = 0; k < la; ++k) r |= m.eq[k];
      return r & vb;
    case kAggRanges:
      // A lower bound with no valid upper bound matches nothing.
      for (int k = 0; k + 1 < la; k += 2) r |= m.range[k] & m.range[k + 1];
      return r & vb;
    default:
      // Equal ordered: bit j = a[0..la) found at b[j..]. An invalid a[k]
      // matches anything, an invalid b[j+k] nothing; positions past the
      // end of b (j+k >= N) are not compared and count as matches.
      r = full;
      for (int k = 0; k < la; ++k) r &= ((m.eq[k] & vb) >> k) | (full & ~(full >> k));
      return r;
  }
}

}  // namespace

int pcmpstr_explicit_len(u64 reg, bool rex_w, u8 imm) {
  const int n = (imm & 1) ? 8 : 16;
  // |value| saturated to n; |INT_MIN| is still "greater than n".
  const u64 mag = rex_w ? ((i64)reg < 0 ? 0 - reg : reg)
                        : (u64)((i32)(u32)reg < 0 ? 0u - (u32)reg : (u32)reg);
  return mag > (u64)n ? n : (int)mag;
}

int pcmpstr_implicit_len(v16u8 s, u8 imm) {
  const u32 z = (imm & 1) ? bits_of((v8i16)((v8u16)s == 0)) | 0x100 : bits_of((v16i8)(s == 0)) | 0x10000;
  return __builtin_ctz(z);
}

PcmpStrResult pcmpstr(v16u8 a, v16u8 b, int la, int lb, u8 imm) {
  const int agg = (imm >> 2) & 3;
  const int n = (imm & 1) ? 8 : 16;
  u32 r1;
  switch (imm & 3) {  // one dispatch per instruction, on the element type
    case 0: r1 = intres1<v16u8, v16i8, 16>(a, b, la, lb, agg); break;
    case 1: r1 = intres1<v8u16, v8i16, 8>(a, b, la, lb, agg); break;
    case 2: r1 = intres1<v16i8, v16i8, 16>(a, b, la, lb, agg); break;
    default: r1 = intres1<v8i16, v8i16, 8>(a, b, la, lb, agg); break;
  }
  const u32 full = (1u << n) - 1;
  u32 r2;
  switch ((imm >> 4) & 3) {
    case 1: r2 = ~r1 & full; break;
    case 3: r2 = r1 ^ ((1u << lb) - 1); break;
    default: r2 = r1; break;
  }
  u32 f = 0;
  if (r2) f |= kCF;
  if (lb < n) f |= kZF;
  if (la < n) f |= kSF;
  if (r2 & 1) f |= kOF;
  return {r2, f};
}

u32 pcmpstr_index(u32 r2, u8 imm) {
  if (!r2) return (imm & 1) ? 8 : 16;
  return (imm & 0x40) ? 31 - __builtin_clz(r2) : __builtin_ctz(r2);
}

v16u8 pcmpstr_mask(u32 r2, u8 imm) {
  if (!(imm & 0x40)) return (v16u8)(v4u32){r2, 0, 0, 0};
  if (imm & 1) {
    const v8u16 bit = {1, 2, 4, 8, 16, 32, 64, 128};
    return (v16u8)(((v8u16){} + (u16)r2 & bit) != 0);
  }
  const v16u8 bit = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  const v16u8 x = {(u8)r2, (u8)r2, (u8)r2, (u8)r2, (u8)r2, (u8)r2, (u8)r2, (u8)r2,
                   (u8)(r2 >> 8), (u8)(r2 >> 8), (u8)(r2 >> 8), (u8)(r2 >> 8),
                   (u8)(r2 >> 8), (u8)(r2 >> 8), (u8)(r2 >> 8), (u8)(r2 >> 8)};
  return (v16u8)((x & bit) != 0);
}

namespace {

constexpr u64 kPcmpFlags = kCF | kZF | kSF | kOF | kAF | kPF;

// Explicit (E) or implicit (I) lengths; index (I) or mask (M) output.
template <bool kExplicit, bool kIndex> void pcmpstr_op(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 av, bv;
  if (!vec_get(c, i, 1, &bv)) return;
  vec_get(c, i, 0, &av);
  const u8 imm = (u8)i.imm;
  const v16u8 a = vload<v16u8>(av.b), b = vload<v16u8>(bv.b);
  // The length registers are RAX/RDX only with REX.W / VEX.W in 64-bit mode.
  const bool w = i.opsize == 8;
  const int la = kExplicit ? pcmpstr_explicit_len(c.s.gpr[RAX], w, imm) : pcmpstr_implicit_len(a, imm);
  const int lb = kExplicit ? pcmpstr_explicit_len(c.s.gpr[RDX], w, imm) : pcmpstr_implicit_len(b, imm);
  const PcmpStrResult r = pcmpstr(a, b, la, lb, imm);
  if (kIndex) {
    c.s.gpr[RCX] = pcmpstr_index(r.intres2, imm);
  } else {
    // XMM0 follows the usual upper-half rule: kept by the legacy form,
    // zeroed by the VEX.128 form.
    Vec256& x0 = c.s.ymm[0];
    if (i.vex) x0 = Vec256{};
    vstore(x0.b, pcmpstr_mask(r.intres2, imm));
  }
  set_flags(c.s, kPcmpFlags, r.flags);
}

}  // namespace

void bind_pcmpstr(HandlerTable& t) {
  t.set_all(Mn::PCMPESTRI, &pcmpstr_op<true, true>);
  t.set_all(Mn::PCMPESTRM, &pcmpstr_op<true, false>);
  t.set_all(Mn::PCMPISTRI, &pcmpstr_op<false, true>);
  t.set_all(Mn::PCMPISTRM, &pcmpstr_op<false, false>);
}

}  // namespace pc64
