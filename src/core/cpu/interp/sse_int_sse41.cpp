// SSE4.1 integer instructions and SSE4.2 PCMPGTQ (rows:
// cpu/table/sse41_int.def). Lane semantics: SDM Vol. 2B/2C under each
// mnemonic ("Operation"). PINSRx/PEXTRx are bound in sse_int_move.cpp.
#include "cpu/flags.h"
#include "cpu/interp/vec.h"

namespace pc64 {
namespace {

// PMOVSX/PMOVZX: the low elements of the source widened (one source).
template <class From, class To> V128 k_pmovx(V128 a, V128, u32) {
  From f;
  __builtin_memcpy(&f, &a, sizeof f);
  return as<V128>(__builtin_convertvector(f, To));
}

template <class T> V128 k_min(V128 a, V128 b, u32) { return as<V128>(vmin(as<T>(a), as<T>(b))); }
template <class T> V128 k_max(V128 a, V128 b, u32) { return as<V128>(vmax(as<T>(a), as<T>(b))); }
V128 k_mulld(V128 a, V128 b, u32) { return as<V128>(as<u32x4>(a) * as<u32x4>(b)); }
// PMULDQ: signed low dwords of each quadword, 64-bit products (never overflow).
V128 k_muldq(V128 a, V128 b, u32) {
  const i64x2 x = (as<i64x2>(a) << 32) >> 32, y = (as<i64x2>(b) << 32) >> 32;
  return as<V128>(x * y);
}
V128 k_cmpeqq(V128 a, V128 b, u32) { return as<V128>(as<u64x2>(a) == as<u64x2>(b)); }
V128 k_cmpgtq(V128 a, V128 b, u32) { return as<V128>(as<i64x2>(a) > as<i64x2>(b)); }
// PACKUSDW: signed dwords to unsigned words with saturation.
V128 k_packusdw(V128 a, V128 b, u32) {
  const u16x4 x = __builtin_convertvector(clamp(as<i32x4>(a), 0, 65535), u16x4);
  const u16x4 y = __builtin_convertvector(clamp(as<i32x4>(b), 0, 65535), u16x4);
  return v128_from_u64(as<u64>(x), as<u64>(y));
}
// PBLENDW: imm8 bit k set takes word k from the source.
V128 k_pblendw(V128 a, V128 b, u32 imm) {
  const u16x8 bit = {1, 2, 4, 8, 16, 32, 64, 128};
  const u16x8 m = as<u16x8>((((u16x8){} + (u16)imm) & bit) != 0);
  return as<V128>(select(m, as<u16x8>(b), as<u16x8>(a)));
}
// PHMINPOSUW (one source): the minimum unsigned word in bits 15:0, its
// lowest index in bits 18:16, the rest zero.
V128 k_phminposuw(V128 a, V128, u32) {
  const u16x8 w = as<u16x8>(a);
  u32 best = w[0], idx = 0;
  for (u32 k = 1; k < 8; ++k)
    if (w[k] < best) best = w[k], idx = k;
  return v128_from_u64(best | (u64)idx << 16);
}
// MPSADBW: eight sums of absolute differences of 4-byte groups: a from
// byte offset 4*imm[2] + k, b the dword imm[1:0] (SDM Vol. 2B "MPSADBW").
V128 k_mpsadbw(V128 a, V128 b, u32 imm) {
  u8 x[16], y[16];
  __builtin_memcpy(x, &a, 16);
  __builtin_memcpy(y, &b, 16);
  const u8* s = x + 4 * ((imm >> 2) & 1);
  const u8* t = y + 4 * (imm & 3);
  u16x8 r = {};
  for (int k = 0; k < 8; ++k) {
    u32 sum = 0;
    for (int j = 0; j < 4; ++j) sum += s[k + j] > t[j] ? s[k + j] - t[j] : t[j] - s[k + j];
    r[k] = (u16)sum;
  }
  return as<V128>(r);
}
V128 k_copy(V128 a, V128, u32) { return a; }

// PBLENDVB: bytes of the second source where the mask byte has bit 7 set,
// else the first source's. The mask is the implicit XMM0 (legacy) or the
// register in imm8[7:4] (VPBLENDVB, operand 3; SDM Vol. 2B "PBLENDVB").
void h_pblendvb(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src2_index(i), &b)) return;
  vec_get(c, i, src1_index(i), &a);
  const Vec256& mask = c.s.ymm[i.vex ? i.op[3].reg : 0];
  Vec256 r{};
  for (int k = 0; k < (i.op[0].size > 16 ? 2 : 1); ++k) {
    const V128 m = as<V128>(as<i8x16>(lane_of(mask, k)) < 0);
    set_lane(&r, k, select(m, lane_of(b, k), lane_of(a, k)));
  }
  vec_put(c, i, 0, r);
}

