// The MC146818A real-time clock with its CMOS RAM (Motorola MC146818A
// datasheet) at ports 0x70 (index; bit 7 masks NMI on a PC) and 0x71 (data).
//
// 128 bytes: 0-9 time, date and alarm, 0x0A-0x0D registers A-D, the rest
// battery-backed RAM laid out as a PC BIOS expects (setup_pc_layout()).
// The clock is computed from virtual time, not ticked: the time-base is the
// 32.768 kHz crystal of a PC, so only divider setting DV = 010 runs; 11x
// holds the divider in reset (the first update comes 0.5 s after it is
// released, datasheet "Divider stages"); the factory-test settings stop the
// clock. Update cycles happen once a second unless SET is 1; UIP reads 1
// for the 244 us before an update cycle plus the 1984 us it lasts.
//
// The time is kept in binary fields and encoded on every read in the
// format register B selects (DM: binary/BCD, 24/12: hour bit 7 = PM), so
// changing DM with the clock running re-encodes the time rather than
// reinterpreting the bytes as the chip would. Out-of-range values a guest
// writes are stored and normalised by the next update (seconds carry into
// minutes, etc.); the daylight-saving bit (DSE) is stored but ignored. The
// leap-year rule is the chip's: every year divisible by 4.
//
// Interrupts: PF at the register A rate, AF when seconds, minutes and hours
// match the alarm bytes (0xC0-0xFF: don't care), UF after each update;
// IRQF = (PF & PIE) | (AF & AIE) | (UF & UIE) drives `irq` (ISA IRQ 8)
// until register C is read. The wall-clock time comes from the host at
// start (set_time); the core never asks the OS.
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class RtcCmos : public IoDevice {
 public:
  static constexpr u16 kPortIndex = 0x70, kPortData = 0x71;
  static constexpr u64 kNever = ~0ull;
  // Register numbers.
  enum : u8 { kSec = 0, kSecAlarm = 1, kMin = 2, kMinAlarm = 3, kHour = 4, kHourAlarm = 5,
              kWday = 6, kMday = 7, kMonth = 8, kYear = 9, kRegA = 0x0a, kRegB = 0x0b,
              kRegC = 0x0c, kRegD = 0x0d, kCentury = 0x32 };
  enum : u8 { kBSet = 0x80, kBPie = 0x40, kBAie = 0x20, kBUie = 0x10, kBSqwe = 0x08,
              kBDm = 0x04, kB24h = 0x02, kBDse = 0x01 };
  enum : u8 { kCIrqf = 0x80, kCPf = 0x40, kCAf = 0x20, kCUf = 0x10 };

  u64 (*clock)(void* ctx) = nullptr;  // virtual ns
  void (*irq)(void* ctx, bool level) = nullptr;
  void* ctx = nullptr;

  RtcCmos();
  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;

  // Sets the clock to `epoch_seconds` (seconds since 1970-01-01 00:00:00
  // UTC, clamped to the years 1970-2999) and restarts the divider so the
  // next update is one second from now. The host calls it at start.
  void set_time(u64 epoch_seconds);
  // Fills the CMOS bytes a BIOS, Linux or memtest read (docs/PLATFORM.md):
  // memory sizes from the machine's RAM below and above 4 GiB, equipment,
  // century, and the checksum over 0x10-0x2D.
  void setup_pc_layout(u64 low_ram, u64 high_ram);
  // Recomputes the checksum at 0x2E (high byte) / 0x2F over 0x10-0x2D.
  void update_checksum();

  // Brings flags and time up to `now`, and drives the IRQ line.
  void poll();
  // The virtual ns of the next event that could raise IRQ8 (kNever if
  // none, or if the line is already up until register C is read).
  u64 next_event_ns() const;
  bool can_interrupt() const { return next_event_ns() != kNever; }

  bool nmi_masked() const { return nmi_masked_; }
  // A CMOS RAM byte as stored (0x0E-0x7F; tests and the host).
  u8 peek(u8 index) const { return cmos_[index & 0x7f]; }

 private:
  u64 now() const { return clock ? clock(ctx) : 0; }
  bool running() const { return (reg_a_ & 0x70) == 0x20; }
  // Periodic interval in 32.768 kHz ticks (0: none) from RS3-RS0.
  u32 period_ticks() const;
  void sync(u64 t);
  void advance(u64 seconds);
  bool alarm_matches() const;
  u8 read_hour() const;
  void update_irq();
  u8 encode(u8 v) const;
  u8 decode(u8 v) const;
  u8 read_reg(u8 index);
  void write_reg(u8 index, u8 v);
  u8 days_in_month() const;

  u8 cmos_[128] = {};
  u8 index_ = 0;
  bool nmi_masked_ = false;
  u8 reg_a_ = 0x26, reg_b_ = kB24h, reg_c_ = 0;
  // Binary time fields: hour 0-23, wday 1-7 (1 = Sunday), year 0-99.
  u8 sec_ = 0, min_ = 0, hour_ = 0, wday_ = 5, mday_ = 1, month_ = 1, year_ = 70;
  // Divider phase: update cycles end at origin_ + k s (k >= 0); periodic
  // flags at div_start_ + k * period (k >= 1), div_start_ being when the
  // divider left reset. `synced_` is the time flags and clock were last
  // brought up to.
  u64 origin_ = 0, div_start_ = 0, synced_ = 0;
  bool line_ = false;
};

}  // namespace pc64
