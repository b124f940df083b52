// The PIIX4 ACPI power management block (piix4_pm.h) through the
// machine's ports: the PM timer's rate, overflow status and SCI, the
// power button, GPE0, S5 soft off, and relocating PMBA.
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
  u32 in(u16 off, int size) { return m->io_in((u16)(0x600 + off), size); }
  void out(u16 off, int size, u32 v) { m->io_out((u16)(0x600 + off), size, v); }
  // Advances virtual time by running `n` NOPs at 0x1000 (1 ns each).
  void run_nops(u64 n) {
    for (u64 i = 0; i < 4096; ++i) ram[0x1000 + i] = 0x90;
    m->cpu.set_flat_mode(4, 0);
    for (u64 done = 0; done < n;) {
      const u64 step = n - done < 4000 ? n - done : 4000;
      m->cpu.s.rip = 0x1000;
      const u64 before = m->cpu.icount;
      m->run(step);
      done += m->cpu.icount - before;
    }
  }
};

TEST(Pm, SetUpStateAndPmba) {
  Rig r;
  EXPECT_EQ(r.m->pm.io_base(), 0x600);
  EXPECT_EQ(r.in(0x04, 2) & 1, 1u);  // SCI_EN: ACPI mode without SMI_CMD
  EXPECT_EQ(r.m->pm.config_read(0x40, 4), 0x601u);
  // Move the block: the old ports go dead, the new ones answer.
  r.m->pm.config_write(0x40, 4, 0xb000);
  EXPECT_EQ(r.m->pm.io_base(), 0xb000);
  EXPECT_EQ(r.in(0x04, 2), 0xffffu);
  EXPECT_EQ(r.m->io_in(0xb004, 2) & 1, 1u);
  r.m->pm.config_write(0x40, 4, 0xffffffffu);  // bits 15:6 only, bit 0 stays 1
  EXPECT_EQ(r.m->pm.config_read(0x40, 4), 0xffc1u);
  r.m->pm.config_write(0x80, 1, 0);  // PMIOSE off: nothing decodes
  EXPECT_EQ(r.m->pm.io_base(), 0);
  EXPECT_EQ(r.m->io_in(0xffc4, 2), 0xffffu);
  r.m->pm.config_write(0x80, 1, 1);
  EXPECT_EQ(r.m->io_in(0xffc4, 2) & 1, 1u);
}

TEST(Pm, TimerRunsAt3579545HzOfVirtualTime) {
  EXPECT_EQ(Piix4Pm::ticks_at(1000000000ull), 3579545u);
  EXPECT_EQ(Piix4Pm::ticks_at(3600ull * 1000000000ull), 3579545ull * 3600);
  EXPECT_EQ(Piix4Pm::ticks_at(~0ull / 2) > 0, true);  // no overflow in the product
  for (u64 t : {1ull, 2ull, 1000ull, (1ull << 23), 123456789ull}) {
    EXPECT_GE(Piix4Pm::ticks_at(Piix4Pm::ns_of_tick(t)), t);
    EXPECT_LT(Piix4Pm::ticks_at(Piix4Pm::ns_of_tick(t) - 1), t);
  }
  Rig r;
  const u32 t0 = r.in(0x08, 4);
  r.run_nops(1000000);  // 1 ms
  const u32 t1 = r.in(0x08, 4);
  EXPECT_NEAR((double)((t1 - t0) & 0xffffff), 3579.545, 2.0);
  EXPECT_EQ(t1 >> 24, 0u);  // 24-bit counter (TMR_VAL_EXT = 0)
  EXPECT_EQ(r.in(0x08, 1), t1 & 0xff);  // byte reads of the same instant
  r.out(0x08, 4, 0);  // read-only
  EXPECT_EQ(r.in(0x08, 4), t1);
}

// The device alone, on a clock the test moves (2.3 s of guest time would
// take the interpreter too long).
struct PmAlone {
  Piix4Pm pm;
  u64 t = 5;
  int sci_edges = 0;
  bool sci = false;
  PmAlone() {
    pm.ctx = this;
    pm.clock = [](void* c) { return ((PmAlone*)c)->t; };
    pm.sci = [](void* c, bool level) {
      PmAlone* p = (PmAlone*)c;
      p->sci = level;
      if (level) ++p->sci_edges;
    };
    pm.reset();
    pm.firmware_init(0x600);
  }
  u32 in(u16 off) { return pm.io_read((u16)(0x600 + off), 1) | pm.io_read((u16)(0x601 + off), 1) << 8; }
  void out(u16 off, u16 v) {
    pm.io_write((u16)(0x600 + off), 1, v & 0xff);
    pm.io_write((u16)(0x601 + off), 1, v >> 8);
  }
};

