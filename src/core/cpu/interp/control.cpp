// Near control transfer: Jcc JMP CALL RET LOOP/LOOPcc JrCXZ (SDM Vol. 2A/2B).
// Rows: cpu/table/control.def. The far forms (CALLF JMPF RETF IRET) and the
// software interrupts (INT3 INT1 INT n INTO) are in far.cpp.
//
// A target is truncated to the operand size outside 64-bit mode (SDM Vol. 2A
// "JMP": with a 16-bit operand size the upper two bytes of EIP are cleared),
// then checked against the CS limit, or for canonical form in 64-bit mode;
// a bad target is #GP(0) reported on the branch itself, with RIP and rSP unchanged.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

bool canonical(const Cpu& c, u64 a) {
  const int va = (c.s.cr4 & (1u << 12)) ? 57 : 48;  // CR4.LA57
  return (u64)((i64)(a << (64 - va)) >> (64 - va)) == a;
}

// Truncates and checks a near branch target. Returns false after raising #GP(0).
bool check_target(Cpu& c, const Insn& i, u64* target) {
  if (c.mode64()) return canonical(c, *target) || c.raise(kExGP, 0);
  *target &= width_mask(i.opsize);
  return *target <= c.s.seg[CS].limit || c.raise(kExGP, 0);
}

bool branch_to(Cpu& c, const Insn& i, u64 target) {
  if (!check_target(c, i, &target)) return false;
  c.s.rip = target;
  return true;
}

u64 rel_target(const Cpu& c, const Insn& i) { return c.s.rip + i.imm; }

void jcc(Cpu& c, const Insn& i) {
  if (eval_cond(c.s, i.cond())) branch_to(c, i, rel_target(c, i));
}

template <int W> void jmp(Cpu& c, const Insn& i) {
  if (i.op[0].type == OpType::Imm) {
    branch_to(c, i, rel_target(c, i));
    return;
  }
  u64 t;
  if (!load<W>(c, i, 0, &t)) return;
  branch_to(c, i, t);
}

template <int W> void call(Cpu& c, const Insn& i) {
  u64 t;
  if (i.op[0].type == OpType::Imm) t = rel_target(c, i);
  else if (!load<W>(c, i, 0, &t)) return;
  // The stack slot is checked before the target (with both bad, the stack
  // fault wins on the differential-test host), but nothing is written when
  // the target faults.
  const int sw = c.stack_width();
  const u64 slot = (c.s.gpr[RSP] - W) & width_mask(sw);
  u64 probe;
  if (!c.read<W == 1 ? 2 : W>(SS, slot, &probe, Access::Write)) return;
  if (!check_target(c, i, &t)) return;
  if (!c.push(W, c.s.rip)) return;
  c.s.rip = t;
}

// RET / RET imm16: pops the return address, then releases imm16 bytes.
template <int W> void ret(Cpu& c, const Insn& i) {
  u64 t;
  if (!c.peek(W, 0, &t)) return;
  if (!check_target(c, i, &t)) return;
  const u64 release = i.nops ? (i.imm & 0xffff) : 0;
  const int sw = c.stack_width();
  c.set_reg_n(sw, RSP, false, (c.s.gpr[RSP] + W + release) & width_mask(sw));
  c.s.rip = t;
}

// LOOP/LOOPE/LOOPNE: decrement the address-size count register (no flags
// change), then branch if it is non-zero and the ZF condition holds.
enum class Loop { Always, E, NE };
template <Loop K> void loop(Cpu& c, const Insn& i) {
  const u64 count = (c.s.gpr[RCX] - 1) & width_mask(i.asize);
  bool take = count != 0;
  if (K == Loop::E) take = take && get_zf(c.s);
  if (K == Loop::NE) take = take && !get_zf(c.s);
  if (take) {
    u64 t = rel_target(c, i);
    if (!check_target(c, i, &t)) return;
    c.s.rip = t;
  }
  c.set_reg_n(i.asize, RCX, false, count);
}

void jrcxz(Cpu& c, const Insn& i) {
  if ((c.s.gpr[RCX] & width_mask(i.asize)) == 0) branch_to(c, i, rel_target(c, i));
}

}  // namespace

void bind_control(HandlerTable& t) {
  t.set_all(Mn::Jcc, &jcc);
  t.set(Mn::JMP, PC64_WIDTHS(jmp));
  t.set(Mn::CALL, PC64_WIDTHS(call));
  t.set(Mn::RET, PC64_WIDTHS(ret));
  t.set_all(Mn::LOOP, &loop<Loop::Always>);
  t.set_all(Mn::LOOPE, &loop<Loop::E>);
  t.set_all(Mn::LOOPNE, &loop<Loop::NE>);
  t.set_all(Mn::JrCXZ, &jrcxz);
}

}  // namespace pc64
