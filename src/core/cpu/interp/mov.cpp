// Data movement: MOV, MOVSX/MOVZX/MOVSXD, LEA, XCHG, BSWAP, CBW/CWD
// families, CMOVcc, SETcc, XLAT, far-pointer loads and BOUND (SDM Vol. 2A/2B).
// Rows: cpu/table/mov.def.
//
// None of these change flags. Segment register loads (MOV Sreg, POP Sreg,
// LDS...) go through load_sreg() below.
#include "cpu/interp/ops.h"
#include "cpu/system/descriptors.h"

namespace pc64 {

// Loads a segment register with a selector: the system layer's
// load_data_segment() (cpu/system/descriptors.cpp) does every check.
// Shared with stack.cpp (POP Sreg).
bool load_sreg(Cpu& c, u8 seg, u16 sel) { return load_data_segment(c, seg, sel); }

namespace {

// MOV Ev,Sw (8C) and MOV Sw,Ew (8E).
bool mov_seg(Cpu& c, const Insn& i, int W) {
  if (i.op[1].type == OpType::Seg) {
    const u16 sel = c.s.seg[i.op[1].reg].sel;
    if (i.op[0].type == OpType::Mem) return c.write<2>(i.seg, ea(c, i), sel);
    c.set_reg_n(W, i.op[0].reg, false, sel);  // zero-extended into r32/r64
    return true;
  }
  const u8 sreg = i.op[0].reg;
  if (sreg == CS) return c.raise(kExUD);
  u64 sel;
  if (!load<2>(c, i, 1, &sel)) return false;
  if (!load_sreg(c, sreg, (u16)sel)) return false;
  // MOV SS inhibits interrupts until after the next instruction (SDM Vol. 2A "MOV").
  if (sreg == SS) c.set_shadow(Cpu::kShadowMovSs);
  return true;
}

template <int W> void mov(Cpu& c, const Insn& i) {
  if (PC64_UNLIKELY(i.op[0].type == OpType::Seg || i.op[1].type == OpType::Seg)) {
    mov_seg(c, i, W);
    return;
  }
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  store<W>(c, i, 0, v);
}

template <int W> void movzx(Cpu& c, const Insn& i) {
  u64 v;
  if (!load_n(c, i, 1, &v)) return;
  c.set_reg<W>(i.op[0].reg, false, v);
}

template <int W> void movsx(Cpu& c, const Insn& i) {
  u64 v;
  if (!load_n(c, i, 1, &v)) return;
  c.set_reg<W>(i.op[0].reg, false, (u64)sign_extend(v, i.op[1].size));
}

// MOVSXD: only REX.W sign-extends; the 16/32-bit forms are plain moves.
template <int W> void movsxd(Cpu& c, const Insn& i) { movsx<W>(c, i); }

template <int W> void lea(Cpu& c, const Insn& i) {
  // The address-size result is truncated or zero-extended to the operand size.
  c.set_reg<W>(i.op[0].reg, false, ea(c, i));
}

template <int W> void xchg(Cpu& c, const Insn& i) {
  u64 a, b;
  if (!load_rmw<W>(c, i, 0, &a)) return;
  if (!load<W>(c, i, 1, &b)) return;
  if (!store<W>(c, i, 0, b)) return;
  store<W>(c, i, 1, a);  // operand 1 is always a register
}

template <int W> void bswap(Cpu& c, const Insn& i) {
  const u8 r = i.op[0].reg;
  if constexpr (W == 8) c.s.gpr[r] = bswap64(c.s.gpr[r]);
  else if constexpr (W == 4) c.set_reg<4>(r, false, bswap32((u32)c.s.gpr[r]));
  else c.set_reg<2>(r, false, 0);
}

// CBW / CWDE / CDQE: sign-extend the lower half of rAX into rAX.
template <int W> void cbw(Cpu& c, const Insn&) {
  c.set_reg<W>(RAX, false, (u64)sign_extend(c.s.gpr[RAX], W == 1 ? 1 : W / 2));
}

// CWD / CDQ / CQO: rDX gets the sign of rAX.
template <int W> void cwd(Cpu& c, const Insn&) {
  const bool neg = c.s.gpr[RAX] & sign_bit(W);
  c.set_reg<W>(RDX, false, neg ? ~0ull : 0);
}

// The source is read (and may fault) whatever the condition; a 32-bit
// destination is zero-extended even when the condition is false (SDM Vol. 2A "CMOVcc").
template <int W> void cmovcc(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  if (eval_cond(c.s, i.cond())) c.set_reg<W>(i.op[0].reg, false, v);
  else if (W == 4) c.set_reg<4>(i.op[0].reg, false, c.s.gpr[i.op[0].reg]);
}

void setcc(Cpu& c, const Insn& i) { store<1>(c, i, 0, eval_cond(c.s, i.cond()) ? 1 : 0); }

// XLAT: AL := [seg:rBX + AL] with rBX of the address size.
void xlat(Cpu& c, const Insn& i) {
  const u64 off = (c.s.gpr[RBX] + (c.s.gpr[RAX] & 0xff)) & width_mask(i.asize);
  u64 v;
  if (!c.read<1>(i.seg, off, &v)) return;
  c.set_reg<1>(RAX, false, v);
}

// LDS/LES/LSS/LFS/LGS: offset then selector (SDM Vol. 2A "LDS/LES/LFS/LGS/LSS").
template <u8 SEG, int W> void load_far(Cpu& c, const Insn& i) {
  const u64 a = ea(c, i);
  const u64 m = width_mask(i.asize);
  u64 off, sel;
  if (!c.read<W>(i.seg, a, &off)) return;
  if (!c.read<2>(i.seg, (a + W) & m, &sel)) return;
  if (!load_sreg(c, SEG, (u16)sel)) return;
  c.set_reg<W>(i.op[0].reg, false, off);
  if (SEG == SS) c.s.int_shadow = 1;
}
template <int W> void lds(Cpu& c, const Insn& i) { load_far<DS, W>(c, i); }
template <int W> void les(Cpu& c, const Insn& i) { load_far<ES, W>(c, i); }
template <int W> void lss(Cpu& c, const Insn& i) { load_far<SS, W>(c, i); }
template <int W> void lfs(Cpu& c, const Insn& i) { load_far<FS, W>(c, i); }
template <int W> void lgs(Cpu& c, const Insn& i) { load_far<GS, W>(c, i); }

// BOUND: #BR unless lower <= index <= upper, all signed (SDM Vol. 2A "BOUND").
template <int W> void bound(Cpu& c, const Insn& i) {
  if constexpr (W == 2 || W == 4) {
    const u64 a = ea(c, i);
    u64 lo, hi;
    if (!c.read<W>(i.seg, a, &lo)) return;
    if (!c.read<W>(i.seg, (a + W) & width_mask(i.asize), &hi)) return;
    const i64 idx = sign_extend(c.get_reg<W>(i.op[0].reg, false), W);
    if (idx < sign_extend(lo, W) || idx > sign_extend(hi, W)) c.raise(kExBR);
  } else {
    c.raise(kExUD);
  }
}

}  // namespace

void bind_mov(HandlerTable& t) {
  t.set(Mn::MOV, PC64_WIDTHS(mov));
  t.set(Mn::MOVZX, PC64_WIDTHS(movzx));
  t.set(Mn::MOVSX, PC64_WIDTHS(movsx));
  t.set(Mn::MOVSXD, PC64_WIDTHS(movsxd));
  t.set(Mn::LEA, PC64_WIDTHS(lea));
  t.set(Mn::XCHG, PC64_WIDTHS(xchg));
  t.set(Mn::BSWAP, PC64_WIDTHS(bswap));
  t.set(Mn::CBW, PC64_WIDTHS(cbw));
  t.set(Mn::CWD, PC64_WIDTHS(cwd));
  t.set(Mn::CMOVcc, PC64_WIDTHS(cmovcc));
  t.set_all(Mn::SETcc, &setcc);
  t.set_all(Mn::XLAT, &xlat);
  t.set(Mn::LDS, PC64_WIDTHS(lds));
  t.set(Mn::LES, PC64_WIDTHS(les));
  t.set(Mn::LSS, PC64_WIDTHS(lss));
  t.set(Mn::LFS, PC64_WIDTHS(lfs));
  t.set(Mn::LGS, PC64_WIDTHS(lgs));
  t.set(Mn::BOUND, PC64_WIDTHS(bound));
}

}  // namespace pc64
