// The IOAPIC (82093AA datasheet) and the HPET (IA-PC HPET spec 1.0a)
// through the machine: registers, edge/level delivery with remote IRR and
// EOI, ISA wiring (IRQ0 -> pin 2), HPET counter, one-shot, periodic,
// 32-bit and legacy-replacement modes, and hostile register writes.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "machine/machine.h"

namespace pc64 {
namespace {

constexpr u64 kIo = 0xfec00000, kHpet = 0xfed00000, kApic = 0xfee00000;

struct Rig {
  std::vector<u8> ram = std::vector<u8>(1 << 20);
  std::unique_ptr<Machine> m = std::make_unique<Machine>();
  Rig() {
    m->attach_ram(ram.data(), ram.size());
    m->mmio_write(kApic + 0xf0, 4, 0x1ff);  // APIC software-enabled
  }
  u32 io_rd(u8 idx) {
    m->mmio_write(kIo, 4, idx);
    return (u32)m->mmio_read(kIo + 0x10, 4);
  }
  void io_wr(u8 idx, u32 v) {
    m->mmio_write(kIo, 4, idx);
    m->mmio_write(kIo + 0x10, 4, v);
  }
  void redir(int pin, u64 v) {
    io_wr((u8)(0x10 + 2 * pin), (u32)v);
    io_wr((u8)(0x11 + 2 * pin), (u32)(v >> 32));
  }
  u64 h_rd(u32 off) { return m->mmio_read(kHpet + off, 8); }
  void h_wr(u32 off, u64 v) { m->mmio_write(kHpet + off, 8, v); }
  bool intr() const { return (m->cpu.attention & Cpu::kAttnIntr) != 0; }
  void eoi() { m->mmio_write(kApic + 0xb0, 4, 0); }
  void advance(u64 ns) { m->cpu.icount += ns; }
};

TEST(MachineIoapic, Registers) {
  Rig r;
  EXPECT_EQ(r.io_rd(0x01), 0x00170011u);
  EXPECT_EQ(r.io_rd(0x10), 0x10000u);  // masked at reset
  r.io_wr(0x00, 0xff000000);
  EXPECT_EQ(r.io_rd(0x00), 0x0f000000u);
  EXPECT_EQ(r.io_rd(0x02), 0x0f000000u);
  r.redir(5, 0xff0000000001f0ffull);  // try to set delivery status and remote IRR too
  EXPECT_EQ(r.io_rd(0x10 + 10), 0x0001a0ffu);
  EXPECT_EQ(r.io_rd(0x11 + 10), 0xff000000u);
  EXPECT_EQ(r.io_rd(0x40), 0u);  // beyond entry 23
  EXPECT_EQ(r.m->mmio_read(kIo, 1), 0x40u);  // IOREGSEL (last selected)
}

TEST(MachineIoapic, EdgeFromIsaIrqWithPin2Override) {
  Rig r;
  r.m->io_out(0x21, 1, 0xff);  // PIC masked anyway
  r.redir(2, 0x30);            // pin 2: vector 0x30, edge, physical dest 0
  r.m->set_isa_irq(0, true);
  r.m->set_isa_irq(0, false);
  r.m->update_intr();
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x30);
  r.eoi();
  r.redir(2, 0x10030);  // masked: an edge is lost
  r.m->set_isa_irq(0, true);
  r.m->set_isa_irq(0, false);
  r.redir(2, 0x30);
  EXPECT_FALSE(r.intr());
}

TEST(MachineIoapic, LevelRemoteIrrAndEoi) {
  Rig r;
  r.redir(9, 0x8031);  // level, vector 0x31
  r.m->ioapic.set_pin(9, true);
  EXPECT_TRUE(r.intr());
  EXPECT_TRUE(r.io_rd(0x10 + 18) & (1u << 14));  // remote IRR
  EXPECT_EQ(r.m->intr_ack(), 0x31);
  EXPECT_EQ(r.m->mmio_read(kApic + 0x180 + 0x10, 4) >> 17 & 1, 1u);  // TMR bit 0x31
  r.eoi();  // still asserted: delivered again
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x31);
  r.m->ioapic.set_pin(9, false);
  r.eoi();
  EXPECT_FALSE(r.io_rd(0x10 + 18) & (1u << 14));
  EXPECT_FALSE(r.intr());
}

TEST(MachineIoapic, DestinationMismatchDrops) {
  Rig r;
  r.redir(4, 0x0500000000000034ull);  // physical APIC 5: nobody
  r.m->ioapic.set_pin(4, true);
  EXPECT_FALSE(r.intr());
}

