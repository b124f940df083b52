// Flag instructions: CLC STC CMC CLD STD LAHF SAHF (SDM Vol. 2A/2B).
// Rows: cpu/table/flagops.def.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

void clc(Cpu& c, const Insn&) { set_flags(c.s, kCF, 0); }
void stc(Cpu& c, const Insn&) { set_flags(c.s, kCF, kCF); }
void cmc(Cpu& c, const Insn&) { set_flags(c.s, kCF, get_cf(c.s) ? 0 : (u64)kCF); }
void cld(Cpu& c, const Insn&) { c.s.rflags &= ~(u64)kDF; }
void std_(Cpu& c, const Insn&) { c.s.rflags |= kDF; }

// LAHF: AH := SF:ZF:0:AF:0:PF:1:CF (bits 7..0 of EFLAGS).
void lahf(Cpu& c, const Insn&) { c.set_reg<1>(RAX, true, c.rflags() & 0xff); }

// SAHF: SF ZF AF PF CF := AH bits 7, 6, 4, 2, 0.
void sahf(Cpu& c, const Insn&) {
  set_flags(c.s, kSF | kZF | kAF | kPF | kCF, (c.s.gpr[RAX] >> 8) & 0xff);
}

}  // namespace

void bind_flagops(HandlerTable& t) {
  t.set_all(Mn::CLC, &clc);
  t.set_all(Mn::STC, &stc);
  t.set_all(Mn::CMC, &cmc);
  t.set_all(Mn::CLD, &cld);
  t.set_all(Mn::STD, &std_);
  t.set_all(Mn::LAHF, &lahf);
  t.set_all(Mn::SAHF, &sahf);
}

}  // namespace pc64
