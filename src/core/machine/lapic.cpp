// Local APIC registers, delivery and timer (see lapic.h). Section numbers
// are Intel SDM Vol. 3A ch. 11.
#include "machine/lapic.h"

#include "cpu/system/control_regs.h"
#include "cpu/system/msr.h"

namespace pc64 {
namespace {

constexpr u32 kMasked = 1u << 16;
// Writable bits of each LVT entry (§11.5.1, Figure 11-8): the timer has
// vector, mask and mode (18:17); LINT0/1 add delivery mode, polarity and
// trigger; thermal/perf vector, delivery mode and mask; error vector and mask.
constexpr u32 kLvtWritable[6] = {0x000700ff, 0x000107ff, 0x000107ff,
                                 0x0001a7ff, 0x0001a7ff, 0x000100ff};
// ESR bits (§11.5.3, Figure 11-9).
constexpr u32 kEsrSendIllegal = 1u << 5, kEsrRecvIllegal = 1u << 6, kEsrIllegalReg = 1u << 7;

int highest(const u32* bits) {
  for (int w = 7; w >= 0; --w)
    if (bits[w]) return w * 32 + 31 - __builtin_clz(bits[w]);
  return -1;
}
bool test_bit(const u32* bits, int v) { return (bits[v >> 5] >> (v & 31)) & 1; }
void set_bit(u32* bits, int v, bool on) {
  if (on) bits[v >> 5] |= 1u << (v & 31);
  else bits[v >> 5] &= ~(1u << (v & 31));
}

}  // namespace

void Lapic::reset() {
  id_ = 0;
  tpr_ = ldr_ = 0;
  dfr_ = ~0u;
  svr_ = 0xff;
  for (int i = 0; i < 8; ++i) isr_[i] = tmr_[i] = irr_[i] = 0;
  esr_ = esr_pending_ = 0;
  icr_lo_ = icr_hi_ = 0;
  for (u32& l : lvt_) l = kMasked;
  lvt_[kLvtLint0] = (u32)kModeExtInt << 8;  // firmware virtual wire (lapic.h)
  lvt_[kLvtLint1] = (u32)kModeNmi << 8;
  timer_icr_ = timer_dcr_ = 0;
  tsc_deadline_ = 0;
  t0_ = 0;
  cnt0_ = 0;
  next_ = kNever;
  if (cpu) cpu->s.cr8 = 0;
}

bool Lapic::mmio_hit(u64 pa) const {
  if (!hw_enabled() || x2apic()) return false;  // §11.12.1.2: MMIO off in x2APIC mode
  const u64 base = cpu->s.apic_base & ~0xfffull & ((1ull << kMaxPhysAddr) - 1);
  return (pa & ~0xfffull) == base;
}

// PPR (§11.8.3.1): the TPR if its class is at least the highest in-service
// class, else that class.
u32 Lapic::ppr() const {
  const int isrv = highest(isr_);
  const u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;
  return (tpr_ & 0xf0) >= isr_class ? tpr_ & 0xff : isr_class;
}

// APR (§11.8.3.1 for P6-family processors; deterministic from TPR, ISR, IRR).
u32 Lapic::apr() const {
  const int irrv = highest(irr_), isrv = highest(isr_);
  const u32 t = tpr_ & 0xf0, i = isrv < 0 ? 0 : (u32)isrv & 0xf0, r = irrv < 0 ? 0 : (u32)irrv & 0xf0;
  if (t >= r && t > i) return tpr_ & 0xff;
  u32 m = t > i ? t : i;
  return m > r ? m : r;
}

int Lapic::pending_vector() const {
  if (!hw_enabled() || !sw_enabled()) return -1;
  const int irrv = highest(irr_);
  if (irrv < 0 || ((u32)irrv & 0xf0) <= (ppr() & 0xf0)) return -1;
  return irrv;
}

u8 Lapic::acknowledge() {
  const int v = pending_vector();
  if (v < 0) return (u8)svr_;  // spurious: not put in ISR, no EOI (§11.9)
  set_bit(irr_, v, false);
  set_bit(isr_, v, true);
  return (u8)v;  // INTR can only fall: the machine recomputes it after INTA
}

bool Lapic::extint_open() const {
  if (!hw_enabled()) return true;
  const u32 l = lvt_[kLvtLint0];
  return !(l & kMasked) && ((l >> 8) & 7) == kModeExtInt;
}

void Lapic::error(u32 bit) {
  const bool fresh = !(esr_pending_ & bit);
  esr_pending_ |= bit;
  const u32 l = lvt_[kLvtError];
  // Only a new error signals, so an illegal error vector cannot recurse.
  if (fresh && !(l & kMasked)) accept((u8)l, false);
}

// Fixed interrupt acceptance (§11.8.4): vectors 0-15 are illegal (ESR[6]).
void Lapic::accept(u8 vector, bool level) {
  if (vector < 16) {
    error(kEsrRecvIllegal);
    return;
  }
  set_bit(irr_, vector, true);
  set_bit(tmr_, vector, level);
  notify();
}

void Lapic::deliver(u8 mode, u8 vector, bool level) {
  if (!hw_enabled()) return;
  switch (mode) {
    case kModeFixed: case kModeLowest: accept(vector, level); break;
    default: break;  // SMI/NMI/INIT/SIPI/ExtINT: no CPU pin for them yet (lapic.h)
  }
}

bool Lapic::match_dest(u32 dest, bool logical) const {
  if (!hw_enabled()) return false;
  if (x2apic()) {
    if (dest == ~0u) return true;
    if (!logical) return dest == id_;
    // Cluster in 31:16, member bit mask in 15:0 (§11.12.10.2).
    return (dest >> 16) == (ldr_ >> 16) && (dest & ldr_ & 0xffff);
  }
  dest &= 0xff;
  if (dest == 0xff) return true;
  if (!logical) return dest == (id_ >> 24);
  const u32 ld = ldr_ >> 24;
  if ((dfr_ >> 28) == 0xf) return (dest & ld) != 0;  // flat model (§11.6.2.2)
  return (dest >> 4) == (ld >> 4) && (dest & ld & 0xf);  // cluster model
}

void Lapic::do_eoi() {
  const int v = highest(isr_);
  if (v < 0) return;
  set_bit(isr_, v, false);
  if (test_bit(tmr_, v) && eoi) eoi(ctx, (u8)v);  // EOI message to the IOAPIC (§11.8.5)
  notify();
}

// ICR (§11.6.1): destination shorthand 19:18, dest mode 11, delivery mode
// 10:8. With one CPU, "all excluding self" and destinations that are not
// this APIC go nowhere.
void Lapic::send_ipi(u32 lo, u32 dest) {
  const u8 vector = (u8)lo, mode = (u8)((lo >> 8) & 7);
  const bool logical = lo & (1u << 11), level = lo & (1u << 15);
  bool self = false;
  switch ((lo >> 18) & 3) {
    case 0: self = match_dest(dest, logical); break;
    case 1: case 2: self = true; break;
    default: break;
  }
  if ((mode == kModeFixed || mode == kModeLowest) && vector < 16) {
    error(kEsrSendIllegal);  // §11.5.3: send illegal vector
    return;
  }
  (void)level;  // trigger mode matters only for INIT level de-assert
  if (self) deliver(mode, vector, false);  // IPIs are edge-triggered
}

void Lapic::timer_start(u32 count) {
  t0_ = now();
  cnt0_ = count;
  next_ = count ? t0_ + ((u64)count << timer_shift()) : kNever;
}

u32 Lapic::timer_ccr() const {
  if (timer_mode() == 2 || next_ == kNever) return 0;
  const u64 elapsed = (now() - t0_) >> timer_shift();
  if (elapsed < cnt0_) return (u32)(cnt0_ - elapsed);
  if (timer_mode() != 1 || timer_icr_ == 0) return 0;
  return (u32)(timer_icr_ - (elapsed - cnt0_) % timer_icr_);
}

void Lapic::timer_fire() {
  const u32 l = lvt_[kLvtTimer];
  if (!(l & kMasked)) accept((u8)l, false);
}

void Lapic::poll() {
  if (!hw_enabled()) return;
  if (timer_mode() == 2) {
    // TSC-deadline (§11.5.4.1): fires once TSC >= deadline, then disarms
    // and clears the MSR.
    if (tsc_deadline_ && tsc() >= tsc_deadline_) {
      tsc_deadline_ = 0;
      timer_fire();
    }
    return;
  }
  const u64 t = now();
  if (next_ == kNever || t < next_) return;
  timer_fire();
  if (timer_mode() == 1 && timer_icr_) {
    // Periodic: reload from the initial count; missed periods coalesce
    // into the one IRR bit.
    const u64 period = (u64)timer_icr_ << timer_shift();
    t0_ = next_;
    cnt0_ = timer_icr_;
    if (t >= next_ + period) {
      const u64 skip = (t - next_) / period;
      t0_ = next_ + skip * period;
    }
    next_ = t0_ + period;
  } else {
    next_ = kNever;
  }
}

u64 Lapic::next_event_ns() const {
  if (!hw_enabled()) return kNever;
  if (timer_mode() == 2) {
    if (!tsc_deadline_) return kNever;
    const u64 tn = tsc(), n = now();
    return tsc_deadline_ > tn ? n + (tsc_deadline_ - tn) : n;
  }
  return next_;
}

bool Lapic::timer_can_interrupt() const {
  return next_event_ns() != kNever && !(lvt_[kLvtTimer] & kMasked) && sw_enabled();
}

// ---- register file ----

bool Lapic::read_reg(u32 idx, u64* v, bool x2) {
  switch (idx) {
    case 0x02: *v = x2 ? id_ : id_ & 0xff000000u; return true;
    case 0x03: *v = kVersion; return true;
    case 0x08: *v = tpr_; return true;
    case 0x09: if (x2) return false; *v = apr(); return true;  // no APR in x2APIC mode
    case 0x0a: *v = ppr(); return true;
    case 0x0b: if (x2) return false; *v = 0; return true;  // EOI is write-only
    case 0x0d: *v = ldr_; return true;
    case 0x0e: if (x2) return false; *v = dfr_ | 0x0fffffffu; return true;
    case 0x0f: *v = svr_; return true;
    case 0x28: *v = esr_; return true;
    case 0x30:
      *v = x2 ? (u64)icr_hi_ << 32 | icr_lo_ : icr_lo_;  // delivery status 0: always idle
      return true;
    case 0x31: if (x2) return false; *v = icr_hi_; return true;
    case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37:
      *v = lvt_[idx - 0x32];
      return true;
    case 0x38: *v = timer_icr_; return true;
    case 0x39: *v = timer_ccr(); return true;
    case 0x3e: *v = timer_dcr_; return true;
    case 0x3f: if (x2) return false; *v = 0; return true;  // SELF IPI is write-only
    default: break;
  }
  if (idx >= 0x10 && idx < 0x28) {
    const u32* r = idx < 0x18 ? isr_ : idx < 0x20 ? tmr_ : irr_;
    *v = r[idx & 7];
    return true;
  }
  if (x2) return false;  // reserved x2APIC MSR: #GP (§11.12.1.2)
  *v = 0;
  return true;
}

bool Lapic::write_reg(u32 idx, u64 v64, bool x2) {
  // x2APIC: bits 63:32 are reserved except in the ICR (§11.12.1.2).
  if (x2 && idx != 0x30 && (v64 >> 32)) return false;
  const u32 v = (u32)v64;
  switch (idx) {
    case 0x02: if (x2) return false; id_ = v & 0xff000000u; return true;  // x2APIC ID is read-only
    case 0x08:
      tpr_ = v & 0xff;
      if (cpu) cpu->s.cr8 = tpr_ >> 4;
      notify();
      return true;
    case 0x0b:
      if (x2 && v) return false;  // §11.12.1.2: non-zero EOI write #GP
      do_eoi();
      return true;
    case 0x0d: if (x2) return false; ldr_ = v & 0xff000000u; return true;
    case 0x0e: if (x2) return false; dfr_ = v | 0x0fffffffu; return true;
    case 0x0f: {
      const bool was = sw_enabled();
      svr_ = v & 0x1ff;
      // Software disable masks every LVT entry (§11.4.7.2).
      if (was && !sw_enabled())
        for (u32& l : lvt_) l |= kMasked;
      notify();
      return true;
    }
    case 0x28:
      if (x2 && v) return false;
      esr_ = esr_pending_;  // a write latches the errors since the last one (§11.5.3)
      esr_pending_ = 0;
      return true;
    case 0x30:
      icr_lo_ = (u32)v64 & 0x000ccfffu;  // delivery status (12) and reserved bits read 0
      if (x2) icr_hi_ = (u32)(v64 >> 32);
      send_ipi(icr_lo_, x2 ? icr_hi_ : icr_hi_ >> 24);
      return true;
    case 0x31: if (x2) return false; icr_hi_ = v & 0xff000000u; return true;
    case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: {
      const int n = (int)idx - 0x32;
      u32 nv = (lvt_[n] & ~kLvtWritable[n]) | (v & kLvtWritable[n]);
      if (!sw_enabled()) nv |= kMasked;  // §11.4.7.2: masks stay set while disabled
      if (n == kLvtTimer) {
        const int old_mode = timer_mode(), mode = (int)((nv >> 17) & 3);
        if (mode == 3) nv = (nv & ~(3u << 17)) | ((u32)old_mode << 17);  // reserved mode: kept
        else if (mode != old_mode && (mode == 2 || old_mode == 2)) {
          // Switching to or from TSC-deadline mode disarms the timer (§11.5.4.1).
          timer_icr_ = 0;
          tsc_deadline_ = 0;
          next_ = kNever;
        }
      }
      lvt_[n] = nv;
      notify();
      return true;
    }
    case 0x38:
      if (timer_mode() == 2) return true;  // ignored in TSC-deadline mode (§11.5.4.1)
      timer_icr_ = v;
      timer_start(v);
      return true;
    case 0x3e: {
      // A new divider keeps the current count and counts on at the new rate.
      const u32 cur = timer_ccr();
      const bool running = next_ != kNever;
      timer_dcr_ = v & 0xb;
      if (running && timer_mode() != 2) timer_start(cur);
      return true;
    }
    case 0x3f:
      if (!x2 || (v & ~0xffu)) return false;  // SELF IPI (§11.12.11): vector only
      if ((u8)v < 16) error(kEsrSendIllegal);
      else deliver(kModeFixed, (u8)v, false);
      return true;
    default: break;
  }
  if (x2) return false;  // read-only or reserved x2APIC MSR: #GP
  // xAPIC: writes to read-only or reserved registers are ignored; the
  // SDM's "illegal register address" error (ESR[7]) is for reserved ones.
  if (!(idx == 0x03 || idx == 0x09 || idx == 0x0a || idx == 0x39 || (idx >= 0x10 && idx < 0x28)))
    error(kEsrIllegalReg);
  return true;
}

// xAPIC MMIO (§11.4.1): 32-bit registers on 16-byte boundaries. An
// access within the first four bytes of a slot reads/writes those bytes
// of the register (writes only as an aligned dword); other bytes read 0
// and writes there are dropped.
u64 Lapic::mmio_read(u64 pa, int size) {
  const u32 off = (u32)(pa & 0xfff);
  const u32 in = off & 15;
  if (in >= 4) return 0;
  u64 v = 0;
  read_reg(off >> 4, &v, false);
  v = (u32)v >> (8 * in);
  return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

void Lapic::mmio_write(u64 pa, int size, u64 v) {
  const u32 off = (u32)(pa & 0xfff);
  if ((off & 15) != 0 || size < 4) return;
  write_reg(off >> 4, (u32)v, false);
}

// ---- the CPU's side ----

bool Lapic::apic_msr_read(u32 index, u64* v) {
  if (index == kMsrTscDeadline) {
    *v = timer_mode() == 2 ? tsc_deadline_ : 0;  // reads 0 in other modes
    return true;
  }
  if (!x2apic()) return false;  // x2APIC MSRs #GP outside x2APIC mode
  return read_reg(index - 0x800, v, true);
}

bool Lapic::apic_msr_write(u32 index, u64 v) {
  if (index == kMsrTscDeadline) {
    if (timer_mode() == 2 && hw_enabled()) {
      tsc_deadline_ = v;  // 0 disarms; a past deadline fires at once
      poll();
    }
    return true;
  }
  if (!x2apic()) return false;
  return write_reg(index - 0x800, v, true);
}

// IA32_APIC_BASE EN (11) / EXTD (10) transitions (§11.12.5, Figure 11-27).
bool Lapic::apic_base_write(u64 old_value, u64 new_value) {
  const u32 o = (u32)(old_value >> 10) & 3, n = (u32)(new_value >> 10) & 3;  // bit0 EXTD, bit1 EN
  if (n == 1) return false;             // EXTD without EN: invalid
  if (o == 3 && n == 2) return false;   // x2APIC -> xAPIC: only through disabled
  if (o == 0 && n == 3) return false;   // disabled -> x2APIC: only through xAPIC
  if (n == 0 && o != 0) {
    // Global disable: the APIC returns to its power-up state (§11.4.3).
    reset();
    lvt_[kLvtLint0] = lvt_[kLvtLint1] = kMasked;
  }
  if (o == 2 && n == 3) {
    // Entering x2APIC mode: 32-bit ID, LDR derived from it (§11.12.10.2).
    id_ = 0;
    ldr_ = ((id_ >> 4) << 16) | (1u << (id_ & 15));
  }
  if (cpu) cpu->s.apic_base = new_value;
  notify();
  return true;
}

void Lapic::apic_cr8_write(u8 cr8) {
  tpr_ = (u32)(cr8 & 0xf) << 4;
  notify();
}

}  // namespace pc64
