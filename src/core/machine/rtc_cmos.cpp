// MC146818A clock arithmetic and registers (see rtc_cmos.h).
#include "machine/rtc_cmos.h"

namespace pc64 {
namespace {

constexpr u64 kSecNs = 1000000000ull;
constexpr u64 kXtal = 32768;               // PC time base
constexpr u64 kUipLeadNs = 244000 + 1984000;  // tBUC + tUC (datasheet Table 6, 32.768 kHz)

// 32.768 kHz ticks in `ns`, and the first ns at which `tick` is reached
// (split so the products cannot overflow).
u64 ticks_of(u64 ns) { return (ns / kSecNs) * kXtal + (ns % kSecNs) * kXtal / kSecNs; }
u64 ns_of(u64 tick) {
  return (tick / kXtal) * kSecNs + ((tick % kXtal) * kSecNs + kXtal - 1) / kXtal;
}

bool gregorian_leap(u32 y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
u8 month_days(u8 month, bool leap) {
  static constexpr u8 kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap ? 29 : kDays[(month - 1) % 12];
}
u8 to_bcd(u32 v) { return (u8)(((v / 10 % 10) << 4) | (v % 10)); }

}  // namespace

RtcCmos::RtcCmos() { set_time(0); }

u8 RtcCmos::days_in_month() const { return month_days(month_, year_ % 4 == 0); }

void RtcCmos::set_time(u64 epoch) {
  constexpr u64 kMax = 32503680000ull - 1;  // 2999-12-31 23:59:59
  if (epoch > kMax) epoch = kMax;
  u64 days = epoch / 86400;
  const u32 s = (u32)(epoch % 86400);
  sec_ = (u8)(s % 60);
  min_ = (u8)(s / 60 % 60);
  hour_ = (u8)(s / 3600);
  wday_ = (u8)((4 + days) % 7 + 1);  // 1970-01-01 was a Thursday (1 = Sunday)
  u32 y = 1970;
  while (days >= (gregorian_leap(y) ? 366u : 365u)) days -= gregorian_leap(y++) ? 366 : 365;
  u8 m = 1;
  while (days >= month_days(m, gregorian_leap(y))) days -= month_days(m++, gregorian_leap(y));
  month_ = m;
  mday_ = (u8)(days + 1);
  year_ = (u8)(y % 100);
  cmos_[kCentury] = to_bcd(y / 100);
  const u64 t = now();
  synced_ = t;
  div_start_ = t;
  origin_ = t + kSecNs;
}

void RtcCmos::setup_pc_layout(u64 low, u64 high) {
  cmos_[0x0f] = 0x00;  // shutdown status: normal POST
  cmos_[0x10] = 0x00;  // no diskette drives
  cmos_[0x12] = 0x00;  // no fixed disks in the CMOS table
  // Equipment byte (IBM PC AT Technical Reference, CMOS 0x14): bit 1 math
  // coprocessor, bit 2 pointing device; display bits 5-4 = 00 (an adapter
  // with its own BIOS, i.e. EGA/VGA); bits 7-6 and 0: no diskette drives.
  cmos_[0x14] = 0x06;
  cmos_[0x15] = 0x80;  // base memory: 640 KiB (0x0280)
  cmos_[0x16] = 0x02;
  u64 ext = low > (1u << 20) ? (low - (1u << 20)) >> 10 : 0;  // KiB above 1 MiB
  if (ext > 0xffff) ext = 0xffff;
  cmos_[0x17] = cmos_[0x30] = (u8)ext;
  cmos_[0x18] = cmos_[0x31] = (u8)(ext >> 8);
  u64 above16 = low > (16u << 20) ? (low - (16u << 20)) >> 16 : 0;  // 64 KiB blocks
  if (above16 > 0xffff) above16 = 0xffff;
  cmos_[0x34] = (u8)above16;
  cmos_[0x35] = (u8)(above16 >> 8);
  u64 above4g = high >> 16;  // 64 KiB blocks at 4 GiB and up (24 bits)
  if (above4g > 0xffffff) above4g = 0xffffff;
  cmos_[0x5b] = (u8)above4g;
  cmos_[0x5c] = (u8)(above4g >> 8);
  cmos_[0x5d] = (u8)(above4g >> 16);
  update_checksum();
}

void RtcCmos::update_checksum() {
  u32 sum = 0;
  for (int i = 0x10; i <= 0x2d; ++i) sum += cmos_[i];
  cmos_[0x2e] = (u8)(sum >> 8);
  cmos_[0x2f] = (u8)sum;
}

u32 RtcCmos::period_ticks() const {
  // Rate select (datasheet Table 5, 32.768 kHz time base): 0 none, 1 and 2
  // are 256 Hz and 128 Hz, 3-15 are 32768 >> (RS - 1) Hz.
  const u32 rs = reg_a_ & 15;
  if (rs == 0) return 0;
  if (rs <= 2) return 1u << (rs + 6);
  return 1u << (rs - 1);
}

// Adds `n` seconds to the time fields the way the update cycle carries
// them; fields out of range are first normalised.
void RtcCmos::advance(u64 n) {
  const u64 total = (u64)sec_ + 60ull * min_ + 3600ull * hour_ + n;
  sec_ = (u8)(total % 60);
  min_ = (u8)(total / 60 % 60);
  hour_ = (u8)(total / 3600 % 24);
  u64 days = total / 86400;
  if (days == 0) return;
  if (wday_ < 1 || wday_ > 7) wday_ = (u8)((wday_ + 6) % 7 + 1);
  wday_ = (u8)((wday_ - 1 + days) % 7 + 1);
  if (year_ > 99) year_ %= 100;
  if (month_ < 1 || month_ > 12) month_ = (u8)((month_ + 11) % 12 + 1);
  if (mday_ < 1) mday_ = 1;
  if (mday_ > days_in_month()) mday_ = days_in_month();
  // The chip's calendar repeats every 100 years (year 99 wraps to 00 and
  // every fourth year is a leap year): 36525 days.
  days %= 36525;
  while (days > 0) {
    const u64 left = (u64)days_in_month() - mday_;
    if (days <= left) {
      mday_ = (u8)(mday_ + days);
      break;
    }
    days -= left + 1;
    mday_ = 1;
    if (++month_ > 12) {
      month_ = 1;
      year_ = (u8)((year_ + 1) % 100);
    }
  }
}

bool RtcCmos::alarm_matches() const {
  // An alarm byte of 0xC0-0xFF matches any value (datasheet "Alarm").
  const u8 now_b[3] = {encode(sec_), encode(min_), read_hour()};
  const u8 alarm[3] = {cmos_[kSecAlarm], cmos_[kMinAlarm], cmos_[kHourAlarm]};
  for (int i = 0; i < 3; ++i)
    if ((alarm[i] & 0xc0) != 0xc0 && alarm[i] != now_b[i]) return false;
  return true;
}

void RtcCmos::sync(u64 t) {
  if (t <= synced_) return;
  if (running()) {
    if (const u64 p = period_ticks(); p && t >= div_start_) {
      const u64 before = synced_ > div_start_ ? ticks_of(synced_ - div_start_) / p : 0;
      if (ticks_of(t - div_start_) / p > before) reg_c_ |= kCPf;
    }
    auto boundaries = [&](u64 x) { return x < origin_ ? 0 : (x - origin_) / kSecNs + 1; };
    const u64 n = boundaries(t) - boundaries(synced_);
    if (n > 0 && !(reg_b_ & kBSet)) {
      reg_c_ |= kCUf;
      // The alarm is checked after every update: step one second at a time
      // until it matches (a pattern that matches at all does within a day).
      u64 left = n;
      for (u64 i = 0; i < 86400 && left > 0 && !(reg_c_ & kCAf); ++i, --left) {
        advance(1);
        if (alarm_matches()) reg_c_ |= kCAf;
      }
      advance(left);
    }
  }
  synced_ = t;
}

void RtcCmos::update_irq() {
  const bool on = ((reg_c_ & kCPf) && (reg_b_ & kBPie)) || ((reg_c_ & kCAf) && (reg_b_ & kBAie)) ||
                  ((reg_c_ & kCUf) && (reg_b_ & kBUie));
  if (on) reg_c_ |= kCIrqf;
  if (on != line_) {
    line_ = on;
    if (irq) irq(ctx, on);
  }
}

void RtcCmos::poll() {
  sync(now());
  update_irq();
}

u64 RtcCmos::next_event_ns() const {
  if (line_ || !running()) return kNever;
  u64 due = kNever;
  const u64 t = synced_;
  if ((reg_b_ & kBPie) && !(reg_c_ & kCPf)) {
    if (const u64 p = period_ticks()) {
      const u64 k = t >= div_start_ ? ticks_of(t - div_start_) / p + 1 : 1;
      due = div_start_ + ns_of(k * p);
    }
  }
  if ((reg_b_ & (kBUie | kBAie)) && !(reg_b_ & kBSet)) {
    const u64 b = t < origin_ ? origin_ : origin_ + ((t - origin_) / kSecNs + 1) * kSecNs;
    if (b < due) due = b;
  }
  return due;
}

u8 RtcCmos::encode(u8 v) const { return (reg_b_ & kBDm) ? v : to_bcd(v); }
u8 RtcCmos::decode(u8 v) const { return (reg_b_ & kBDm) ? v : (u8)((v >> 4) * 10 + (v & 15)); }

u8 RtcCmos::read_hour() const {
  if (reg_b_ & kB24h) return encode(hour_);
  const u8 h12 = hour_ % 12 ? hour_ % 12 : 12;  // 12-hour mode: bit 7 = PM
  return (u8)(encode(h12) | (hour_ >= 12 ? 0x80 : 0));
}

u8 RtcCmos::read_reg(u8 i) {
  const u64 t = now();
  sync(t);
  switch (i) {
    case kSec: return encode(sec_);
    case kMin: return encode(min_);
    case kHour: return read_hour();
    case kWday: return encode(wday_);
    case kMday: return encode(mday_);
    case kMonth: return encode(month_);
    case kYear: return encode(year_);
    case kRegA: {
      // UIP: an update cycle is due within 244 us or is in progress.
      bool uip = false;
      if (running() && !(reg_b_ & kBSet)) {
        const u64 b = t < origin_ ? origin_ : origin_ + ((t - origin_) / kSecNs + 1) * kSecNs;
        uip = b - t <= kUipLeadNs;
      }
      return (u8)(reg_a_ | (uip ? 0x80 : 0));
    }
    case kRegB: return reg_b_;
    case kRegC: {
      // Reading C returns the flags and clears them all, dropping IRQ8.
      update_irq();
      const u8 v = reg_c_;
      reg_c_ = 0;
      update_irq();
      return v;
    }
    case kRegD: return 0x80;  // VRT: the battery is good
    default: return cmos_[i];
  }
}

void RtcCmos::write_reg(u8 i, u8 v) {
  const u64 t = now();
  sync(t);
  switch (i) {
    case kSec: sec_ = decode(v); break;
    case kMin: min_ = decode(v); break;
    case kHour:
      if (reg_b_ & kB24h) {
        hour_ = decode(v);
      } else {
        u8 h = decode(v & 0x7f);
        if (h == 12) h = 0;
        hour_ = (u8)(h + ((v & 0x80) ? 12 : 0));
      }
      break;
    case kWday: wday_ = decode(v); break;
    case kMday: mday_ = decode(v); break;
    case kMonth: month_ = decode(v); break;
    case kYear: year_ = decode(v); break;
    case kRegA: {
      const bool was = running();
      reg_a_ = v & 0x7f;  // UIP is read-only
      if (!was && running()) {
        // Out of divider reset: the first update cycle ends 0.5 s later.
        div_start_ = t;
        origin_ = t + kSecNs / 2;
      }
      break;
    }
    case kRegB:
      // SET going to 1 ends any update cycle and clears UIE (datasheet
      // "Register B").
      if (v & kBSet) v &= (u8)~kBUie;
      reg_b_ = v;
      break;
    case kRegC:
    case kRegD: break;  // read-only
    default: cmos_[i] = v; break;
  }
  update_irq();
}

u32 RtcCmos::io_read(u16 port, int size) {
  (void)size;
  if (port == kPortIndex) return 0xff;  // the index register is write-only
  return read_reg(index_);
}

void RtcCmos::io_write(u16 port, int size, u32 v) {
  (void)size;
  if (port == kPortIndex) {
    nmi_masked_ = v & 0x80;
    index_ = (u8)(v & 0x7f);  // 128 bytes: the index is bounded by the mask
    return;
  }
  write_reg(index_, (u8)v);
}

}  // namespace pc64
