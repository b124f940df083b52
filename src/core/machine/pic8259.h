// One Intel 8259A programmable interrupt controller (8259A datasheet,
// "Programming the 8259A"). The PC has two, cascaded on IR2 of the master.
// Edge-triggered mode with fixed or rotating priority, AEOI, specific and
// non-specific EOI, IRR/ISR reads via OCW3. Special mask mode and poll mode
// are accepted and ignored (poll reads return the highest request).
//
// The machine (machine.cpp) turns pending() into the CPU's INTR pin and
// calls acknowledge() for the CPU's interrupt acknowledge cycle.
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class Pic8259 : public IoDevice {
 public:
  Pic8259(u16 base, bool master) : base_(base), master_(master) {}

  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;

  // Drives input line `irq` (0..7). A rising edge latches a request in IRR.
  void set_irq(int irq, bool level);
  // Highest-priority request that is unmasked and not blocked by an
  // in-service line of equal or higher priority; -1 if none.
  int pending() const;
  // Whether a request on `irq` would get through the mask and the
  // in-service priorities now (what a HLT waiting for it needs).
  bool could_raise(int irq) const;
  // Interrupt acknowledge: moves the request to ISR (unless AEOI) and
  // returns the vector.
  u8 acknowledge();

  u8 imr = 0xff, irr = 0, isr = 0;
  u8 vector_base = 0;

 private:
  int priority_of(int irq) const { return (irq - lowest_ - 1) & 7; }  // 0 = highest
  int highest_in(u8 bits) const;
  u16 base_;
  bool master_;
  u8 lines_ = 0;        // current input levels (for edge detection)
  u8 lowest_ = 7;       // line with the lowest priority (rotation)
  u8 init_step_ = 0;    // 0: operational; 2..4: expecting ICW2..ICW4
  bool need_icw3_ = false, need_icw4_ = false;
  bool aeoi_ = false, read_isr_ = false, poll_ = false;
  bool rotate_aeoi_ = false;
};

}  // namespace pc64
