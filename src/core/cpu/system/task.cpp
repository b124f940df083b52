// Hardware task switching (SDM Vol. 3A ch. 7, §7.3 "Task Switching").
//
// A switch is entered by JMP or CALL to a TSS descriptor or task gate, by an
// interrupt or exception through a task gate in the IDT, or by IRET with
// NT = 1. The current state is saved into the old TSS, TR moves to the new
// one, and the new state is loaded. Faults found before TR changes are
// reported in the old task; faults while loading the new task's LDT and
// segment registers are reported in the new task (§7.3, step 13 and later),
// which is why insn_start moves to the new EIP at the commit point.
// 64-bit mode has no task switching: callers never get here with EFER.LMA.
#include "cpu/system/system.h"

#include "cpu/system/control_regs.h"

namespace pc64 {
namespace {

enum class TaskSrc : u8 { Jmp, Call, Iret, Int };

constexpr u64 kCR0_TS = 1u << 3, kCR0_PG = 1ull << 31;

// Sets or clears the busy bit (type bit 1) of the TSS descriptor `sel` in the GDT.
bool set_busy(Cpu& c, u16 sel, bool busy) {
  const u64 addr = c.s.gdtr.base + (sel & ~7u) + 5;
  u8 b;
  if (!sys_read(c, addr, &b, 1)) return false;
  b = busy ? (u8)(b | 2) : (u8)(b & ~2);
  return sys_write(c, addr, &b, 1);
}

// Loads one segment register of the new task with the checks of §7.3 step
// 13: failures are #TS(selector), or #NP/#SS when not present.
bool load_task_segment(Cpu& c, u8 sr, u16 sel) {
  const u16 err = sel & 0xfffc;
  if (err == 0) {
    if (sr == CS || sr == SS) return c.raise(kExTS, 0);
    load_null_segment(c, sr, sel);
    return true;
  }
  Descriptor d;
  if (!read_descriptor(c, sel, &d)) return c.faulted ? false : c.raise(kExTS, err);
  const u8 dpl = desc_dpl(d.attr), rpl = sel & 3;
  if (sr == CS) {
    if (!desc_is_code(d.attr) || (desc_conforming(d.attr) ? dpl > rpl : dpl != rpl)) return c.raise(kExTS, err);
    if (!(d.attr & kSegP)) return c.raise(kExNP, err);
  } else if (sr == SS) {
    if (!desc_is_data(d.attr) || !(d.attr & kSegWritable) || rpl != c.s.cpl || dpl != c.s.cpl)
      return c.raise(kExTS, err);
    if (!(d.attr & kSegP)) return c.raise(kExSS, err);
  } else {
    if (!(d.attr & kSegS) || (desc_is_code(d.attr) && !(d.attr & kSegWritable))) return c.raise(kExTS, err);
    if (!desc_conforming(d.attr) && (dpl < c.s.cpl || dpl < rpl)) return c.raise(kExTS, err);
    if (!(d.attr & kSegP)) return c.raise(kExNP, err);
  }
  load_segment(c, sr, sel, d);
  return true;
}

bool load_task_ldt(Cpu& c, u16 sel) {
  if ((sel & 0xfffc) == 0) {
    c.s.ldtr = Segment{0, 0, sel, 0};
    return true;
  }
  Descriptor d;
  if ((sel & 4) || !read_descriptor(c, sel, &d)) return c.faulted ? false : c.raise(kExTS, sel & 0xfffc);
  if ((d.attr & kSegS) || desc_type(d.attr) != kLdtType) return c.raise(kExTS, sel & 0xfffc);
  if (!(d.attr & kSegP)) return c.raise(kExNP, sel & 0xfffc);
  c.s.ldtr = Segment{d.base, d.limit, sel, d.attr};
  return true;
}

// Offsets of the dynamic fields in a 32-bit and a 16-bit TSS (§7.2.1, §7.6).
struct TssLayout {
  u32 ip, flags, gpr, seg, ldt;
  int w;  // register width
};
constexpr TssLayout k32{0x20, 0x24, 0x28, 0x48, 0x60, 4};
constexpr TssLayout k16{0x0e, 0x10, 0x12, 0x22, 0x2a, 2};

bool task_switch(Cpu& c, u16 sel, const Descriptor& d, TaskSrc src, bool has_err, u32 err, bool ext) {
  const bool new32 = desc_type(d.attr) & 8;
  if (d.limit < (new32 ? 0x67u : 0x2bu)) return c.raise(kExTS, sel_err(sel, ext));
  const Segment old = c.s.tr;
  const TssLayout& ol = (desc_type(old.attr) & 8) ? k32 : k16;
  const TssLayout& nl = new32 ? k32 : k16;
  u8 nt[0x68] = {};
  if (!sys_read(c, d.base, nt, new32 ? 0x68 : 0x2c)) return false;

  // ---- save the current task (step 7) ----
  u8 save[0x40] = {};
  u64 fl = c.rflags();
  if (src == TaskSrc::Iret) fl &= ~(u64)kNT;
  auto put = [&](u32 off, u64 v, int w) { __builtin_memcpy(save + (off - ol.ip), &v, (size_t)w); };
  put(ol.ip, c.s.rip, ol.w);
  put(ol.flags, fl, ol.w);
  for (int r = 0; r < 8; ++r) put(ol.gpr + r * ol.w, c.s.gpr[r], ol.w);
  for (int sr = 0; sr < (ol.w == 4 ? 6 : 4); ++sr) put(ol.seg + sr * ol.w, c.s.seg[sr].sel, 2);
  if (!sys_write(c, old.base + ol.ip, save, ol.seg + (ol.w == 4 ? 6 : 4) * ol.w - ol.ip)) return false;
  if (src == TaskSrc::Jmp || src == TaskSrc::Iret) {
    if (!set_busy(c, old.sel, false)) return false;
  }
  if (src != TaskSrc::Iret && !set_busy(c, sel, true)) return false;
  auto get = [&](u32 off, int w) {
    u64 v = 0;
    __builtin_memcpy(&v, nt + off, (size_t)w);
    return v;
  };
  u64 nflags = get(nl.flags, nl.w);
  if (nl.w == 2) nflags |= c.rflags() & ~0xffffull;
  if (src == TaskSrc::Call || src == TaskSrc::Int) {
    const u16 link = old.sel;
    if (!sys_write(c, d.base, &link, 2)) return false;
    nflags |= kNT;
  }

  // ---- commit: TR, CR0.TS, CR3, registers (steps 8-12) ----
  c.s.tr = Segment{d.base, d.limit, sel, (u16)(d.attr | 2)};
  c.s.cr0 |= kCR0_TS;
  if (new32 && (c.s.cr0 & kCR0_PG)) {
    c.s.cr3 = get(0x1c, 4);
    // PAE paging reloads the PDPTE registers from the new CR3 (SDM Vol. 3A §4.4.1).
    if ((c.s.cr4 & kCR4_PAE) && !(c.s.efer & kEFER_LMA)) load_pdptes(c, c.s.cr3, false);
    c.flush_tlb();
  }
  for (int r = 0; r < 8; ++r) c.set_reg_n(nl.w, (u8)r, false, get(nl.gpr + r * nl.w, nl.w));
  c.s.rip = get(nl.ip, nl.w);
  c.insn_start = c.s.rip;  // faults from here on are the new task's
  c.set_rflags(nflags);
  // A task switch clears the local breakpoint enables L0-L3 (SDM Vol. 3A
  // §17.2.4); the new task's T flag (32-bit TSS byte 0x64, bit 0) asks
  // for a #DB with DR6.BT before its first instruction (§17.3.1.5, §7.2.1).
  c.s.dr[7] &= ~0x55ull;
  c.refresh_attention();
  if (new32 && (get(0x64, 1) & 1)) c.debug_trap_before_next(1u << 15);
  u16 sels[6] = {};
  for (int sr = 0; sr < (nl.w == 4 ? 6 : 4); ++sr) sels[sr] = (u16)get(nl.seg + sr * nl.w, 2);

  // ---- LDT and segment registers (step 13) ----
  if (!load_task_ldt(c, (u16)get(nl.ldt, 2))) return false;
  if (nflags & kVM) {
    c.s.cpl = 3;
    for (u8 sr = 0; sr < kNumSegs; ++sr) load_real_segment(c, sr, sels[sr]);
  } else {
    c.s.cpl = sels[CS] & 3;
    if (!load_task_segment(c, CS, sels[CS]) || !load_task_segment(c, SS, sels[SS])) return false;
    static constexpr u8 kData[4] = {ES, DS, FS, GS};
    for (u8 sr : kData)
      if (!load_task_segment(c, sr, sels[sr])) return false;
  }
  if (c.s.rip > c.s.seg[CS].limit) return c.raise(kExGP, 0);
  if (has_err && !c.push(nl.w, err)) return false;
  return true;
}

// The TSS named by a task gate, or directly: must be an available TSS in the GDT.
bool read_tss(Cpu& c, u16 sel, Descriptor* d, bool busy, u8 vec, bool ext) {
  const u32 err = sel_err(sel, ext);
  if ((sel & 4) || !read_descriptor(c, sel, d)) return c.faulted ? false : c.raise(vec, err);
  const u8 t = desc_type(d->attr);
  const bool ok = busy ? (t == kTss16Busy || t == kTss32Busy) : (t == kTss16Avail || t == kTss32Avail);
  if ((d->attr & kSegS) || !ok) return c.raise(vec, err);
  if (!(d->attr & kSegP)) return c.raise(kExNP, err);
  return true;
}

}  // namespace

bool task_gate_interrupt(Cpu& c, u16 tss_sel, bool has_err, u32 err, bool ext) {
  Descriptor d;
  if (!read_tss(c, tss_sel, &d, false, kExGP, ext)) return false;
  return task_switch(c, tss_sel, d, TaskSrc::Int, has_err, err, ext);
}

bool far_task_switch(Cpu& c, u16 sel, const Descriptor& d, bool call) {
  // The gate or TSS descriptor DPL must allow CPL and RPL (SDM Vol. 2A "JMP", "CALL").
  const u8 dpl = desc_dpl(d.attr);
  if (dpl < c.s.cpl || dpl < (sel & 3)) return c.raise(kExGP, sel & 0xfffc);
  if (!(d.attr & kSegP)) return c.raise(kExNP, sel & 0xfffc);
  const TaskSrc src = call ? TaskSrc::Call : TaskSrc::Jmp;
  if (desc_type(d.attr) != kTaskGate) return task_switch(c, sel, d, src, false, 0, false);
  const u16 tss_sel = (u16)(d.lo >> 16);
  Descriptor td;
  if (!read_tss(c, tss_sel, &td, false, kExGP, false)) return false;
  return task_switch(c, tss_sel, td, src, false, 0, false);
}

bool task_return(Cpu& c) {
  bool ok;
  const u16 link = (u16)sys_read_n(c, c.s.tr.base, 2, &ok);
  if (!ok) return false;
  Descriptor d;
  if (!read_tss(c, link, &d, true, kExTS, false)) return false;
  return task_switch(c, link, d, TaskSrc::Iret, false, 0, false);
}

}  // namespace pc64
