// x87 control instructions (SDM Vol. 1 §8.3.11; Vol. 2A under each
// mnemonic): FNINIT, FNCLEX, FLDCW, FNSTCW, FNSTSW (m16 and AX), FWAIT, and
// bind_x87() for the whole group. None of them updates the last-instruction
// pointers or FOP (§8.1.8).
#include "cpu/interp/fxsave_area.h"
#include "cpu/interp/x87.h"

namespace pc64 {

namespace {

// FCW as stored: bit 6 reads as 1 and bits 13-15 as 0 (the reserved bits of
// Figure 8-6; checked on the host: FLDCW 0 then FNSTCW gives 0x0040).
u16 fcw_image(u64 v) { return (u16)((v & 0x1f3f) | 0x40); }

// After the masks or flags change (FLDCW, FLDENV, FRSTOR): ES and B follow
// "some flag is set whose mask is clear" (§8.1.3.5; host: unmasking a pending
// ZE with FLDCW sets ES and B).
void recompute_es(Cpu& c) {
  FpuState& f = c.s.fpu;
  if (f.fsw & 0x3f & ~f.fcw) f.fsw |= kFswES | kFswB;
  else f.fsw &= (u16)~(kFswES | kFswB);
}

void fninit(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i, false)) return;
  x87_finit(c);
}

void fnclex(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i, false)) return;
  c.s.fpu.fsw &= (u16)~(0x00ff | kFswB);  // PE UE OE ZE DE IE SF ES and B
}

void fldcw(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  u64 v;
  if (!c.read<2>(i.seg, ea(c, i), &v)) return;
  c.s.fpu.fcw = fcw_image(v);
  recompute_es(c);
}

void fnstcw(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i, false)) return;
  c.write<2>(i.seg, ea(c, i), c.s.fpu.fcw);
}

void fnstsw(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i, false)) return;
  if (i.op[0].type == OpType::Reg) {
    c.set_reg<2>(RAX, false, c.s.fpu.fsw);
    return;
  }
  c.write<2>(i.seg, ea(c, i), c.s.fpu.fsw);
}

// WAIT/FWAIT: #NM only when CR0.MP and CR0.TS are both set (Vol. 3A §2.5,
// Table 2-2), then a pending unmasked exception is delivered (#MF).
void fwait(Cpu& c, const Insn&) {
  if ((c.s.cr0 & (kCR0_MP | kCR0_TS)) == (kCR0_MP | kCR0_TS)) {
    c.raise(kExNM);
    return;
  }
  if (c.s.fpu.fsw & kFswES) {
    if (c.s.cr0 & kCR0_NE) {
      c.raise(kExMF);
      return;
    }
    x87_signal_ferr(c);
  }
}

}  // namespace

void x87_recompute_es(Cpu& c) { recompute_es(c); }
u16 x87_fcw_image(u64 v) { return fcw_image(v); }

void bind_x87_control(HandlerTable& t) {
  t.set_all(Mn::FNINIT, &fninit);
  t.set_all(Mn::FNCLEX, &fnclex);
  t.set_all(Mn::FLDCW, &fldcw);
  t.set_all(Mn::FNSTCW, &fnstcw);
  t.set_all(Mn::FNSTSW, &fnstsw);
  t.set_all(Mn::FWAIT, &fwait);
}

void bind_x87(HandlerTable& t) {
  bind_x87_load_store(t);
  bind_x87_arith(t);
  bind_x87_compare(t);
  bind_x87_control(t);
  bind_x87_env(t);
  bind_x87_trans(t);
}

}  // namespace pc64
