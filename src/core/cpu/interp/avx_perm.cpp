// AVX/AVX2 data movement with no legacy counterpart: broadcasts, 128-bit
// inserts and extracts, permutes and VPBLENDD (rows: cpu/table/avx_new.def;
// each handler cites its SDM page). Every row is VEX: vec_put() zeroes the
// destination above a 128-bit result.
#include "cpu/interp/simd.h"

namespace pc64 {
namespace {

// VBROADCASTSS/SD, VPBROADCASTB/W/D/Q (SDM Vol. 2A "VBROADCAST", Vol. 2C
// "VPBROADCAST"): the low element of the source (register or memory), E
// bytes, in every element of the destination. VBROADCASTF128/I128: E = 16.
template <u32 E> void broadcast(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s;
  if (!vec_get(c, i, 1, &s, E)) return;
  Vec256 r;
  for (u32 k = 0; k < i.op[0].size; k += E) __builtin_memcpy(r.b + k, s.b, E);
  vec_put(c, i, 0, r);
}

// VINSERTF128/I128 (Vol. 2C "VINSERTF128"): src1 with the 128-bit half
// imm8[0] replaced by src2.
void vinsert128(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, 1, &a)) return;
  if (!vec_get(c, i, 2, &b)) return;
  __builtin_memcpy(a.b + 16 * (i.imm & 1), b.b, 16);
  vec_put(c, i, 0, a);
}

// VEXTRACTF128/I128 (Vol. 2C "VEXTRACTF128"): half imm8[0] of the source
// to an XMM register (bits 255:128 zeroed) or 16 bytes of memory.
void vextract128(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s;
  if (!vec_get(c, i, 1, &s)) return;
  Vec256 r{};
  __builtin_memcpy(r.b, s.b + 16 * (i.imm & 1), 16);
  vec_put(c, i, 0, r, 16);
}

// VPERM2F128/I128 (Vol. 2C "VPERM2F128"): each result half is a half of
// src1 or src2 chosen by imm8[1:0] / [5:4], or zero with imm8[3] / [7].
void vperm2x128(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s[2];
  if (!vec_get(c, i, 1, &s[0])) return;
  if (!vec_get(c, i, 2, &s[1])) return;
  Vec256 r{};
  for (int h = 0; h < 2; ++h) {
    const u32 ctl = (u32)(i.imm >> (4 * h)) & 15;
    if (!(ctl & 8)) __builtin_memcpy(r.b + 16 * h, s[(ctl >> 1) & 1].b + 16 * (ctl & 1), 16);
  }
  vec_put(c, i, 0, r);
}

// VPERMILPS/PD with a control vector (Vol. 2C "VPERMILPS"): each element
// picks an element of src1 in its own 128-bit lane, by bits [1:0] of the
// control dword (PS) or bit 1 of the control qword (PD).
void vpermilps_var(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s, ctl;
  if (!vec_get(c, i, 1, &s)) return;
  if (!vec_get(c, i, 2, &ctl)) return;
  Vec256 r{};
  for (u32 k = 0; k < i.op[0].size / 4; ++k) r.d[k] = s.d[(k & ~3u) + (ctl.d[k] & 3)];
  vec_put(c, i, 0, r);
}
void vpermilpd_var(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s, ctl;
  if (!vec_get(c, i, 1, &s)) return;
  if (!vec_get(c, i, 2, &ctl)) return;
  Vec256 r{};
  for (u32 k = 0; k < i.op[0].size / 8; ++k) r.q[k] = s.q[(k & ~1u) + ((ctl.q[k] >> 1) & 1)];
  vec_put(c, i, 0, r);
}