// PMOVSX/PMOVZX: kernel K widens the low Part bytes (8, 4 or 2) of a lane. The VEX.256 forms widen xmm/m128 (m64, m32): the upper result lane
// comes from the source bytes after those of the lower one (SDM Vol. 2B
// "PMOVSX": VPMOVSXBW ymm1, xmm2/m128), so the source is split, not taken
// per lane.
template <Kernel K, u32 Part> void h_pmovx(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  constexpr u32 part = Part;  // source bytes per result lane
  const int lanes = i.op[0].size > 16 ? 2 : 1;
  Vec256 s;
  if (!vec_get(c, i, 1, &s, part * lanes)) return;
  Vec256 r{};
  for (int k = 0; k < lanes; ++k) {
    V128 x{};
    __builtin_memcpy(&x, s.b + part * k, part);
    set_lane(&r, k, K(x, x, 0));
  }
  vec_put(c, i, 0, r);
}

// MPSADBW: the VEX.256 upper lane uses imm8[5:3] as the lower one uses
// imm8[2:0] (SDM Vol. 2B "MPSADBW", VMPSADBW with VEX.256).
void h_mpsadbw(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src2_index(i), &b) || !vec_get(c, i, src1_index(i), &a)) return;
  Vec256 r{};
  const u32 imm = (u32)i.imm;
  for (int k = 0; k < (i.op[0].size > 16 ? 2 : 1); ++k)
    set_lane(&r, k, k_mpsadbw(lane_of(a, k), lane_of(b, k), k ? imm >> 3 : imm));
  vec_put(c, i, 0, r);
}

// PTEST: ZF = (a AND b) is all zero, CF = (NOT a AND b) is all zero; OF AF
// PF SF cleared (SDM Vol. 2B "PTEST").
void h_ptest(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, 1, &b)) return;
  vec_get(c, i, 0, &a);
  u64 andv = 0, andn = 0;
  for (int k = 0; k < 4; ++k) {
    andv |= a.q[k] & b.q[k];
    andn |= ~a.q[k] & b.q[k];
  }
  set_flags(c.s, kArithFlags, (andv ? 0u : (u64)kZF) | (andn ? 0u : (u64)kCF));
}

}  // namespace

void bind_pinsr_pextr(HandlerTable& t);

void bind_sse_int_sse41(HandlerTable& t) {
  t.set_all(Mn::PMOVSXBW, &h_pmovx<k_pmovx<i8x8, i16x8>, 8>);
  t.set_all(Mn::PMOVSXBD, &h_pmovx<k_pmovx<i8x4, i32x4>, 4>);
  t.set_all(Mn::PMOVSXBQ, &h_pmovx<k_pmovx<i8x2, i64x2>, 2>);
  t.set_all(Mn::PMOVSXWD, &h_pmovx<k_pmovx<i16x4, i32x4>, 8>);
  t.set_all(Mn::PMOVSXWQ, &h_pmovx<k_pmovx<i16x2, i64x2>, 4>);
  t.set_all(Mn::PMOVSXDQ, &h_pmovx<k_pmovx<i32x2, i64x2>, 8>);
  t.set_all(Mn::PMOVZXBW, &h_pmovx<k_pmovx<u8x8, u16x8>, 8>);
  t.set_all(Mn::PMOVZXBD, &h_pmovx<k_pmovx<u8x4, u32x4>, 4>);
  t.set_all(Mn::PMOVZXBQ, &h_pmovx<k_pmovx<u8x2, u64x2>, 2>);
  t.set_all(Mn::PMOVZXWD, &h_pmovx<k_pmovx<u16x4, u32x4>, 8>);
  t.set_all(Mn::PMOVZXWQ, &h_pmovx<k_pmovx<u16x2, u64x2>, 4>);
  t.set_all(Mn::PMOVZXDQ, &h_pmovx<k_pmovx<u32x2, u64x2>, 8>);
  t.set_all(Mn::PMULLD, &simd_binop<k_mulld>);
  t.set_all(Mn::PMULDQ, &simd_binop<k_muldq>);
  t.set_all(Mn::PMINSB, &simd_binop<k_min<i8x16>>);
  t.set_all(Mn::PMINSD, &simd_binop<k_min<i32x4>>);
  t.set_all(Mn::PMINUW, &simd_binop<k_min<u16x8>>);
  t.set_all(Mn::PMINUD, &simd_binop<k_min<u32x4>>);
  t.set_all(Mn::PMAXSB, &simd_binop<k_max<i8x16>>);
  t.set_all(Mn::PMAXSD, &simd_binop<k_max<i32x4>>);
  t.set_all(Mn::PMAXUW, &simd_binop<k_max<u16x8>>);
  t.set_all(Mn::PMAXUD, &simd_binop<k_max<u32x4>>);
  t.set_all(Mn::PCMPEQQ, &simd_binop<k_cmpeqq>);
  t.set_all(Mn::PCMPGTQ, &simd_binop<k_cmpgtq>);
  t.set_all(Mn::PACKUSDW, &simd_binop<k_packusdw>);
  t.set_all(Mn::PBLENDW, &simd_binop<k_pblendw>);
  t.set_all(Mn::MPSADBW, &h_mpsadbw);
  t.set_all(Mn::PHMINPOSUW, &simd_unop<k_phminposuw>);
  t.set_all(Mn::MOVNTDQA, &simd_unop<k_copy>);
  t.set_all(Mn::PBLENDVB, &h_pblendvb);
  t.set_all(Mn::PTEST, &h_ptest);
  bind_pinsr_pextr(t);
}

}  // namespace pc64
