// BCD adjustment: DAA DAS AAA AAS AAM AAD (SDM Vol. 2A under each
// mnemonic; the Operation sections are followed step by step).
// Rows: cpu/table/bcd.def.
//
// Values chosen for the flags the SDM leaves undefined:
//  - DAA/DAS: OF = 0;
//  - AAA/AAS: OF = 0 and SF, ZF, PF describe the final AL;
//  - AAM: OF = AF = CF = 0;
//  - AAD: OF, AF and CF of the 8-bit addition AL + AH * imm8 that forms the
//    new AL.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

u64 szp8(u32 al) {
  u64 f = 0;
  if ((al & 0xff) == 0) f |= kZF;
  if (al & 0x80) f |= kSF;
  if (parity8(al)) f |= kPF;
  return f;
}

u32 get_al(const Cpu& c) { return (u32)c.s.gpr[RAX] & 0xff; }
void set_al(Cpu& c, u32 v) { c.set_reg<1>(RAX, false, v); }

// DAA/DAS: SDM Vol. 2A "DAA" and "DAS", Operation.
template <bool SUB> void daa_das(Cpu& c, const Insn&) {
  const u64 fl = c.rflags();
  const u32 old_al = get_al(c);
  const bool old_cf = fl & kCF;
  u32 al = old_al;
  bool cf = false, af = false;
  if ((al & 0x0f) > 9 || (fl & kAF)) {
    const u32 t = SUB ? al - 6 : al + 6;
    cf = old_cf || (t > 0xff);  // carry out of / borrow from AL
    al = t & 0xff;
    af = true;
  }
  if (old_al > 0x99 || old_cf) {
    al = (SUB ? al - 0x60 : al + 0x60) & 0xff;
    cf = true;
  } else if (!SUB) {
    cf = false;  // DAA's ELSE branch; DAS has none
  }
  set_al(c, al);
  set_flags(c.s, kArithFlags, szp8(al) | (cf ? (u64)kCF : 0) | (af ? (u64)kAF : 0));
}

// AAA/AAS: SDM Vol. 2A "AAA" (AX += 106H) and "AAS" (AX -= 6; AH -= 1).
template <bool SUB> void aaa_aas(Cpu& c, const Insn&) {
  const u64 fl = c.rflags();
  u32 ax = (u32)c.s.gpr[RAX] & 0xffff;
  bool adj = (ax & 0x0f) > 9 || (fl & kAF);
  if (adj) ax = SUB ? ax - 6 - 0x100 : ax + 0x106;
  ax &= 0xff0f;  // AL = AL AND 0FH
  c.set_reg<2>(RAX, false, ax);
  set_flags(c.s, kArithFlags, szp8(ax & 0xff) | (adj ? (u64)(kCF | kAF) : 0));
}

void aam(Cpu& c, const Insn& i) {
  const u32 base = (u32)i.imm & 0xff;
  if (base == 0) {
    c.raise(kExDE);
    return;
  }
  const u32 al = get_al(c);
  const u32 r = al % base;
  c.set_reg<2>(RAX, false, ((al / base) << 8) | r);
  set_flags(c.s, kArithFlags, szp8(r));
}

void aad(Cpu& c, const Insn& i) {
  const u32 base = (u32)i.imm & 0xff;
  const u32 al = get_al(c), ah = ((u32)c.s.gpr[RAX] >> 8) & 0xff;
  const u32 prod = (ah * base) & 0xff;
  const u32 r = (al + prod) & 0xff;
  c.set_reg<2>(RAX, false, r);  // AH = 0
  u64 f = szp8(r);
  if (r < al) f |= kCF;
  if ((al ^ prod ^ r) & 0x10) f |= kAF;
  if (((al ^ r) & (prod ^ r)) & 0x80) f |= kOF;
  set_flags(c.s, kArithFlags, f);
}

}  // namespace

void bind_bcd(HandlerTable& t) {
  t.set_all(Mn::DAA, &daa_das<false>);
  t.set_all(Mn::DAS, &daa_das<true>);
  t.set_all(Mn::AAA, &aaa_aas<false>);
  t.set_all(Mn::AAS, &aaa_aas<true>);
  t.set_all(Mn::AAM, &aam);
  t.set_all(Mn::AAD, &aad);
}

}  // namespace pc64
