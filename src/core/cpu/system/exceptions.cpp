// Exception and interrupt delivery (SDM Vol. 3A ch. 6).
//
// Every event (fault, trap, software INT n, external interrupt) goes through
// Cpu::interrupt(), which picks the real-mode IVT, the protected-mode IDT or
// the IA-32e IDT. Delivery is transactional like an instruction: every read
// and every stack write happens before any register is committed, so a fault
// during delivery leaves the state of the interrupted code intact and is then
// itself delivered, or promoted to #DF (SDM Vol. 3A §6.15 "Interrupt 8",
// Table 6-5), or, during #DF delivery, to shutdown.
#include "cpu/cpu.h"
#include "cpu/system/control_regs.h"
#include "cpu/system/descriptors.h"
#include "cpu/system/system.h"

namespace pc64 {
namespace {

enum class Cls : u8 { Benign, Contributory, PageFault, DoubleFault };

// SDM Vol. 3A Table 6-4.
Cls classify(u8 v) {
  switch (v) {
    case kExDE: case kExTS: case kExNP: case kExSS: case kExGP: return Cls::Contributory;
    case kExPF: return Cls::PageFault;
    case kExDF: return Cls::DoubleFault;
    default: return Cls::Benign;
  }
}

struct Event {
  u8 vec;
  IntKind kind;
  bool has_err;
  u32 err;
};

// RFLAGS image pushed for the event: faults save RF = 1 so that the
// faulting instruction's breakpoint does not fire again on return (SDM
// Vol. 3A §17.3.1.1); instruction-breakpoint #DB faults are left alone.
u64 saved_flags(const Cpu& c, const Event& e) {
  u64 f = c.rflags();
  if (e.kind == IntKind::Fault && e.vec != kExDB) f |= kRF;
  return f;
}

// Real-address mode: the IVT holds 4-byte IP:CS vectors (SDM Vol. 3A §20.1.4).
bool deliver_real(Cpu& c, const Event& e) {
  const u32 off = (u32)e.vec * 4;
  if (off + 3 > c.s.idtr.limit) return c.raise(kExGP, 0);
  u32 vecp;
  if (!sys_read(c, c.s.idtr.base + off, &vecp, 4)) return false;
  StackBuilder sb{c, c.s.seg[SS], c.s.gpr[RSP], c.s.stack_size, c.s.cpl, kExSS, 0};
  if (!sb.push(2, c.rflags()) || !sb.push(2, c.s.seg[CS].sel) || !sb.push(2, c.s.rip)) return false;
  c.set_reg_n(sb.sp_width, RSP, false, sb.sp);
  c.set_rflags(c.rflags() & ~(u64)(kIF | kTF | kAC));
  load_real_segment(c, CS, (u16)(vecp >> 16));
  c.s.rip = vecp & 0xffff;
  return true;
}

bool deliver_protected(Cpu& c, const Event& e, bool ext) {
  const u32 idt_err = (u32)e.vec * 8 + 2 + (ext ? 1 : 0);
  if ((u32)e.vec * 8 + 7 > c.s.idtr.limit) return c.raise(kExGP, idt_err);
  u32 raw[2];
  if (!sys_read(c, c.s.idtr.base + (u32)e.vec * 8, raw, 8)) return false;
  const Descriptor g = decode_descriptor(raw[0], raw[1]);
  const u8 t = desc_type(g.attr);
  const bool valid = t == kTaskGate || t == kIntGate16 || t == kTrapGate16 || t == kIntGate32 || t == kTrapGate32;
  if ((g.attr & kSegS) || !valid) return c.raise(kExGP, idt_err);
  // Software interrupts check the gate DPL (SDM Vol. 3A §6.12.1.1).
  if (e.kind == IntKind::Software && desc_dpl(g.attr) < c.s.cpl) return c.raise(kExGP, (u32)e.vec * 8 + 2);
  if (!(g.attr & kSegP)) return c.raise(kExNP, idt_err);
  if (t == kTaskGate) return task_gate_interrupt(c, (u16)(raw[0] >> 16), e.has_err, e.err, ext);
  const bool gate32 = t & 8;
  const int ps = gate32 ? 4 : 2;
  const u16 csel = (u16)(raw[0] >> 16);
  const u32 target = (raw[0] & 0xffff) | (gate32 ? (raw[1] & 0xffff0000u) : 0);
  Descriptor cd;
  if (!check_target_cs(c, csel, ext, &cd)) return false;
  const u8 dpl = desc_dpl(cd.attr);
  const bool vm = c.s.rflags & kVM;
  const bool inter = !desc_conforming(cd.attr) && dpl < c.s.cpl;
  // From virtual-8086 mode the handler must be a non-conforming DPL-0
  // segment (SDM Vol. 3A §20.3.1.1).
  if (vm && (!inter || dpl != 0)) return c.raise(kExGP, sel_err(csel, ext));
  const u64 flags = saved_flags(c, e);
  StackBuilder sb{c, c.s.seg[SS], c.s.gpr[RSP], c.s.stack_size, c.s.cpl, kExSS, (u16)(ext ? 1 : 0)};
  u16 new_ss = 0;
  Descriptor sd{};
  if (inter) {
    u64 sp;
    if (!tss_stack(c, dpl, ext, &new_ss, &sp)) return false;
    if (!check_stack_ss(c, new_ss, dpl, ext, &sd)) return false;
    sb.ss = Segment{sd.base, sd.limit, new_ss, sd.attr};
    sb.sp = sp & ((sd.attr & kSegDB) ? 0xffffffffull : 0xffff);
    sb.sp_width = (sd.attr & kSegDB) ? 4 : 2;
    sb.cpl = dpl;
    sb.fault_err = (u16)sel_err(new_ss, ext);
    if (vm) {
      static constexpr u8 kPushOrder[4] = {GS, FS, DS, ES};
      for (u8 sr : kPushOrder)
        if (!sb.push(ps, c.s.seg[sr].sel)) return false;
    }
    if (!sb.push(ps, c.s.seg[SS].sel) || !sb.push(ps, c.s.gpr[RSP])) return false;
  }
  if (!sb.push(ps, flags) || !sb.push(ps, c.s.seg[CS].sel) || !sb.push(ps, c.s.rip)) return false;
  if (e.has_err && !sb.push(ps, e.err)) return false;
  if (target > cd.limit) return c.raise(kExGP, ext ? 1 : 0);
  // ---- commit ----
  u64 nf = c.rflags() & ~(u64)(kTF | kNT | kRF | kVM);
  if (!(t & 1)) nf &= ~(u64)kIF;  // interrupt gate
  c.set_rflags(nf);
  if (inter) {
    if (vm)
      for (u8 sr = ES; sr <= GS; ++sr)
        if (sr != CS && sr != SS) load_null_segment(c, sr, 0);
    load_segment(c, SS, new_ss, sd);
  }
  load_segment(c, CS, (u16)((csel & ~3) | (inter ? dpl : c.s.cpl)), cd);
  c.set_reg_n(sb.sp_width, RSP, false, sb.sp);
  c.s.rip = target;
  return true;
}

// IA-32e mode: 16-byte gates, 64-bit frames, IST (SDM Vol. 3A §6.14).
bool deliver_long(Cpu& c, const Event& e, bool ext) {
  const u32 idt_err = (u32)e.vec * 8 + 2 + (ext ? 1 : 0);
  if ((u32)e.vec * 16 + 15 > c.s.idtr.limit) return c.raise(kExGP, idt_err);
  u32 raw[4];
  if (!sys_read(c, c.s.idtr.base + (u32)e.vec * 16, raw, 16)) return false;
  const Descriptor g = decode_descriptor(raw[0], raw[1]);
  const u8 t = desc_type(g.attr);
  if ((g.attr & kSegS) || (t != kIntGate32 && t != kTrapGate32)) return c.raise(kExGP, idt_err);
  if (e.kind == IntKind::Software && desc_dpl(g.attr) < c.s.cpl) return c.raise(kExGP, (u32)e.vec * 8 + 2);
  if (!(g.attr & kSegP)) return c.raise(kExNP, idt_err);
  const u16 csel = (u16)(raw[0] >> 16);
  const u64 target = (raw[0] & 0xffff) | (raw[1] & 0xffff0000u) | ((u64)raw[2] << 32);
  const u8 ist = raw[1] & 7;
  Descriptor cd;
  if (!check_target_cs(c, csel, ext, &cd)) return false;
  if (!(cd.attr & kSegL) || (cd.attr & kSegDB)) return c.raise(kExGP, sel_err(csel, ext));
  const u8 dpl = desc_dpl(cd.attr);
  const bool inter = !desc_conforming(cd.attr) && dpl < c.s.cpl;
  const u8 new_cpl = inter ? dpl : c.s.cpl;
  u64 sp = c.s.gpr[RSP];
  if (!c.mode64()) sp &= width_mask(c.s.stack_size);
  if (inter || ist) {
    if (!tss64_stack(c, ist ? 36 + (ist - 1) * 8 : 4 + dpl * 8, ext, &sp)) return false;
  }
  sp &= ~15ull;  // the frame is 16-byte aligned (SDM Vol. 3A §6.14.2)
  const u64 flags = saved_flags(c, e);
  StackBuilder sb{c, c.s.seg[SS], sp, 8, new_cpl, kExSS, (u16)(ext ? 1 : 0)};
  if (!sb.push(8, c.s.seg[SS].sel) || !sb.push(8, c.s.gpr[RSP] & (c.mode64() ? ~0ull : width_mask(c.s.stack_size))) ||
      !sb.push(8, flags) || !sb.push(8, c.s.seg[CS].sel) || !sb.push(8, c.s.rip))
    return false;
  if (e.has_err && !sb.push(8, e.err)) return false;
  if (!is_canonical(c, target)) return c.raise(kExGP, ext ? 1 : 0);
  // ---- commit ----
  u64 nf = c.rflags() & ~(u64)(kTF | kNT | kRF | kVM);
  if (!(t & 1)) nf &= ~(u64)kIF;
  c.set_rflags(nf);
  load_segment(c, CS, (u16)((csel & ~3) | new_cpl), cd);
  // A privilege change loads SS with a null selector whose RPL is the new CPL.
  if (inter) load_null_segment(c, SS, new_cpl);
  c.s.gpr[RSP] = sb.sp;
  c.s.rip = target;
  return true;
}

bool deliver(Cpu& c, const Event& e, bool ext) {
  if (!(c.s.cr0 & 1)) return deliver_real(c, e);
  if (long_mode_active(c)) return deliver_long(c, e, ext);
  return deliver_protected(c, e, ext);
}

}  // namespace

// ---- helpers shared with far.cpp ----

bool tss_stack(Cpu& c, u8 dpl, bool ext, u16* ss, u64* sp) {
  const Segment& tr = c.s.tr;
  const u32 terr = sel_err(tr.sel, ext);
  bool ok;
  if (desc_type(tr.attr) & 8) {  // 32-bit TSS: ESPn at 4 + 8n, SSn at 8 + 8n
    const u32 off = 4 + dpl * 8u;
    if (off + 5 > tr.limit) return c.raise(kExTS, terr);
    *sp = sys_read_n(c, tr.base + off, 4, &ok);
    if (!ok) return false;
    *ss = (u16)sys_read_n(c, tr.base + off + 4, 2, &ok);
  } else {  // 16-bit TSS: SPn at 2 + 4n, SSn at 4 + 4n
    const u32 off = 2 + dpl * 4u;
    if (off + 3 > tr.limit) return c.raise(kExTS, terr);
    *sp = sys_read_n(c, tr.base + off, 2, &ok);
    if (!ok) return false;
    *ss = (u16)sys_read_n(c, tr.base + off + 2, 2, &ok);
  }
  return ok;
}

bool tss64_stack(Cpu& c, u32 off, bool ext, u64* sp) {
  if (off + 7 > c.s.tr.limit) return c.raise(kExTS, sel_err(c.s.tr.sel, ext));
  bool ok;
  *sp = sys_read_n(c, c.s.tr.base + off, 8, &ok);
  return ok;
}

// The stack segment named by a TSS (SDM Vol. 3A §6.12.1, §5.8.5): #TS for a
// bad selector or descriptor, #SS if not present.
bool check_stack_ss(Cpu& c, u16 ss, u8 dpl, bool ext, Descriptor* d) {
  if ((ss & 0xfffc) == 0) return c.raise(kExTS, ext ? 1 : 0);
  if (!read_descriptor(c, ss, d)) return c.faulted ? false : c.raise(kExTS, sel_err(ss, ext));
  if ((ss & 3) != dpl || desc_dpl(d->attr) != dpl || !desc_is_data(d->attr) || !(d->attr & kSegWritable))
    return c.raise(kExTS, sel_err(ss, ext));
  if (!(d->attr & kSegP)) return c.raise(kExSS, sel_err(ss, ext));
  return true;
}

// The code segment of an interrupt or trap gate: DPL <= CPL (SDM Vol. 3A §6.12.1).
bool check_target_cs(Cpu& c, u16 sel, bool ext, Descriptor* d) {
  if ((sel & 0xfffc) == 0) return c.raise(kExGP, ext ? 1 : 0);
  if (!read_descriptor(c, sel, d)) return c.faulted ? false : c.raise(kExGP, sel_err(sel, ext));
  if (!desc_is_code(d->attr) || desc_dpl(d->attr) > c.s.cpl) return c.raise(kExGP, sel_err(sel, ext));
  if (!(d->attr & kSegP)) return c.raise(kExNP, sel_err(sel, ext));
  return true;
}

void Cpu::interrupt(u8 vec, IntKind kind, bool has_err, u32 err) {
  Event e{vec, kind, has_err, err};
  s.halted = 0;
  s.int_shadow = 0;
  event_delivered = true;
  // Entering the #DB handler clears DR7.GD (SDM Vol. 3A §17.2.4).
  if (vec == kExDB) s.dr[7] &= ~(u64)(1u << 13);
  for (int depth = 0; depth < 8; ++depth) {
    faulted = false;
    if (PC64_UNLIKELY(on_event != nullptr)) on_event(event_ctx, e.vec, e.kind, e.has_err, e.err);
    const bool ext = e.kind != IntKind::Software;
    if (deliver(*this, e, ext)) {
      faulted = false;
      return;
    }
    if (!faulted) break;  // defensive: no fault recorded
    // A fault while delivering: SDM Vol. 3A §6.15, Table 6-5.
    const u8 v2 = fault_vec;
    const bool exc = e.kind == IntKind::Fault || e.kind == IntKind::Trap;
    const Cls c1 = exc ? classify(e.vec) : Cls::Benign, c2 = classify(v2);
    if (c1 == Cls::DoubleFault) break;  // fault during #DF delivery: shutdown
    if ((c1 == Cls::Contributory && c2 == Cls::Contributory) ||
        (c1 == Cls::PageFault && (c2 == Cls::Contributory || c2 == Cls::PageFault))) {
      e = Event{kExDF, IntKind::Fault, true, 0};
      continue;
    }
    // Otherwise the second fault is delivered; a fault while delivering INT n
    // is reported on the INT instruction itself.
    if (e.kind == IntKind::Software) s.rip = insn_start;
    e = Event{v2, IntKind::Fault, fault_has_err, fault_err};
  }
  // Triple fault: the processor shuts down (SDM Vol. 3A §6.15, Interrupt 8).
  faulted = false;
  exit = ExitReason::Shutdown;
}

void Cpu::deliver_exception() {
  if (stop_on_exception) {
    exit = ExitReason::Exception;
    return;
  }
  const u8 vec = fault_vec;
  const bool has_err = fault_has_err;
  const u32 err = fault_err;
  faulted = false;
  interrupt(vec, fault_is_trap ? IntKind::Trap : IntKind::Fault, has_err, err);
}

}  // namespace pc64
