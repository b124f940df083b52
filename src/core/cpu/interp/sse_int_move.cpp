// MMX/SSE2 integer moves, shifts, packs, unpacks and shuffles (rows:
// cpu/table/mmx.def). Lane semantics: SDM Vol. 2B/2C under each mnemonic;
// the MMX register/x87 state rules are in vec.h.
#include "cpu/interp/vec.h"

namespace pc64 {
namespace {

// ---- MOVD / MOVQ / MOVQ2DQ / MOVDQ2Q / MOVNTQ ----
// Every form moves the low 32 or 64 bits of its source and zero-extends
// into a register destination: GPR (a 32-bit write clears bits 63:32),
// MMX register, or XMM bits 127:0 (legacy: 255:128 kept). SDM Vol. 2B
// "MOVD/MOVQ", "MOVQ", "MOVQ2DQ", "MOVDQ2Q", "MOVNTQ".
void h_movq(Cpu& c, const Insn& i) {
  const bool mmx = row_fp_class(*i.row) == FpClass::Mmx;
  if (mmx ? !mmx_ok(c, i) : !fp_ok(c, i)) return;
  const DecodedOp& s = i.op[1];
  const DecodedOp& d = i.op[0];
  u64 v = 0;
  switch (s.type) {
    case OpType::Reg: if (!load_n(c, i, 1, &v)) return; break;
    case OpType::Mmx: v = mmx_get(c, s.reg); break;
    case OpType::Xmm: v = c.s.ymm[s.reg].q[0]; break;
    default: {
      u8 b[8] = {};
      if (!c.read_bytes(i.seg, ea(c, i), b, s.size)) return;
      v = load_le<u64>(b);
    }
  }
  const u32 bytes = s.type == OpType::Mem || s.type == OpType::Reg ? s.size : 8;
  if (bytes == 4) v = (u32)v;
  switch (d.type) {
    case OpType::Reg: store_n(c, i, 0, v); break;
    case OpType::Mmx: mmx_put(c, d.reg, v); break;
    case OpType::Xmm: {
      Vec256 r{};
      r.q[0] = v;
      vec_put(c, i, 0, r, 16);
      break;
    }
    default: {
      u8 b[8];
      store_le<u64>(b, v);
      if (!c.write_bytes(i.seg, ea(c, i), b, d.size)) return;
    }
  }
  if (mmx) mmx_touch(c);
}

// MOVNTDQ: a full-register store (the non-temporal hint has no visible effect).
void h_movntdq(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 v;
  if (!vec_get(c, i, 1, &v)) return;
  vec_put(c, i, 0, v);
}

// EMMS: all tags empty (SDM Vol. 2A "EMMS"); mmx_ok() has set TOP to 0.
void h_emms(Cpu& c, const Insn& i) {
  if (!mmx_ok(c, i)) return;
  mmx_touch(c);
  c.s.fpu.ftw = 0xFFFF;
}

// ---- shifts (SDM Vol. 2B "PSLLW/PSLLD/PSLLQ", "PSRLW...", "PSRAW/PSRAD") ----
// The count is the whole low 64 bits of the count operand (or imm8); a
// count above the lane width gives 0 (logical) or copies of the sign (arithmetic).
template <class U> V128 k_sll(V128 a, V128 b, u32) {
  const u64 n = v128_lo(b);
  if (n >= sizeof(U{}[0]) * 8) return V128{};
  return as<V128>(as<U>(a) << (int)n);
}
template <class U> V128 k_srl(V128 a, V128 b, u32) {
  const u64 n = v128_lo(b);
  if (n >= sizeof(U{}[0]) * 8) return V128{};
  return as<V128>(as<U>(a) >> (int)n);
}
template <class S> V128 k_sra(V128 a, V128 b, u32) {
  const u64 bits = sizeof(S{}[0]) * 8;
  u64 n = v128_lo(b);
  if (n > bits - 1) n = bits - 1;
  return as<V128>(as<S>(a) >> (int)n);
}
// PSLLDQ/PSRLDQ: whole-lane byte shifts by imm8 (above 15: zero).
V128 k_slldq(V128 a, V128 b, u32) {
  u8 buf[32] = {};
  __builtin_memcpy(buf + 16, &a, 16);
  u64 n = v128_lo(b);
  if (n > 16) n = 16;
  V128 r;
  __builtin_memcpy(&r, buf + 16 - n, 16);
  return r;
}
V128 k_srldq(V128 a, V128 b, u32) {
  u8 buf[32] = {};
  __builtin_memcpy(buf, &a, 16);
  u64 n = v128_lo(b);
  if (n > 16) n = 16;
  V128 r;
  __builtin_memcpy(&r, buf + n, 16);
  return r;
}

// Shift by a register or memory count: the count is the low quadword of
// the XMM/m128 source for every 128-bit lane (VEX.256 included).
template <Kernel K> void h_shift_reg(Cpu& c, const Insn& i) {
  if (i.op[0].type == OpType::Mmx) {
    simd_binop<K>(c, i);
    return;
  }
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src2_index(i), &b) || !vec_get(c, i, src1_index(i), &a)) return;
  b.q[1] = 0;
  b.q[2] = b.q[0];
  vec_put_lanes(c, i, K, a, b, 0);
}

