// The local APIC (SDM Vol. 3A ch. 11) through the machine: xAPIC MMIO,
// x2APIC MSRs, priorities, EOI, the timer in its three modes, APIC_BASE
// transitions, virtual-wire PIC delivery, and hostile register writes.
// Virtual time is moved by setting cpu.icount (now_ns = icount + idle).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "cpu/cpuid.h"
#include "cpu/system/control_regs.h"
#include "cpu/system/msr.h"
#include "machine/machine.h"

namespace pc64 {
namespace {

constexpr u64 kApic = 0xfee00000;

struct Rig {
  std::vector<u8> ram = std::vector<u8>(1 << 20);
  std::unique_ptr<Machine> m = std::make_unique<Machine>();
  Rig() { m->attach_ram(ram.data(), ram.size()); }
  u32 rd(u32 off) { return (u32)m->mmio_read(kApic + off, 4); }
  void wr(u32 off, u32 v) { m->mmio_write(kApic + off, 4, v); }
  bool intr() const { return (m->cpu.attention & Cpu::kAttnIntr) != 0; }
  void advance(u64 ns) { m->cpu.icount += ns; }
  bool rdmsr(u32 i, u64* v) { return read_msr(m->cpu, i, v); }
  bool wrmsr(u32 i, u64 v) { return write_msr(m->cpu, i, v); }
  void enable() { wr(0xf0, 0x1ff); }
  void enter_x2() { ASSERT_TRUE(wrmsr(kMsrApicBase, 0xfee00c00)); }
};

TEST(MachineLapic, ResetState) {
  Rig r;
  EXPECT_EQ(r.rd(0x20), 0u);           // ID
  EXPECT_EQ(r.rd(0x30), 0x00050014u);  // version 14H, 6 LVT entries
  EXPECT_EQ(r.rd(0xe0), 0xffffffffu);  // DFR
  EXPECT_EQ(r.rd(0xf0), 0xffu);        // SVR: software-disabled
  EXPECT_EQ(r.rd(0x320), 0x10000u);    // timer masked
  EXPECT_EQ(r.rd(0x350), 0x700u);      // LINT0 ExtINT (virtual wire)
  EXPECT_EQ(r.rd(0x360), 0x400u);      // LINT1 NMI
  EXPECT_TRUE(r.m->lapic.extint_open());
  u32 a, b, c, d;
  cpuid(r.m->cpu, 1, 0, &a, &b, &c, &d);
  EXPECT_TRUE(d & (1u << 9));
  EXPECT_TRUE(c & (1u << 21));
  EXPECT_TRUE(c & (1u << 24));
  cpuid(r.m->cpu, 6, 0, &a, &b, &c, &d);
  EXPECT_EQ(a & 4, 4u);
}

TEST(MachineLapic, SelfIpiPriorityAndEoi) {
  Rig r;
  r.enable();
  r.wr(0x300, 0x40050);  // fixed, self shorthand, vector 0x50
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.rd(0x200 + 0x10 * (0x50 / 32)) >> (0x50 % 32) & 1, 1u);  // IRR
  r.wr(0x80, 0x50);  // TPR class 5 blocks class 5
  EXPECT_FALSE(r.intr());
  EXPECT_EQ(r.m->cpu.s.cr8, 5u);
  r.wr(0x80, 0x4f);
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x50);
  EXPECT_EQ(r.rd(0xa0), 0x50u);  // PPR = ISR class
  r.wr(0x300, 0x40045);          // lower class while 0x50 is in service
  EXPECT_FALSE(r.intr());
  r.wr(0x300, 0x40061);  // higher class nests
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x61);
  r.wr(0xb0, 0);  // EOI 0x61
  r.wr(0xb0, 0);  // EOI 0x50
  EXPECT_FALSE(r.intr());  // 0x45: class 4 is not above TPR 0x4f
  r.wr(0x80, 0);
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x45);
  r.wr(0xb0, 0);
  EXPECT_FALSE(r.intr());
  EXPECT_EQ(r.rd(0xa0), 0u);  // PPR = TPR once nothing is in service
}