TEST(MachineHpet, CapabilitiesAndCounter) {
  Rig r;
  const u64 cap = r.h_rd(0);
  EXPECT_EQ(cap >> 32, 10000000u);       // 10 ns period
  EXPECT_EQ((cap >> 8) & 31, 2u);        // 3 timers
  EXPECT_TRUE(cap & (1u << 13));         // 64-bit
  EXPECT_TRUE(cap & (1u << 15));         // legacy route capable
  EXPECT_EQ(r.h_rd(0x100) & 0x30, 0x30u);  // timer 0: periodic, 64-bit capable
  EXPECT_EQ(r.h_rd(0x120) & 0x30, 0x20u);  // timer 1: one-shot only
  EXPECT_EQ(r.h_rd(0xf0), 0u);
  r.advance(1000);
  EXPECT_EQ(r.h_rd(0xf0), 0u);  // halted
  r.h_wr(0x10, 1);
  r.advance(1000);
  EXPECT_EQ(r.h_rd(0xf0), 100u);
  r.h_wr(0x10, 0);
  r.advance(1000);
  EXPECT_EQ(r.h_rd(0xf0), 100u);
  r.h_wr(0xf0, 0x1234);
  EXPECT_EQ(r.m->mmio_read(kHpet + 0xf0, 4), 0x1234u);
  EXPECT_EQ(r.m->mmio_read(kHpet + 0xf4, 4), 0u);
}

TEST(MachineHpet, OneShotLevelToIoapic) {
  Rig r;
  r.redir(20, 0x8040);  // pin 20 level, vector 0x40
  r.h_wr(0x100, (20u << 9) | 4 | 2);  // route 20, enable, level
  r.h_wr(0x108, 50);
  r.h_wr(0x10, 1);
  EXPECT_EQ(r.m->hpet.next_event_ns(), r.m->now_ns() + 500);
  r.advance(499);
  r.m->hpet.poll();
  EXPECT_FALSE(r.intr());
  r.advance(1);
  r.m->hpet.poll();
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.h_rd(0x20), 1u);
  EXPECT_EQ(r.m->intr_ack(), 0x40);
  r.h_wr(0x20, 1);  // clear status: the line falls
  r.eoi();
  EXPECT_FALSE(r.intr());
  EXPECT_EQ(r.m->hpet.next_event_ns(), Hpet::kNever);
}

TEST(MachineHpet, PeriodicLegacyToPic) {
  Rig r;
  r.m->io_out(0x20, 1, 0x11);
  r.m->io_out(0x21, 1, 0x20);
  r.m->io_out(0x21, 1, 0x04);
  r.m->io_out(0x21, 1, 0x01);
  r.m->io_out(0x21, 1, 0xfe);
  r.h_wr(0x100, 4 | 8 | 0x40);  // enable, periodic, VAL_SET
  r.h_wr(0x108, 100);           // comparator and period
  r.h_wr(0x10, 3);              // enable + legacy route
  EXPECT_TRUE(r.m->hpet.legacy());
  int ticks = 0;
  for (int i = 0; i < 10; ++i) {
    r.advance(500);
    r.m->hpet.poll();
    r.m->update_intr();
    if (r.intr()) {
      EXPECT_EQ(r.m->intr_ack(), 0x20);
      r.m->io_out(0x20, 1, 0x20);
      ++ticks;
    }
  }
  EXPECT_EQ(ticks, 5);  // every 1000 ns
  EXPECT_EQ(r.h_rd(0x108), 600u);
}

TEST(MachineHpet, ThirtyTwoBitModeWraps) {
  Rig r;
  r.h_wr(0xf0, 0xfffffff0ull);
  r.h_wr(0x120, (21u << 9) | 4 | 0x100);  // timer 1: route 21, enable, 32-bit
  r.h_wr(0x128, 0xffffffff00000010ull);    // high half dropped in 32-bit mode
  EXPECT_EQ(r.h_rd(0x128), 0x10u);
  r.h_wr(0x10, 1);
  // Match at counter 0x1_00000010: 0x20 counts away.
  EXPECT_EQ(r.m->hpet.next_event_ns(), r.m->now_ns() + 0x20 * 10);
}

TEST(MachineHpet, HostileWrites) {
  Rig r;
  const u64 vals[] = {0, ~0ull, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull, 3, 0x100};
  for (u64 v : vals)
    for (u32 off = 0; off < 0x1000; off += 4) {
      r.m->mmio_write(kHpet + off, 8, v);
      r.m->mmio_write(kHpet + off, 4, v);
      r.m->mmio_write(kHpet + off + 1, 2, v);
      r.m->mmio_read(kHpet + off, 8);
      r.m->mmio_write(kIo + (off & 0xff), 4, v);
      r.m->mmio_write(kIo + 0x10, 4, v);
      r.m->mmio_read(kIo + 0x10, 4);
    }
  r.h_wr(0x10, 3);
  for (int i = 0; i < 100; ++i) {
    r.advance(1ull << 33);
    r.m->hpet.poll();
    r.m->lapic.poll();
    for (int k = 0; k < 300 && r.intr(); ++k) {
      r.m->intr_ack();
      r.eoi();
      r.m->io_out(0x20, 1, 0x20);
    }
  }
  for (int p = -5; p < 40; ++p) r.m->ioapic.set_pin(p, (p & 1) != 0);
}

}  // namespace
}  // namespace pc64
