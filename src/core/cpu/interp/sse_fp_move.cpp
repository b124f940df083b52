// SSE..SSE4.1 floating-point data movement: shuffles, unpacks, scalar and
// half-register moves, sign masks, non-temporal stores, SSE3 duplicates,
// blends, INSERTPS/EXTRACTPS (rows: cpu/table/sse_fpmov.def). None of these
// raise SIMD floating-point exceptions. Shuffles work per 128-bit half so
// the VEX.256 forms can reuse them (SDM: each 128-bit lane separately).
#include "cpu/interp/sse_fp.h"

namespace pc64 {
namespace {

int halves(const Insn& i) { return i.op[0].size > 16 ? 2 : 1; }

// SHUFPS (SDM Vol. 2B "SHUFPS"): dst lanes 0,1 from src1, 2,3 from src2.
void shufps(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  const u32 s = (u32)i.imm;
  for (int h = 0; h < halves(i); ++h) {
    const int o = 4 * h;
    r.d[o + 0] = a.d[o + (s & 3)];
    r.d[o + 1] = a.d[o + ((s >> 2) & 3)];
    r.d[o + 2] = b.d[o + ((s >> 4) & 3)];
    r.d[o + 3] = b.d[o + ((s >> 6) & 3)];
  }
  vec_put(c, i, 0, r);
}

void shufpd(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  const u32 s = (u32)i.imm;
  for (int h = 0; h < halves(i); ++h) {
    r.q[2 * h] = a.q[2 * h + ((s >> (2 * h)) & 1)];
    r.q[2 * h + 1] = b.q[2 * h + ((s >> (2 * h + 1)) & 1)];
  }
  vec_put(c, i, 0, r);
}

// UNPCKLPS/UNPCKHPS/UNPCKLPD/UNPCKHPD: interleave the low (High = 0) or
// high halves of each 128-bit lane.
template <bool Double, bool High> void unpck(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  for (int h = 0; h < halves(i); ++h) {
    if constexpr (Double) {
      r.q[2 * h] = a.q[2 * h + High];
      r.q[2 * h + 1] = b.q[2 * h + High];
    } else {
      const int o = 4 * h + 2 * High;
      r.d[4 * h + 0] = a.d[o];
      r.d[4 * h + 1] = b.d[o];
      r.d[4 * h + 2] = a.d[o + 1];
      r.d[4 * h + 3] = b.d[o + 1];
    }
  }
  vec_put(c, i, 0, r);
}

// MOVSS/MOVSD (SDM Vol. 2B "MOVSS"): a load from memory zeroes bits 127:N
// (VEX: MAXVL-1:N), a store writes N bits, and a register-to-register move
// merges: the low N bits from the second source, the rest from the first
// (legacy: the destination itself; VEX: H, "VMOVSS xmm1, xmm2, xmm3").
template <u32 N> void movs(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 v;
  if (i.op[0].type == OpType::Mem || i.op[1].type == OpType::Mem) {
    if (!vec_get(c, i, 1, &v, N)) return;
    vec_put(c, i, 0, v, i.op[0].type == OpType::Mem ? N : 16);
    return;
  }
  Vec256 r;
  vec_get(c, i, src1_index(i), &r, 16);
  vec_get(c, i, src2_index(i), &v, N);
  __builtin_memcpy(r.b, v.b, N);
  vec_put(c, i, 0, r, 16);
}

// MOVLPS/MOVHPS/MOVLPD/MOVHPD loads: one 64-bit half of the destination
// from memory (DstHalf 1: bits 127:64), the other from the first source
// (legacy: the destination; VEX: H). MOVHLPS/MOVLHPS are the register
// forms: MOVHLPS dst[63:0] = src[127:64], MOVLHPS dst[127:64] = src[63:0].
template <int DstHalf, int SrcHalf> void movhl_load(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const int s2 = src2_index(i);
  const bool mem = i.op[s2].type == OpType::Mem;
  Vec256 v, r;
  if (!vec_get(c, i, s2, &v, mem ? 8 : 16)) return;
  vec_get(c, i, src1_index(i), &r, 16);
  r.q[DstHalf] = v.q[mem ? 0 : SrcHalf];
  vec_put(c, i, 0, r, 16);
}

template <int SrcHalf> void movhl_store(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 v{};
  v.q[0] = c.s.ymm[i.op[1].reg].q[SrcHalf];
  vec_put(c, i, 0, v, 8);
}

// One mnemonic, two rows: the load (0F 12, 0F 16) and the store (0F 13,
// 0F 17) direction.
template <int Half> void movlh(Cpu& c, const Insn& i) {
  if (i.row->opcode & 1) movhl_store<Half>(c, i);
  else movhl_load<Half, 0>(c, i);
}

// MOVMSKPS/MOVMSKPD: the sign bits into a general register, zero-extended.
template <bool Double> void movmsk(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const Vec256& v = c.s.ymm[i.op[1].reg];
  u32 m = 0;
  const int n = i.op[1].size / (Double ? 8 : 4);
  for (int k = 0; k < n; ++k) m |= (Double ? (u32)(v.q[k] >> 63) : (v.d[k] >> 31)) << k;
  c.s.gpr[i.op[0].reg] = m;
}

void movnt(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  vec_put(c, i, 0, c.s.ymm[i.op[1].reg]);
}

// MOVSLDUP (Odd = 0) / MOVSHDUP (Odd = 1): duplicate the even or odd lanes.
template <int Odd> void movsdup(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 v, r{};
  if (!vec_get(c, i, 1, &v)) return;
  for (int k = 0; k < i.op[0].size / 4; k += 2) r.d[k] = r.d[k + 1] = v.d[k + Odd];
  vec_put(c, i, 0, r);
}

// MOVDDUP: dst = src[63:0] twice (an 8-byte memory operand).
void movddup(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 v, r{};
  if (!vec_get(c, i, 1, &v, i.op[1].type == OpType::Mem ? (i.op[0].size > 16 ? 32 : 8) : 0)) return;
  for (int k = 0; k < i.op[0].size / 8; k += 2) r.q[k] = r.q[k + 1] = v.q[k];
  vec_put(c, i, 0, r);
}

void lddqu(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 v;
  if (!vec_get(c, i, 1, &v)) return;
  vec_put(c, i, 0, v);
}

// BLENDPS/BLENDPD (imm8 bit per lane) and BLENDVPS/BLENDVPD (sign bit of
// the mask lane: XMM0 for the legacy forms, the register in imm8[7:4] for
// VBLENDVPS/PD, operand 3; SDM Vol. 2A "BLENDVPS").
template <bool Double, bool Variable> void blend(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r;
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  const Vec256& mask = c.s.ymm[Variable && i.vex ? i.op[3].reg : 0];
  const int n = i.op[0].size / (Double ? 8 : 4);
  r = a;
  for (int k = 0; k < n; ++k) {
    bool sel;
    if constexpr (Variable) sel = Double ? (mask.q[k] >> 63) : (mask.d[k] >> 31);
    else sel = (i.imm >> k) & 1;
    if (!sel) continue;
    if constexpr (Double) r.q[k] = b.q[k];
    else r.d[k] = b.d[k];
  }
  vec_put(c, i, 0, r);
}

// INSERTPS (SDM Vol. 2B "INSERTPS"): imm[7:6] source lane (register form;
// memory gives one dword), imm[5:4] destination lane, imm[3:0] zero mask.
void insertps(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  const bool mem = i.op[src2_index(i)].type == OpType::Mem;
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b, mem ? 4 : 16)) return;
  const u32 imm = (u32)i.imm;
  const u32 v = mem ? b.d[0] : b.d[(imm >> 6) & 3];
  Vec256 r{};
  for (int k = 0; k < 4; ++k) r.d[k] = a.d[k];
  r.d[(imm >> 4) & 3] = v;
  for (int k = 0; k < 4; ++k)
    if ((imm >> k) & 1) r.d[k] = 0;
  vec_put(c, i, 0, r, 16);
}

