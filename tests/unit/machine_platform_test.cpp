// The RTC, COM1 and the i8042 wired into the machine: IRQ8 waking a halted
// CPU, COM1 receive interrupts after an Idle stop, and the i8042 reset.
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
  Rig() {
    m->attach_ram(ram.data(), ram.size());
    Cpu& c = m->cpu;
    load_real_segment(c, CS, 0);
    load_real_segment(c, DS, 0);
    load_real_segment(c, SS, 0);
    c.s.gpr[RSP] = 0x8000;
    c.s.rip = 0x1000;
    c.s.idtr.base = 0;
    // sti; hlt; mov byte [0x3000], 0x55; cli; hlt
    const u8 prog[] = {0xfb, 0xf4, 0xc6, 0x06, 0x00, 0x30, 0x55, 0xfa, 0xf4};
    __builtin_memcpy(ram.data() + 0x1000, prog, sizeof prog);
    out(0x20, 0x11);
    out(0xa0, 0x11);
    out(0x21, 0x08);
    out(0xa1, 0x70);
    out(0x21, 0x04);
    out(0xa1, 0x02);
    out(0x21, 0x01);
    out(0xa1, 0x01);
  }
  void out(u16 p, u8 v) { m->io_out(p, 1, v); }
  void handler(u8 vec, std::vector<u8> code) {
    __builtin_memcpy(ram.data() + 0x2000, code.data(), code.size());
    ram[vec * 4] = 0x00;
    ram[vec * 4 + 1] = 0x20;
  }
  MachineStop run() {
    MachineStop stop = MachineStop::Budget;
    for (int i = 0; i < 100 && stop == MachineStop::Budget; ++i) stop = m->run(1000000);
    return stop;
  }
};

TEST(MachinePlatform, HltWakesOnRtcPeriodicIrq8) {
  Rig r;
  // Read register C, note the wake-up, EOI slave and master, IRET.
  r.handler(0x70, {0xb0, 0x0c, 0xe6, 0x70, 0xe4, 0x71, 0xc6, 0x06, 0x01, 0x30, 0xaa, 0xb0, 0x20,
                   0xe6, 0xa0, 0xe6, 0x20, 0xcf});
  r.out(0x21, 0xfb);  // IR2 (the slave) open
  r.out(0xa1, 0xfe);  // IRQ8 open
  r.out(0x70, 0x0b);
  r.out(0x71, 0x42);  // PIE, 24-hour
  const u64 t0 = r.m->now_ns();
  EXPECT_EQ(r.run(), MachineStop::Halt);
  EXPECT_EQ(r.ram[0x3001], 0xaa);
  EXPECT_EQ(r.ram[0x3000], 0x55);
  EXPECT_GE(r.m->now_ns() - t0, 976562u);  // the first 1024 Hz period was skipped to
  EXPECT_EQ(r.m->pic_slave.isr, 0);
}

TEST(MachinePlatform, Com1ReceiveInterruptAfterIdle) {
  Rig r;
  // in al, dx (0x3f8); mov [0x3001], al; EOI; IRET
  r.handler(0x0c, {0xba, 0xf8, 0x03, 0xec, 0xa2, 0x01, 0x30, 0xb0, 0x20, 0xe6, 0x20, 0xcf});
  r.out(0x21, 0xef);   // IRQ4 open
  r.out(0x3fc, 0x0b);  // DTR RTS OUT2
  r.out(0x3f9, 0x01);  // received-data interrupt
  EXPECT_EQ(r.run(), MachineStop::Idle);  // only host input can wake it
  const u8 x = 'x';
  r.m->com1.host_input(&x, 1);
  EXPECT_EQ(r.run(), MachineStop::Halt);
  EXPECT_EQ(r.ram[0x3001], 'x');
  EXPECT_EQ(r.ram[0x3000], 0x55);
}

TEST(MachinePlatform, I8042PulseResetStopsTheMachine) {
  Rig r;
  const u8 prog[] = {0xb0, 0xfe, 0xe6, 0x64, 0xf4};  // mov al, 0xfe; out 0x64, al; hlt
  __builtin_memcpy(r.ram.data() + 0x1000, prog, sizeof prog);
  EXPECT_EQ(r.m->run(1000), MachineStop::Reset);
  EXPECT_EQ(r.m->cpu.s.rip, 0x1004u);
}

TEST(MachinePlatform, CmosMemorySizesFollowRam) {
  Rig r;
  r.out(0x70, 0x17);
  EXPECT_EQ(r.m->io_in(0x71, 1), 0u);  // 1 MiB guest: nothing above 1 MiB
  r.out(0x70, 0x15);
  EXPECT_EQ(r.m->io_in(0x71, 1), 0x80u);
}

TEST(MachinePlatform, HostileWritesToEveryNewPort) {
  Rig r;
  std::vector<u16> ports = {0x60, 0x64, 0x70, 0x71};
  for (u16 base : {0x3f8, 0x2f8, 0x3e8, 0x2e8})
    for (u16 i = 0; i < 8; ++i) ports.push_back((u16)(base + i));
  for (u16 p : ports) {
    for (int v = 0; v < 256; ++v) {
      r.out(p, (u8)v);
      for (u16 q : ports) (void)r.m->io_in(q, 1);
      r.m->io_out(p, 2, (u32)(v * 0x0101));
      (void)r.m->io_in(p, 4);
    }
  }
  // The machine still runs (the i8042 writes asked for resets on the way).
  r.m->cpu.s.rip = 0x1000;
  const MachineStop stop = r.m->run(1000);
  EXPECT_TRUE(stop == MachineStop::Reset || stop == MachineStop::Halt || stop == MachineStop::Idle ||
              stop == MachineStop::Budget);
  EXPECT_EQ(r.m->run(1000) == MachineStop::Reset, false);  // a reset request is reported once
}

}  // namespace
}  // namespace pc64
