// The flat test machine shared by the hand-written interpreter tests:
// 1 MiB of RAM, no paging, exceptions stop the run loop.
#pragma once
#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "cpu/cpu.h"

namespace pc64::test {

struct Machine {
  std::vector<u8> ram = std::vector<u8>(1 << 20);
  Bus bus;
  Cpu cpu;
  // code_size 8 / 4 / 2 (2: 16-bit code and stack segments in protected mode).
  explicit Machine(int code_size, int cpl = 0) {
    bus.ram = ram.data();
    bus.ram_size = ram.size();
    cpu.bus = &bus;
    cpu.set_flat_mode(code_size == 2 ? 4 : code_size, cpl);
    if (code_size == 2) {
      cpu.s.seg[CS].attr &= ~kSegDB;
      cpu.s.seg[SS].attr &= ~kSegDB;
      cpu.update_mode();
    }
    cpu.stop_on_exception = true;
    cpu.s.gpr[RSP] = 0x8000;
  }
  // Places code at `at` and points RIP there.
  void load(u64 at, std::initializer_list<u8> bytes) {
    std::copy(bytes.begin(), bytes.end(), ram.begin() + at);
    cpu.s.rip = at;
  }
  ExitReason run(u64 n) { return cpu.run(n); }
  // Places code at 0x1000 and runs `n` instructions.
  ExitReason run(std::initializer_list<u8> bytes, u64 n = 1) {
    load(0x1000, bytes);
    return cpu.run(n);
  }
  u64& r(int g) { return cpu.s.gpr[g]; }
  u64 flags() const { return cpu.rflags() & kArithFlags; }
  void set_flags(u64 f) { cpu.set_rflags((cpu.rflags() & ~(u64)kArithFlags) | f); }
  bool faulted_with(u8 vec) const { return cpu.exit == ExitReason::Exception && cpu.fault_vec == vec; }
  template <typename T> T m(u64 a) const { T v; std::memcpy(&v, &ram[a], sizeof v); return v; }
  template <typename T> void put(u64 a, T v) { std::memcpy(&ram[a], &v, sizeof v); }
  u64 mem64(u64 a) const { return m<u64>(a); }
  void set_mem64(u64 a, u64 v) { put<u64>(a, v); }
};

}  // namespace pc64::test
