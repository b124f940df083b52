// Atomic read-modify-write: XADD, CMPXCHG, CMPXCHG8B, CMPXCHG16B (SDM Vol. 2A
// "CMPXCHG", "CMPXCHG8B/CMPXCHG16B", Vol. 2B "XADD"). Rows: cpu/table/atomic.def.
//
// The interpreter runs one logical processor at a time, so LOCK needs no
// extra work here; every destination is loaded as a write (load_rmw) because
// the processor always performs the write cycle (SDM Vol. 2A "CMPXCHG": "the
// destination operand is written back if the comparison fails").
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

// XADD: TEMP := SRC + DEST; SRC := DEST; DEST := TEMP. With the same register
// as both operands the sum wins (DEST is written last).
template <int W> void xadd(Cpu& c, const Insn& i) {
  u64 d, s;
  if (!load_rmw<W>(c, i, 0, &d)) return;
  if (!load<W>(c, i, 1, &s)) return;
  const u64 r = (d + s) & width_mask(W);
  if (i.op[0].type == OpType::Mem) {
    if (!store<W>(c, i, 0, r)) return;
    store<W>(c, i, 1, d);
  } else {
    store<W>(c, i, 1, d);
    store<W>(c, i, 0, r);
  }
  set_lazy(c.s, FlagOp::Add, W, r, d, s);
}

// CMPXCHG: flags as CMP accumulator, DEST. Equal: DEST := SRC. Not equal: the
// accumulator := DEST; a memory destination is rewritten with its own value,
// a register destination is left untouched (also its upper half in 64-bit
// mode: processors do not write it), while a 32-bit accumulator load
// zero-extends RAX.
template <int W> void cmpxchg(Cpu& c, const Insn& i) {
  u64 d, s;
  if (!load_rmw<W>(c, i, 0, &d)) return;
  if (!load<W>(c, i, 1, &s)) return;
  const u64 acc = c.s.gpr[RAX] & width_mask(W);
  const bool eq = acc == d;
  if (eq) {
    if (!store<W>(c, i, 0, s)) return;
  } else {
    if (i.op[0].type == OpType::Mem && !store<W>(c, i, 0, d)) return;
    c.set_reg<W>(RAX, false, d);
  }
  set_lazy(c.s, FlagOp::Sub, W, (acc - d) & width_mask(W), acc, d);
}

// CMPXCHG8B m64 / CMPXCHG16B m128: compares EDX:EAX (RDX:RAX) with the memory
// operand; equal: memory := ECX:EBX (RCX:RBX), ZF = 1; else EDX:EAX := memory
// (zero-extended in 64-bit mode), ZF = 0. Memory is written either way.
// CMPXCHG16B needs a 16-byte aligned operand, else #GP(0).
template <int N> void cmpxchg_wide(Cpu& c, const Insn& i) {
  constexpr int H = N / 2;  // half: 4 or 8 bytes
  const u64 a = ea(c, i), m = width_mask(i.asize);
  if (N == 16 && (a & 15)) {
    c.raise(kExGP, 0);
    return;
  }
  u64 lo, hi;
  if (!c.read<H>(i.seg, a, &lo, Access::Write)) return;
  if (!c.read<H>(i.seg, (a + H) & m, &hi, Access::Write)) return;
  const u64 hm = width_mask(H);
  const bool eq = lo == (c.s.gpr[RAX] & hm) && hi == (c.s.gpr[RDX] & hm);
  const u64 nlo = eq ? c.s.gpr[RBX] : lo, nhi = eq ? c.s.gpr[RCX] : hi;
  if constexpr (N == 8) {
    if (!c.write<8>(i.seg, a, (nlo & hm) | (nhi << 32))) return;
  } else {
    u8 buf[16];
    store_le<u64>(buf, nlo);
    store_le<u64>(buf + 8, nhi);
    if (!c.write_bytes(i.seg, a, buf, 16)) return;
  }
  if (!eq) {
    c.set_reg<H>(RAX, false, lo);
    c.set_reg<H>(RDX, false, hi);
  }
  set_flags(c.s, kZF, eq ? (u64)kZF : 0);
}

template <int W> void cmpxchg8b(Cpu& c, const Insn& i) { cmpxchg_wide<8>(c, i); }
template <int W> void cmpxchg16b(Cpu& c, const Insn& i) { cmpxchg_wide<16>(c, i); }

}  // namespace

void bind_atomic(HandlerTable& t) {
  t.set(Mn::XADD, PC64_WIDTHS(xadd));
  t.set(Mn::CMPXCHG, PC64_WIDTHS(cmpxchg));
  t.set(Mn::CMPXCHG8B, PC64_WIDTHS(cmpxchg8b));
  t.set(Mn::CMPXCHG16B, PC64_WIDTHS(cmpxchg16b));
}

}  // namespace pc64