TEST(Pm, TimerOverflowSetsStatusAndRaisesSci) {
  PmAlone p;
  EXPECT_EQ(p.pm.next_event_ns(), Piix4Pm::kNever);  // TMROF_EN clear
  p.out(0x02, 0x0001);
  const u64 due = p.pm.next_event_ns();
  EXPECT_EQ(due, Piix4Pm::ns_of_tick(1u << 23));  // bit 23 first changes ~2.34 s in
  p.t = due - 1;
  p.pm.poll();
  EXPECT_EQ(p.in(0x00) & 1, 0u);
  EXPECT_FALSE(p.sci);
  p.t = due;
  p.pm.poll();
  EXPECT_EQ(p.in(0x00) & 1, 1u);
  EXPECT_TRUE(p.sci);
  EXPECT_EQ(p.pm.next_event_ns(), Piix4Pm::kNever);  // already signalled
  p.out(0x00, 0x0001);  // RW1C
  EXPECT_FALSE(p.sci);
  EXPECT_EQ(p.pm.next_event_ns(), Piix4Pm::ns_of_tick(2u << 23));
  // The status latches even without TMROF_EN, found when PM1_STS is read.
  p.out(0x02, 0);
  p.t = Piix4Pm::ns_of_tick(3u << 23);
  EXPECT_EQ(p.in(0x00) & 1, 1u);
  EXPECT_FALSE(p.sci);
  // SCI_EN clear: no SCI at all.
  p.out(0x04, 0);
  p.out(0x02, 0x0001);
  EXPECT_FALSE(p.sci);
  EXPECT_EQ(p.pm.next_event_ns(), Piix4Pm::kNever);
  p.out(0x04, 1);
  EXPECT_TRUE(p.sci);
  EXPECT_EQ(p.sci_edges, 2);
}

// Through the machine: the SCI reaches IOAPIC pin 9 (level) and the slave
// PIC's IR1.
TEST(Pm, SciReachesIrq9) {
  Rig r;
  r.m->ioapic.redir[9] = 0x8000 | 0x51;  // level, vector 0x51
  r.m->lapic.mmio_write(0xfee000f0, 4, 0x1ff);
  r.m->pic_slave.imr = 0;
  r.out(0x02, 2, 0x0100);
  EXPECT_EQ(r.m->lapic.pending_vector(), -1);
  r.m->pm.press_power_button();
  EXPECT_EQ(r.m->lapic.pending_vector(), 0x51);
  EXPECT_NE(r.m->pic_slave.irr & 2, 0u);
}

TEST(Pm, PowerButtonAndGpeRaiseSciOnlyWhenEnabled) {
  Rig r;
  r.m->pic_slave.imr = 0;
  r.m->pm.press_power_button();
  EXPECT_EQ(r.in(0x00, 2) & 0x100, 0x100u);
  EXPECT_EQ(r.m->pic_slave.irr & 2, 0u);  // PWRBTN_EN clear
  r.out(0x02, 2, 0x0100);
  EXPECT_NE(r.m->pic_slave.irr & 2, 0u);  // IRQ 9 = slave IR1
  r.out(0x01, 1, 0x01);  // clear PWRBTN_STS through the high byte alone
  EXPECT_EQ(r.in(0x00, 2) & 0x100, 0u);
  r.m->pm.raise_gpe(3);
  EXPECT_EQ(r.in(0x0c, 2), 8u);
  r.out(0x0e, 2, 0xffff);
  EXPECT_EQ(r.in(0x0e, 2), 0xffffu);
  r.out(0x0c, 1, 0x08);
  EXPECT_EQ(r.in(0x0c, 2), 0u);
  r.m->pm.raise_gpe(16);  // out of range: ignored
  EXPECT_EQ(r.in(0x0c, 2), 0u);
  // Unimplemented bits do not stick; unmodelled registers read 0.
  r.out(0x02, 2, 0xffff);
  EXPECT_EQ(r.in(0x02, 2), 0x0521u);
  r.out(0x10, 4, 0xffffffff);
  EXPECT_EQ(r.in(0x10, 4), 0u);
}

TEST(Pm, SleepTypeZeroWithSlpEnPowersOff) {
  Rig r;
  r.out(0x04, 2, 0x1400 | 1);  // SLP_TYP 5 without SLP_EN: just stored
  EXPECT_EQ(r.in(0x04, 2), 0x1401u);
  EXPECT_EQ(r.m->run(0), MachineStop::Budget);
  r.out(0x04, 2, 0x2400 | 1);  // SLP_TYP 1 (suspend to RAM): not offered, nothing happens
  EXPECT_EQ(r.in(0x04, 2) & 0x2000, 0u);  // SLP_EN reads 0
  EXPECT_EQ(r.m->run(0), MachineStop::Budget);
  r.out(0x04, 2, 0x2000 | 1);  // SLP_TYP 0 + SLP_EN: S5
  EXPECT_EQ(r.m->run(100), MachineStop::PowerOff);
  EXPECT_EQ(r.m->run(100), MachineStop::PowerOff);
}

// A guest program: the S5 sequence Linux's acpi_enter_sleep_state() ends
// with, a 16-bit OUT to PM1a_CNT.
TEST(Pm, GuestOutStopsTheRunAtOnce) {
  Rig r;
  const u8 code[] = {0x66, 0xba, 0x04, 0x06,        // mov dx, 0x604
                     0x66, 0xb8, 0x01, 0x20,        // mov ax, 0x2001
                     0x66, 0xef,                    // out dx, ax
                     0xeb, 0xfe};                   // jmp $
  for (size_t i = 0; i < sizeof code; ++i) r.ram[0x1000 + i] = code[i];
  r.m->cpu.set_flat_mode(4, 0);
  r.m->cpu.s.rip = 0x1000;
  EXPECT_EQ(r.m->run(1000000), MachineStop::PowerOff);
  EXPECT_LT(r.m->cpu.icount, 10u);
}

}  // namespace
}  // namespace pc64
