// The High Precision Event Timer (IA-PC HPET Specification 1.0a) at
// 0xFED00000: one 64-bit main counter and three comparators.
//
// Choices (reported in GCAP_ID, §2.3.4): revision 1, three timers, a
// 64-bit counter, legacy replacement route capable, vendor 8086H, and a
// 100 MHz counter (period 10 ns = 10,000,000 fs), counted from the
// machine's virtual nanoseconds. Timer 0 is periodic-capable; timers 1
// and 2 are one-shot only. All comparators are 64-bit capable with the
// 32-bit mode (Tn_32MODE_CNF). Interrupt routing (Tn_INT_ROUTE_CAP):
// IOAPIC pins 20-23 for every timer (free pins on this board), plus the
// legacy replacement route (LEG_RT_CNF: timer 0 -> IRQ0 / IOAPIC pin 2,
// timer 1 -> IRQ8 / pin 8; §2.3.8). No FSB (MSI) delivery.
//
// Registers are 64-bit; 32-bit accesses to either half work (§2.3.1),
// other sizes read the addressed bytes and are dropped on write.
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class Hpet : public MmioDevice {
 public:
  static constexpr u64 kBase = 0xfed00000ull;
  static constexpr int kTimers = 3;
  static constexpr u64 kPeriodFs = 10000000;  // 10 ns
  static constexpr u64 kNever = ~0ull;
  static constexpr u32 kRouteCap = 0x00f00000;  // IOAPIC pins 20-23

  u64 (*clock)(void* ctx) = nullptr;  // virtual ns
  // Drives an interrupt line: `irq` is an IOAPIC pin, or with `legacy` an
  // ISA IRQ (0 or 8) that reaches the PIC and the IOAPIC alike.
  void (*irq)(void* ctx, int line, bool legacy, bool level) = nullptr;
  void* ctx = nullptr;

  void reset();
  u64 mmio_read(u64 off, int size) override;
  void mmio_write(u64 off, int size, u64 v) override;

  bool enabled() const { return config_ & 1; }
  bool legacy() const { return (config_ & 3) == 3; }  // legacy routes in force
  u64 counter() const;
  // Fires the timers that are due; the virtual ns of the next match.
  void poll();
  u64 next_event_ns() const;
  // The next match would raise an interrupt (HLT wake-up).
  bool can_interrupt() const;

 private:
  struct Timer {
    u64 config = 0, cmp = ~0ull, period = 0;
    u64 next = kNever;  // main-counter value of the next match
  };
  u64 read64(u64 off) const;
  void write64(u64 off, u64 v, u64 mask);
  void set_counter(u64 v);
  void rearm(int n);
  void fire(int n);
  void line(int n, bool level);
  int route(int n, bool* legacy) const;
  u64 config_ = 0, isr_ = 0;
  // Main counter: value `base_` at virtual time `t0_` while enabled.
  u64 base_ = 0, t0_ = 0;
  Timer t_[kTimers];
};

}  // namespace pc64
