// The PIIX4 power management function (see piix4_pm.h).
#include "machine/piix4_pm.h"

namespace pc64 {
namespace {
constexpr u16 kStsBits = 0x8d31;  // PMSTS bits PIIX4 implements
constexpr u16 kEnBits = 0x0521;   // PMEN bits
constexpr u16 kCntBits = 0x1c03;  // PMCNTRL bits that read back (SUS_TYP, BRLD_EN_BM, SCI_EN)
constexpr u16 kSciSources = 0x0521;
}  // namespace

void Piix4Pm::reset() {
  __builtin_memset(cfg, 0, sizeof cfg);
  __builtin_memset(wmask, 0, sizeof wmask);
  __builtin_memset(w1cmask, 0, sizeof w1cmask);
  set_ids(0x8086, kDeviceId, 0x03, 0x068000, 0x00);
  store_le<u16>(cfg + kStatus, 0x0280);
  set_w1c(kStatus, 2, 0x3800);
  set_wmask(kIntLine, 1, 0xff);
  cfg[kIntPin] = 0x01;
  cfg[0x40] = 0x01;  // PMBA: I/O indicator
  set_wmask(0x40, 4, 0x0000ffc0);
  set_wmask(0x80, 1, 0x01);  // PMREGMISC.PMIOSE
  pm1_sts_ = pm1_en_ = pm1_cnt_ = gpe_sts_ = gpe_en_ = 0;
  epoch_ = ticks_at(now()) >> 23;
  remap();
  update_sci();
}

void Piix4Pm::firmware_init(u16 base) {
  config_write(0x40, 4, base);
  config_write(0x80, 1, 1);
  pm1_cnt_ |= kSciEn;
  update_sci();
}

void Piix4Pm::config_written(u8 off, int size) {
  if ((off < 0x44 && off + size > 0x40) || off == 0x80) remap();
}

void Piix4Pm::remap() {
  const u16 base = (cfg[0x80] & 1) ? (u16)(cfg16(0x40) & 0xffc0) : 0;
  if (base == mapped_) return;
  const u16 old = mapped_;
  mapped_ = base;
  if (io_moved) io_moved(ctx, old, base);
}

u32 Piix4Pm::timer() const { return (u32)(ticks_at(now()) & 0xffffff); }

void Piix4Pm::latch_overflow() {
  const u64 e = ticks_at(now()) >> 23;
  if (e != epoch_) {
    pm1_sts_ |= kTmrSts;
    epoch_ = e;
  }
}

void Piix4Pm::update_sci() {
  const bool level = (pm1_cnt_ & kSciEn) &&
                     ((pm1_sts_ & pm1_en_ & kSciSources) || (gpe_sts_ & gpe_en_));
  if (level == sci_) return;
  sci_ = level;
  if (sci) sci(ctx, level);
}

void Piix4Pm::poll() {
  latch_overflow();
  update_sci();
}

u64 Piix4Pm::next_event_ns() const {
  if (!(pm1_cnt_ & kSciEn) || !(pm1_en_ & kTmrSts) || (pm1_sts_ & kTmrSts)) return kNever;
  return ns_of_tick((epoch_ + 1) << 23);
}

void Piix4Pm::press_power_button() {
  pm1_sts_ |= kPwrBtnSts;
  update_sci();
}

void Piix4Pm::raise_gpe(int n) {
  if (n < 0 || n > 15) return;
  gpe_sts_ = (u16)(gpe_sts_ | (1u << n));
  update_sci();
}

// The block is mapped byte-wide: wider accesses arrive as consecutive
// bytes (within one instruction the virtual clock does not move, so a
// dword read of PMTMR is consistent).
u32 Piix4Pm::io_read(u16 port, int size) {
  (void)size;
  const u16 off = (u16)(port - mapped_);
  const int sh = 8 * (off & 1);
  switch (off & ~1) {
    case kPm1Sts: latch_overflow(); update_sci(); return (pm1_sts_ >> sh) & 0xff;
    case kPm1En: return (pm1_en_ >> sh) & 0xff;
    case kPm1Cnt: return (pm1_cnt_ >> sh) & 0xff;
    case kPmTmr: case kPmTmr + 2: return (timer() >> (8 * (off - kPmTmr))) & 0xff;
    case kGpe0Sts: return (gpe_sts_ >> sh) & 0xff;
    case kGpe0En: return (gpe_en_ >> sh) & 0xff;
    default: return 0;
  }
}

void Piix4Pm::io_write(u16 port, int size, u32 v) {
  (void)size;
  const u16 off = (u16)(port - mapped_);
  const int sh = 8 * (off & 1);
  const u16 b = (u16)((v & 0xff) << sh), keep = (u16)(0xff00u >> sh);
  switch (off & ~1) {
    case kPm1Sts:
      latch_overflow();
      pm1_sts_ = (u16)(pm1_sts_ & ~(b & kStsBits));
      break;
    case kPm1En: pm1_en_ = (u16)((pm1_en_ & keep) | (b & kEnBits)); break;
    case kPm1Cnt:
      pm1_cnt_ = (u16)((pm1_cnt_ & keep) | (b & kCntBits));
      // SUS_EN (bit 13) with SUS_TYP (12:10), both in the high byte.
      if (b & kSlpEn && sleep) sleep(ctx, (b >> 10) & 7);
      break;
    case kGpe0Sts: gpe_sts_ = (u16)(gpe_sts_ & ~b); break;
    case kGpe0En: gpe_en_ = (u16)((gpe_en_ & keep) | b); break;
    default: break;
  }
  update_sci();
}

}  // namespace pc64