TEST(MachineLapic, Cr8IsTprHighNibble) {
  Rig r;
  ASSERT_TRUE(write_cr8(r.m->cpu, 9));
  EXPECT_EQ(r.rd(0x80), 0x90u);
}

TEST(MachineLapic, IllegalVectorsSetEsr) {
  Rig r;
  r.enable();
  r.wr(0x300, 0x40005);  // send illegal vector
  EXPECT_FALSE(r.intr());
  EXPECT_EQ(r.rd(0x280), 0u);  // not latched until written
  r.wr(0x280, 0);
  EXPECT_EQ(r.rd(0x280), 0x20u);
  r.wr(0x280, 0);
  EXPECT_EQ(r.rd(0x280), 0u);
  // An illegal error vector must not recurse.
  r.wr(0x370, 0x3);
  r.wr(0x300, 0x40001);
  r.wr(0x280, 0);
  EXPECT_EQ(r.rd(0x280) & 0x60, 0x60u);
}

TEST(MachineLapic, SoftwareDisableMasksLvts) {
  Rig r;
  r.enable();
  r.wr(0x320, 0x40);
  EXPECT_EQ(r.rd(0x320), 0x40u);
  r.wr(0xf0, 0xff);
  EXPECT_EQ(r.rd(0x320) & 0x10000, 0x10000u);
  r.wr(0x320, 0x40);
  EXPECT_EQ(r.rd(0x320) & 0x10000, 0x10000u);
  EXPECT_FALSE(r.m->lapic.extint_open());
}

TEST(MachineLapic, OneShotTimer) {
  Rig r;
  r.enable();
  r.wr(0x3e0, 0xb);  // divide by 1
  r.wr(0x320, 0x40);
  r.wr(0x380, 1000);
  EXPECT_EQ(r.m->lapic.next_event_ns(), r.m->now_ns() + 1000);
  r.advance(400);
  EXPECT_EQ(r.rd(0x390), 600u);
  r.m->lapic.poll();
  EXPECT_FALSE(r.intr());
  r.advance(600);
  r.m->lapic.poll();
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.rd(0x390), 0u);
  EXPECT_EQ(r.m->lapic.next_event_ns(), Lapic::kNever);
}

TEST(MachineLapic, PeriodicTimerAndDivider) {
  Rig r;
  r.enable();
  r.wr(0x3e0, 0x0);  // divide by 2
  r.wr(0x320, 0x20041);
  r.wr(0x380, 100);  // 200 ns period
  r.advance(250);
  EXPECT_EQ(r.rd(0x390), 75u);
  r.m->lapic.poll();
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x41);
  r.wr(0xb0, 0);
  EXPECT_EQ(r.m->lapic.next_event_ns(), 400u);
  r.advance(10000);  // missed periods coalesce
  r.m->lapic.poll();
  EXPECT_EQ(r.m->intr_ack(), 0x41);
  r.wr(0xb0, 0);
  EXPECT_GT(r.m->lapic.next_event_ns(), r.m->now_ns());
  r.wr(0x380, 0);  // stop
  EXPECT_EQ(r.m->lapic.next_event_ns(), Lapic::kNever);
}

