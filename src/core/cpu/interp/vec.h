// Vector-extension lane types and helpers for SIMD handlers (MMX, SSE, AVX).
//
// Lane arithmetic uses the clang/gcc vector extensions, so each operation
// compiles to the host's SIMD instructions natively and to simd128 in wasm:
// no per-lane switch on the hot path (issue 4). Every type here is a value
// type; convert between lane views with as<T>() (a bit cast of the same 16
// or 32 bytes), and between lane widths with __builtin_convertvector.
//
// Signed lane arithmetic that can overflow is done in the unsigned view:
// vector signed overflow is undefined in C++ as it is for scalars.
//
// The MMX register model (SDM Vol. 1 §9.5, Vol. 3A §12.2) is here too,
// because every handler with an MMX operand needs it:
//  - a pending unmasked x87 exception (FSW.ES) makes an MMX instruction
//    raise #MF before it executes (Vol. 3A §12.5.1);
//  - every MMX instruction sets TOP to 0 and (but EMMS) all tags non-empty;
//  - a write to MMn stores bits 63:0 of physical register Rn and sets its
//    bits 79:64 (sign and exponent) to all ones.
#pragma once
#include "cpu/interp/simd.h"
#include "cpu/interp/x87_tag.h"

// 32-byte vector temporaries live only inside inlined helpers; GCC's note
// that passing them by value would change the ABI without AVX is moot.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace pc64 {

#define PC64_VEC(T, n) __attribute__((vector_size(n)))
typedef u8 u8x16 PC64_VEC(u8, 16);
typedef i8 i8x16 PC64_VEC(i8, 16);
typedef u16 u16x8 PC64_VEC(u16, 16);
typedef i16 i16x8 PC64_VEC(i16, 16);
typedef u32 u32x4 PC64_VEC(u32, 16);
typedef i32 i32x4 PC64_VEC(i32, 16);
typedef u64 u64x2 PC64_VEC(u64, 16);
typedef i64 i64x2 PC64_VEC(i64, 16);
typedef float f32x4 PC64_VEC(float, 16);
typedef double f64x2 PC64_VEC(double, 16);
// Half-width and double-width views, for narrowing and widening.
typedef u8 u8x8 PC64_VEC(u8, 8);
typedef i8 i8x8 PC64_VEC(i8, 8);
typedef u16 u16x4 PC64_VEC(u16, 8);
typedef i16 i16x4 PC64_VEC(i16, 8);
typedef u32 u32x2 PC64_VEC(u32, 8);
typedef i32 i32x2 PC64_VEC(i32, 8);
typedef u8 u8x4 PC64_VEC(u8, 4);
typedef i8 i8x4 PC64_VEC(i8, 4);
typedef u16 u16x2 PC64_VEC(u16, 4);
typedef i16 i16x2 PC64_VEC(i16, 4);
typedef u8 u8x2 PC64_VEC(u8, 2);
typedef i8 i8x2 PC64_VEC(i8, 2);
typedef u8 u8x32 PC64_VEC(u8, 32);
typedef u16 u16x16 PC64_VEC(u16, 32);
typedef i16 i16x16 PC64_VEC(i16, 32);
typedef u32 u32x8 PC64_VEC(u32, 32);
typedef i32 i32x8 PC64_VEC(i32, 32);
typedef u64 u64x4 PC64_VEC(u64, 32);
typedef i64 i64x4 PC64_VEC(i64, 32);
#undef PC64_VEC

// One 128-bit lane: the unit of most SSE/AVX integer operations (AVX2
// 256-bit forms work on each 128-bit lane separately, SDM Vol. 1 §14.7).
typedef u8x16 V128;

template <class T, class S> PC64_ALWAYS_INLINE T as(S v) {
  static_assert(sizeof(T) == sizeof(S), "bit cast between different sizes");
  T r;
  __builtin_memcpy(&r, &v, sizeof r);
  return r;
}

PC64_ALWAYS_INLINE V128 lane_of(const Vec256& v, int k) {
  V128 r;
  __builtin_memcpy(&r, v.b + 16 * k, 16);
  return r;
}
PC64_ALWAYS_INLINE void set_lane(Vec256* v, int k, V128 x) { __builtin_memcpy(v->b + 16 * k, &x, 16); }

PC64_ALWAYS_INLINE V128 v128_from_u64(u64 lo, u64 hi = 0) { return as<V128>(u64x2{lo, hi}); }
PC64_ALWAYS_INLINE u64 v128_lo(V128 v) { return as<u64x2>(v)[0]; }
PC64_ALWAYS_INLINE u64 v128_hi(V128 v) { return as<u64x2>(v)[1]; }

