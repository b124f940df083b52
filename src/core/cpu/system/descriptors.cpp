// Segment descriptors and segment-register loads (SDM Vol. 3A ch. 3 and 5).
#include "cpu/system/descriptors.h"

#include "cpu/system/control_regs.h"

namespace pc64 {

bool sys_read(Cpu& c, u64 lin, void* dst, u32 n, u8 cpl) {
  const u8 saved = c.s.cpl;
  c.s.cpl = cpl;
  const u64 saved_flags = c.s.rflags;
  if (cpl < 3) c.s.rflags &= ~(u64)kAC;  // implicit supervisor accesses ignore AC under SMAP
  u8* d = (u8*)dst;
  bool ok = true;
  for (u32 done = 0; done < n && ok;) {
    u64 a = lin + done;
    if (!long_mode_active(c)) a &= 0xffffffffull;
    u32 chunk = 0x1000 - (u32)(a & 0xfff);
    if (chunk > n - done) chunk = n - done;
    const u8* p = c.translate(a, Access::Read);
    if (p) {
      __builtin_memcpy(d + done, p, chunk);
    } else if (c.faulted) {
      ok = false;
    } else {
      const TlbEntry& e = c.tlb[(a >> 12) & (Cpu::kTlbSize - 1)];
      for (u32 k = 0; k < chunk; ++k) d[done + k] = (u8)c.bus->mmio_read(e.ppage + ((a + k) & 0xfff), 1);
    }
    done += chunk;
  }
  c.s.cpl = saved;
  c.s.rflags = saved_flags;
  return ok;
}

bool sys_write(Cpu& c, u64 lin, const void* src, u32 n, u8 cpl) {
  const u8 saved = c.s.cpl;
  c.s.cpl = cpl;
  const u64 saved_flags = c.s.rflags;
  if (cpl < 3) c.s.rflags &= ~(u64)kAC;  // implicit supervisor accesses ignore AC under SMAP
  const u8* s8 = (const u8*)src;
  // Translate every page first so a fault leaves memory untouched.
  bool ok = true;
  for (u32 done = 0; done < n && ok;) {
    u64 a = lin + done;
    if (!long_mode_active(c)) a &= 0xffffffffull;
    u32 chunk = 0x1000 - (u32)(a & 0xfff);
    if (chunk > n - done) chunk = n - done;
    if (!c.translate(a, Access::Write) && c.faulted) ok = false;
    done += chunk;
  }
  for (u32 done = 0; done < n && ok;) {
    u64 a = lin + done;
    if (!long_mode_active(c)) a &= 0xffffffffull;
    u32 chunk = 0x1000 - (u32)(a & 0xfff);
    if (chunk > n - done) chunk = n - done;
    u8* p = c.translate(a, Access::Write);
    if (p) {
      __builtin_memcpy(p, s8 + done, chunk);
    } else {
      const TlbEntry& e = c.tlb[(a >> 12) & (Cpu::kTlbSize - 1)];
      for (u32 k = 0; k < chunk; ++k) c.bus->mmio_write(e.ppage + ((a + k) & 0xfff), 1, s8[done + k]);
    }
    done += chunk;
  }
  c.s.cpl = saved;
  c.s.rflags = saved_flags;
  return ok;
}

u64 sys_read_n(Cpu& c, u64 lin, u32 n, bool* ok, u8 cpl) {
  u64 v = 0;
  *ok = sys_read(c, lin, &v, n, cpl);
  return v;
}

Descriptor decode_descriptor(u32 lo, u32 hi) {
  Descriptor d{};
  d.lo = lo;
  d.hi = hi;
  d.base = (lo >> 16) | ((u64)(hi & 0xff) << 16) | ((u64)(hi >> 24) << 24);
  u32 limit = (lo & 0xffff) | (hi & 0xf0000);
  d.attr = (u16)(((hi >> 8) & 0xff) | (((hi >> 20) & 0xf) << 8));
  if (d.attr & kSegG) limit = (limit << 12) | 0xfff;
  d.limit = limit;
  return d;
}

namespace {

// Linear address of the descriptor `sel` names; false if beyond the limit.
bool descriptor_addr(const Cpu& c, u16 sel, u32 size, u64* addr) {
  const bool ldt = sel & 4;
  // An LDTR loaded with a null selector is unusable; the reset LDTR (base
  // 0, limit 0FFFFH, present: SDM Vol. 3A §9.1.1, Table 9-1) is not.
  if (ldt && !(c.s.ldtr.attr & kSegP)) return false;
  const u64 base = ldt ? c.s.ldtr.base : c.s.gdtr.base;
  const u32 limit = ldt ? c.s.ldtr.limit : c.s.gdtr.limit;
  if ((u64)(sel & ~7u) + size - 1 > limit) return false;
  *addr = base + (sel & ~7u);
  return true;
}

}  // namespace

bool read_descriptor(Cpu& c, u16 sel, Descriptor* d) {
  u64 addr;
  if (!descriptor_addr(c, sel, 8, &addr)) return false;
  u32 raw[4] = {};
  if (!sys_read(c, addr, raw, 8)) return false;
  *d = decode_descriptor(raw[0], raw[1]);
  // IA-32e mode: LDT, TSS and gate descriptors are 16 bytes (SDM Vol. 3A §3.5.2).
  if (!(d->attr & kSegS) && long_mode_active(c)) {
    const u8 t = desc_type(d->attr);
    if (t == kLdtType || t == kTss32Avail || t == kTss32Busy || t == kCallGate32 ||
        t == kIntGate32 || t == kTrapGate32) {
      if (!descriptor_addr(c, sel, 16, &addr)) return false;
      if (!sys_read(c, addr + 8, raw + 2, 8)) return false;
      d->hi2 = raw[2];
      d->hi3 = raw[3];
      if (t == kLdtType || t == kTss32Avail || t == kTss32Busy) d->base |= (u64)raw[2] << 32;
    }
  }
  return true;
}

void load_segment(Cpu& c, u8 seg, u16 sel, const Descriptor& d) {
  Segment& sg = c.s.seg[seg];
  sg.sel = sel;
  sg.base = d.base & 0xffffffffull;
  sg.limit = d.limit;
  sg.attr = (u16)(d.attr | kSegAccessed);
  // The processor sets the accessed bit in the descriptor when it loads a
  // segment register (SDM Vol. 3A §3.4.5.1). A failure here is not reported.
  if ((d.attr & kSegS) && !(d.attr & kSegAccessed)) {
    u64 addr;
    if (descriptor_addr(c, sel, 8, &addr)) {
      const bool was = c.faulted;
      u8 b = (u8)(d.attr | kSegAccessed);
      if (!sys_write(c, addr + 5, &b, 1)) c.faulted = was;
    }
  }
  if (seg == CS) c.s.cpl = sel & 3;
  if (seg == CS || seg == SS) c.update_mode();
}

void load_null_segment(Cpu& c, u8 seg, u16 sel) {
  Segment& sg = c.s.seg[seg];
  // Intel clears the base and limit of a null segment (AMD keeps FS/GS base).
  sg.sel = sel;
  sg.base = 0;
  sg.limit = 0;
  sg.attr = 0;  // unusable: later accesses #GP (64-bit mode ignores it)
  if (c.mode64() && seg == SS) sg.attr = (u16)(kSegP | kSegS | kSegWritable | kSegDB | (sel & 3) << kSegDplShift);
  if (seg == SS) c.update_mode();
}

void load_real_segment(Cpu& c, u8 seg, u16 sel) {
  Segment& sg = c.s.seg[seg];
  sg.sel = sel;
  sg.base = (u64)sel << 4;
  if (c.s.mode == (u8)CpuMode::V86) {
    sg.limit = 0xffff;
    sg.attr = (u16)(kSegP | kSegS | kSegWritable | kSegAccessed | (3 << kSegDplShift) |
                    (seg == CS ? kSegCode : 0));
  } else if (!(sg.attr & kSegP)) {
    // Real mode keeps the cached limit and attributes ("unreal" mode, SDM
    // Vol. 3A §9.9.2), but a register left unusable by a null load in
    // protected mode becomes an ordinary 64 KiB data segment again, so
    // real-mode code is not stuck with the null segment's limit 0.
    sg.limit = 0xffff;
    sg.attr = (u16)(kSegP | kSegS | kSegWritable | kSegAccessed);
  }
  if (seg == SS || seg == CS) c.update_mode();
}

bool load_data_segment(Cpu& c, u8 seg, u16 sel) {
  const CpuMode mode = (CpuMode)c.s.mode;
  if (mode == CpuMode::Real || mode == CpuMode::V86) {
    load_real_segment(c, seg, sel);
    return true;
  }
  const u8 rpl = sel & 3, cpl = c.s.cpl;
  const u16 err = sel & 0xfffc;
  if (err == 0) {
    // Null selector: #GP(0) for SS except in 64-bit mode at CPL < 3 with
    // RPL = CPL (SDM Vol. 2A "MOV", 64-bit mode exceptions).
    if (seg == SS && !(c.mode64() && cpl != 3 && rpl == cpl)) return c.raise(kExGP, 0);
    load_null_segment(c, seg, sel);
    return true;
  }
  Descriptor d;
  if (!read_descriptor(c, sel, &d)) return c.faulted ? false : c.raise(kExGP, err);
  const u16 attr = d.attr;
  const u8 dpl = desc_dpl(attr);
  const bool code = attr & kSegCode, s = attr & kSegS;
  if (seg == SS) {
    // SDM Vol. 3A §5.7: SS must be a writable data segment with RPL = DPL = CPL.
    if (!s || code || !(attr & kSegWritable) || rpl != cpl || dpl != cpl) return c.raise(kExGP, err);
    if (!(attr & kSegP)) return c.raise(kExSS, err);
  } else {
    // Data or readable code; non-conforming needs max(CPL, RPL) <= DPL (§5.6).
    if (!s || (code && !(attr & kSegWritable))) return c.raise(kExGP, err);
    const bool conforming = code && (attr & kSegExpandDown);
    if (!conforming && (rpl > dpl || cpl > dpl)) return c.raise(kExGP, err);
    if (!(attr & kSegP)) return c.raise(kExNP, err);
  }
  load_segment(c, seg, sel, d);
  return true;
}

bool StackBuilder::push(int n, u64 v) {
  const u64 mask = width_mask(sp_width);
  const u64 nsp = (sp - n) & mask;
  u64 lin;
  if (sp_width == 8) {
    const u64 last = nsp + n - 1;
    // 48-bit or, with CR4.LA57, 57-bit canonical form (SDM Vol. 3A §6.14.2).
    if (!is_canonical(c, nsp) || !is_canonical(c, last)) return c.raise(fault_vec, fault_err);
    lin = nsp;
  } else {
    const u64 last = nsp + n - 1;
    if (!(ss.attr & kSegExpandDown)) {
      if (last > ss.limit) return c.raise(fault_vec, fault_err);
    } else {
      const u64 upper = (ss.attr & kSegDB) ? 0xffffffffull : 0xffff;
      if (nsp <= ss.limit || last > upper) return c.raise(fault_vec, fault_err);
    }
    lin = (ss.base + nsp) & 0xffffffffull;
  }
  if (!sys_write(c, lin, &v, (u32)n, cpl)) return false;
  sp = nsp;
  return true;
}

}  // namespace pc64
