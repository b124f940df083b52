// A 16550A UART (National Semiconductor PC16550D datasheet, "Register
// Description"): enough for a guest that polls the line status register and
// writes the transmit holding register. Transmitted bytes go to a ByteSink;
// there is no receive path from the host yet, but loopback mode (MCR bit 4)
// works, as probe code uses it to detect the chip.
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class Uart16550 : public IoDevice {
 public:
  explicit Uart16550(u16 base) : base_(base) {}
  u16 base() const { return base_; }
  ByteSink out;

  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;

 private:
  bool dlab() const { return lcr_ & 0x80; }
  u16 base_;
  u8 ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
  u8 dll_ = 0x0c, dlm_ = 0;  // 9600 baud
  u8 rbr_ = 0;
  bool rx_ready_ = false;
  bool thr_irq_ = false;  // THRE interrupt pending (cleared by reading IIR)
};

}  // namespace pc64
