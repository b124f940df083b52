// Fast system calls and the FS/GS base instructions: SYSCALL/SYSRET,
// SYSENTER/SYSEXIT, SWAPGS, RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE
// (rows: cpu/table/system.def).
//
// SYSCALL/SYSRET and SYSENTER/SYSEXIT do not read descriptors: they load
// CS and SS with fixed flat descriptors whose selectors come from MSRs
// (IA32_STAR, IA32_SYSENTER_CS), exactly as the SDM's Operation sections do
// (SDM Vol. 2B "SYSCALL", "SYSRET", "SYSENTER", "SYSEXIT"). The operating
// system is responsible for making the GDT agree.
#include "cpu/interp/ops.h"
#include "cpu/system/control_regs.h"

namespace pc64 {
namespace {

// Flat 4-GByte code (readable, accessed) and data (writable, accessed,
// B = 1) descriptors of privilege `dpl`; code is 64-bit (L) or 32-bit (D).
Segment flat_code(u16 sel, int dpl, bool long_mode) {
  const u16 a = kSegP | kSegS | kSegCode | kSegWritable | kSegAccessed | kSegG |
                (u16)(dpl << kSegDplShift) | (long_mode ? kSegL : kSegDB);
  return Segment{0, 0xffffffffu, sel, a};
}
Segment flat_data(u16 sel, int dpl) {
  const u16 a = kSegP | kSegS | kSegWritable | kSegAccessed | kSegG | kSegDB |
                (u16)(dpl << kSegDplShift);
  return Segment{0, 0xffffffffu, sel, a};
}

// SYSCALL (64-bit mode only; the row is O64 since Intel CPUs raise #UD in
// compatibility mode): RCX = next RIP, R11 = RFLAGS, RFLAGS &= ~IA32_FMASK,
// RIP = IA32_LSTAR, CS = STAR[47:32] & FFFCH, SS = STAR[47:32] + 8, CPL 0.
void syscall_(Cpu& c, const Insn&) {
  CpuState& s = c.s;
  if (!(s.efer & kEFER_SCE)) { c.raise(kExUD); return; }
  const u64 fl = c.rflags();
  const u16 sel = (u16)(s.star >> 32);
  s.gpr[RCX] = s.rip;
  s.gpr[R11] = fl;
  s.rip = s.lstar;
  s.seg[CS] = flat_code((u16)(sel & 0xfffc), 0, true);
  s.seg[SS] = flat_data((u16)(sel + 8), 0);
  s.cpl = 0;
  c.set_rflags(fl & ~s.sfmask);
  c.update_mode();
}

// SYSRET: to 64-bit mode with REX.W (RIP = RCX, which must be canonical:
// #GP(0) on Intel, before any state changes), else to compatibility mode
// (EIP = ECX). RFLAGS = (R11 & 3C7FD7H) | 2. CS = STAR[63:48] (+16 for
// 64-bit) | 3, SS = STAR[63:48] + 8 | 3, CPL 3.
void sysret(Cpu& c, const Insn& i) {
  CpuState& s = c.s;
  if (!(s.efer & kEFER_SCE)) { c.raise(kExUD); return; }
  if (s.cpl != 0) { c.raise(kExGP, 0); return; }
  const bool to64 = i.rex & 8;
  if (to64 && !is_canonical(c, s.gpr[RCX])) { c.raise(kExGP, 0); return; }
  const u16 sel = (u16)(s.star >> 48);
  s.rip = to64 ? s.gpr[RCX] : (u32)s.gpr[RCX];
  s.seg[CS] = flat_code((u16)((to64 ? sel + 16 : sel) | 3), 3, to64);
  // SS keeps the selector's RPL field forced to 3; its descriptor is flat
  // DPL 3 data (SDM Vol. 2B "SYSRET" Operation).
  s.seg[SS] = flat_data((u16)((sel + 8) | 3), 3);
  s.cpl = 3;
  c.set_rflags((s.gpr[R11] & 0x3c7fd7ull) | 2);
  c.update_mode();
}

// SYSENTER: #GP(0) in real mode or when IA32_SYSENTER_CS[15:2] = 0. Clears
// VM, IF and RF; enters CPL 0 at SYSENTER_EIP/ESP with CS = SYSENTER_CS &
// FFFCH and SS = CS + 8, 64-bit code when IA-32e mode is active.
void sysenter(Cpu& c, const Insn&) {
  CpuState& s = c.s;
  const u16 cs = (u16)s.sysenter_cs;
  if (!(s.cr0 & kCR0_PE) || (cs & 0xfffc) == 0) { c.raise(kExGP, 0); return; }
  const bool lma = s.efer & kEFER_LMA;
  s.seg[CS] = flat_code((u16)(cs & 0xfffc), 0, lma);
  s.seg[SS] = flat_data((u16)((cs & 0xfffc) + 8), 0);
  s.cpl = 0;
  s.rip = lma ? s.sysenter_eip : (u32)s.sysenter_eip;
  s.gpr[RSP] = lma ? s.sysenter_esp : (u32)s.sysenter_esp;
  c.set_rflags(c.rflags() & ~(u64)(kVM | kIF | kRF));  // recomputes the mode via VM
  c.update_mode();
}

// SYSEXIT: CPL 0 only, #GP(0) in real mode or with SYSENTER_CS[15:2] = 0.
// With REX.W: to 64-bit mode, CS = SYSENTER_CS + 32, SS = + 40, RIP = RDX,
// RSP = RCX (both must be canonical); else CS = + 16, SS = + 24, EIP = EDX,
// ESP = ECX. Both selectors get RPL 3.
void sysexit(Cpu& c, const Insn& i) {
  CpuState& s = c.s;
  const u16 cs = (u16)s.sysenter_cs;
  if (!(s.cr0 & kCR0_PE) || (cs & 0xfffc) == 0 || s.cpl != 0) { c.raise(kExGP, 0); return; }
  const bool to64 = c.mode64() && (i.rex & 8);
  if (to64 && (!is_canonical(c, s.gpr[RDX]) || !is_canonical(c, s.gpr[RCX]))) {
    c.raise(kExGP, 0);
    return;
  }
  s.seg[CS] = flat_code((u16)((cs + (to64 ? 32 : 16)) | 3), 3, to64);
  s.seg[SS] = flat_data((u16)((cs + (to64 ? 40 : 24)) | 3), 3);
  s.cpl = 3;
  s.rip = to64 ? s.gpr[RDX] : (u32)s.gpr[RDX];
  s.gpr[RSP] = to64 ? s.gpr[RCX] : (u32)s.gpr[RCX];
  c.update_mode();
}

// SWAPGS exchanges GS.base and IA32_KERNEL_GS_BASE (64-bit mode, CPL 0).
void swapgs(Cpu& c, const Insn&) {
  if (c.s.cpl != 0) { c.raise(kExGP, 0); return; }
  const u64 t = c.s.seg[GS].base;
  c.s.seg[GS].base = c.s.kernel_gs_base;
  c.s.kernel_gs_base = t;
}

// RD/WR FS/GS base: #UD unless CR4.FSGSBASE; a 32-bit operand reads the low
// half and writes the zero-extended value; a 64-bit write must be
// canonical (SDM Vol. 2B "RDFSBASE/RDGSBASE", "WRFSBASE/WRGSBASE").
template <u8 kSeg> void rdbase(Cpu& c, const Insn& i) {
  if (!(c.s.cr4 & kCR4_FSGSBASE)) { c.raise(kExUD); return; }
  c.set_reg_n(i.op[0].size, i.op[0].reg, false, c.s.seg[kSeg].base);
}

template <u8 kSeg> void wrbase(Cpu& c, const Insn& i) {
  if (!(c.s.cr4 & kCR4_FSGSBASE)) { c.raise(kExUD); return; }
  const u64 v = c.s.gpr[i.op[0].reg] & width_mask(i.op[0].size);
  if (!is_canonical(c, v)) { c.raise(kExGP, 0); return; }
  c.s.seg[kSeg].base = v;
}

}  // namespace

void bind_syscall(HandlerTable& t) {
  t.set_all(Mn::SYSCALL, &syscall_);
  t.set_all(Mn::SYSRET, &sysret);
  t.set_all(Mn::SYSENTER, &sysenter);
  t.set_all(Mn::SYSEXIT, &sysexit);
  t.set_all(Mn::SWAPGS, &swapgs);
  t.set_all(Mn::RDFSBASE, &rdbase<FS>);
  t.set_all(Mn::RDGSBASE, &rdbase<GS>);
  t.set_all(Mn::WRFSBASE, &wrbase<FS>);
  t.set_all(Mn::WRGSBASE, &wrbase<GS>);
}

}  // namespace pc64
