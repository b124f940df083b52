// RamBus: the smallest machine a test program needs: one block of zeroed
// guest RAM at physical address 0 and a debug console on port 0xE9 (the
// Bochs/QEMU convention) that collects the bytes the guest writes.
#pragma once
#include <cstdlib>
#include <string>

#include "cpu/cpu.h"

namespace pc64 {

class RamBus : public Bus {
 public:
  static constexpr u16 kDebugConsolePort = 0xE9;

  RamBus() = default;
  RamBus(const RamBus&) = delete;
  RamBus& operator=(const RamBus&) = delete;
  ~RamBus() override { std::free(ram); }

  // Allocates `bytes` of zeroed RAM (lazily backed by the OS); false if the
  // host cannot give that much.
  bool allocate(u64 bytes) {
    std::free(ram);
    ram = static_cast<u8*>(std::calloc(1, bytes));
    ram_size = ram ? bytes : 0;
    return ram != nullptr;
  }

  void io_out(u16 port, int size, u32 v) override {
    if (port == kDebugConsolePort) console.push_back(static_cast<char>(v & 0xff));
    (void)size;
  }

  std::string console;
};

}  // namespace pc64
