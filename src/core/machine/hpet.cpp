// HPET registers and timers (see hpet.h). Section numbers are from the
// IA-PC HPET Specification 1.0a.
#include "machine/hpet.h"

namespace pc64 {
namespace {

constexpr u64 kPeriodNs = Hpet::kPeriodFs / 1000000;  // 10 ns per count
// Tn_CONF_CAP (§2.3.8): INT_TYPE (1), INT_ENB (2), TYPE (3), PER_INT_CAP
// (4, RO), SIZE_CAP (5, RO), VAL_SET (6), 32MODE (8), INT_ROUTE (13:9).
constexpr u64 kTnLevel = 1u << 1, kTnEnable = 1u << 2, kTnPeriodic = 1u << 3,
              kTnPerCap = 1u << 4, kTnSize64 = 1u << 5, kTnValSet = 1u << 6,
              kTn32 = 1u << 8;
constexpr u64 kTnWritable = kTnLevel | kTnEnable | kTnPeriodic | kTnValSet | kTn32 | (31u << 9);

}  // namespace

void Hpet::reset() {
  config_ = isr_ = base_ = t0_ = 0;
  for (int n = 0; n < kTimers; ++n) {
    t_[n] = Timer{};
    t_[n].config = kTnSize64 | (n == 0 ? kTnPerCap : 0) | (u64)kRouteCap << 32;
  }
}

u64 Hpet::counter() const {
  if (!enabled()) return base_;
  const u64 now = clock ? clock(ctx) : 0;
  return base_ + (now - t0_) / kPeriodNs;
}

void Hpet::set_counter(u64 v) {
  base_ = v;
  t0_ = clock ? clock(ctx) : 0;
  for (int n = 0; n < kTimers; ++n) rearm(n);
}

int Hpet::route(int n, bool* legacy_route) const {
  *legacy_route = false;
  if (legacy() && n < 2) {
    *legacy_route = true;
    return n == 0 ? 0 : 8;  // §2.3.7 LEG_RT_CNF: IRQ0 and IRQ8
  }
  const int pin = (int)((t_[n].config >> 9) & 31);
  return (kRouteCap >> pin) & 1 ? pin : -1;  // an unsupported route goes nowhere
}

void Hpet::line(int n, bool level) {
  bool leg;
  const int r = route(n, &leg);
  if (r >= 0 && irq) irq(ctx, r, leg, level);
}

// The next main-counter value at which timer n matches (§2.3.9.2): a
// 64-bit comparator below the counter never matches again (2^64 counts
// away); a 32-bit one compares with the counter's low half and so
// matches every 2^32 counts.
void Hpet::rearm(int n) {
  Timer& t = t_[n];
  if (!enabled()) {
    t.next = kNever;
    return;
  }
  const u64 cnt = counter();
  if (t.config & kTn32) {
    t.next = cnt + (u32)((u32)t.cmp - (u32)cnt);
  } else {
    t.next = t.cmp >= cnt ? t.cmp : kNever;
  }
}

void Hpet::fire(int n) {
  const u64 c = t_[n].config;
  if (!(c & kTnEnable)) return;
  if (c & kTnLevel) {
    isr_ |= 1u << n;  // stays set (and the line asserted) until cleared (§2.3.6)
    line(n, true);
  } else {
    line(n, true);  // edge: a pulse
    line(n, false);
  }
}

void Hpet::poll() {
  if (!enabled()) return;
  const u64 cnt = counter();
  for (int n = 0; n < kTimers; ++n) {
    Timer& t = t_[n];
    if (t.next == kNever || t.next > cnt) continue;
    fire(n);
    const bool m32 = t.config & kTn32;
    const u64 wrap = m32 ? 0xffffffffull : ~0ull;
    if ((t.config & kTnPeriodic) && t.period) {
      // Periodic (§2.3.9.2.2): the comparator advances by the period;
      // missed periods coalesce into one interrupt.
      const u64 k = (cnt - t.next) / t.period + 1;
      t.next += k * t.period;
      t.cmp = (t.cmp + k * t.period) & wrap;
    } else {
      t.next = m32 ? t.next + (1ull << 32) : kNever;
    }
  }
}

u64 Hpet::next_event_ns() const {
  if (!enabled()) return kNever;
  u64 best = kNever;
  for (const Timer& t : t_) {
    if (t.next == kNever) continue;
    const u64 at = t.next <= base_ ? t0_ : t0_ + (t.next - base_) * kPeriodNs;
    if (at < best) best = at;
  }
  return best;
}

bool Hpet::can_interrupt() const {
  if (!enabled()) return false;
  for (int n = 0; n < kTimers; ++n) {
    bool leg;
    if (t_[n].next != kNever && (t_[n].config & kTnEnable) && route(n, &leg) >= 0) return true;
  }
  return false;
}

u64 Hpet::read64(u64 off) const {
  switch (off) {
    case 0x00:  // GCAP_ID (§2.3.4)
      return 1 | (u64)(kTimers - 1) << 8 | 1u << 13 | 1u << 15 | 0x8086ull << 16 | kPeriodFs << 32;
    case 0x10: return config_;
    case 0x20: return isr_;
    case 0xf0: return counter();
    default: break;
  }
  if (off >= 0x100 && off < 0x100 + 0x20 * kTimers) {
    const Timer& t = t_[(off - 0x100) / 0x20];
    switch (off & 0x1f) {
      case 0x00: return t.config;
      case 0x08: return (t.config & kTn32) ? t.cmp & 0xffffffffull : t.cmp;
      default: return 0;  // FSB route: not supported
    }
  }
  return 0;
}

// `mask` selects the bits the access writes (a 32-bit half or all 64).
void Hpet::write64(u64 off, u64 v, u64 mask) {
  auto merge = [&](u64 old) { return (old & ~mask) | (v & mask); };
  if (off == 0x10) {
    const bool was = enabled(), was_legacy = legacy();
    const u64 before = counter();
    config_ = merge(config_) & 3;
    if (was != enabled()) {
      // Halting freezes the counter; enabling restarts it from there.
      base_ = before;
      t0_ = clock ? clock(ctx) : 0;
    }
    if (was_legacy != legacy())
      for (int n = 0; n < 2; ++n)
        if (isr_ & (1u << n)) line(n, false);  // a held level moves with the route
    for (int n = 0; n < kTimers; ++n) rearm(n);
    return;
  }
  if (off == 0x20) {
    const u64 clear = v & mask & isr_ & 7;  // write 1 to clear (§2.3.6)
    for (int n = 0; n < kTimers; ++n)
      if (clear & (1u << n)) line(n, false);
    isr_ &= ~clear;
    return;
  }
  if (off == 0xf0) {
    set_counter(merge(counter()));
    return;
  }
  if (off < 0x100 || off >= 0x100 + 0x20 * kTimers) return;
  const int n = (int)((off - 0x100) / 0x20);
  Timer& t = t_[n];
  if ((off & 0x1f) == 0x00) {
    u64 w = kTnWritable;
    if (!(t.config & kTnPerCap)) w &= ~kTnPeriodic;
    const u64 old = t.config;
    t.config = (old & ~w) | (merge(old) & w);
    // A level interrupt stops when the timer's interrupt is disabled or
    // turned to edge (§2.3.8 Tn_INT_ENB_CNF).
    if ((isr_ & (1u << n)) && (!(t.config & kTnEnable) || !(t.config & kTnLevel))) {
      line(n, false);
      isr_ &= ~(1ull << n);
    }
    if (t.config & kTn32) t.cmp &= 0xffffffffull;
    rearm(n);
    return;
  }
  if ((off & 0x1f) == 0x08) {
    const u64 lim = (t.config & kTn32) ? 0xffffffffull : ~0ull;
    const u64 nv = merge(t.cmp) & lim;
    // Periodic timers: VAL_SET lets the write set the comparator; the value
    // also becomes the period (§2.3.9.2.2, Tn_VAL_SET_CNF).
    if (!(t.config & kTnPeriodic) || (t.config & kTnValSet)) t.cmp = nv;
    t.period = merge(t.period) & lim;
    // VAL_SET holds until the high half is written, so a 32-bit low/high
    // pair sets the whole comparator.
    if (mask >> 32) t.config &= ~kTnValSet;
    rearm(n);
  }
}

u64 Hpet::mmio_read(u64 off, int size) {
  off &= 0x3ff;
  const u64 v = read64(off & ~7ull) >> (8 * (off & 7));
  return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

void Hpet::mmio_write(u64 off, int size, u64 v) {
  off &= 0x3ff;
  if (size == 8 && !(off & 7)) write64(off, v, ~0ull);
  else if (size == 4 && !(off & 3))
    write64(off & ~7ull, (v & 0xffffffffull) << (8 * (off & 4)), 0xffffffffull << (8 * (off & 4)));
  // Other sizes and misaligned writes are dropped.
}

}  // namespace pc64
