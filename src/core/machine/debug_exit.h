// isa-debug-exit: the test device QEMU offers at a chosen port (0xf4 by
// convention). A write of value C ends the emulator with exit status
// (C << 1) | 1, so a guest can never exit with status 0 and a test harness
// can tell "the guest asked to stop" from "the emulator failed".
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class DebugExit : public IoDevice {
 public:
  static constexpr u16 kPort = 0xf4;
  bool requested = false;
  int status = 0;

  u32 io_read(u16 port, int size) override { (void)port; (void)size; return 0; }
  void io_write(u16 port, int size, u32 v) override {
    (void)port;
    // QEMU takes the whole access (1, 2 or 4 bytes wide); the status is
    // what a POSIX exit() makes of it, i.e. its low 8 bits.
    v &= (u32)width_mask(size);
    status = (int)(((v << 1) | 1) & 0xff);
    requested = true;
  }
};

}  // namespace pc64