// VPERMILPS/PD imm8: PS takes imm8 bits 2(k mod 4)+1:2(k mod 4) for dword
// k (the same in each lane); PD takes imm8 bit k for qword k.
void vpermilps_imm(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s;
  if (!vec_get(c, i, 1, &s)) return;
  Vec256 r{};
  for (u32 k = 0; k < i.op[0].size / 4; ++k) r.d[k] = s.d[(k & ~3u) + ((i.imm >> (2 * (k & 3))) & 3)];
  vec_put(c, i, 0, r);
}
void vpermilpd_imm(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s;
  if (!vec_get(c, i, 1, &s)) return;
  Vec256 r{};
  for (u32 k = 0; k < i.op[0].size / 8; ++k) r.q[k] = s.q[(k & ~1u) + ((i.imm >> k) & 1)];
  vec_put(c, i, 0, r);
}

// VPERMD/VPERMPS (Vol. 2C "VPERMD"): dword k of src2 indexed by src1's
// dword k [2:0], across the whole register.
void vpermd(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 idx, s;
  if (!vec_get(c, i, 1, &idx)) return;
  if (!vec_get(c, i, 2, &s)) return;
  Vec256 r;
  for (int k = 0; k < 8; ++k) r.d[k] = s.d[idx.d[k] & 7];
  vec_put(c, i, 0, r);
}

// VPERMQ/VPERMPD (Vol. 2C "VPERMQ"): qword k from imm8 bits 2k+1:2k.
void vpermq(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s;
  if (!vec_get(c, i, 1, &s)) return;
  Vec256 r;
  for (int k = 0; k < 4; ++k) r.q[k] = s.q[(i.imm >> (2 * k)) & 3];
  vec_put(c, i, 0, r);
}

// VPBLENDD (Vol. 2C "VPBLENDD"): dword k from src2 when imm8[k], else src1.
void vpblendd(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, 1, &a)) return;
  if (!vec_get(c, i, 2, &b)) return;
  for (u32 k = 0; k < i.op[0].size / 4; ++k)
    if ((i.imm >> k) & 1) a.d[k] = b.d[k];
  vec_put(c, i, 0, a);
}

// VPERMILPS/PD have a variable (0F38) and an immediate (0F3A) row under one
// mnemonic: the handler is chosen by the row's map.
void vpermil(Cpu& c, const Insn& i) {
  const bool ps = i.row->mn == Mn::VPERMILPS;
  if (i.row->map == Map::M0F3A) ps ? vpermilps_imm(c, i) : vpermilpd_imm(c, i);
  else ps ? vpermilps_var(c, i) : vpermilpd_var(c, i);
}

}  // namespace

void bind_avx_perm(HandlerTable& t) {
  t.set_all(Mn::VBROADCASTSS, &broadcast<4>);
  t.set_all(Mn::VBROADCASTSD, &broadcast<8>);
  t.set_all(Mn::VBROADCASTF128, &broadcast<16>);
  t.set_all(Mn::VBROADCASTI128, &broadcast<16>);
  t.set_all(Mn::VPBROADCASTB, &broadcast<1>);
  t.set_all(Mn::VPBROADCASTW, &broadcast<2>);
  t.set_all(Mn::VPBROADCASTD, &broadcast<4>);
  t.set_all(Mn::VPBROADCASTQ, &broadcast<8>);
  t.set_all(Mn::VINSERTF128, &vinsert128);
  t.set_all(Mn::VINSERTI128, &vinsert128);
  t.set_all(Mn::VEXTRACTF128, &vextract128);
  t.set_all(Mn::VEXTRACTI128, &vextract128);
  t.set_all(Mn::VPERM2F128, &vperm2x128);
  t.set_all(Mn::VPERM2I128, &vperm2x128);
  t.set_all(Mn::VPERMD, &vpermd);
  t.set_all(Mn::VPERMPS, &vpermd);
  t.set_all(Mn::VPERMQ, &vpermq);
  t.set_all(Mn::VPERMPD, &vpermq);
  t.set_all(Mn::VPBLENDD, &vpblendd);
  t.set_all(Mn::VPERMILPS, &vpermil);
  t.set_all(Mn::VPERMILPD, &vpermil);
}

}  // namespace pc64
