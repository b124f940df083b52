// Operand access shared by all interpreter handlers: effective addresses,
// loads and stores of the decoded operands, by width.
//
// The contract that keeps faults clean: a handler performs every load and
// every store that can fault before it changes any register or flag, and
// returns as soon as one of them returns false.
#pragma once
#include "cpu/cpu.h"
#include "cpu/interp/interp.h"

namespace pc64 {

// Effective address of the ModRM/moffs memory operand, truncated to the
// address size (SDM Vol. 1 §3.7.5). RIP-relative uses the next RIP, which
// s.rip already holds while a handler runs.
PC64_ALWAYS_INLINE u64 ea(const Cpu& c, const Insn& i) {
  u64 a = (u64)i.disp;
  if (i.base != kNoReg) a += c.s.gpr[i.base];
  if (i.index != kNoReg) a += c.s.gpr[i.index] << i.scale;
  if (i.riprel) a += c.s.rip;
  return a & width_mask(i.asize);
}

PC64_ALWAYS_INLINE u64 imm_of(const Insn& i, const DecodedOp& o) {
  return o.reg == 1 ? 1 : (o.reg == 2 ? i.imm2 : i.imm);
}

// Loads operand n as a W-byte value (zero-extended into a u64).
template <int W>
PC64_ALWAYS_INLINE bool load(Cpu& c, const Insn& i, int n, u64* v, Access acc = Access::Read) {
  const DecodedOp& o = i.op[n];
  if (o.type == OpType::Reg) {
    *v = c.get_reg<W>(o.reg, o.hi8);
    return true;
  }
  if (o.type == OpType::Mem) return c.read<W>(i.seg, ea(c, i), v, acc);
  *v = imm_of(i, o) & width_mask(W);
  return true;
}

// Loads a read-modify-write destination: the access is checked as a write
// (segment rights, page R/W), as hardware does for RMW instructions.
template <int W> PC64_ALWAYS_INLINE bool load_rmw(Cpu& c, const Insn& i, int n, u64* v) {
  return load<W>(c, i, n, v, Access::Write);
}

template <int W> PC64_ALWAYS_INLINE bool store(Cpu& c, const Insn& i, int n, u64 v) {
  const DecodedOp& o = i.op[n];
  if (o.type == OpType::Reg) {
    c.set_reg<W>(o.reg, o.hi8, v);
    return true;
  }
  return c.write<W>(i.seg, ea(c, i), v);
}

// Width chosen at run time (operands whose size differs from Insn::width).
inline bool load_n(Cpu& c, const Insn& i, int n, u64* v) {
  switch (i.op[n].size) {
    case 1: return load<1>(c, i, n, v);
    case 2: return load<2>(c, i, n, v);
    case 4: return load<4>(c, i, n, v);
    default: return load<8>(c, i, n, v);
  }
}
inline bool store_n(Cpu& c, const Insn& i, int n, u64 v) {
  switch (i.op[n].size) {
    case 1: return store<1>(c, i, n, v);
    case 2: return store<2>(c, i, n, v);
    case 4: return store<4>(c, i, n, v);
    default: return store<8>(c, i, n, v);
  }
}

// A HandlerSet from a handler template over the four widths.
#define PC64_WIDTHS(fn) (::pc64::HandlerSet{{&fn<1>, &fn<2>, &fn<4>, &fn<8>}})

}  // namespace pc64
