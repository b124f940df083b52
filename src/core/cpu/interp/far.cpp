// Far control transfers and software interrupts: JMPF, CALLF, RETF, IRET,
// INT n, INT3, INTO, INT1 (SDM Vol. 2A/2B; Vol. 3A §5.8 privilege checks for
// control transfers, §6.12 interrupts, §7.3 task switching).
//
// Like every handler these do all faultable work (descriptor reads, stack
// reads and the writes of a new frame) before committing anything, so a
// fault leaves the registers of the transferring instruction intact.
// Rows: cpu/table/control.def.
#include "cpu/interp/ops.h"
#include "cpu/system/control_regs.h"
#include "cpu/system/system.h"

namespace pc64 {
namespace {

bool real_like(const Cpu& c) { return c.s.mode == (u8)CpuMode::Real || c.s.mode == (u8)CpuMode::V86; }
bool is64_code(const Cpu& c, u16 attr) { return long_mode_active(c) && (attr & kSegL); }

// Checks a target offset against the new code segment: the limit, or the
// canonical form for a 64-bit code segment.
bool check_offset(Cpu& c, u16 attr, u32 limit, u64 off) {
  if (is64_code(c, attr)) return is_canonical(c, off) || c.raise(kExGP, 0);
  return off <= limit || c.raise(kExGP, 0);
}

StackBuilder current_stack(Cpu& c) {
  return StackBuilder{c, c.s.seg[SS], c.s.gpr[RSP], c.stack_width(), c.s.cpl, kExSS, 0};
}

void commit_sp(Cpu& c, const StackBuilder& sb) { c.set_reg_n(sb.sp_width, RSP, false, sb.sp); }

// ---- software interrupts ----

// With stop_on_exception (differential tester, unit tests) the trap stops
// the run loop as before; otherwise it is delivered at once.
void soft_int(Cpu& c, u8 vec, IntKind kind) {
  if (c.stop_on_exception) {
    c.raise_trap(vec);
    return;
  }
  c.interrupt(vec, kind);
}

void int3(Cpu& c, const Insn&) { soft_int(c, kExBP, IntKind::Software); }
// INT1 (ICEBP) is delivered like a hardware #DB: no gate DPL check.
void int1(Cpu& c, const Insn&) { soft_int(c, kExDB, IntKind::Icebp); }
void into(Cpu& c, const Insn&) {
  if (get_of(c.s)) soft_int(c, kExOF, IntKind::Software);
}
constexpr u64 kCR4_VME = 1u << 0;

// Virtual-8086 mode with CR4.VME: the TSS interrupt redirection bitmap (the
// 32 bytes below the I/O map base) says whether INT n goes to the 8086
// program's own IVT. Returns false after raising a fault; *redirect is set
// when the bit is clear (SDM Vol. 3A §20.3.3.5, Table 20-2).
bool vme_redirected(Cpu& c, u8 vec, bool* redirect) {
  const Segment& tr = c.s.tr;
  if (tr.limit < 0x67) return c.raise(kExGP, 0);
  bool ok;
  const u32 iomap = (u32)sys_read_n(c, tr.base + 0x66, 2, &ok);
  if (!ok) return false;
  const u32 byte = iomap - 32 + vec / 8;
  if (iomap < 32 || byte > tr.limit) return c.raise(kExGP, 0);
  const u8 bits = (u8)sys_read_n(c, tr.base + byte, 1, &ok);
  if (!ok) return false;
  *redirect = !((bits >> (vec & 7)) & 1);
  return true;
}

// Methods 5 and 6 of Table 20-2: through the IVT at linear 0 of the V86
// task. With IOPL < 3 the pushed FLAGS carry VIF in the IF position and
// IOPL = 3, and VIF (not IF) is cleared.
bool v86_redirect(Cpu& c, u8 vec) {
  u32 vecp;
  if (!sys_read(c, (u64)vec * 4, &vecp, 4, 3)) return false;
  const bool iopl3 = ((c.s.rflags & kIOPL) >> 12) == 3;
  u64 fl = c.rflags() & 0xffff;
  if (!iopl3) fl = (fl & ~(u64)kIF) | ((c.s.rflags & kVIF) ? kIF : 0) | kIOPL;
  StackBuilder sb = current_stack(c);
  if (!sb.push(2, fl) || !sb.push(2, c.s.seg[CS].sel) || !sb.push(2, c.s.rip)) return false;
  commit_sp(c, sb);
  c.set_rflags(c.rflags() & ~(u64)(kTF | (iopl3 ? kIF : kVIF)));
  load_real_segment(c, CS, (u16)(vecp >> 16));
  c.s.rip = vecp & 0xffff;
  return true;
}

// INT n in virtual-8086 mode is IOPL-sensitive, and with CR4.VME may be
// redirected to the 8086 program's handler (SDM Vol. 3A §20.3.3).
void int_n(Cpu& c, const Insn& i) {
  const u8 vec = (u8)i.imm;
  if (c.s.mode == (u8)CpuMode::V86) {
    const bool iopl3 = ((c.s.rflags & kIOPL) >> 12) == 3;
    if (c.s.cr4 & kCR4_VME) {
      bool redirect;
      if (!vme_redirected(c, vec, &redirect)) return;
      if (redirect) {
        v86_redirect(c, vec);
        return;
      }
    }
    if (!iopl3) {
      c.raise(kExGP, 0);
      return;
    }
  }
  soft_int(c, vec, IntKind::Software);
}

// ---- far pointers ----

bool far_operand(Cpu& c, const Insn& i, u16* sel, u64* off) {
  if (i.op[0].type == OpType::Imm) {  // Ap
    *off = i.imm & width_mask(i.opsize);
    *sel = (u16)i.imm2;
    return true;
  }
  const u64 a = ea(c, i);
  u64 o, s;
  bool ok;
  switch (i.opsize) {
    case 2: ok = c.read<2>(i.seg, a, &o); break;
    case 4: ok = c.read<4>(i.seg, a, &o); break;
    default: ok = c.read<8>(i.seg, a, &o); break;
  }
  if (!ok || !c.read<2>(i.seg, (a + i.opsize) & width_mask(i.asize), &s)) return false;
  *off = o;
  *sel = (u16)s;
  return true;
}

// Segment registers a return to an outer level may not keep (SDM Vol. 2A
// "RET", "IRET": data or non-conforming code segments with DPL < new CPL).
void null_inaccessible(Cpu& c) {
  static constexpr u8 kData[4] = {ES, DS, FS, GS};
  for (u8 sr : kData) {
    const u16 a = c.s.seg[sr].attr;
    if ((c.s.seg[sr].sel & 0xfffc) == 0 && !(a & kSegP)) continue;
    if ((desc_is_data(a) || !desc_conforming(a)) && desc_dpl(a) < c.s.cpl) load_null_segment(c, sr, 0);
  }
}

// ---- call gates (SDM Vol. 3A §5.8.3-5.8.6) ----

bool through_call_gate(Cpu& c, u16 gsel, const Descriptor& g, bool call) {
  const u8 gdpl = desc_dpl(g.attr);
  const bool lma = long_mode_active(c);
  // The upper half of a 16-byte IA-32e gate has a type field (bits 12:8 of
  // its last dword) that must be 0, so it is never mistaken for a legacy
  // descriptor (SDM Vol. 3A §5.8.3.1; #GP(gate selector), §6.15 Int 13).
  if (lma && ((g.hi3 >> 8) & 0x1f) != 0) return c.raise(kExGP, gsel & 0xfffc);
  if (gdpl < c.s.cpl || gdpl < (gsel & 3)) return c.raise(kExGP, gsel & 0xfffc);
  if (!(g.attr & kSegP)) return c.raise(kExNP, gsel & 0xfffc);
  const bool gate32 = desc_type(g.attr) == kCallGate32;
  const u16 csel = (u16)(g.lo >> 16);
  u64 off = (g.lo & 0xffff) | (gate32 ? (g.hi & 0xffff0000u) : 0);
  if (lma) off |= (u64)g.hi2 << 32;
  if ((csel & 0xfffc) == 0) return c.raise(kExGP, 0);
  Descriptor cd;
  if (!read_descriptor(c, csel, &cd)) return c.faulted ? false : c.raise(kExGP, csel & 0xfffc);
  const u8 dpl = desc_dpl(cd.attr);
  const bool conf = desc_conforming(cd.attr);
  if (!desc_is_code(cd.attr) || dpl > c.s.cpl || (!call && !conf && dpl != c.s.cpl))
    return c.raise(kExGP, csel & 0xfffc);
  if (!(cd.attr & kSegP)) return c.raise(kExNP, csel & 0xfffc);
  if (lma && (!(cd.attr & kSegL) || (cd.attr & kSegDB))) return c.raise(kExGP, csel & 0xfffc);
  const bool inter = call && !conf && dpl < c.s.cpl;
  const int ps = lma ? 8 : (gate32 ? 4 : 2);
  const u8 new_cpl = inter ? dpl : c.s.cpl;
  StackBuilder sb = current_stack(c);
  u16 new_ss = 0;
  Descriptor sd{};
  if (inter) {
    const u64 old_sp = c.s.gpr[RSP] & width_mask(c.stack_width());
    if (lma) {
      u64 sp;
      if (!tss64_stack(c, 4 + dpl * 8, false, &sp)) return false;
      sb.ss = c.s.seg[SS];
      sb.sp = sp;
      sb.sp_width = 8;
    } else {
      u64 sp;
      if (!tss_stack(c, dpl, false, &new_ss, &sp)) return false;
      if (!check_stack_ss(c, new_ss, dpl, false, &sd)) return false;
      sb.ss = Segment{sd.base, sd.limit, new_ss, sd.attr};
      sb.sp_width = (sd.attr & kSegDB) ? 4 : 2;
      sb.sp = sp & width_mask(sb.sp_width);
      sb.fault_err = new_ss & 0xfffc;
    }
    sb.cpl = dpl;
    if (!sb.push(ps, c.s.seg[SS].sel) || !sb.push(ps, old_sp)) return false;
    // Parameter copy: the gate's count of words/dwords (32-bit only; SDM Vol. 3A §5.8.5).
    const u32 count = lma ? 0 : (g.hi & 0x1f);
    for (u32 k = count; k-- > 0;) {
      u64 v;
      if (!c.peek(ps, (u64)k * ps, &v) || !sb.push(ps, v)) return false;
    }
  }
  if (call && (!sb.push(ps, c.s.seg[CS].sel) || !sb.push(ps, c.s.rip))) return false;
  if (!lma) off &= gate32 ? 0xffffffffull : 0xffff;
  if (!check_offset(c, cd.attr, cd.limit, off)) return false;
  // ---- commit ----
  load_segment(c, CS, (u16)((csel & ~3) | new_cpl), cd);
  if (inter) {
    if (lma) load_null_segment(c, SS, new_cpl);
    else load_segment(c, SS, new_ss, sd);
  }
  if (call) commit_sp(c, sb);
  c.s.rip = off;
  return true;
}

// Protected-mode far JMP/CALL (SDM Vol. 2A "CALL", "JMP").
bool far_transfer(Cpu& c, const Insn& i, u16 sel, u64 off, bool call) {
  if ((sel & 0xfffc) == 0) return c.raise(kExGP, 0);
  Descriptor d;
  if (!read_descriptor(c, sel, &d)) return c.faulted ? false : c.raise(kExGP, sel & 0xfffc);
  const u16 err = sel & 0xfffc;
  if (desc_is_code(d.attr)) {
    const u8 dpl = desc_dpl(d.attr);
    // L = D = 1 is checked first (Vol. 2A "JMP"/"CALL", CONFORMING- and
    // NONCONFORMING-CODE-SEGMENT), then privilege, then presence.
    if (long_mode_active(c) && (d.attr & kSegL) && (d.attr & kSegDB)) return c.raise(kExGP, err);
    if (desc_conforming(d.attr) ? dpl > c.s.cpl : ((sel & 3) > c.s.cpl || dpl != c.s.cpl))
      return c.raise(kExGP, err);
    if (!(d.attr & kSegP)) return c.raise(kExNP, err);
    StackBuilder sb = current_stack(c);
    if (call && (!sb.push(i.opsize, c.s.seg[CS].sel) || !sb.push(i.opsize, c.s.rip))) return false;
    if (!check_offset(c, d.attr, d.limit, off)) return false;
    load_segment(c, CS, (u16)((sel & ~3) | c.s.cpl), d);
    if (call) commit_sp(c, sb);
    c.s.rip = off;
    return true;
  }
  if (d.attr & kSegS) return c.raise(kExGP, err);
  const u8 t = desc_type(d.attr);
  const bool lma = long_mode_active(c);
  if (t == kCallGate32 || (t == kCallGate16 && !lma)) return through_call_gate(c, sel, d, call);
  if (!lma && (t == kTaskGate || t == kTss16Avail || t == kTss32Avail))
    return far_task_switch(c, sel, d, call);
  return c.raise(kExGP, err);
}

void jmpf(Cpu& c, const Insn& i) {
  u16 sel;
  u64 off;
  if (!far_operand(c, i, &sel, &off)) return;
  if (real_like(c)) {
    if (off > c.s.seg[CS].limit) return (void)c.raise(kExGP, 0);
    load_real_segment(c, CS, sel);
    c.s.rip = off;
    return;
  }
  far_transfer(c, i, sel, off, false);
}

void callf(Cpu& c, const Insn& i) {
  u16 sel;
  u64 off;
  if (!far_operand(c, i, &sel, &off)) return;
  if (real_like(c)) {
    StackBuilder sb = current_stack(c);
    if (!sb.push(i.opsize, c.s.seg[CS].sel) || !sb.push(i.opsize, c.s.rip)) return;
    if (off > c.s.seg[CS].limit) return (void)c.raise(kExGP, 0);
    load_real_segment(c, CS, sel);
    commit_sp(c, sb);
    c.s.rip = off;
    return;
  }
  far_transfer(c, i, sel, off, true);
}

// Validates the CS selector of a far return (SDM Vol. 2B "RET", "IRET").
bool check_return_cs(Cpu& c, u16 sel, Descriptor* d) {
  if ((sel & 0xfffc) == 0) return c.raise(kExGP, 0);
  const u16 err = sel & 0xfffc;
  if (!read_descriptor(c, sel, d)) return c.faulted ? false : c.raise(kExGP, err);
  const u8 rpl = sel & 3, dpl = desc_dpl(d->attr);
  if (!desc_is_code(d->attr) || rpl < c.s.cpl) return c.raise(kExGP, err);
  if (desc_conforming(d->attr) ? dpl > rpl : dpl != rpl) return c.raise(kExGP, err);
  if (!(d->attr & kSegP)) return c.raise(kExNP, err);
  if (long_mode_active(c) && (d->attr & kSegL) && (d->attr & kSegDB)) return c.raise(kExGP, err);
  return true;
}

// Validates the SS of a return to an outer level. A null SS is allowed only
// for a 64-bit target at CPL < 3 (SDM Vol. 2A "IRET" and "RET", IA-32e mode).
bool check_return_ss(Cpu& c, u16 ss, u8 rpl, const Descriptor& cd, Descriptor* sd, bool* null_ss) {
  *null_ss = false;
  if ((ss & 0xfffc) == 0) {
    if (is64_code(c, cd.attr) && rpl != 3) {
      *null_ss = true;
      return true;
    }
    return c.raise(kExGP, 0);
  }
  const u16 err = ss & 0xfffc;
  if (!read_descriptor(c, ss, sd)) return c.faulted ? false : c.raise(kExGP, err);
  if ((ss & 3) != rpl || desc_dpl(sd->attr) != rpl || !desc_is_data(sd->attr) || !(sd->attr & kSegWritable))
    return c.raise(kExGP, err);
  if (!(sd->attr & kSegP)) return c.raise(kExSS, err);
  return true;
}

void retf(Cpu& c, const Insn& i) {
  const int ps = i.opsize;
  const u64 release = i.nops ? (i.imm & 0xffff) : 0;
  u64 off, sel;
  if (!c.peek(ps, 0, &off) || !c.peek(2, ps, &sel)) return;
  const int sw = c.stack_width();
  if (real_like(c)) {
    if (off > c.s.seg[CS].limit) return (void)c.raise(kExGP, 0);
    load_real_segment(c, CS, (u16)sel);
    c.set_reg_n(sw, RSP, false, (c.s.gpr[RSP] + 2 * ps + release) & width_mask(sw));
    c.s.rip = off;
    return;
  }
  Descriptor cd;
  if (!check_return_cs(c, (u16)sel, &cd)) return;
  const u8 rpl = sel & 3;
  if (rpl == c.s.cpl) {
    if (!check_offset(c, cd.attr, cd.limit, off)) return;
    load_segment(c, CS, (u16)sel, cd);
    c.set_reg_n(sw, RSP, false, (c.s.gpr[RSP] + 2 * ps + release) & width_mask(sw));
    c.s.rip = off;
    return;
  }
  u64 nsp, nss;
  if (!c.peek(ps, 2 * ps + release, &nsp) || !c.peek(2, 3 * ps + release, &nss)) return;
  Descriptor sd{};
  bool null_ss;
  if (!check_return_ss(c, (u16)nss, rpl, cd, &sd, &null_ss)) return;
  if (!check_offset(c, cd.attr, cd.limit, off)) return;
  // ---- commit ----
  load_segment(c, CS, (u16)sel, cd);
  if (null_ss) load_null_segment(c, SS, (u16)nss);
  else load_segment(c, SS, (u16)nss, sd);
  const int nsw = c.stack_width();
  c.set_reg_n(nsw, RSP, false, (nsp + release) & width_mask(nsw));
  null_inaccessible(c);
  c.s.rip = off;
}

// ---- IRET ----

// The RFLAGS bits IRET may load (SDM Vol. 2A "IRET" pseudo-code), by the
// CPL and IOPL before the return and the operand size.
u64 iret_flag_mask(const Cpu& c, int ps) {
  u64 m = kArithFlags | kTF | kDF | kNT;
  if (ps >= 4) m |= kRF | kAC | kID;
  const u8 iopl = (c.s.rflags & kIOPL) >> 12;
  if (c.s.cpl <= iopl) m |= kIF;
  if (c.s.cpl == 0) {
    m |= kIOPL;
    if (ps >= 4) m |= kVIF | kVIP;
  }
  if (ps == 2) m &= 0xffff;
  return m;
}

void iret_real(Cpu& c, int ps) {
  u64 off, sel, fl;
  if (!c.peek(ps, 0, &off) || !c.peek(2, ps, &sel) || !c.peek(ps, 2 * ps, &fl)) return;
  const bool v86 = c.s.mode == (u8)CpuMode::V86;
  if (v86 && ((c.s.rflags & kIOPL) >> 12) < 3) {
    // CR4.VME with a 16-bit operand size: IF goes to VIF instead (SDM Vol. 2A
    // "IRET", Vol. 3A §20.3.3.4); #GP if that would unmask a pending
    // virtual interrupt, or set TF.
    if (!(c.s.cr4 & kCR4_VME) || ps != 2) return (void)c.raise(kExGP, 0);
    if (((c.s.rflags & kVIP) && (fl & kIF)) || (fl & kTF)) return (void)c.raise(kExGP, 0);
    if (off > c.s.seg[CS].limit) return (void)c.raise(kExGP, 0);
    const u64 keep = ~0xffffull | kIOPL | kIF;
    u64 nf = (c.rflags() & keep) | (fl & ~keep);
    nf = (nf & ~(u64)kVIF) | ((fl & kIF) ? kVIF : 0);
    const int sw = c.stack_width();
    c.set_reg_n(sw, RSP, false, (c.s.gpr[RSP] + 3 * ps) & width_mask(sw));
    c.set_rflags(nf);
    load_real_segment(c, CS, (u16)sel);
    c.s.rip = off;
    return;
  }
  if (off > c.s.seg[CS].limit) return (void)c.raise(kExGP, 0);
  u64 keep;
  if (ps == 4) keep = v86 ? (kVM | kIOPL | kVIP | kVIF) : (kVM | kVIP | kVIF);  // 1A0000H and IOPL in V86
  else keep = ~0xffffull | (v86 ? (u64)kIOPL : 0ull);
  if (ps == 4 && !v86) fl &= 0x257fd5;
  const u64 nf = (c.rflags() & keep) | (fl & ~keep);
  const int sw = c.stack_width();
  c.set_reg_n(sw, RSP, false, (c.s.gpr[RSP] + 3 * ps) & width_mask(sw));
  c.set_rflags(nf);
  load_real_segment(c, CS, (u16)sel);
  c.s.rip = off;
}

// IRET from CPL 0 with VM set in the popped EFLAGS (SDM Vol. 2A "IRET",
// RETURN-TO-VIRTUAL-8086-MODE).
void iret_to_v86(Cpu& c, u64 off, u64 sel, u64 fl) {
  u64 v[6];  // ESP SS ES DS FS GS
  for (int k = 0; k < 6; ++k)
    if (!c.peek(4, 12 + 4 * k, &v[k])) return;
  c.set_rflags(fl);  // VM = 1: mode becomes V86
  c.s.cpl = 3;
  load_real_segment(c, CS, (u16)sel);
  load_real_segment(c, SS, (u16)v[1]);
  load_real_segment(c, ES, (u16)v[2]);
  load_real_segment(c, DS, (u16)v[3]);
  load_real_segment(c, FS, (u16)v[4]);
  load_real_segment(c, GS, (u16)v[5]);
  c.s.gpr[RSP] = (u32)v[0];
  c.s.rip = off & 0xffff;
}

void iret(Cpu& c, const Insn& i) {
  const int ps = i.opsize;
  if (real_like(c)) return iret_real(c, ps);
  const bool lma = long_mode_active(c);
  if (c.s.rflags & kNT) {
    if (lma) return (void)c.raise(kExGP, 0);
    task_return(c);
    return;
  }
  u64 off, sel, fl;
  if (!c.peek(ps, 0, &off) || !c.peek(2, ps, &sel) || !c.peek(ps, 2 * ps, &fl)) return;
  if (!lma && (fl & kVM) && c.s.cpl == 0 && ps == 4) return iret_to_v86(c, off, sel, fl);
  Descriptor cd;
  if (!check_return_cs(c, (u16)sel, &cd)) return;
  const u8 rpl = sel & 3;
  // 64-bit mode always pops SS:RSP (SDM Vol. 2A "IRET", IA-32e-MODE).
  const bool outer = rpl > c.s.cpl || c.mode64();
  u64 nsp = 0, nss = 0;
  Descriptor sd{};
  bool null_ss = false;
  if (outer) {
    if (!c.peek(ps, 3 * ps, &nsp) || !c.peek(2, 4 * ps, &nss)) return;
    if (!check_return_ss(c, (u16)nss, rpl, cd, &sd, &null_ss)) return;
  }
  if (!check_offset(c, cd.attr, cd.limit, off)) return;
  // ---- commit ----
  const u64 m = iret_flag_mask(c, ps);
  const u64 nf = (c.rflags() & ~m) | (fl & m);
  const int sw = c.stack_width();
  const u64 sp_after = (c.s.gpr[RSP] + 3 * ps) & width_mask(sw);
  load_segment(c, CS, (u16)sel, cd);
  c.set_rflags(nf);
  if (outer) {
    if (null_ss) load_null_segment(c, SS, (u16)nss);
    else load_segment(c, SS, (u16)nss, sd);
    if (c.mode64()) c.s.gpr[RSP] = nsp;
    else c.set_reg_n(c.stack_width(), RSP, false, nsp);
    null_inaccessible(c);
  } else {
    c.set_reg_n(sw, RSP, false, sp_after);
  }
  c.s.rip = off;
}

}  // namespace

void bind_far(HandlerTable& t) {
  t.set_all(Mn::INT3, &int3);
  t.set_all(Mn::INT1, &int1);
  t.set_all(Mn::INT, &int_n);
  t.set_all(Mn::INTO, &into);
  t.set_all(Mn::JMPF, &jmpf);
  t.set_all(Mn::CALLF, &callf);
  t.set_all(Mn::RETF, &retf);
  t.set_all(Mn::IRET, &iret);
}

}  // namespace pc64