// EXTRACTPS: dword imm[1:0] to a 32-bit register (zero-extended) or memory.
void extractps(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const u32 v = c.s.ymm[i.op[1].reg].d[i.imm & 3];
  if (i.op[0].type == OpType::Reg) {
    c.s.gpr[i.op[0].reg] = v;
    return;
  }
  store<4>(c, i, 0, v);
}

}  // namespace

void bind_sse_fp_move(HandlerTable& t) {
  t.set_all(Mn::SHUFPS, &shufps);
  t.set_all(Mn::SHUFPD, &shufpd);
  t.set_all(Mn::UNPCKLPS, &unpck<false, false>);
  t.set_all(Mn::UNPCKHPS, &unpck<false, true>);
  t.set_all(Mn::UNPCKLPD, &unpck<true, false>);
  t.set_all(Mn::UNPCKHPD, &unpck<true, true>);
  t.set_all(Mn::MOVMSKPS, &movmsk<false>);
  t.set_all(Mn::MOVMSKPD, &movmsk<true>);
  t.set_all(Mn::MOVNTPS, &movnt);
  t.set_all(Mn::MOVNTPD, &movnt);
  t.set_all(Mn::MOVSS, &movs<4>);
  t.set_all(Mn::MOVSD, &movs<8>);
  t.set_all(Mn::MOVLPS, &movlh<0>);
  t.set_all(Mn::MOVLPD, &movlh<0>);
  t.set_all(Mn::MOVHPS, &movlh<1>);
  t.set_all(Mn::MOVHPD, &movlh<1>);
  t.set_all(Mn::MOVHLPS, &movhl_load<0, 1>);
  t.set_all(Mn::MOVLHPS, &movhl_load<1, 0>);
  t.set_all(Mn::MOVSLDUP, &movsdup<0>);
  t.set_all(Mn::MOVSHDUP, &movsdup<1>);
  t.set_all(Mn::MOVDDUP, &movddup);
  t.set_all(Mn::LDDQU, &lddqu);
  t.set_all(Mn::BLENDPS, &blend<false, false>);
  t.set_all(Mn::BLENDPD, &blend<true, false>);
  t.set_all(Mn::BLENDVPS, &blend<false, true>);
  t.set_all(Mn::BLENDVPD, &blend<true, true>);
  t.set_all(Mn::INSERTPS, &insertps);
  t.set_all(Mn::EXTRACTPS, &extractps);
}

}  // namespace pc64
