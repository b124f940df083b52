// Selector instructions (rows: cpu/table/system.def): SLDT, STR, LLDT, LTR,
// LAR, LSL, VERR, VERW and ARPL. Descriptor reads go through
// cpu/system/descriptors.h.
//
// All of them are #UD in real-address and virtual-8086 mode (SDM Vol. 2A/2B
// under each mnemonic, "Real-Address Mode Exceptions").
#include "cpu/interp/ops.h"
#include "cpu/system/control_regs.h"
#include "cpu/system/descriptors.h"

namespace pc64 {
namespace {

bool protected_mode(Cpu& c) {
  const CpuMode m = (CpuMode)c.s.mode;
  return (m != CpuMode::Real && m != CpuMode::V86) || c.raise(kExUD);
}

// SLDT/STR: a register destination gets the selector zero-extended to the
// operand size; memory gets 16 bits. CR4.UMIP makes them #GP(0) at CPL > 0
// (SDM Vol. 2B "SLDT", "STR").
template <bool kTr> void store_sel(Cpu& c, const Insn& i) {
  if (!protected_mode(c)) return;
  if ((c.s.cr4 & kCR4_UMIP) && c.s.cpl > 0) { c.raise(kExGP, 0); return; }
  const u16 sel = kTr ? c.s.tr.sel : c.s.ldtr.sel;
  if (i.op[0].type == OpType::Reg) c.set_reg_n(i.op[0].size, i.op[0].reg, false, sel);
  else c.write<2>(i.seg, ea(c, i), sel);
}

// ARPL (SDM Vol. 2A "ARPL"): raises the destination selector's RPL to the
// source's; ZF tells whether it changed.
void arpl(Cpu& c, const Insn& i) {
  if (!protected_mode(c)) return;
  u64 d, src = 0;
  if (!load_rmw<2>(c, i, 0, &d)) return;
  load<2>(c, i, 1, &src);
  if ((d & 3) < (src & 3)) {
    if (!store<2>(c, i, 0, (d & ~3ull) | (src & 3))) return;
    set_flags(c.s, kZF, kZF);
  } else {
    set_flags(c.s, kZF, 0);
  }
}

bool null_sel(u16 sel) { return (sel & 0xfffc) == 0; }

// IA-32e mode LDT/TSS descriptors are 16 bytes: the base must be canonical
// and the type field of the upper half (bits 12:8 of its second dword) zero
// (SDM Vol. 3A §7.2.3, Figure 7-4; Vol. 2A "LLDT", "LTR": #GP(selector)).
// Returns -1 if reading the descriptor page-faulted.
int ia32e_upper_ok(Cpu& c, u16 sel, const Descriptor& d) {
  if (!long_mode_active(c)) return 1;
  if (!is_canonical(c, d.base)) return 0;
  u32 dw3;
  if (!sys_read(c, c.s.gdtr.base + (sel & 0xfff8) + 12, &dw3, 4)) return -1;
  return ((dw3 >> 8) & 0x1f) == 0 ? 1 : 0;
}

// LLDT (SDM Vol. 2A "LLDT"): a null selector leaves LDTR unusable; otherwise
// the selector must name an LDT descriptor in the GDT (#GP(sel)), present
// (#NP(sel)). In IA-32e mode the descriptor is 16 bytes and its base must
// be canonical.
void lldt(Cpu& c, const Insn& i) {
  if (!protected_mode(c)) return;
  if (c.s.cpl != 0) { c.raise(kExGP, 0); return; }
  u64 v;
  if (!load<2>(c, i, 0, &v)) return;
  const u16 sel = (u16)v;
  if (null_sel(sel)) {
    c.s.ldtr = Segment{0, 0, sel, 0};
    return;
  }
  const u32 err = sel & 0xfffc;
  if (sel & 4) { c.raise(kExGP, err); return; }
  Descriptor d;
  if (!read_descriptor(c, sel, &d)) {
    if (!c.faulted) c.raise(kExGP, err);
    return;
  }
  if ((d.attr & kSegS) || desc_type(d.attr) != kLdtType) { c.raise(kExGP, err); return; }
  if (!(d.attr & kSegP)) { c.raise(kExNP, err); return; }
  if (const int up = ia32e_upper_ok(c, sel, d); up <= 0) {
    if (up == 0) c.raise(kExGP, err);
    return;
  }
  c.s.ldtr = Segment{d.base, d.limit, sel, d.attr};
}

// LTR (SDM Vol. 2A "LTR"): the selector must name an available TSS in the
// GDT (16-bit ones only outside IA-32e mode); LTR marks it busy in memory.
void ltr(Cpu& c, const Insn& i) {
  if (!protected_mode(c)) return;
  if (c.s.cpl != 0) { c.raise(kExGP, 0); return; }
  u64 v;
  if (!load<2>(c, i, 0, &v)) return;
  const u16 sel = (u16)v;
  if (null_sel(sel)) { c.raise(kExGP, 0); return; }
  const u32 err = sel & 0xfffc;
  if (sel & 4) { c.raise(kExGP, err); return; }
  Descriptor d;
  if (!read_descriptor(c, sel, &d)) {
    if (!c.faulted) c.raise(kExGP, err);
    return;
  }
  const u8 t = desc_type(d.attr);
  const bool avail = t == kTss32Avail || (t == kTss16Avail && !long_mode_active(c));
  if ((d.attr & kSegS) || !avail) { c.raise(kExGP, err); return; }
  if (!(d.attr & kSegP)) { c.raise(kExNP, err); return; }
  if (const int up = ia32e_upper_ok(c, sel, d); up <= 0) {
    if (up == 0) c.raise(kExGP, err);
    return;
  }
  const u8 busy = (u8)((d.hi >> 8) | 2);  // descriptor byte 5 with the busy bit
  if (!sys_write(c, c.s.gdtr.base + (sel & 0xfff8) + 5, &busy, 1)) return;
  c.s.tr = Segment{d.base, d.limit, sel, (u16)(d.attr | 2)};
}

// Reads the descriptor for LAR/LSL/VERR/VERW, which report problems through
// ZF instead of faulting. Returns 0 (ZF = 0), 1 (descriptor valid and
// visible at this CPL/RPL) or -1 (a page fault was raised).
int visible_descriptor(Cpu& c, u16 sel, Descriptor* d) {
  if (null_sel(sel)) return 0;
  if (!read_descriptor(c, sel, d)) return c.faulted ? -1 : 0;
  // Conforming code segments are visible at every privilege level.
  if (desc_conforming(d->attr)) return 1;
  const u8 dpl = desc_dpl(d->attr);
  return (dpl >= c.s.cpl && dpl >= (sel & 3)) ? 1 : 0;
}

// System descriptor types LAR and LSL accept (SDM Vol. 2A "LAR" Table 3-56,
// "LSL" Table 3-60): LAR also takes gates; IA-32e mode drops 16-bit types.
bool lar_type_ok(const Cpu& c, u16 attr, bool lsl) {
  if (attr & kSegS) return true;
  const u8 t = desc_type(attr);
  if (long_mode_active(c)) return t == kLdtType || t == kTss32Avail || t == kTss32Busy || (!lsl && t == kCallGate32);
  switch (t) {
    case kTss16Avail: case kLdtType: case kTss16Busy: case kTss32Avail: case kTss32Busy: return true;
    case kCallGate16: case kTaskGate: case kCallGate32: return !lsl;
    default: return false;
  }
}

// LAR: the access rights (descriptor dword 1 masked to 00F0FF00H; 0FF00H
// for a 16-bit operand). LSL: the byte-granular limit. ZF = 1 on success;
// the destination is unchanged otherwise.
template <bool kLsl> void lar(Cpu& c, const Insn& i) {
  if (!protected_mode(c)) return;
  u64 v;
  if (!load<2>(c, i, 1, &v)) return;
  Descriptor d;
  const int ok = visible_descriptor(c, (u16)v, &d);
  if (ok < 0) return;
  if (ok == 0 || !lar_type_ok(c, d.attr, kLsl)) {
    set_flags(c.s, kZF, 0);
    return;
  }
  const u64 r = kLsl ? d.limit : (d.hi & 0x00f0ff00u);
  c.set_reg_n(i.op[0].size, i.op[0].reg, false, r);
  set_flags(c.s, kZF, kZF);
}

// VERR/VERW (SDM Vol. 2B "VERR/VERW"): ZF = 1 if the segment is readable
// (code with R, or data) / writable (data with W) at this CPL and RPL.
template <bool kWrite> void verr(Cpu& c, const Insn& i) {
  if (!protected_mode(c)) return;
  u64 v;
  if (!load<2>(c, i, 0, &v)) return;
  Descriptor d;
  const int ok = visible_descriptor(c, (u16)v, &d);
  if (ok < 0) return;
  bool good = ok == 1 && (d.attr & kSegS);
  if (good) {
    const bool code = d.attr & kSegCode, rw = d.attr & kSegWritable;
    good = kWrite ? (!code && rw) : (!code || rw);
  }
  set_flags(c.s, kZF, good ? (u64)kZF : 0);
}

}  // namespace

void bind_system_seg(HandlerTable& t) {
  t.set_all(Mn::SLDT, &store_sel<false>);
  t.set_all(Mn::STR, &store_sel<true>);
  t.set_all(Mn::ARPL, &arpl);
  t.set_all(Mn::LLDT, &lldt);
  t.set_all(Mn::LTR, &ltr);
  t.set_all(Mn::LAR, &lar<false>);
  t.set_all(Mn::LSL, &lar<true>);
  t.set_all(Mn::VERR, &verr<false>);
  t.set_all(Mn::VERW, &verr<true>);
}

}  // namespace pc64
