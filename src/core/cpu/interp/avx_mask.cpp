// AVX/AVX2 masked moves, variable shifts and VTESTPS/PD (rows:
// cpu/table/avx_new.def).
#include "cpu/interp/avx_probe.h"
#include "cpu/interp/simd.h"

namespace pc64 {
namespace {

// The offset of element k of the memory operand (address-size wrap).
PC64_ALWAYS_INLINE u64 elem_off(const Insn& i, u64 base, u32 k, u32 e) {
  return (base + (u64)k * e) & width_mask(i.asize);
}

// Sign bit of element k (E = 4 or 8 bytes).
template <u32 E> PC64_ALWAYS_INLINE bool mask_bit(const Vec256& m, u32 k) {
  if constexpr (E == 4) return m.d[k] >> 31;
  else return m.q[k] >> 63;
}

// VMASKMOVPS/PD, VPMASKMOVD/Q loads (SDM Vol. 2C "VMASKMOV", "VPMASKMOV"):
// the elements whose mask (VEX.vvvv) sign bit is set are read, the others
// are zero and are not accessed, so they cannot fault (exception class 6;
// no alignment rule).
template <u32 E> void maskmov_load(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 m;
  if (!vec_get(c, i, 1, &m)) return;
  const u64 base = ea(c, i);
  const u32 n = i.op[0].size / E;
  Vec256 r{};
  for (u32 k = 0; k < n; ++k)
    if (mask_bit<E>(m, k) && !c.read_bytes(i.seg, elem_off(i, base, k, E), r.b + k * E, E)) return;
  vec_put(c, i, 0, r);
}

// The stores write only the selected elements. Every selected element is
// translated for writing first, so a fault leaves memory unchanged (the
// SDM's fault-suppression rule for masked-off elements; the order of the
// stores themselves is not architectural).
template <u32 E> void maskmov_store(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 m, v;
  if (!vec_get(c, i, 1, &m)) return;
  if (!vec_get(c, i, 2, &v)) return;
  const u64 base = ea(c, i);
  const u32 n = i.op[2].size / E;
  for (u32 k = 0; k < n; ++k) {
    if (!mask_bit<E>(m, k)) continue;
    if (!probe_write(c, i.seg, elem_off(i, base, k, E), E)) return;
  }
  for (u32 k = 0; k < n; ++k)
    if (mask_bit<E>(m, k) && !c.write_bytes(i.seg, elem_off(i, base, k, E), v.b + k * E, E)) return;
}

template <u32 E> void maskmov(Cpu& c, const Insn& i) {
  if (i.op[0].type == OpType::Mem) maskmov_store<E>(c, i);
  else maskmov_load<E>(c, i);
}

// VPSLLVD/Q, VPSRLVD/Q, VPSRAVD (Vol. 2C "VPSLLVD"): element k of src1
// shifted by the unsigned count in element k of src2; a count of the
// element width or more gives 0 (VPSRAVD: the sign in every bit).
enum class Sh : u8 { Left, Right, Arith };
template <class T, Sh S> void shift_var(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, 1, &a)) return;
  if (!vec_get(c, i, 2, &b)) return;
  constexpr u32 bits = sizeof(T) * 8;
  Vec256 r;
  for (u32 k = 0; k < i.op[0].size / sizeof(T); ++k) {
    T x, cnt;
    __builtin_memcpy(&x, a.b + k * sizeof(T), sizeof(T));
    __builtin_memcpy(&cnt, b.b + k * sizeof(T), sizeof(T));
    T y;
    if constexpr (S == Sh::Arith) {
      const u32 sh = cnt >= bits ? bits - 1 : (u32)cnt;
      y = (T)((i32)x >> sh);
    } else if (cnt >= bits) {
      y = 0;
    } else {
      y = S == Sh::Left ? (T)(x << cnt) : (T)(x >> cnt);
    }
    __builtin_memcpy(r.b + k * sizeof(T), &y, sizeof(T));
  }
  vec_put(c, i, 0, r);
}

// VTESTPS/PD (Vol. 2C "VTESTPD/VTESTPS"): ZF = no element of src1 AND src2
// has its sign bit set, CF = the same for (NOT src1) AND src2; OF, SF, AF
// and PF are cleared.
template <u32 E> void vtest(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, 0, &a)) return;
  if (!vec_get(c, i, 1, &b)) return;
  bool z = true, cf = true;
  for (u32 k = 0; k < i.op[0].size / E; ++k) {
    const bool sa = mask_bit<E>(a, k), sb = mask_bit<E>(b, k);
    if (sa && sb) z = false;
    if (!sa && sb) cf = false;
  }
  set_flags(c.s, kArithFlags, (z ? kZF : 0) | (cf ? kCF : 0));
}

}  // namespace

void bind_avx_mask(HandlerTable& t) {
  t.set_all(Mn::VMASKMOVPS, &maskmov<4>);
  t.set_all(Mn::VMASKMOVPD, &maskmov<8>);
  t.set_all(Mn::VPMASKMOVD, &maskmov<4>);
  t.set_all(Mn::VPMASKMOVQ, &maskmov<8>);
  t.set_all(Mn::VPSLLVD, &shift_var<u32, Sh::Left>);
  t.set_all(Mn::VPSLLVQ, &shift_var<u64, Sh::Left>);
  t.set_all(Mn::VPSRLVD, &shift_var<u32, Sh::Right>);
  t.set_all(Mn::VPSRLVQ, &shift_var<u64, Sh::Right>);
  t.set_all(Mn::VPSRAVD, &shift_var<u32, Sh::Arith>);
  t.set_all(Mn::VTESTPS, &vtest<4>);
  t.set_all(Mn::VTESTPD, &vtest<8>);
}

}  // namespace pc64