TEST(MachineLapic, TscDeadline) {
  Rig r;
  r.enable();
  u64 v = 5;
  ASSERT_TRUE(r.wrmsr(kMsrTscDeadline, 1234));  // ignored outside deadline mode
  ASSERT_TRUE(r.rdmsr(kMsrTscDeadline, &v));
  EXPECT_EQ(v, 0u);
  r.wr(0x320, 0x40042);
  r.wr(0x380, 50);  // ignored in deadline mode
  EXPECT_EQ(r.rd(0x380), 0u);
  u64 tsc = r.m->cpu.s.tsc_offset + r.m->cpu.icount;
  ASSERT_TRUE(r.wrmsr(kMsrTscDeadline, tsc + 500));
  EXPECT_EQ(r.m->lapic.next_event_ns(), r.m->now_ns() + 500);
  r.advance(499);
  r.m->lapic.poll();
  EXPECT_FALSE(r.intr());
  r.advance(1);
  r.m->lapic.poll();
  EXPECT_TRUE(r.intr());
  ASSERT_TRUE(r.rdmsr(kMsrTscDeadline, &v));
  EXPECT_EQ(v, 0u);  // disarmed and cleared
  EXPECT_EQ(r.m->intr_ack(), 0x42);
  r.wr(0xb0, 0);
  // A deadline in the past fires at once.
  ASSERT_TRUE(r.wrmsr(kMsrTscDeadline, 1));
  EXPECT_TRUE(r.intr());
}

TEST(MachineLapic, ApicBaseTransitions) {
  Rig r;
  EXPECT_FALSE(r.wrmsr(kMsrApicBase, 0xfee00400));  // EXTD without EN
  r.enter_x2();
  EXPECT_EQ(r.m->mmio_read(kApic + 0x30, 4), 0xffffffffu);  // MMIO off
  EXPECT_FALSE(r.wrmsr(kMsrApicBase, 0xfee00800));  // x2APIC -> xAPIC
  ASSERT_TRUE(r.wrmsr(kMsrApicBase, 0xfee00000));   // -> disabled
  EXPECT_TRUE(r.m->lapic.extint_open());            // PIC straight to INTR
  u32 a, b, c, d;
  cpuid(r.m->cpu, 1, 0, &a, &b, &c, &d);
  EXPECT_FALSE(d & (1u << 9));
  EXPECT_FALSE(r.wrmsr(kMsrApicBase, 0xfee00c00));  // disabled -> x2APIC
  ASSERT_TRUE(r.wrmsr(kMsrApicBase, 0xfee00800));
  EXPECT_EQ(r.rd(0x350), 0x10000u);  // power-up state after re-enable
  // Relocation.
  ASSERT_TRUE(r.wrmsr(kMsrApicBase, 0xfed80800));
  EXPECT_EQ(r.m->mmio_read(0xfed80030, 4), 0x00050014u);
  EXPECT_EQ(r.m->mmio_read(kApic + 0x30, 4), 0xffffffffu);
}

TEST(MachineLapic, X2apicMsrRules) {
  Rig r;
  u64 v;
  EXPECT_FALSE(r.rdmsr(0x803, &v));  // not in x2APIC mode
  r.enter_x2();
  ASSERT_TRUE(r.rdmsr(0x803, &v));
  EXPECT_EQ(v, 0x00050014u);
  ASSERT_TRUE(r.rdmsr(0x80d, &v));
  EXPECT_EQ(v, 1u);  // LDR from ID 0: cluster 0, bit 0
  EXPECT_FALSE(r.wrmsr(0x802, 0));   // ID read-only
  EXPECT_FALSE(r.wrmsr(0x803, 0));   // version read-only
  EXPECT_FALSE(r.rdmsr(0x80b, &v));  // EOI write-only
  EXPECT_FALSE(r.wrmsr(0x80b, 1));   // EOI non-zero
  EXPECT_TRUE(r.wrmsr(0x80b, 0));
  EXPECT_FALSE(r.rdmsr(0x80e, &v));  // no DFR
  EXPECT_FALSE(r.rdmsr(0x809, &v));  // no APR
  EXPECT_FALSE(r.rdmsr(0x831, &v));  // no ICR high half
  EXPECT_FALSE(r.rdmsr(0x83f, &v));  // SELF IPI write-only
  EXPECT_FALSE(r.wrmsr(0x83f, 0x100));
  EXPECT_FALSE(r.wrmsr(0x828, 1));   // ESR non-zero
  EXPECT_FALSE(r.wrmsr(0x808, 1ull << 32));
  EXPECT_FALSE(r.rdmsr(0x8ff, &v));  // reserved
  EXPECT_FALSE(r.rdmsr(0x82f, &v));  // no CMCI LVT
  ASSERT_TRUE(r.wrmsr(0x80f, 0x1ff));
  ASSERT_TRUE(r.wrmsr(0x83f, 0x77));
  EXPECT_TRUE(r.intr());
  EXPECT_EQ(r.m->intr_ack(), 0x77);
  ASSERT_TRUE(r.wrmsr(0x80b, 0));
  // ICR as one 64-bit MSR: physical destination 0 = self.
  ASSERT_TRUE(r.wrmsr(0x830, 0x0000000000000066ull));
  EXPECT_EQ(r.m->intr_ack(), 0x66);
  ASSERT_TRUE(r.wrmsr(0x80b, 0));
  ASSERT_TRUE(r.wrmsr(0x830, 0x0000000500000066ull));  // another CPU: dropped
  EXPECT_FALSE(r.intr());
  ASSERT_TRUE(r.rdmsr(0x830, &v));
  EXPECT_EQ(v, 0x0000000500000066ull);
}

