// 8254 counter arithmetic (8254 datasheet, "Modes of Operation"). A reload
// value of 0 means 65536.
#include "machine/pit8254.h"

namespace pc64 {

u64 Pit8254::ticks() const {
  const u64 ns = clock ? clock(clock_ctx) : 0;
  // Split so the product cannot overflow (and no 128-bit division is needed).
  return (ns / 1000000000u) * kHz + (ns % 1000000000u) * kHz / 1000000000u;
}

u64 Pit8254::tick_ns(u64 tick) {
  // ceil(tick * 1e9 / kHz), split like ticks() so it cannot overflow.
  const u64 q = tick / kHz, r = tick % kHz;
  return q * 1000000000u + (r * 1000000000u + kHz - 1) / kHz;
}

// Rising edges of OUT (8254 datasheet, "Modes of Operation"): modes 0 and 1
// at terminal count; modes 2 and 3 at every reload (the end of the low
// pulse or low half); modes 4 and 5 one clock after terminal count.
u64 Pit8254::next_rise(int counter, u64 t) const {
  const Counter& c = ctr_[counter];
  if (!c.armed || !c.gate || t < c.start) return kNever;
  const u64 e = t - c.start, n = c.reload;
  switch (c.mode) {
    case 2:
    case 3: return c.start + (e / n + 1) * n;
    case 0:
    case 1: return e < n ? c.start + n : kNever;
    default: return e < n + 1 ? c.start + n + 1 : kNever;
  }
}

u16 Pit8254::value(const Counter& c, u64 t) const {
  if (!c.armed) return 0;
  if (!c.gate && c.mode != 1 && c.mode != 5) return c.frozen;
  const u64 e = t - c.start;
  const u64 n = c.reload;
  switch (c.mode) {
    case 2: return (u16)(n - e % n);
    case 3: {
      // Square wave: decrements by two, twice per period.
      const u64 half = (n + 1) / 2;
      const u64 ph = e % n;
      const u64 in_half = ph < half ? ph : ph - half;
      return (u16)((n - 2 * in_half) & ~1ull);
    }
    default: return (u16)(n - e);  // modes 0, 1, 4, 5: wraps after terminal count
  }
}

bool Pit8254::out_at(const Counter& c, u64 t) const {
  if (!c.armed) return c.mode != 0;
  const u64 e = t - c.start;
  const u64 n = c.reload;
  switch (c.mode) {
    case 0:
    case 1: return c.gate || c.mode == 1 ? e >= n : false;
    case 2: return !c.gate || e % n != n - 1;
    case 3: return !c.gate || e % n < (n + 1) / 2;
    default: return e != n;  // 4, 5: one low pulse at terminal count
  }
}

bool Pit8254::out(int counter) const { return out_at(ctr_[counter], ticks()); }

void Pit8254::set_gate2(bool on) {
  Counter& c = ctr_[2];
  const u64 t = ticks();
  if (on && !c.gate) {
    // A rising gate (re)starts modes 1, 2, 3 and 5; modes 0 and 4 resume.
    if (c.mode == 0 || c.mode == 4) c.start = t - (u64)(u16)(c.reload - c.frozen);
    else c.start = t;
  } else if (!on && c.gate) {
    c.frozen = value(c, t);
  }
  c.gate = on;
}

void Pit8254::latch_count(Counter& c) {
  if (c.latched) return;  // a second latch before the read is ignored
  c.latch = value(c, ticks());
  c.latched = true;
  c.read_msb = false;
}

u32 Pit8254::io_read(u16 port, int size) {
  (void)size;
  const int i = port - 0x40;
  if (i == 3) return 0xff;  // the control register cannot be read
  Counter& c = ctr_[i];
  if (c.status_latched) {
    c.status_latched = false;
    return c.status;
  }
  const u16 v = c.latched ? c.latch : value(c, ticks());
  u8 b;
  if (c.rw == 1) b = (u8)v;
  else if (c.rw == 2) b = (u8)(v >> 8);
  else {
    b = c.read_msb ? (u8)(v >> 8) : (u8)v;
    c.read_msb = !c.read_msb;
    if (c.read_msb) return b;  // the latch holds until both bytes are read
  }
  c.latched = false;
  return b;
}

void Pit8254::io_write(u16 port, int size, u32 v) {
  (void)size;
  const u8 b = (u8)v;
  const int i = port - 0x40;
  if (i == 3) {
    const int sc = b >> 6;
    if (sc == 3) {  // read-back: bit 5 = don't latch count, bit 4 = don't latch status
      for (int k = 0; k < 3; ++k) {
        if (!(b & (2u << k))) continue;
        Counter& c = ctr_[k];
        if (!(b & 0x20)) latch_count(c);
        if (!(b & 0x10) && !c.status_latched) {
          c.status = (u8)((out_at(c, ticks()) ? 0x80 : 0) | (c.armed ? 0 : 0x40) | (c.rw << 4) |
                          (c.mode << 1) | (c.bcd ? 1 : 0));
          c.status_latched = true;
        }
      }
      return;
    }
    Counter& c = ctr_[sc];
    const int rw = (b >> 4) & 3;
    if (rw == 0) {
      latch_count(c);
      return;
    }
    c.rw = (u8)rw;
    c.mode = (b >> 1) & 7;
    if (c.mode > 5) c.mode -= 4;  // 6 and 7 alias modes 2 and 3
    c.bcd = b & 1;
    c.armed = false;
    c.write_msb = c.read_msb = false;
    c.latched = false;
    return;
  }
  Counter& c = ctr_[i];
  u32 n;
  if (c.rw == 1) n = b;
  else if (c.rw == 2) n = (u32)b << 8;
  else if (!c.write_msb) {
    c.write_lsb = b;
    c.write_msb = true;
    return;
  } else {
    n = c.write_lsb | ((u32)b << 8);
    c.write_msb = false;
  }
  c.reload = n ? n : 0x10000;
  c.armed = true;
  c.start = ticks();
  c.frozen = (u16)c.reload;
}

}  // namespace pc64
