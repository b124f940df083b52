// x87 arithmetic (SDM Vol. 1 §8.3.5, §8.3.6, §8.3.9; Vol. 2A under each
// mnemonic): FADD FSUB FSUBR FMUL FDIV FDIVR in every form (m32fp, m64fp,
// m16int/m32int via FIxxx, ST(0) op ST(i), ST(i) op ST(0), the pop forms),
// FSQRT, FABS, FCHS, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1.
//
// Every form computes DEST <- DEST op SRC (the R forms SRC op DEST): DEST
// is ST(0) for memory and D8 register forms and ST(i) for DC/DE forms.
// FADD/FSUB/FMUL/FDIV and FSQRT honour precision control (§8.1.5.2).
#include "cpu/interp/x87.h"

namespace pc64 {

using namespace fpu;

namespace {

enum class Op : u8 { Add, Mul, Sub, SubR, Div, DivR };

Op op_of(Mn m) {
  switch (m) {
    case Mn::FADD: case Mn::FADDP: case Mn::FIADD: return Op::Add;
    case Mn::FMUL: case Mn::FMULP: case Mn::FIMUL: return Op::Mul;
    case Mn::FSUB: case Mn::FSUBP: case Mn::FISUB: return Op::Sub;
    case Mn::FSUBR: case Mn::FSUBRP: case Mn::FISUBR: return Op::SubR;
    case Mn::FDIV: case Mn::FDIVP: case Mn::FIDIV: return Op::Div;
    default: return Op::DivR;
  }
}

F80 compute(FpEnv& env, Op op, F80 dst, F80 src) {
  switch (op) {
    case Op::Add: return f80_add(env, dst, src);
    case Op::Mul: return f80_mul(env, dst, src);
    case Op::Sub: return f80_sub(env, dst, src);
    case Op::SubR: return f80_sub(env, src, dst);
    case Op::Div: return f80_div(env, dst, src);
    case Op::DivR: return f80_div(env, src, dst);
  }
  return kIndefinite;
}

void arith(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  const Mn mn = i.row->mn;
  const bool pop = mn == Mn::FADDP || mn == Mn::FMULP || mn == Mn::FSUBP || mn == Mn::FSUBRP ||
                   mn == Mn::FDIVP || mn == Mn::FDIVRP;
  FpEnv env = x87_env(c, true);
  int d = 0, s = 0;
  F80 src{0, 0};
  bool empty = x87_empty(c, 0);
  if (i.op[0].type == OpType::Mem) {
    const bool integer = mn == Mn::FIADD || mn == Mn::FIMUL || mn == Mn::FISUB ||
                         mn == Mn::FISUBR || mn == Mn::FIDIV || mn == Mn::FIDIVR;
    if (!x87_read_mem(c, i, 0, &src, env, integer, true)) return;
  } else if (i.op[0].type == OpType::St && i.row->ops.op[0].kind == OpKind::St0) {
    s = i.op[1].reg;  // D8: ST(0) op ST(i)
    empty |= x87_empty(c, s);
  } else {
    d = i.op[0].reg;  // DC/DE: ST(i) op ST(0)
    empty |= x87_empty(c, d);
  }
  x87_note(c, i);
  if (empty) {
    if (!x87_stack_fault(c, false)) return;
    x87_put(c, d, kIndefinite);
    if (pop) x87_pop(c);
    return;
  }
  if (i.op[0].type != OpType::Mem) src = x87_get(c, d == 0 ? s : 0);
  // A denormal memory operand is not reported when ST(0) is a NaN (host).
  const Cls cd = classify(x87_get(c, d));
  if (cd == Cls::QNaN || cd == Cls::SNaN) env.flags &= (u16)~kDE;
  // Nor when it is divided by a zero ST(0) (FDIVR/FIDIVR m: #Z only, host).
  if ((mn == Mn::FDIVR || mn == Mn::FIDIVR) && i.op[0].type == OpType::Mem && cd == Cls::Zero)
    env.flags &= (u16)~kDE;
  const F80 r = compute(env, op_of(mn), x87_get(c, d), src);
  x87_commit(c, d, r, env, pop);
}

// One-operand ST(0) instructions.
void unary(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  if (x87_empty(c, 0)) {
    if (!x87_stack_fault(c, false)) return;
    x87_put(c, 0, kIndefinite);
    return;
  }
  F80 a = x87_get(c, 0);
  const Mn mn = i.row->mn;
  if (mn == Mn::FABS || mn == Mn::FCHS) {  // sign only: no exceptions, even for SNaN
    a.se = mn == Mn::FABS ? (u16)(a.se & 0x7fff) : (u16)(a.se ^ 0x8000);
    x87_set_c1(c, false);
    x87_put(c, 0, a);
    return;
  }
  FpEnv env = x87_env(c, mn == Mn::FSQRT);
  const F80 r = mn == Mn::FSQRT ? f80_sqrt(env, a) : f80_rndint(env, a);
  x87_commit(c, 0, r, env, false);
}

void fscale(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  if (x87_empty(c, 0) || x87_empty(c, 1)) {
    if (!x87_stack_fault(c, false)) return;
    x87_put(c, 0, kIndefinite);
    return;
  }
  FpEnv env = x87_env(c, false);
  const F80 r = f80_scale(env, x87_get(c, 0), x87_get(c, 1));
  x87_commit(c, 0, r, env, false);
}

// FXTRACT: ST(0) <- exponent, then push the significand (SDM Vol. 2A "FXTRACT").
void fxtract(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  const bool empty = x87_empty(c, 0);
  const bool full = x87_tag_phys(c, (x87_top(c) + 7) & 7) != kTagEmpty;
  if (empty || full) {
    if (!x87_stack_fault(c, !empty)) return;
    x87_put(c, 0, kIndefinite);
    x87_push(c, kIndefinite);
    return;
  }
  FpEnv env = x87_env(c, false);
  F80 e, s;
  f80_xtract(env, x87_get(c, 0), &e, &s);
  x87_set_c1(c, false);  // also when an unmasked exception leaves the stack alone (host)
  if (x87_raise_flags(c, env.flags) && x87_unmasked(c, env.flags & (kIE | kDE | kZE))) return;
  x87_put(c, 0, e);
  x87_push(c, s);
}

// FPREM/FPREM1: partial remainder; C2 = incomplete, C0 C3 C1 = quotient bits 2 1 0.
void fprem(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  // Underflow or an invalid operand: C2 = C1 = 0, C0 and C3 kept (host).
  const u16 kept = c.s.fpu.fsw & (kC0 | kC3);
  if (x87_empty(c, 0) || x87_empty(c, 1)) {
    x87_set_cc(c, kept);
    if (!x87_stack_fault(c, false)) return;
    x87_put(c, 0, kIndefinite);
    return;
  }
  FpEnv env = x87_env(c, false);
  u16 cc = 0;
  const F80 a = x87_get(c, 0), b = x87_get(c, 1);
  const F80 r = f80_prem(env, a, b, i.row->mn == Mn::FPREM1, &cc);
  // A NaN operand (the result is a NaN, no remainder computed) or an invalid
  // operand: the host clears C1 and C2 and keeps C0 and C3, also when the
  // invalid-operation exception is unmasked and ST(0) is left alone.
  auto nan = [](F80 v) { return (v.se & 0x7fff) == 0x7fff && (v.mant << 1) != 0; };
  if ((env.flags & kIE) || nan(a) || nan(b)) {
    cc = kept;
    x87_set_cc(c, cc);
  }
  // A tiny remainder with UE unmasked: UE also when exact, and the
  // exponent-wrapped result (SDM Vol. 1 §8.5.5; host).
  const bool wrap_ue = env.tiny && env.wrapped_ok && x87_unmasked(c, kUE) &&
                       !x87_unmasked(c, env.flags & (kIE | kDE));
  if (wrap_ue) env.flags = (u16)((env.flags & ~kPE) | kUE | (env.wrapped_pe ? kPE : 0));
  if (wrap_ue) {
    x87_raise_flags(c, env.flags);
    x87_set_cc(c, cc);
    x87_put(c, 0, env.wrapped);
    return;
  }
  if (x87_raise_flags(c, env.flags) && x87_unmasked(c, env.flags & (kIE | kDE | kUE))) {
    x87_set_cc(c, kept);  // unmasked: C1 = C2 = 0, C0 and C3 kept (host)
    return;
  }
  x87_set_cc(c, cc);
  x87_put(c, 0, r);
}

}  // namespace

// The result of a rounding operation after the exception rules of x87.h:
// flags recorded, C1 set, *r replaced by the exponent-wrapped result of an
// unmasked OE/UE. Returns false when an unmasked pre-computation exception
// (IE DE ZE) stops the instruction (destination and stack unchanged).
bool x87_deliver(Cpu& c, FpEnv& env, F80* r) {
  u16 f = env.flags;
  // Unmasked OE, or UE with a tiny result: the exponent-wrapped result is
  // delivered, so PE reports its rounding, and UE is signaled also when the
  // tiny result is exact (SDM Vol. 1 §4.9.1.5, §8.5.5; host).
  // Out of range even adjusted (FSCALE): the masked result and flags (host).
  const bool wrap_oe = env.overflow && env.wrapped_ok && x87_unmasked(c, kOE);
  const bool wrap_ue = !env.overflow && env.tiny && env.wrapped_ok && x87_unmasked(c, kUE);
  if (!x87_unmasked(c, f & (kIE | kDE | kZE)) && (wrap_oe || wrap_ue)) {
    f = (u16)((f & ~kPE) | (env.wrapped_pe ? kPE : 0) | (wrap_ue ? kUE : 0));
  }
  const bool unmasked = x87_raise_flags(c, f);
  if (unmasked && x87_unmasked(c, f & (kIE | kDE | kZE))) {
    x87_set_c1(c, false);
    return false;
  }
  if (unmasked && (wrap_oe || wrap_ue)) {
    // Unmasked OE/UE to a register: the exponent-wrapped result (§8.5.4, §8.5.5).
    *r = env.wrapped;
    x87_set_c1(c, env.wrapped_up);
  } else if (unmasked && !env.wrapped_ok && x87_unmasked(c, f & (env.overflow ? kOE : kUE))) {
    // Out of range even wrapped (FSCALE), OE/UE unmasked: infinity or zero
    // whatever the rounding mode (host; masked, RC applies as usual).
    *r = env.overflow ? F80{1ull << 63, 0x7fff} : F80{0, 0};
    r->se |= (u16)(env.wrapped.se & 0x8000);
    x87_set_c1(c, env.overflow);
  } else {
    x87_set_c1(c, env.c1);
  }
  return true;
}

// Stores a rounded result to ST(d) (x87_deliver); `pop` afterwards unless
// an unmasked pre-computation exception stopped the instruction.
void x87_commit(Cpu& c, int d, F80 r, FpEnv& env, bool pop) {
  if (!x87_deliver(c, env, &r)) return;
  x87_put(c, d, r);
  if (pop) x87_pop(c);
}

void bind_x87_arith(HandlerTable& t) {
  static constexpr Mn kArith[] = {Mn::FADD,  Mn::FMUL,   Mn::FSUB,   Mn::FSUBR,  Mn::FDIV,
                                  Mn::FDIVR, Mn::FADDP,  Mn::FMULP,  Mn::FSUBP,  Mn::FSUBRP,
                                  Mn::FDIVP, Mn::FDIVRP, Mn::FIADD,  Mn::FIMUL,  Mn::FISUB,
                                  Mn::FISUBR, Mn::FIDIV, Mn::FIDIVR};
  for (Mn m : kArith) t.set_all(m, &arith);
  t.set_all(Mn::FABS, &unary);
  t.set_all(Mn::FCHS, &unary);
  t.set_all(Mn::FSQRT, &unary);
  t.set_all(Mn::FRNDINT, &unary);
  t.set_all(Mn::FSCALE, &fscale);
  t.set_all(Mn::FXTRACT, &fxtract);
  t.set_all(Mn::FPREM, &fprem);
  t.set_all(Mn::FPREM1, &fprem);
}

}  // namespace pc64