// Lane select: m is all-ones or all-zeros per lane (a comparison result).
template <class T, class M> PC64_ALWAYS_INLINE T select(M m, T a, T b) {
  const T mm = as<T>(m);
  return (mm & a) | (~mm & b);
}

// Saturating add/sub in the unsigned view U of signed lanes S, and of
// unsigned lanes (SDM Vol. 1 §9.2.4 "saturation arithmetic").
template <class U, class S> PC64_ALWAYS_INLINE U adds(U a, U b) {
  const U r = a + b;
  const S ov = as<S>((a ^ r) & (b ^ r)) < 0;  // same-signed operands, result sign flipped
  const U sat = as<U>(as<S>(a) >> (int)(sizeof(a[0]) * 8 - 1)) ^ (U)(~(U){} >> 1);
  return select(ov, sat, r);
}
template <class U, class S> PC64_ALWAYS_INLINE U subs(U a, U b) {
  const U r = a - b;
  const S ov = as<S>((a ^ b) & (a ^ r)) < 0;
  const U sat = as<U>(as<S>(a) >> (int)(sizeof(a[0]) * 8 - 1)) ^ (U)(~(U){} >> 1);
  return select(ov, sat, r);
}
template <class U> PC64_ALWAYS_INLINE U addus(U a, U b) {
  const U r = a + b;
  return r | as<U>(r < a);
}
template <class U> PC64_ALWAYS_INLINE U subus(U a, U b) { return (a - b) & as<U>(a >= b); }

template <class T> PC64_ALWAYS_INLINE T vmin(T a, T b) { return select(a < b, a, b); }
template <class T> PC64_ALWAYS_INLINE T vmax(T a, T b) { return select(a > b, a, b); }

// Lanes of a signed vector clamped to [lo, hi].
template <class T> using elem_of = __typeof__((*(T*)nullptr)[0]);
template <class T> PC64_ALWAYS_INLINE T clamp(T v, i64 lo, i64 hi) {
  return vmin(vmax(v, (T){} + (elem_of<T>)lo), (T){} + (elem_of<T>)hi);
}

// Two half-width vectors side by side (lo in the low bytes).
PC64_ALWAYS_INLINE V128 concat64(u64 lo, u64 hi) { return v128_from_u64(lo, hi); }

// ---- MMX register state (see the file comment) ----

constexpr u16 kFswES = 1u << 7, kFswTop = 7u << 11;

// The entry of every MMX instruction: the #UD/#NM checks of fp_ok(), then
// #MF for a pending x87 exception.
PC64_ALWAYS_INLINE bool mmx_ok(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return false;
  if (c.s.fpu.fsw & kFswES) return c.raise(kExMF);
  return true;
}

// The x87 state change of every MMX instruction: TOP 0 (EMMS included:
// Vol. 3A §12.2, "each time an MMX instruction is executed") and no tag
// empty (EMMS then empties them all). The host CPU makes it only once the
// instruction's memory accesses have succeeded (MASKMOVQ: before its
// store). CpuState::ftw is the full tag word as FSTENV reports it, so
// each tag is the one its register's contents give.
PC64_ALWAYS_INLINE void mmx_touch(Cpu& c) {
  c.s.fpu.fsw &= (u16)~kFswTop;
  u16 t = 0;
  for (int k = 0; k < 8; ++k) t |= (u16)(x87_tag_of(c.s.fpu.r[k].se, c.s.fpu.r[k].mant) << (2 * k));
  c.s.fpu.ftw = t;
}

PC64_ALWAYS_INLINE u64 mmx_get(const Cpu& c, int reg) { return c.s.fpu.r[reg].mant; }
// A written MMn: bits 79:64 all ones. Call mmx_touch() after.
PC64_ALWAYS_INLINE void mmx_put(Cpu& c, int reg, u64 v) {
  c.s.fpu.r[reg].mant = v;
  c.s.fpu.r[reg].se = 0xFFFF;
}

// Operand n of an MMX form (MMX register or memory of the operand's size)
// as a u64, zero-extended.
inline bool mmx_src(Cpu& c, const Insn& i, int n, u64* v) {
  const DecodedOp& o = i.op[n];
  if (o.type == OpType::Mmx) {
    *v = mmx_get(c, o.reg);
    return true;
  }
  u8 b[8] = {};
  if (!c.read_bytes(i.seg, ea(c, i), b, o.size)) return false;
  *v = load_le<u64>(b);
  return true;
}

