// PCI configuration mechanism #1, the i440FX/PIIX3/PIIX4 functions, BAR
// sizing and PIRQ routing, driven through the machine's ports as a guest
// would (pci.h, i440fx.h, piix3.h, piix4_pm.h).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "machine/machine.h"

namespace pc64 {
namespace {

struct Rig {
  std::vector<u8> ram = std::vector<u8>(2 << 20);
  std::unique_ptr<Machine> m = std::make_unique<Machine>();
  Rig() { m->attach_ram(ram.data(), ram.size()); }
  static u32 addr(int bus, int dev, int fn, int reg) {
    return 0x80000000u | (u32)bus << 16 | (u32)dev << 11 | (u32)fn << 8 | (u32)(reg & 0xfc);
  }
  u32 rd(int bus, int dev, int fn, int reg, int size) {
    m->io_out(0xcf8, 4, addr(bus, dev, fn, reg));
    return m->io_in((u16)(0xcfc + (reg & 3)), size);
  }
  void wr(int bus, int dev, int fn, int reg, int size, u32 v) {
    m->io_out(0xcf8, 4, addr(bus, dev, fn, reg));
    m->io_out((u16)(0xcfc + (reg & 3)), size, v);
  }
};

TEST(Pci, ConfigAddressReadsBackWithReservedBitsZero) {
  Rig r;
  r.m->io_out(0xcf8, 4, 0xffffffffu);
  EXPECT_EQ(r.m->io_in(0xcf8, 4), 0x80fffffcu);  // PCI 3.0 §3.2.2.3.2
  r.m->io_out(0xcf8, 4, 0x12345678u);
  EXPECT_EQ(r.m->io_in(0xcf8, 4), 0x00345678u);
  // Byte and word accesses to 0xCF8-0xCFB are not CONFIG_ADDRESS.
  r.m->io_out(0xcf8, 2, 0xffff);
  r.m->io_out(0xcfa, 1, 0xff);
  EXPECT_EQ(r.m->io_in(0xcf8, 4), 0x00345678u);
  EXPECT_EQ(r.m->io_in(0xcf8, 1), 0xffu);
  EXPECT_EQ(r.m->io_in(0xcfa, 2), 0xffffu);
}

TEST(Pci, ChipsetIdentity) {
  Rig r;
  EXPECT_EQ(r.rd(0, 0, 0, 0, 4), 0x12378086u);
  EXPECT_EQ(r.rd(0, 0, 0, 8, 4), 0x06000002u);
  EXPECT_EQ(r.rd(0, 1, 0, 0, 4), 0x70008086u);
  EXPECT_EQ(r.rd(0, 1, 0, 8, 4), 0x06010000u);
  EXPECT_EQ(r.rd(0, 1, 0, 0x0e, 1), 0x80u);  // multi-function
  EXPECT_EQ(r.rd(0, 1, 3, 0, 4), 0x71138086u);
  EXPECT_EQ(r.rd(0, 1, 3, 8, 4), 0x06800003u);
  // Every byte and word of the ID dword, at every CONFIG_DATA port.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r.rd(0, 0, 0, i, 1), (0x12378086u >> (8 * i)) & 0xff);
  EXPECT_EQ(r.rd(0, 0, 0, 1, 2), 0x3780u);
  EXPECT_EQ(r.rd(0, 0, 0, 2, 2), 0x1237u);
}

TEST(Pci, AbsentFunctionsBusesAndDisabledAccessesReadOnes) {
  Rig r;
  for (int dev = 0; dev < 32; ++dev)
    for (int fn = 0; fn < 8; ++fn) {
      const bool present = (dev == 0 && fn == 0) || (dev == 1 && (fn == 0 || fn == 3));
      EXPECT_EQ(r.rd(0, dev, fn, 0, 4) == 0xffffffffu, !present) << dev << "." << fn;
    }
  for (int bus = 1; bus < 256; bus += 17) EXPECT_EQ(r.rd(bus, 0, 0, 0, 4), 0xffffffffu);
  r.wr(5, 0, 0, 0x04, 2, 0);  // a write to an absent bus changes nothing
  EXPECT_EQ(r.rd(0, 0, 0, 0x04, 2), 0x0006u);
  r.m->io_out(0xcf8, 4, 0x00000000u);  // enable clear: CONFIG_DATA is plain I/O
  EXPECT_EQ(r.m->io_in(0xcfc, 4), 0xffffffffu);
  r.m->io_out(0xcf8, 4, 0x00000060u | (1u << 11));  // PIRQRCA of 00:01.0, disabled
  r.m->io_out(0xcfc, 1, 0x05);
  EXPECT_EQ(r.rd(0, 1, 0, 0x60, 1), 10u);
}

TEST(Pci, AccessesCrossingTheDataWindowEndReadOnesPastIt) {
  Rig r;
  r.m->io_out(0xcf8, 4, Rig::addr(0, 0, 0, 0));
  EXPECT_EQ(r.m->io_in(0xcff, 2), 0xff12u);  // 0xCFF is config byte 3; 0xD00 is nothing
  EXPECT_EQ(r.m->io_in(0xcfd, 4), 0xff123780u);
  r.m->io_out(0xcfe, 4, 0xffffffffu);  // read-only ID: unchanged
  EXPECT_EQ(r.rd(0, 0, 0, 0, 4), 0x12378086u);
}

// Every write, at every offset and size, to every function: only the bits
// the write masks allow change, RW1C bits only clear, and the identity
// stays.
TEST(Pci, HostileWritesEverywhereRespectTheMasks) {
  Rig r;
  const int fns[3][2] = {{0, 0}, {1, 0}, {1, 3}};
  for (auto& f : fns) {
    PciDevice* d = r.m->pci.at(0, f[0], f[1]);
    ASSERT_NE(d, nullptr);
    for (int size : {1, 2, 4}) {
      for (int off = 0; off < 256; off += size) {
        for (u32 v : {0xffffffffu, 0u, 0xa5a5a5a5u}) {
          u8 before[256], wm[256], w1c[256];
          __builtin_memcpy(before, d->cfg, 256);
          __builtin_memcpy(wm, d->wmask, 256);
          __builtin_memcpy(w1c, d->w1cmask, 256);
          r.wr(0, f[0], f[1], off, size, v);
          for (int i = 0; i < 256; ++i) {
            const bool hit = i >= off && i < off + size;
            const u8 b = hit ? (u8)(v >> (8 * (i - off))) : 0;
            u8 want = hit ? (u8)(((before[i] & ~wm[i]) | (b & wm[i])) & ~(b & w1c[i])) : before[i];
            if (f[0] == 0 && i == 0x72 && (want & 0x10)) want &= (u8)~0x40;  // SMRAM D_LCK
            ASSERT_EQ(d->cfg[i], want) << f[0] << "." << f[1] << " off " << off << " size " << size
                                       << " byte " << i;
          }
        }
      }
    }
    EXPECT_EQ(r.rd(0, f[0], f[1], 0, 2), 0x8086u);
  }
}

TEST(Pci, MisalignedAndWideAccessesGoByteByByte) {
  Rig r;
  // A word at 0xCFD is config bytes 1-2 (PIRQRCB/C after a 0x60 address).
  r.wr(0, 1, 0, 0x61, 2, 0x0b0a);
  EXPECT_EQ(r.rd(0, 1, 0, 0x60, 4), 0x0b0b0a0au);
}

// A test function with BARs, plugged into a free slot: a plain PciDevice
// (the core is built without RTTI, so tests do not derive from its classes).
void make_bar_dev(PciDevice& d) {
  d.set_ids(0x1af4, 0x1000, 0, 0x020000, 0);
  d.set_wmask(PciDevice::kCommand, 2, PciDevice::kCmdIo | PciDevice::kCmdMem | PciDevice::kCmdMaster);
  d.define_bar(0, 0x20, PciDevice::kBarIo);
  d.define_bar(1, 0x1000, PciDevice::kBarMem32);
  d.define_bar(2, 0x4000, PciDevice::kBarMem64 | PciDevice::kBarPrefetch);
  d.cfg[PciDevice::kIntPin] = 1;
}

TEST(Pci, BarSizingReturnsTheSizeMask) {
  Rig r;
  PciDevice d;
  make_bar_dev(d);
  ASSERT_TRUE(r.m->pci.attach(3, 0, &d));
  EXPECT_FALSE(r.m->pci.attach(3, 0, &d));
  EXPECT_FALSE(r.m->pci.attach(32, 0, &d));
  EXPECT_FALSE(r.m->pci.attach(0, 8, &d));
  for (int i = 0; i < 6; ++i) r.wr(0, 3, 0, 0x10 + 4 * i, 4, 0xffffffffu);
  EXPECT_EQ(r.rd(0, 3, 0, 0x10, 4), 0xffffffe1u);  // 32 bytes of I/O
  EXPECT_EQ(r.rd(0, 3, 0, 0x14, 4), 0xfffff000u);  // 4 KiB memory
  EXPECT_EQ(r.rd(0, 3, 0, 0x18, 4), 0xffffc00cu);  // 16 KiB, 64-bit, prefetchable
  EXPECT_EQ(r.rd(0, 3, 0, 0x1c, 4), 0xffffffffu);  // its upper half
  EXPECT_EQ(r.rd(0, 3, 0, 0x20, 4), 0u);           // no BAR 4, 5
  EXPECT_EQ(r.rd(0, 3, 0, 0x24, 4), 0u);
  // Addresses decode only with the command register's enables.
  r.wr(0, 3, 0, 0x10, 4, 0xc000);
  r.wr(0, 3, 0, 0x14, 4, 0xfebf0123u);
  r.wr(0, 3, 0, 0x18, 4, 0xe0000000u);
  r.wr(0, 3, 0, 0x1c, 4, 0x1u);
  EXPECT_EQ(d.bar_address(0), PciDevice::kNoBar);
  r.wr(0, 3, 0, 0x04, 2, 0x0003);
  EXPECT_EQ(d.bar_address(0), 0xc000u);
  EXPECT_EQ(d.bar_address(1), 0xfebf0000u);
  EXPECT_EQ(d.bar_address(2), 0x1e0000000ull);
  EXPECT_EQ(d.bar_address(3), PciDevice::kNoBar);
  EXPECT_EQ(d.bar_size(1), 0x1000u);
}

TEST(Pci, PirqRoutingDrivesTheIsaIrqs) {
  Rig r;
  PciDevice d;
  make_bar_dev(d);
  ASSERT_TRUE(r.m->pci.attach(3, 0, &d));
  // Slot 3 INTA -> PIRQ (3 + 0 - 1) & 3 = C -> IRQ 11 after set-up.
  EXPECT_EQ(PciBus::pirq_of(3, 1), 2);
  EXPECT_EQ(r.m->isa_bridge.pirq_route(2), 11);
  r.m->ioapic.redir[11] = 0x8000 | 0x40;  // unmasked, level, vector 0x40
  r.m->lapic.mmio_write(0xfee000f0, 4, 0x1ff);  // APIC software-enabled
  d.set_irq(true);
  EXPECT_TRUE(r.m->pci.pirq_level(2));
  EXPECT_EQ(r.m->lapic.pending_vector(), 0x40);
  d.set_irq(false);
  EXPECT_FALSE(r.m->pci.pirq_level(2));
  // Re-routing an asserted PIRQ moves it: IRQ 11 drops, IRQ 5 rises.
  d.set_irq(true);
  r.wr(0, 1, 0, 0x62, 1, 0x05);
  EXPECT_EQ(r.m->isa_bridge.pirq_route(2), 5);
  EXPECT_NE(r.m->pic_master.irr & (1u << 5), 0u);
  // Disabled (bit 7) and invalid targets (0, 1, 2, 8, 13) route nowhere;
  // reserved bits 6:4 read 0.
  const struct { u8 v; int route; } cases[] = {
      {0x85, -1}, {0x00, -1}, {0x01, -1}, {0x02, -1}, {0x08, -1}, {0x0d, -1},
      {0x7f, 15}, {0x03, 3}, {0x0c, 12}, {0x0e, 14}};
  for (auto c : cases) {
    r.wr(0, 1, 0, 0x62, 1, c.v);
    EXPECT_EQ(r.rd(0, 1, 0, 0x62, 1), c.v & 0x8fu);
    EXPECT_EQ(r.m->isa_bridge.pirq_route(2), c.route) << (int)c.v;
  }
}

TEST(Pci, ResetControlAndPort92) {
  Rig r;
  EXPECT_EQ(r.m->io_in(0x92, 1) & 2, 2u);  // A20 on after set-up
  EXPECT_EQ(r.m->a20_mask, ~0ull);
  r.m->io_out(0x92, 1, 0x00);
  EXPECT_EQ(r.m->a20_mask, ~(1ull << 20));
  r.m->io_out(0x92, 1, 0x02);
  EXPECT_EQ(r.m->a20_mask, ~0ull);
  r.m->io_out(0xcf9, 1, 0x02);  // SRST alone: no reset
  EXPECT_EQ(r.m->io_in(0xcf9, 1), 0x02u);
  EXPECT_EQ(r.m->run(0), MachineStop::Budget);
  r.m->io_out(0xcf9, 1, 0x06);  // RCPU 0 -> 1
  EXPECT_EQ(r.m->run(10), MachineStop::Reset);
}

TEST(Pci, FastInitResets) {
  Rig r;
  r.m->io_out(0x92, 1, 0x03);
  EXPECT_EQ(r.m->run(10), MachineStop::Reset);
}

// With A20 off, physical address bit 20 is 0 on every access.
TEST(Pci, A20MaskWrapsAtOneMegabyte) {
  Rig r;
  r.m->cpu.set_flat_mode(4, 0);
  r.ram[0x1234] = 0x5a;
  r.ram[0x101234] = 0xa5;
  u64 b = 0;
  ASSERT_TRUE(r.m->cpu.read<1>(DS, 0x101234, &b));
  EXPECT_EQ(b, 0xa5u);
  r.m->set_a20(false);
  ASSERT_TRUE(r.m->cpu.read<1>(DS, 0x101234, &b));
  EXPECT_EQ(b, 0x5au);
  r.m->set_a20(true);
  ASSERT_TRUE(r.m->cpu.read<1>(DS, 0x101234, &b));
  EXPECT_EQ(b, 0xa5u);
}

}  // namespace
}  // namespace pc64