template <Kernel K> void h_shift(Cpu& c, const Insn& i) {
  const OpKind k = i.row->ops.op[i.nops - 1].kind;
  if (k == OpKind::I) simd_shift_imm<K>(c, i);
  else h_shift_reg<K>(c, i);
}

// ---- packs: signed/unsigned saturation of each source's lanes to half
// width, destination's results low, source's high (SDM "PACKSSWB/PACKSSDW",
// "PACKUSWB"). MMX forms use MmxMode::Narrow.
template <class Wide, class Narrow, class NarrowU, int lo, int hi> V128 k_pack(V128 a, V128 b, u32) {
  const NarrowU x = as<NarrowU>(__builtin_convertvector(clamp(as<Wide>(a), lo, hi), Narrow));
  const NarrowU y = as<NarrowU>(__builtin_convertvector(clamp(as<Wide>(b), lo, hi), Narrow));
  return v128_from_u64(as<u64>(x), as<u64>(y));
}

// ---- unpacks: interleave the low (or high) halves of a and b ----
V128 k_unpcklbw(V128 a, V128 b, u32) {
  return __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
V128 k_unpckhbw(V128 a, V128 b, u32) {
  return __builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}
V128 k_unpcklwd(V128 a, V128 b, u32) {
  return as<V128>(__builtin_shufflevector(as<u16x8>(a), as<u16x8>(b), 0, 8, 1, 9, 2, 10, 3, 11));
}
V128 k_unpckhwd(V128 a, V128 b, u32) {
  return as<V128>(__builtin_shufflevector(as<u16x8>(a), as<u16x8>(b), 4, 12, 5, 13, 6, 14, 7, 15));
}
V128 k_unpckldq(V128 a, V128 b, u32) {
  return as<V128>(__builtin_shufflevector(as<u32x4>(a), as<u32x4>(b), 0, 4, 1, 5));
}
V128 k_unpckhdq(V128 a, V128 b, u32) {
  return as<V128>(__builtin_shufflevector(as<u32x4>(a), as<u32x4>(b), 2, 6, 3, 7));
}
V128 k_unpcklqdq(V128 a, V128 b, u32) { return v128_from_u64(v128_lo(a), v128_lo(b)); }
V128 k_unpckhqdq(V128 a, V128 b, u32) { return v128_from_u64(v128_hi(a), v128_hi(b)); }

// ---- shuffles by imm8 (SDM "PSHUFD", "PSHUFHW", "PSHUFLW", "PSHUFW"):
// two imm8 bits pick each destination element. One-source kernels (a = src).
V128 k_pshufd(V128 a, V128, u32 imm) {
  const u32x4 s = as<u32x4>(a);
  return as<V128>((u32x4){s[imm & 3], s[(imm >> 2) & 3], s[(imm >> 4) & 3], s[(imm >> 6) & 3]});
}
V128 k_pshuflw(V128 a, V128, u32 imm) {  // also PSHUFW: the low four words
  u16x8 s = as<u16x8>(a);
  const u16x8 r = {s[imm & 3], s[(imm >> 2) & 3], s[(imm >> 4) & 3], s[(imm >> 6) & 3],
                   s[4], s[5], s[6], s[7]};
  return as<V128>(r);
}
V128 k_pshufhw(V128 a, V128, u32 imm) {
  u16x8 s = as<u16x8>(a);
  const u16x8 r = {s[0], s[1], s[2], s[3], s[4 + (imm & 3)], s[4 + ((imm >> 2) & 3)],
                   s[4 + ((imm >> 4) & 3)], s[4 + ((imm >> 6) & 3)]};
  return as<V128>(r);
}

// ---- PINSRW / PEXTRW / PMOVMSKB / MASKMOVQ / MASKMOVDQU ----

// PINSRW (and SSE4.1 PINSRB/PINSRD/PINSRQ): the element of size E at
// imm8 mod (register bytes / E) of the destination is replaced.
template <int E> void h_pinsr(Cpu& c, const Insn& i) {
  const bool mmx = i.op[0].type == OpType::Mmx;
  if (mmx ? !mmx_ok(c, i) : !fp_ok(c, i)) return;
  u64 v;
  const int s2 = src2_index(i);
  if (i.op[s2].type == OpType::Mem) {
    u8 b[8] = {};
    if (!c.read_bytes(i.seg, ea(c, i), b, E)) return;
    v = load_le<u64>(b);
  } else {
    v = c.s.gpr[i.op[s2].reg];
  }
  if (mmx) {
    u8 r[8];
    store_le<u64>(r, mmx_get(c, i.op[0].reg));
    __builtin_memcpy(r + E * (i.imm & (8 / E - 1)), &v, E);
    mmx_put(c, i.op[0].reg, load_le<u64>(r));
    mmx_touch(c);
    return;
  }
  Vec256 a;
  vec_get(c, i, src1_index(i), &a, 16);
  __builtin_memcpy(a.b + E * (i.imm & (16 / E - 1)), &v, E);
  vec_put(c, i, 0, a, 16);
}

// PEXTRW (and SSE4.1 PEXTRB/PEXTRD/PEXTRQ): the element of size E at
// imm8 mod (register bytes / E), zero-extended into a GPR or stored as E bytes.
template <int E> void h_pextr(Cpu& c, const Insn& i) {
  const bool mmx = i.op[1].type == OpType::Mmx;
  if (mmx ? !mmx_ok(c, i) : !fp_ok(c, i)) return;
  u8 src[16];
  if (mmx) store_le<u64>(src, mmx_get(c, i.op[1].reg));
  else __builtin_memcpy(src, c.s.ymm[i.op[1].reg].b, 16);
  u64 v = 0;
  __builtin_memcpy(&v, src + E * (i.imm & ((mmx ? 8 : 16) / E - 1)), E);
  if (i.op[0].type == OpType::Mem) {
    if (!c.write_bytes(i.seg, ea(c, i), &v, E)) return;
  } else {
    store_n(c, i, 0, v);
  }
  if (mmx) mmx_touch(c);
}

// PMOVMSKB: the sign bit of each source byte into a GPR, zero-extended.
void h_pmovmskb(Cpu& c, const Insn& i) {
  const bool mmx = i.op[1].type == OpType::Mmx;
  if (mmx ? !mmx_ok(c, i) : !fp_ok(c, i)) return;
  Vec256 v;
  vec_get(c, i, 1, &v);
  const int n = mmx ? 8 : i.op[1].size;
  u32 m = 0;
  for (int k = 0; k < n; ++k) m |= (u32)(v.b[k] >> 7) << k;
  store_n(c, i, 0, m);
  if (mmx) mmx_touch(c);
}

// MASKMOVQ/MASKMOVDQU: bytes of the first operand whose mask byte (second
// operand) has bit 7 set are stored at DS:rDI (segment overridable, rDI
// truncated to the address size); bytes not selected are not written.
void h_maskmov(Cpu& c, const Insn& i) {
  const bool mmx = i.op[0].type == OpType::Mmx;
  if (mmx ? !mmx_ok(c, i) : !fp_ok(c, i)) return;
  Vec256 d, m;
  vec_get(c, i, 0, &d);
  vec_get(c, i, 1, &m);
  const int n = mmx ? 8 : 16;
  const u64 base = c.s.gpr[RDI] & width_mask(i.asize);
  if (mmx) mmx_touch(c);
  // Faults are those of a write of the whole operand at rDI, whatever the
  // mask (as the host CPU reports them: CR2 = rDI): check it as a write first.
  u8 old[16];
  if (!c.read_bytes(i.seg, base, old, n, Access::Write)) return;
  for (int k = 0; k < n; ++k)
    if ((m.b[k] & 0x80) && !c.write<1>(i.seg, (base + k) & width_mask(i.asize), d.b[k])) return;
}

}  // namespace