TEST(MachineLapic, LogicalDestinations) {
  Rig r;
  r.wr(0xd0, 0x01000000);  // LDR 1, flat model
  EXPECT_TRUE(r.m->lapic.match_dest(0x01, true));
  EXPECT_TRUE(r.m->lapic.match_dest(0x03, true));
  EXPECT_FALSE(r.m->lapic.match_dest(0x02, true));
  r.wr(0xe0, 0x0fffffff);  // cluster model
  r.wr(0xd0, 0x21000000);  // cluster 2, member 1
  EXPECT_TRUE(r.m->lapic.match_dest(0x21, true));
  EXPECT_FALSE(r.m->lapic.match_dest(0x11, true));
  EXPECT_TRUE(r.m->lapic.match_dest(0xff, false));
  EXPECT_TRUE(r.m->lapic.match_dest(0x00, false));
  EXPECT_FALSE(r.m->lapic.match_dest(0x01, false));
}

TEST(MachineLapic, OddMmioAccessesAreSafe) {
  Rig r;
  EXPECT_EQ(r.m->mmio_read(kApic + 0x31, 1), 0x00u);  // byte 1 of version... 0x00
  EXPECT_EQ(r.m->mmio_read(kApic + 0x30, 1), 0x14u);
  EXPECT_EQ(r.m->mmio_read(kApic + 0x32, 2), 0x0005u);
  EXPECT_EQ(r.m->mmio_read(kApic + 0x34, 4), 0u);  // not the register's dword
  r.m->mmio_write(kApic + 0xf1, 1, 0xff);  // partial write: dropped
  EXPECT_EQ(r.rd(0xf0), 0xffu);
}

// Hostile register writes: every offset and MSR with patterned values must
// leave the APIC consistent (no out-of-range indexing, vectors within 0-255).
TEST(MachineLapic, HostileWrites) {
  Rig r;
  const u64 vals[] = {0, ~0ull, 0x12345678, 0xdeadbeefcafebabeull, 0x80000000, 0xff, 0x10};
  for (u64 v : vals)
    for (u32 off = 0; off < 0x1000; off += 4) {
      r.m->mmio_write(kApic + off, 4, v);
      r.m->mmio_read(kApic + off, 4);
      r.m->mmio_write(kApic + off, 1, v);
      r.m->mmio_write(kApic + off, 8, v);
    }
  r.enter_x2();
  for (u64 v : vals)
    for (u32 i = 0x800; i <= 0x8ff; ++i) {
      u64 t;
      r.wrmsr(i, v);
      r.rdmsr(i, &t);
    }
  r.advance(1ull << 40);
  r.m->lapic.poll();
  for (int k = 0; k < 300 && r.m->lapic.pending_vector() >= 0; ++k) {
    const u8 vec = r.m->intr_ack();
    EXPECT_GE(vec, 16);
    r.wrmsr(0x80b, 0);
  }
}

}  // namespace
}  // namespace pc64