// ---- handler drivers: one 128-bit lane kernel, every encoding ----
//
// A kernel `V128 K(V128 a, V128 b, u32 imm)` computes one 128-bit lane of
// the XMM form from the destination/first source a and the second source b.
// The drivers below run it for each form:
//  - XMM (legacy or VEX.128): one lane; VEX.256: both lanes, each on its own
//    (the AVX2 integer instructions work per 128-bit lane, SDM Vol. 1 §14.7);
//  - MMX: the 64-bit operands are placed into a lane as MmxMode says and the
//    64-bit result taken from it, so the same kernel serves the MMX form.
using Kernel = V128 (*)(V128 a, V128 b, u32 imm);

enum class MmxMode : u8 {
  Plain,   // a, b in the low halves; result from the low half
  Narrow,  // lane = a:b (b high), second operand 0; result from the low half.
           // For kernels whose XMM result is f(a):f(b) with f taking 16 bytes
           // to 8 (PACKSS*, PHADD*): the MMX result is f(a:b).
  High,    // a, b in the high halves; result from the high half (PUNPCKH*)
  Dup,     // a:a and b:b (PSHUFB: lane byte index mod 16 = MMX index mod 8)
};

PC64_ALWAYS_INLINE u64 mmx_lane(Kernel k, MmxMode m, u64 a, u64 b, u32 imm) {
  switch (m) {  // resolved at compile time: m is a template argument below
    case MmxMode::Plain: return v128_lo(k(v128_from_u64(a), v128_from_u64(b), imm));
    case MmxMode::Narrow: return v128_lo(k(v128_from_u64(a, b), V128{}, imm));
    case MmxMode::High: return v128_hi(k(v128_from_u64(0, a), v128_from_u64(0, b), imm));
    case MmxMode::Dup: return v128_lo(k(v128_from_u64(a, a), v128_from_u64(b, b), imm));
  }
  return 0;
}

// Writes the result lanes of an XMM/YMM form to operand 0.
PC64_ALWAYS_INLINE void vec_put_lanes(Cpu& c, const Insn& i, Kernel k, const Vec256& a,
                                      const Vec256& b, u32 imm) {
  Vec256 r{};
  const int lanes = i.op[0].size > 16 ? 2 : 1;
  for (int n = 0; n < lanes; ++n) set_lane(&r, n, k(lane_of(a, n), lane_of(b, n), imm));
  vec_put(c, i, 0, r);
}

// dst = K(src1, src2, imm8): "P,Q", "V,W", "V,H,W", with or without Ib.
template <Kernel K, MmxMode M = MmxMode::Plain> void simd_binop(Cpu& c, const Insn& i) {
  if (i.op[0].type == OpType::Mmx) {
    if (!mmx_ok(c, i)) return;
    u64 b;
    if (!mmx_src(c, i, 1, &b)) return;
    mmx_put(c, i.op[0].reg, mmx_lane(K, M, mmx_get(c, i.op[0].reg), b, (u32)i.imm));
    mmx_touch(c);
    return;
  }
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src2_index(i), &b) || !vec_get(c, i, src1_index(i), &a)) return;
  vec_put_lanes(c, i, K, a, b, (u32)i.imm);
}

// dst = K(src, src, imm8) for one-source forms ("P,Q,Ib", "V,W", "V,W,Ib"):
// operand 1 is the source in every encoding.
template <Kernel K> void simd_unop(Cpu& c, const Insn& i) {
  if (i.op[0].type == OpType::Mmx) {
    if (!mmx_ok(c, i)) return;
    u64 b;
    if (!mmx_src(c, i, 1, &b)) return;
    mmx_put(c, i.op[0].reg, mmx_lane(K, MmxMode::Plain, b, b, (u32)i.imm));
    mmx_touch(c);
    return;
  }
  if (!fp_ok(c, i)) return;
  Vec256 b;
  if (!vec_get(c, i, 1, &b)) return;
  vec_put_lanes(c, i, K, b, b, (u32)i.imm);
}

// Shift by imm8 ("N,Ib", "U,Ib", VEX "H,U,Ib"): K(src, count, 0) with the
// count in the low 64 bits of the second operand, as the register forms.
template <Kernel K> void simd_shift_imm(Cpu& c, const Insn& i) {
  const u64 count = i.imm & 0xFF;
  if (i.op[0].type == OpType::Mmx) {
    if (!mmx_ok(c, i)) return;
    mmx_put(c, i.op[0].reg, mmx_lane(K, MmxMode::Plain, mmx_get(c, i.op[0].reg), count, 0));
    mmx_touch(c);
    return;
  }
  if (!fp_ok(c, i)) return;
  Vec256 a, b{};
  if (!vec_get(c, i, src1_index(i), &a)) return;
  b.q[0] = count;
  b.q[2] = count;
  vec_put_lanes(c, i, K, a, b, 0);
}

}  // namespace pc64