// Shared with the SSE4.1 group (PINSRB/D/Q, PEXTRB/W/D/Q).
void bind_pinsr_pextr(HandlerTable& t);
void bind_pinsr_pextr(HandlerTable& t) {
  t.set_all(Mn::PINSRB, &h_pinsr<1>);
  t.set_all(Mn::PINSRD, &h_pinsr<4>);
  t.set_all(Mn::PINSRQ, &h_pinsr<8>);
  t.set_all(Mn::PEXTRB, &h_pextr<1>);
  t.set_all(Mn::PEXTRD, &h_pextr<4>);
  t.set_all(Mn::PEXTRQ, &h_pextr<8>);
}

void bind_sse_int_move(HandlerTable& t) {
  static constexpr Mn kMoves[] = {Mn::MOVD, Mn::MOVQ, Mn::MOVQ2DQ, Mn::MOVDQ2Q, Mn::MOVNTQ};
  for (Mn m : kMoves) t.set_all(m, &h_movq);
  t.set_all(Mn::MOVNTDQ, &h_movntdq);
  t.set_all(Mn::EMMS, &h_emms);
  t.set_all(Mn::PSLLW, &h_shift<k_sll<u16x8>>);
  t.set_all(Mn::PSLLD, &h_shift<k_sll<u32x4>>);
  t.set_all(Mn::PSLLQ, &h_shift<k_sll<u64x2>>);
  t.set_all(Mn::PSRLW, &h_shift<k_srl<u16x8>>);
  t.set_all(Mn::PSRLD, &h_shift<k_srl<u32x4>>);
  t.set_all(Mn::PSRLQ, &h_shift<k_srl<u64x2>>);
  t.set_all(Mn::PSRAW, &h_shift<k_sra<i16x8>>);
  t.set_all(Mn::PSRAD, &h_shift<k_sra<i32x4>>);
  t.set_all(Mn::PSLLDQ, &simd_shift_imm<k_slldq>);
  t.set_all(Mn::PSRLDQ, &simd_shift_imm<k_srldq>);
  t.set_all(Mn::PACKSSWB, &simd_binop<k_pack<i16x8, i8x8, u8x8, -128, 127>, MmxMode::Narrow>);
  t.set_all(Mn::PACKSSDW, &simd_binop<k_pack<i32x4, i16x4, u16x4, -32768, 32767>, MmxMode::Narrow>);
  t.set_all(Mn::PACKUSWB, &simd_binop<k_pack<i16x8, u8x8, u8x8, 0, 255>, MmxMode::Narrow>);
  t.set_all(Mn::PUNPCKLBW, &simd_binop<k_unpcklbw>);
  t.set_all(Mn::PUNPCKLWD, &simd_binop<k_unpcklwd>);
  t.set_all(Mn::PUNPCKLDQ, &simd_binop<k_unpckldq>);
  t.set_all(Mn::PUNPCKLQDQ, &simd_binop<k_unpcklqdq>);
  t.set_all(Mn::PUNPCKHBW, &simd_binop<k_unpckhbw, MmxMode::High>);
  t.set_all(Mn::PUNPCKHWD, &simd_binop<k_unpckhwd, MmxMode::High>);
  t.set_all(Mn::PUNPCKHDQ, &simd_binop<k_unpckhdq, MmxMode::High>);
  t.set_all(Mn::PUNPCKHQDQ, &simd_binop<k_unpckhqdq>);
  t.set_all(Mn::PSHUFD, &simd_unop<k_pshufd>);
  t.set_all(Mn::PSHUFLW, &simd_unop<k_pshuflw>);
  t.set_all(Mn::PSHUFW, &simd_unop<k_pshuflw>);
  t.set_all(Mn::PSHUFHW, &simd_unop<k_pshufhw>);
  t.set_all(Mn::PINSRW, &h_pinsr<2>);
  t.set_all(Mn::PEXTRW, &h_pextr<2>);
  t.set_all(Mn::PMOVMSKB, &h_pmovmskb);
  t.set_all(Mn::MASKMOVQ, &h_maskmov);
  t.set_all(Mn::MASKMOVDQU, &h_maskmov);
}

}  // namespace pc64
