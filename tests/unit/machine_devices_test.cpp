// The minimal machine's devices: 8259A, 8254, 16550A, isa-debug-exit and
// the port dispatch, driven through Machine::io_in/io_out as a guest would.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "machine/machine.h"

namespace pc64 {
namespace {

struct Rig {
  std::vector<u8> ram = std::vector<u8>(1 << 20);
  std::unique_ptr<Machine> m = std::make_unique<Machine>();
  std::string serial;
  Rig() {
    m->attach_ram(ram.data(), ram.size());
    m->com1.out.put = [](void* ctx, u8 b) { static_cast<std::string*>(ctx)->push_back((char)b); };
    m->com1.out.ctx = &serial;
  }
  void out(u16 p, u8 v) { m->io_out(p, 1, v); }
  u32 in(u16 p) { return m->io_in(p, 1); }
};

TEST(MachineUart, TransmitsAndReportsIdleLine) {
  Rig r;
  r.out(0x3f8, 'h');
  r.out(0x3f8, 'i');
  EXPECT_EQ(r.serial, "hi");
  EXPECT_EQ(r.in(0x3fd) & 0x60, 0x60u);
  r.out(0x3fb, 0x80);  // DLAB: port 0 is the divisor latch, not THR
  r.out(0x3f8, 0x01);
  EXPECT_EQ(r.in(0x3f8), 0x01u);
  r.out(0x3fb, 0x03);
  EXPECT_EQ(r.serial, "hi");
}

TEST(MachineUart, LoopbackAndScratch) {
  Rig r;
  r.out(0x3fc, 0x10);  // MCR loop
  r.out(0x3f8, 0xae);
  EXPECT_EQ(r.in(0x3fd) & 1, 1u);
  EXPECT_EQ(r.in(0x3f8), 0xaeu);
  EXPECT_EQ(r.serial, "");
  r.out(0x3ff, 0x42);
  EXPECT_EQ(r.in(0x3ff), 0x42u);
}

TEST(MachinePorts, UnmappedReadsOnesAndWideAccessesSplit) {
  Rig r;
  EXPECT_EQ(r.m->io_in(0x3e0, 1), 0xffu);
  EXPECT_EQ(r.m->io_in(0x3e0, 4), 0xffffffffu);
  r.out(0x3ff, 0x12);
  EXPECT_EQ(r.m->io_in(0x3fe, 2) >> 8, 0x12u);  // 16-bit read of 0x3fe: MSR, then SCR
}

TEST(MachineDebugExit, StatusIsValueTimesTwoPlusOne) {
  Rig r;
  EXPECT_FALSE(r.m->debug_exit.requested);
  r.m->io_out(0xf4, 1, 0x21);
  EXPECT_TRUE(r.m->debug_exit.requested);
  EXPECT_EQ(r.m->exit_status(), 0x43);
  EXPECT_EQ(r.m->cpu.exit, ExitReason::Stop);
}

TEST(MachinePic, InitSequenceVectorsAndEoi) {
  Rig r;
  r.out(0x20, 0x11);  // ICW1: edge, cascade, ICW4
  r.out(0x21, 0x20);  // ICW2: vectors 0x20-0x27
  r.out(0x21, 0x04);  // ICW3
  r.out(0x21, 0x01);  // ICW4: 8086 mode
  r.out(0x21, 0xfe);  // mask all but IRQ0
  EXPECT_EQ(r.in(0x21), 0xfeu);
  Pic8259& p = r.m->pic_master;
  p.set_irq(1, true);
  EXPECT_EQ(p.pending(), -1);  // masked
  p.set_irq(0, true);
  EXPECT_EQ(p.pending(), 0);
  EXPECT_EQ(p.acknowledge(), 0x20);
  EXPECT_EQ(p.isr, 1);
  r.out(0x20, 0x0b);  // OCW3: read ISR
  EXPECT_EQ(r.in(0x20), 1u);
  p.set_irq(0, false);
  p.set_irq(0, true);
  EXPECT_EQ(p.pending(), -1);  // IRQ0 in service blocks itself
  r.out(0x20, 0x20);  // non-specific EOI
  EXPECT_EQ(p.isr, 0);
  EXPECT_EQ(p.pending(), 0);
  r.out(0x20, 0x0a);  // OCW3: read IRR
  EXPECT_EQ(r.in(0x20), 3u);
}

TEST(MachinePit, Mode0CountsDownAndRaisesOut) {
  Rig r;
  r.out(0x61, 0x01);  // gate 2 on
  r.out(0x43, 0xb0);  // counter 2, lobyte/hibyte, mode 0
  r.out(0x42, 0xe8);
  r.out(0x42, 0x03);  // 1000 clocks
  EXPECT_EQ(r.in(0x61) & 0x20, 0u);
  r.m->cpu.icount += 419000;  // ~500 clocks of virtual time
  r.out(0x43, 0x80);          // latch counter 2
  const u32 lo = r.in(0x42), hi = r.in(0x42);
  const u32 v = lo | (hi << 8);
  EXPECT_GT(v, 490u);
  EXPECT_LT(v, 510u);
  EXPECT_EQ(r.in(0x61) & 0x20, 0u);
  r.m->cpu.icount += 500000;
  EXPECT_EQ(r.in(0x61) & 0x20, 0x20u);
}

TEST(MachinePit, ReadBackStatus) {
  Rig r;
  r.out(0x43, 0x34);  // counter 0, lobyte/hibyte, mode 2
  r.out(0x40, 0x00);
  r.out(0x40, 0x10);
  r.out(0x43, 0xe2);  // read-back: status only, counter 0
  EXPECT_EQ(r.in(0x40), 0x80u | 0x30u | (2u << 1));
}

}  // namespace
}  // namespace pc64
