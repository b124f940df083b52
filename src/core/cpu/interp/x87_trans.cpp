// x87 transcendentals (SDM Vol. 2A under each mnemonic; math in
// cpu/fpu/float80_trans.cpp): FSIN FCOS FSINCOS FPTAN F2XM1 (ST(0)) and
// FPATAN FYL2X FYL2XP1 (ST(1) op ST(0) to ST(1), then pop).
//
// Condition codes: C1 is the rounding direction (0 on stack underflow, 1 on
// overflow); C2 is set by FSIN FCOS FSINCOS FPTAN when |ST(0)| >= 2^63 (the
// operand is out of range: ST(0) unchanged, nothing pushed, no exception),
// else cleared. The SDM leaves C0 and C3 (and C2 of the others) undefined;
// the host keeps them, and so does this.
#include "cpu/interp/x87.h"

namespace pc64 {

using namespace fpu;

namespace {

void set_c2(Cpu& c, bool v) {
  c.s.fpu.fsw = (u16)((c.s.fpu.fsw & ~kC2) | (v ? kC2 : 0));
}

// FSIN FCOS F2XM1: ST(0) <- f(ST(0)).
void unary(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  const Mn mn = i.row->mn;
  const bool c2_defined = mn != Mn::F2XM1;
  if (x87_empty(c, 0)) {
    if (c2_defined) set_c2(c, false);
    if (!x87_stack_fault(c, false)) return;
    x87_put(c, 0, kIndefinite);
    return;
  }
  FpEnv env = x87_env(c, false);
  const F80 a = x87_get(c, 0);
  bool oor = false;
  F80 r;
  if (mn == Mn::FSIN) r = f80_sin(env, a, &oor);
  else if (mn == Mn::FCOS) r = f80_cos(env, a, &oor);
  else r = f80_2xm1(env, a);
  if (c2_defined) set_c2(c, oor);
  if (oor) {
    x87_set_c1(c, false);
    return;
  }
  x87_commit(c, 0, r, env, false);
}

// FSINCOS (ST(0) <- sin, push cos) and FPTAN (ST(0) <- tan, push 1.0).
void pushing(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  const bool empty = x87_empty(c, 0);
  const bool full = x87_tag_phys(c, (x87_top(c) + 7) & 7) != kTagEmpty;
  if (empty || full) {
    set_c2(c, false);
    if (!x87_stack_fault(c, !empty)) return;
    x87_put(c, 0, kIndefinite);
    x87_push(c, kIndefinite);
    return;
  }
  FpEnv env = x87_env(c, false);
  const F80 a = x87_get(c, 0);
  bool oor = false;
  F80 r0, r1;  // ST(0) after the instruction, and the new ST(1)
  if (i.row->mn == Mn::FSINCOS) {
    f80_sincos(env, a, &r1, &r0, &oor);
  } else {
    r1 = f80_tan(env, a, &oor);
    // 1.0, or the NaN result again (host: a NaN operand gives two NaNs).
    const bool nan = (r1.se & 0x7fff) == 0x7fff && (r1.mant << 1) != 0;
    r0 = nan ? r1 : F80{1ull << 63, 0x3fff};
  }
  set_c2(c, oor);
  if (oor) {
    x87_set_c1(c, false);
    return;
  }
  if (!x87_deliver(c, env, &r1)) return;
  x87_put(c, 0, r1);
  x87_push(c, r0);
}

// FPATAN FYL2X FYL2XP1: ST(1) <- f(ST(1), ST(0)), pop.
void binary(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  if (x87_empty(c, 0) || x87_empty(c, 1)) {
    if (!x87_stack_fault(c, false)) return;
    x87_put(c, 1, kIndefinite);
    x87_pop(c);
    return;
  }
  FpEnv env = x87_env(c, false);
  const F80 x = x87_get(c, 0), y = x87_get(c, 1);
  F80 r;
  switch (i.row->mn) {
    case Mn::FPATAN: r = f80_atan2(env, y, x); break;
    case Mn::FYL2X: r = f80_yl2x(env, x, y); break;
    default: r = f80_yl2xp1(env, x, y); break;
  }
  x87_commit(c, 1, r, env, true);
}

}  // namespace

void bind_x87_trans(HandlerTable& t) {
  t.set_all(Mn::FSIN, &unary);
  t.set_all(Mn::FCOS, &unary);
  t.set_all(Mn::F2XM1, &unary);
  t.set_all(Mn::FSINCOS, &pushing);
  t.set_all(Mn::FPTAN, &pushing);
  t.set_all(Mn::FPATAN, &binary);
  t.set_all(Mn::FYL2X, &binary);
  t.set_all(Mn::FYL2XP1, &binary);
}

}  // namespace pc64
