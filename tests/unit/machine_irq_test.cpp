// External interrupts end to end: the 8259A pair (cascade on IR2), the
// CPU's INTR pin and interrupt acknowledge (Machine::update_intr /
// intr_ack), and PIT IRQ0 waking a halted real-mode CPU (SDM Vol. 3A
// §6.3.2, §6.8.1; 8259A datasheet "Cascade Mode").
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
  Rig() { m->attach_ram(ram.data(), ram.size()); }
  void out(u16 p, u8 v) { m->io_out(p, 1, v); }
  u32 in(u16 p) { return m->io_in(p, 1); }
  void init_pics(u8 base_m, u8 base_s, u8 mask_m, u8 mask_s) {
    out(0x20, 0x11);
    out(0xa0, 0x11);
    out(0x21, base_m);
    out(0xa1, base_s);
    out(0x21, 0x04);
    out(0xa1, 0x02);
    out(0x21, 0x01);
    out(0xa1, 0x01);
    out(0x21, mask_m);
    out(0xa1, mask_s);
  }
  bool intr() const { return (m->cpu.attention & Cpu::kAttnIntr) != 0; }
};

TEST(MachineIrq, SlaveCascadeThroughIr2) {
  Rig r;
  r.init_pics(0x20, 0x28, 0xfb, 0xfc);  // master: only IR2; slave: IR0, IR1
  EXPECT_FALSE(r.intr());
  r.m->pic_slave.set_irq(0, true);  // IRQ8
  r.m->update_intr();
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x28);
  EXPECT_EQ(r.m->pic_master.isr, 0x04);
  EXPECT_EQ(r.m->pic_slave.isr, 0x01);
  EXPECT_FALSE(r.intr());
  // IRQ9 arrives while IRQ8 is in service: blocked by the slave's ISR.
  r.m->pic_slave.set_irq(1, true);
  r.m->update_intr();
  EXPECT_FALSE(r.intr());
  r.out(0xa0, 0x20);  // EOI to the slave: IRQ9 now pending there...
  EXPECT_FALSE(r.intr());  // ...but the master still has IR2 in service
  r.out(0x20, 0x20);  // EOI to the master
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x29);
  r.out(0xa0, 0x20);
  r.out(0x20, 0x20);
  EXPECT_FALSE(r.intr());
  EXPECT_EQ(r.m->pic_master.isr, 0);
  EXPECT_EQ(r.m->pic_slave.isr, 0);
}

TEST(MachineIrq, MaskedSlaveLineDoesNotRaiseIntr) {
  Rig r;
  r.init_pics(0x20, 0x28, 0xff, 0xff);
  r.m->pic_slave.set_irq(4, true);
  r.m->update_intr();
  EXPECT_FALSE(r.intr());
  r.out(0xa1, 0xef);  // unmask IRQ12 on the slave: master IR2 still masked
  EXPECT_FALSE(r.intr());
  r.out(0x21, 0xfb);  // unmask IR2
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x2c);
}

// Real mode: STI; HLT waits for PIT IRQ0 (vector 8 through the IVT); the
// handler stores a marker and sends EOI; then CLI; HLT stops the run.
TEST(MachineIrq, RealModeHltWakesOnPitIrq0) {
  Rig r;
  Cpu& c = r.m->cpu;
  const u8 prog[] = {
      0xfb,                    // sti
      0xf4,                    // hlt
      0xc6, 0x06, 0x00, 0x30, 0x55,  // mov byte [0x3000], 0x55
      0xfa,                    // cli
      0xf4,                    // hlt
  };
  const u8 handler[] = {
      0xc6, 0x06, 0x01, 0x30, 0xaa,  // mov byte [0x3001], 0xaa
      0xb0, 0x20, 0xe6, 0x20,        // mov al, 0x20; out 0x20, al
      0xcf,                          // iret
  };
  __builtin_memcpy(r.ram.data() + 0x1000, prog, sizeof prog);
  __builtin_memcpy(r.ram.data() + 0x2000, handler, sizeof handler);
  r.ram[8 * 4 + 0] = 0x00;  // IVT[8] = 0000:2000
  r.ram[8 * 4 + 1] = 0x20;
  load_real_segment(c, CS, 0);
  load_real_segment(c, DS, 0);
  load_real_segment(c, SS, 0);
  c.s.gpr[RSP] = 0x8000;
  c.s.rip = 0x1000;
  c.s.idtr.base = 0;
  r.init_pics(0x08, 0x70, 0xfe, 0xff);
  r.out(0x43, 0x34);  // counter 0, LSB/MSB, mode 2
  r.out(0x40, 0x00);
  r.out(0x40, 0x10);  // 4096 clocks
  MachineStop stop = MachineStop::Budget;
  for (int i = 0; i < 100 && stop == MachineStop::Budget; ++i) stop = r.m->run(1000000);
  EXPECT_EQ(stop, MachineStop::Halt);
  EXPECT_EQ(r.ram[0x3001], 0xaa);
  EXPECT_EQ(r.ram[0x3000], 0x55);
  EXPECT_EQ(c.s.rip, 0x1009u);  // after the final HLT
  EXPECT_EQ(r.m->pic_master.isr, 0);
}

}  // namespace
}  // namespace pc64
