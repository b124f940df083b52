// The machine clock (docs/PLATFORM.md "Time"): deterministic virtual time
// with -icount shifts, the host clock with MachineStop::Idle for HLT, and
// the TSC following whichever is chosen.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "cpu/system/descriptors.h"
#include "machine/machine.h"

namespace pc64 {
namespace {

struct Rig {
  std::vector<u8> ram = std::vector<u8>(1 << 20);
  std::unique_ptr<Machine> m = std::make_unique<Machine>();
  u64 host = 5000000;  // the fake host clock, ns
  Rig() {
    m->attach_ram(ram.data(), ram.size());
    m->host_clock = [](void* ctx) { return ((Rig*)ctx)->host; };
    m->host_ctx = this;
    Cpu& c = m->cpu;
    load_real_segment(c, CS, 0);
    load_real_segment(c, DS, 0);
    load_real_segment(c, SS, 0);
    c.s.gpr[RSP] = 0x8000;
    c.s.rip = 0x1000;
  }
  void code(std::initializer_list<u8> b) { std::copy(b.begin(), b.end(), ram.begin() + 0x1000); }
  // PIT counter 0, mode 2, `count` clocks; IRQ0 unmasked at vector 8,
  // whose handler (at 0x2000) sends EOI and returns.
  void pit_irq0(u16 count) {
    const u8 h[] = {0xb0, 0x20, 0xe6, 0x20, 0xcf};  // mov al,20h; out 20h,al; iret
    std::copy(h, h + sizeof h, ram.begin() + 0x2000);
    ram[8 * 4 + 1] = 0x20;
    const u8 seq[] = {0x11, 0x08, 0x04, 0x01, 0xfe};
    for (int i = 0; i < 5; ++i) m->io_out(i ? 0x21 : 0x20, 1, seq[i]);
    m->io_out(0xa1, 1, 0xff);
    m->io_out(0x43, 1, 0x34);
    m->io_out(0x40, 1, count & 0xff);
    m->io_out(0x40, 1, count >> 8);
  }
};

TEST(MachineClock, VirtualShiftScalesTimeAndTsc) {
  Rig r;
  r.code({0xeb, 0xfe});  // jmp $
  r.m->set_clock(ClockMode::Virtual, 3);
  r.m->run(1000);
  EXPECT_EQ(r.m->cpu.icount, 1000u);
  EXPECT_EQ(r.m->now_ns(), 8000u);
  EXPECT_EQ(r.m->cpu.tsc(), 8000u);
}

TEST(MachineClock, HostClockDrivesTimeAndTsc) {
  Rig r;
  r.code({0xeb, 0xfe});
  r.m->run(100);  // virtual: 100 ns
  r.m->set_clock(ClockMode::Host);
  EXPECT_EQ(r.m->now_ns(), 100u);  // continues from where it was
  r.host += 2500;
  r.m->run(100);
  EXPECT_EQ(r.m->now_ns(), 2600u);
  EXPECT_EQ(r.m->cpu.tsc(), 2600u);
}

// Virtual: HLT skips to the PIT's IRQ0; host: HLT returns Idle with the
// time of that event, and nothing runs until the host clock gets there.
TEST(MachineClock, HltSkipsOrWaits) {
  for (bool host : {false, true}) {
    Rig r;
    r.code({0xfb, 0xf4, 0xeb, 0xfe});  // sti; hlt; jmp $
    r.pit_irq0(1193);                  // ~1 ms
    if (host) r.m->set_clock(ClockMode::Host);
    MachineStop st = r.m->run(100);
    if (!host) {
      EXPECT_EQ(st, MachineStop::Budget);
      EXPECT_GE(r.m->now_ns(), 999000u);  // the skip reached the IRQ0 edge
      EXPECT_EQ(r.m->cpu.s.rip, 0x1002u);  // woke, handled IRQ0, on to jmp $
      continue;
    }
    ASSERT_EQ(st, MachineStop::Idle);
    const u64 until = r.m->idle_until_ns();
    EXPECT_GE(until, 999000u);
    EXPECT_LE(until, 1001000u);
    EXPECT_EQ(r.m->run(100), MachineStop::Idle);  // still the same time
    EXPECT_TRUE(r.m->cpu.s.halted);
    r.host += until;  // the host waited
    EXPECT_EQ(r.m->run(100), MachineStop::Budget);
    EXPECT_EQ(r.m->cpu.s.rip, 0x1002u);
  }
}

}  // namespace
}  // namespace pc64
