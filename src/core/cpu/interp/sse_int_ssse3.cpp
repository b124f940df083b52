// SSSE3 integer instructions (rows: cpu/table/ssse3.def), MMX and XMM
// forms through the vec.h drivers. Lane semantics: SDM Vol. 2B/2C under
// each mnemonic ("Operation").
#include "cpu/interp/vec.h"

namespace pc64 {
namespace {

// PSHUFB: each result byte is a[b & 15], or 0 when bit 7 of b is set. The
// MMX form indexes 8 bytes (b & 7): MmxMode::Dup makes a[k & 15] = a[k & 7].
V128 k_pshufb(V128 a, V128 b, u32) {
  V128 r;
  for (int k = 0; k < 16; ++k) r[k] = a[b[k] & 15];
  return r & ~as<V128>(as<i8x16>(b) < 0);
}

// Horizontal add/subtract of adjacent pairs: a's pairs low, b's high.
// The MMX form is the same on a:b (MmxMode::Narrow).
template <int Op> V128 k_hw(V128 a, V128 b, u32) {  // 0 add, 1 sub, 2 adds, 3 subs
  const u16x8 x = as<u16x8>(a), y = as<u16x8>(b);
  const u16x8 ev = __builtin_shufflevector(x, y, 0, 2, 4, 6, 8, 10, 12, 14);
  const u16x8 od = __builtin_shufflevector(x, y, 1, 3, 5, 7, 9, 11, 13, 15);
  if (Op == 0) return as<V128>(ev + od);
  if (Op == 1) return as<V128>(ev - od);
  if (Op == 2) return as<V128>(adds<u16x8, i16x8>(ev, od));
  return as<V128>(subs<u16x8, i16x8>(ev, od));
}
template <int Op> V128 k_hd(V128 a, V128 b, u32) {
  const u32x4 x = as<u32x4>(a), y = as<u32x4>(b);
  const u32x4 ev = __builtin_shufflevector(x, y, 0, 2, 4, 6);
  const u32x4 od = __builtin_shufflevector(x, y, 1, 3, 5, 7);
  return as<V128>(Op == 0 ? ev + od : ev - od);
}

// PMADDUBSW: unsigned bytes of a times signed bytes of b; adjacent
// products summed with signed saturation (each product fits in 16 bits).
V128 k_maddubsw(V128 a, V128 b, u32) {
  const i16x16 p = __builtin_convertvector(a, i16x16) * __builtin_convertvector(as<i8x16>(b), i16x16);
  const u16x16 q = as<u16x16>(p);
  const u16x8 ev = __builtin_shufflevector(q, q, 0, 2, 4, 6, 8, 10, 12, 14);
  const u16x8 od = __builtin_shufflevector(q, q, 1, 3, 5, 7, 9, 11, 13, 15);
  return as<V128>(adds<u16x8, i16x8>(ev, od));
}

// PMULHRSW: ((a * b >> 14) + 1) >> 1, bits 16:1 of the rounded product.
V128 k_mulhrsw(V128 a, V128 b, u32) {
  const i32x8 p = __builtin_convertvector(as<i16x8>(a), i32x8) * __builtin_convertvector(as<i16x8>(b), i32x8);
  return as<V128>(__builtin_convertvector(((p >> 14) + 1) >> 1, i16x8));
}

// PSIGNB/W/D: a negated where b < 0, zeroed where b = 0, else kept.
template <class U, class S> V128 k_psign(V128 a, V128 b, u32) {
  const U x = as<U>(a);
  const S s = as<S>(b);
  return as<V128>(select(s < 0, (U){} - x, x) & ~as<U>(s == 0));
}

// PABSB/W/D (one source): |a|, with the most negative value unchanged.
template <class U, class S> V128 k_pabs(V128 a, V128, u32) {
  const U x = as<U>(a);
  return as<V128>(select(as<S>(a) < 0, (U){} - x, x));
}

// PALIGNR: (dest:src) >> (imm8 * 8), the low register width kept; the
// MMX form works on 8-byte halves. Not a lane kernel: it needs the width.
void h_palignr(Cpu& c, const Insn& i) {
  const u32 n = (u32)(i.imm & 0xFF);
  if (i.op[0].type == OpType::Mmx) {
    if (!mmx_ok(c, i)) return;
    u64 b;
    if (!mmx_src(c, i, 1, &b)) return;
    u8 buf[24] = {};
    store_le<u64>(buf, b);
    store_le<u64>(buf + 8, mmx_get(c, i.op[0].reg));
    mmx_put(c, i.op[0].reg, load_le<u64>(buf + (n > 16 ? 16 : n)));
    mmx_touch(c);
    return;
  }
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src2_index(i), &b) || !vec_get(c, i, src1_index(i), &a)) return;
  const int lanes = i.op[0].size > 16 ? 2 : 1;
  for (int k = 0; k < lanes; ++k) {
    u8 buf[48] = {};
    __builtin_memcpy(buf, b.b + 16 * k, 16);
    __builtin_memcpy(buf + 16, a.b + 16 * k, 16);
    __builtin_memcpy(r.b + 16 * k, buf + (n > 32 ? 32 : n), 16);
  }
  vec_put(c, i, 0, r);
}

}  // namespace

void bind_sse_int_ssse3(HandlerTable& t) {
  t.set_all(Mn::PSHUFB, &simd_binop<k_pshufb, MmxMode::Dup>);
  t.set_all(Mn::PHADDW, &simd_binop<k_hw<0>, MmxMode::Narrow>);
  t.set_all(Mn::PHSUBW, &simd_binop<k_hw<1>, MmxMode::Narrow>);
  t.set_all(Mn::PHADDSW, &simd_binop<k_hw<2>, MmxMode::Narrow>);
  t.set_all(Mn::PHSUBSW, &simd_binop<k_hw<3>, MmxMode::Narrow>);
  t.set_all(Mn::PHADDD, &simd_binop<k_hd<0>, MmxMode::Narrow>);
  t.set_all(Mn::PHSUBD, &simd_binop<k_hd<1>, MmxMode::Narrow>);
  t.set_all(Mn::PMADDUBSW, &simd_binop<k_maddubsw>);
  t.set_all(Mn::PMULHRSW, &simd_binop<k_mulhrsw>);
  t.set_all(Mn::PSIGNB, &simd_binop<k_psign<u8x16, i8x16>>);
  t.set_all(Mn::PSIGNW, &simd_binop<k_psign<u16x8, i16x8>>);
  t.set_all(Mn::PSIGND, &simd_binop<k_psign<u32x4, i32x4>>);
  t.set_all(Mn::PABSB, &simd_unop<k_pabs<u8x16, i8x16>>);
  t.set_all(Mn::PABSW, &simd_unop<k_pabs<u16x8, i16x8>>);
  t.set_all(Mn::PABSD, &simd_unop<k_pabs<u32x4, i32x4>>);
  t.set_all(Mn::PALIGNR, &h_palignr);
}

}  // namespace pc64
