// x87 comparison and classification (SDM Vol. 1 §8.3.7; Vol. 2A "FCOM/
// FCOMP/FCOMPP", "FUCOM/FUCOMP/FUCOMPP", "FICOM/FICOMP", "FCOMI/FCOMIP/
// FUCOMI/FUCOMIP", "FTST", "FXAM").
//
// FCOM-style results go to C3 C2 C0 (Table 8-6: > 000, < 001, = 100,
// unordered 111), C1 = 0. FCOMI-style results go to ZF PF CF in the same
// pattern, with OF SF AF cleared. FUCOM* raise IE only for SNaN (and
// unsupported) operands; FCOM* for any NaN. A stack underflow with IE masked
// gives "unordered". With IE unmasked the condition codes (or EFLAGS) are
// still set to "unordered" but nothing pops (as the host does).
#include "cpu/interp/x87.h"

namespace pc64 {

using namespace fpu;

namespace {

struct CmpForm {
  bool quiet;  // FUCOM*
  int pops;
  bool eflags;  // FCOMI*
};

CmpForm form_of(Mn m) {
  switch (m) {
    case Mn::FCOMP: case Mn::FICOMP: return {false, 1, false};
    case Mn::FCOMPP: return {false, 2, false};
    case Mn::FUCOM: return {true, 0, false};
    case Mn::FUCOMP: return {true, 1, false};
    case Mn::FUCOMPP: return {true, 2, false};
    case Mn::FCOMI: return {false, 0, true};
    case Mn::FCOMIP: return {false, 1, true};
    case Mn::FUCOMI: return {true, 0, true};
    case Mn::FUCOMIP: return {true, 1, true};
    default: return {false, 0, false};  // FCOM, FICOM, FTST
  }
}

void set_result(Cpu& c, const CmpForm& f, u16 cc) {
  x87_set_c1(c, false);
  if (!f.eflags) {
    x87_set_cc(c, cc);
    return;
  }
  u64 v = 0;
  if (cc & kC3) v |= kZF;
  if (cc & kC2) v |= kPF;
  if (cc & kC0) v |= kCF;
  set_flags(c.s, kOF | kSF | kZF | kAF | kPF | kCF, v);
}

void compare(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  const Mn mn = i.row->mn;
  const CmpForm f = form_of(mn);
  FpEnv env = x87_env(c, false);
  F80 b{0, 0};
  bool empty = x87_empty(c, 0);
  int src = 1;  // FCOMPP/FUCOMPP (no operand) compare with ST(1)
  if (mn == Mn::FTST) {
    src = -1;
  } else if (i.nops && i.op[i.nops - 1].type == OpType::Mem) {
    const bool integer = mn == Mn::FICOM || mn == Mn::FICOMP;
    if (!x87_read_mem(c, i, i.nops - 1, &b, env, integer)) return;
    src = -1;
  } else if (i.nops) {
    src = i.op[i.nops - 1].reg;
  }
  if (src >= 0) {
    empty |= x87_empty(c, src);
    b = x87_get(c, src);
  }
  x87_note(c, i);
  // With IE unmasked the result is still "unordered" (host), but nothing pops.
  if (empty) {
    const bool masked = x87_stack_fault(c, false);
    set_result(c, f, kC3 | kC2 | kC0);
    if (!masked) return;
  } else {
    const Cls c0 = classify(x87_get(c, 0));
    if (c0 == Cls::QNaN || c0 == Cls::SNaN) env.flags &= (u16)~kDE;  // as in x87_arith.cpp
    const u16 cc = f80_compare(env, x87_get(c, 0), b, f.quiet);
    // An unmasked DE still sets the result (host); an unmasked IE gives
    // "unordered" and no pop.
    if (x87_raise_flags(c, env.flags) && x87_unmasked(c, env.flags & (kIE | kDE))) {
      set_result(c, f, (env.flags & kIE) ? (u16)(kC3 | kC2 | kC0) : cc);
      return;
    }
    set_result(c, f, cc);
  }
  for (int k = 0; k < f.pops; ++k) x87_pop(c);
}

// FXAM (Vol. 2A "FXAM" table): C1 = sign; C3 C2 C0 = the class.
void fxam(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  const F80 a = x87_get(c, 0);
  u16 cc = (a.se & 0x8000) ? kC1 : 0;
  if (x87_empty(c, 0)) {
    cc |= kC3 | kC0;
  } else {
    switch (classify(a)) {
      case Cls::Unsupported: break;
      case Cls::QNaN: case Cls::SNaN: cc |= kC0; break;
      case Cls::Normal: cc |= kC2; break;
      case Cls::Inf: cc |= kC2 | kC0; break;
      case Cls::Zero: cc |= kC3; break;
      case Cls::Denormal: cc |= kC3 | kC2; break;
    }
  }
  x87_set_cc(c, cc);
}

}  // namespace

void bind_x87_compare(HandlerTable& t) {
  static constexpr Mn kCmp[] = {Mn::FCOM,  Mn::FCOMP,  Mn::FCOMPP, Mn::FUCOM,  Mn::FUCOMP,
                                Mn::FUCOMPP, Mn::FICOM, Mn::FICOMP, Mn::FCOMI, Mn::FCOMIP,
                                Mn::FUCOMI, Mn::FUCOMIP, Mn::FTST};
  for (Mn m : kCmp) t.set_all(m, &compare);
  t.set_all(Mn::FXAM, &fxam);
}

}  // namespace pc64
