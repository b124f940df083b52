// IoDevice: what a device on the ISA port space implements. The machine's
// port table maps each of the 65536 ports to at most one device.
#pragma once
#include "base/base.h"

namespace pc64 {

class IoDevice {
 public:
  virtual ~IoDevice() = default;
  // `port` is the absolute port number; `size` is 1, 2 or 4. A device that
  // registers as byte-wide only ever sees size 1 (the machine splits wider
  // accesses into consecutive byte ports, as the ISA bus does).
  virtual u32 io_read(u16 port, int size) = 0;
  virtual void io_write(u16 port, int size, u32 v) = 0;
};

// MmioDevice: a device in physical address space above RAM. `off` is the
// offset in the region the machine mapped it at; `size` is 1, 2, 4 or 8
// (wider or page-crossing accesses arrive as single bytes).
class MmioDevice {
 public:
  virtual ~MmioDevice() = default;
  virtual u64 mmio_read(u64 off, int size) = 0;
  virtual void mmio_write(u64 off, int size, u64 v) = 0;
};

// Where a device's output bytes go (the host's terminal, a test buffer).
struct ByteSink {
  void (*put)(void* ctx, u8 byte) = nullptr;
  void* ctx = nullptr;
  void operator()(u8 b) const {
    if (put) put(ctx, b);
  }
};

}  // namespace pc64
