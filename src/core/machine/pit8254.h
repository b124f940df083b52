// The Intel 8254 programmable interval timer (8254 datasheet): three 16-bit
// counters at 1.193182 MHz on ports 0x40-0x42, the control word at 0x43.
// Counters are computed from virtual time when read, not ticked: a counter
// remembers when it was loaded, and its value and OUT follow from the
// elapsed input clocks. Modes 0-5, LSB/MSB/word access, counter latch and
// the read-back command are modelled; BCD counting is accepted but counts
// in binary. Counter 2's gate is port 0x61 bit 0; counters 0 and 1 are
// always gated on.
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class Pit8254 : public IoDevice {
 public:
  static constexpr u64 kHz = 1193182;

  // Virtual time source in nanoseconds (set by the machine).
  u64 (*clock)(void* ctx) = nullptr;
  void* clock_ctx = nullptr;

  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;

  bool out(int counter) const;  // the counter's OUT pin now
  void set_gate2(bool on);

  // Input clocks since virtual time 0, and the first clock after `t` at
  // which the counter's OUT rises (kNever if it will not without a new
  // count). OUT0 drives IRQ0 (machine.cpp).
  static constexpr u64 kNever = ~0ull;
  u64 ticks() const;
  u64 next_rise(int counter, u64 t) const;
  // Virtual time in ns of input clock `tick` (the first ns at which ticks() reaches it).
  static u64 tick_ns(u64 tick);

 private:
  struct Counter {
    u8 mode = 0, rw = 3;       // rw: 1 LSB, 2 MSB, 3 LSB then MSB
    bool bcd = false;
    bool armed = false;        // a count has been written since the control word
    bool gate = true;
    u32 reload = 0x10000;
    u64 start = 0;             // tick at which counting began
    u16 frozen = 0;            // value while the gate is low
    bool write_msb = false, read_msb = false;
    u8 write_lsb = 0;
    bool latched = false;
    u16 latch = 0;
    bool status_latched = false;
    u8 status = 0;
  };
  u16 value(const Counter& c, u64 t) const;
  bool out_at(const Counter& c, u64 t) const;
  void latch_count(Counter& c);
  Counter ctr_[3];
};

}  // namespace pc64
