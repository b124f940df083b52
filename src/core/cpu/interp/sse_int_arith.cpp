// MMX/SSE2 integer arithmetic, logic, comparison and multiplication (rows:
// cpu/table/sse_int.def). Each kernel computes one 128-bit lane; the
// drivers in vec.h run it for the MMX, legacy XMM and VEX forms.
// Lane semantics: SDM Vol. 2B/2C under each mnemonic ("Operation").
#include "cpu/interp/vec.h"

namespace pc64 {
namespace {

template <class T> V128 k_add(V128 a, V128 b, u32) { return as<V128>(as<T>(a) + as<T>(b)); }
template <class T> V128 k_sub(V128 a, V128 b, u32) { return as<V128>(as<T>(a) - as<T>(b)); }
template <class U, class S> V128 k_adds(V128 a, V128 b, u32) {
  return as<V128>(adds<U, S>(as<U>(a), as<U>(b)));
}
template <class U, class S> V128 k_subs(V128 a, V128 b, u32) {
  return as<V128>(subs<U, S>(as<U>(a), as<U>(b)));
}
template <class U> V128 k_addus(V128 a, V128 b, u32) { return as<V128>(addus(as<U>(a), as<U>(b))); }
template <class U> V128 k_subus(V128 a, V128 b, u32) { return as<V128>(subus(as<U>(a), as<U>(b))); }

V128 k_and(V128 a, V128 b, u32) { return a & b; }
V128 k_andn(V128 a, V128 b, u32) { return ~a & b; }  // PANDN: NOT dest AND src
V128 k_or(V128 a, V128 b, u32) { return a | b; }
V128 k_xor(V128 a, V128 b, u32) { return a ^ b; }

template <class T> V128 k_cmpeq(V128 a, V128 b, u32) { return as<V128>(as<T>(a) == as<T>(b)); }
template <class T> V128 k_cmpgt(V128 a, V128 b, u32) { return as<V128>(as<T>(a) > as<T>(b)); }
template <class T> V128 k_min(V128 a, V128 b, u32) { return as<V128>(vmin(as<T>(a), as<T>(b))); }
template <class T> V128 k_max(V128 a, V128 b, u32) { return as<V128>(vmax(as<T>(a), as<T>(b))); }

// PAVGB/PAVGW: (a + b + 1) >> 1 without the carry-out: (a | b) - ((a ^ b) >> 1).
template <class U> V128 k_avg(V128 a, V128 b, u32) {
  const U x = as<U>(a), y = as<U>(b);
  return as<V128>((x | y) - ((x ^ y) >> 1));
}

V128 k_mullw(V128 a, V128 b, u32) { return as<V128>(as<u16x8>(a) * as<u16x8>(b)); }
// PMULHW/PMULHUW: high 16 bits of the 32-bit products.
template <class T16, class T32> V128 k_mulh(V128 a, V128 b, u32) {
  const T32 p = __builtin_convertvector(as<T16>(a), T32) * __builtin_convertvector(as<T16>(b), T32);
  return as<V128>(__builtin_convertvector(p >> 16, T16));
}
// PMULUDQ: low dword of each quadword, unsigned, 64-bit product.
V128 k_muludq(V128 a, V128 b, u32) {
  const u64x2 m = (u64x2){} + 0xFFFFFFFFull;
  return as<V128>((as<u64x2>(a) & m) * (as<u64x2>(b) & m));
}
// PMADDWD: signed word products, adjacent pairs summed into dwords. Only
// 0x8000*0x8000 twice overflows, to 0x80000000 (the SDM's result), so the
// sum wraps in the unsigned view.
V128 k_maddwd(V128 a, V128 b, u32) {
  const i32x8 p = __builtin_convertvector(as<i16x8>(a), i32x8) * __builtin_convertvector(as<i16x8>(b), i32x8);
  const u32x8 q = as<u32x8>(p);
  return as<V128>(__builtin_shufflevector(q, q, 0, 2, 4, 6) + __builtin_shufflevector(q, q, 1, 3, 5, 7));
}
// PSADBW: sums of absolute byte differences of each 8-byte half into the
// low word of its quadword (SDM Vol. 2B "PSADBW").
V128 k_sadbw(V128 a, V128 b, u32) {
  const u8x16 d = vmax(a, b) - vmin(a, b);
  const u16x16 w = __builtin_convertvector(d, u16x16);
  u64 s0 = 0, s1 = 0;
  for (int k = 0; k < 8; ++k) {
    s0 += w[k];
    s1 += w[k + 8];
  }
  return v128_from_u64(s0, s1);
}

}  // namespace

void bind_sse_int_arith(HandlerTable& t) {
  t.set_all(Mn::PADDB, &simd_binop<k_add<u8x16>>);
  t.set_all(Mn::PADDW, &simd_binop<k_add<u16x8>>);
  t.set_all(Mn::PADDD, &simd_binop<k_add<u32x4>>);
  t.set_all(Mn::PADDQ, &simd_binop<k_add<u64x2>>);
  t.set_all(Mn::PSUBB, &simd_binop<k_sub<u8x16>>);
  t.set_all(Mn::PSUBW, &simd_binop<k_sub<u16x8>>);
  t.set_all(Mn::PSUBD, &simd_binop<k_sub<u32x4>>);
  t.set_all(Mn::PSUBQ, &simd_binop<k_sub<u64x2>>);
  t.set_all(Mn::PADDSB, &simd_binop<k_adds<u8x16, i8x16>>);
  t.set_all(Mn::PADDSW, &simd_binop<k_adds<u16x8, i16x8>>);
  t.set_all(Mn::PSUBSB, &simd_binop<k_subs<u8x16, i8x16>>);
  t.set_all(Mn::PSUBSW, &simd_binop<k_subs<u16x8, i16x8>>);
  t.set_all(Mn::PADDUSB, &simd_binop<k_addus<u8x16>>);
  t.set_all(Mn::PADDUSW, &simd_binop<k_addus<u16x8>>);
  t.set_all(Mn::PSUBUSB, &simd_binop<k_subus<u8x16>>);
  t.set_all(Mn::PSUBUSW, &simd_binop<k_subus<u16x8>>);
  t.set_all(Mn::PMULLW, &simd_binop<k_mullw>);
  t.set_all(Mn::PMULHW, &simd_binop<k_mulh<i16x8, i32x8>>);
  t.set_all(Mn::PMULHUW, &simd_binop<k_mulh<u16x8, u32x8>>);
  t.set_all(Mn::PMULUDQ, &simd_binop<k_muludq>);
  t.set_all(Mn::PMADDWD, &simd_binop<k_maddwd>);
  t.set_all(Mn::PAND, &simd_binop<k_and>);
  t.set_all(Mn::PANDN, &simd_binop<k_andn>);
  t.set_all(Mn::POR, &simd_binop<k_or>);
  t.set_all(Mn::PXOR, &simd_binop<k_xor>);
  t.set_all(Mn::PCMPEQB, &simd_binop<k_cmpeq<u8x16>>);
  t.set_all(Mn::PCMPEQW, &simd_binop<k_cmpeq<u16x8>>);
  t.set_all(Mn::PCMPEQD, &simd_binop<k_cmpeq<u32x4>>);
  t.set_all(Mn::PCMPGTB, &simd_binop<k_cmpgt<i8x16>>);
  t.set_all(Mn::PCMPGTW, &simd_binop<k_cmpgt<i16x8>>);
  t.set_all(Mn::PCMPGTD, &simd_binop<k_cmpgt<i32x4>>);
  t.set_all(Mn::PAVGB, &simd_binop<k_avg<u8x16>>);
  t.set_all(Mn::PAVGW, &simd_binop<k_avg<u16x8>>);
  t.set_all(Mn::PMINUB, &simd_binop<k_min<u8x16>>);
  t.set_all(Mn::PMAXUB, &simd_binop<k_max<u8x16>>);
  t.set_all(Mn::PMINSW, &simd_binop<k_min<i16x8>>);
  t.set_all(Mn::PMAXSW, &simd_binop<k_max<i16x8>>);
  t.set_all(Mn::PSADBW, &simd_binop<k_sadbw>);
}

}  // namespace pc64
