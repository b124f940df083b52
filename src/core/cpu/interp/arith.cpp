// Integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP TEST INC DEC
// NEG NOT (SDM Vol. 2A/2B). Table rows: cpu/table/arith.def.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

enum class Alu { Add, Or, Adc, Sbb, And, Sub, Xor, Cmp, Test };

template <Alu OP, int W> void alu(Cpu& c, const Insn& i) {
  constexpr bool kWrites = OP != Alu::Cmp && OP != Alu::Test;
  u64 a, b;
  if (!(kWrites ? load_rmw<W>(c, i, 0, &a) : load<W>(c, i, 0, &a))) return;
  if (!load<W>(c, i, 1, &b)) return;
  const u64 m = width_mask(W);
  u64 r;
  u32 cin = 0;
  if constexpr (OP == Alu::Adc || OP == Alu::Sbb) cin = get_cf(c.s);
  switch (OP) {
    case Alu::Add: r = a + b; break;
    case Alu::Adc: r = a + b + cin; break;
    case Alu::Sub: case Alu::Cmp: r = a - b; break;
    case Alu::Sbb: r = a - b - cin; break;
    case Alu::And: case Alu::Test: r = a & b; break;
    case Alu::Or: r = a | b; break;
    case Alu::Xor: r = a ^ b; break;
  }
  r &= m;
  if constexpr (kWrites) {
    if (!store<W>(c, i, 0, r)) return;
  }
  switch (OP) {
    case Alu::Add: set_lazy(c.s, FlagOp::Add, W, r, a, b); break;
    case Alu::Adc: set_lazy(c.s, FlagOp::Adc, W, r, a, b, cin); break;
    case Alu::Sub: case Alu::Cmp: set_lazy(c.s, FlagOp::Sub, W, r, a, b); break;
    case Alu::Sbb: set_lazy(c.s, FlagOp::Sbb, W, r, a, b, cin); break;
    default: set_lazy(c.s, FlagOp::Logic, W, r, 0, 0); break;
  }
}

template <int W> void inc(Cpu& c, const Insn& i) {
  u64 a;
  if (!load_rmw<W>(c, i, 0, &a)) return;
  const u64 r = (a + 1) & width_mask(W);
  if (!store<W>(c, i, 0, r)) return;
  materialize_flags(c.s);  // INC keeps CF
  set_lazy(c.s, FlagOp::Inc, W, r, a, 1);
}

template <int W> void dec(Cpu& c, const Insn& i) {
  u64 a;
  if (!load_rmw<W>(c, i, 0, &a)) return;
  const u64 r = (a - 1) & width_mask(W);
  if (!store<W>(c, i, 0, r)) return;
  materialize_flags(c.s);  // DEC keeps CF
  set_lazy(c.s, FlagOp::Dec, W, r, a, 1);
}

template <int W> void neg(Cpu& c, const Insn& i) {
  u64 a;
  if (!load_rmw<W>(c, i, 0, &a)) return;
  const u64 r = (0 - a) & width_mask(W);
  if (!store<W>(c, i, 0, r)) return;
  set_lazy(c.s, FlagOp::Neg, W, r, 0, a);
}

template <int W> void not_(Cpu& c, const Insn& i) {
  u64 a;
  if (!load_rmw<W>(c, i, 0, &a)) return;
  store<W>(c, i, 0, ~a & width_mask(W));  // NOT changes no flags
}

template <int W> void add(Cpu& c, const Insn& i) { alu<Alu::Add, W>(c, i); }
template <int W> void or_(Cpu& c, const Insn& i) { alu<Alu::Or, W>(c, i); }
template <int W> void adc(Cpu& c, const Insn& i) { alu<Alu::Adc, W>(c, i); }
template <int W> void sbb(Cpu& c, const Insn& i) { alu<Alu::Sbb, W>(c, i); }
template <int W> void and_(Cpu& c, const Insn& i) { alu<Alu::And, W>(c, i); }
template <int W> void sub(Cpu& c, const Insn& i) { alu<Alu::Sub, W>(c, i); }
template <int W> void xor_(Cpu& c, const Insn& i) { alu<Alu::Xor, W>(c, i); }
template <int W> void cmp(Cpu& c, const Insn& i) { alu<Alu::Cmp, W>(c, i); }
template <int W> void test(Cpu& c, const Insn& i) { alu<Alu::Test, W>(c, i); }

}  // namespace

void bind_arith(HandlerTable& t) {
  t.set(Mn::ADD, PC64_WIDTHS(add));
  t.set(Mn::OR, PC64_WIDTHS(or_));
  t.set(Mn::ADC, PC64_WIDTHS(adc));
  t.set(Mn::SBB, PC64_WIDTHS(sbb));
  t.set(Mn::AND, PC64_WIDTHS(and_));
  t.set(Mn::SUB, PC64_WIDTHS(sub));
  t.set(Mn::XOR, PC64_WIDTHS(xor_));
  t.set(Mn::CMP, PC64_WIDTHS(cmp));
  t.set(Mn::TEST, PC64_WIDTHS(test));
  t.set(Mn::INC, PC64_WIDTHS(inc));
  t.set(Mn::DEC, PC64_WIDTHS(dec));
  t.set(Mn::NEG, PC64_WIDTHS(neg));
  t.set(Mn::NOT, PC64_WIDTHS(not_));
}

}  // namespace pc64
