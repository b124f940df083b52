// Hand-written cases for the system-register and system-control
// instructions (interp/system.cpp, interp/syscall.cpp, interp/system_seg.cpp,
// system/control_regs.cpp, system/msr.cpp). The differential tester skips
// every SYS row, so these are their coverage.
#include <gtest/gtest.h>

#include <initializer_list>

#include "cpu/cpu.h"
#include "cpu/system/control_regs.h"
#include "cpu/system/msr.h"
#include "test_machine.h"

using namespace pc64;

namespace {

using Machine = pc64::test::Machine;

constexpr u64 fbit(Feature f) { return 1ull << (int)f; }

// Runs one instruction placed at 0x1000 and expects exception `vec` with
// RIP left on the instruction.
void expect_fault(Machine& m, std::initializer_list<u8> code, u8 vec) {
  EXPECT_EQ(m.run(code, 1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, vec);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
}

}  // namespace

TEST(SystemRegs, PrivilegedAtCpl3RaiseGp) {
  Machine m(8, 3);
  expect_fault(m, {0x0F, 0x20, 0xC0}, kExGP);        // mov rax, cr0
  expect_fault(m, {0x0F, 0x22, 0xD8}, kExGP);        // mov cr3, rax
  expect_fault(m, {0x0F, 0x21, 0xF8}, kExGP);        // mov rax, dr7
  expect_fault(m, {0x0F, 0x32}, kExGP);              // rdmsr
  expect_fault(m, {0x0F, 0x30}, kExGP);              // wrmsr
  expect_fault(m, {0xF4}, kExGP);                    // hlt
  expect_fault(m, {0x0F, 0x06}, kExGP);              // clts
  expect_fault(m, {0x0F, 0x01, 0x16}, kExGP);        // lgdt [rsi]
  expect_fault(m, {0x0F, 0x01, 0x38}, kExGP);        // invlpg [rax]
  expect_fault(m, {0x0F, 0x09}, kExGP);              // wbinvd
  expect_fault(m, {0x0F, 0x01, 0xF8}, kExGP);        // swapgs
  expect_fault(m, {0x0F, 0x33}, kExGP);              // rdpmc (CR4.PCE = 0)
  expect_fault(m, {0x0F, 0x01, 0xCA}, kExUD);        // clac: #UD at CPL > 0
  expect_fault(m, {0x0F, 0x01, 0xC8}, kExUD);        // monitor: #UD at CPL > 0
  expect_fault(m, {0xFA}, kExGP);                    // cli with IOPL 0
}

TEST(SystemRegs, MovCrChecks) {
  Machine m(8);
  m.r(RAX) = 1u << 15;  // reserved CR4 bit
  expect_fault(m, {0x0F, 0x22, 0xE0}, kExGP);
  expect_fault(m, {0x0F, 0x20, 0xC8}, kExUD);  // mov rax, cr1
  // NW without CD.
  m.r(RAX) = m.cpu.s.cr0 | kCR0_NW;
  m.r(RAX) &= ~(u64)kCR0_CD;
  expect_fault(m, {0x0F, 0x22, 0xC0}, kExGP);
  // CR0 bits 63:32 are reserved.
  m.r(RAX) = m.cpu.s.cr0 | (1ull << 40);
  expect_fault(m, {0x0F, 0x22, 0xC0}, kExGP);
  // CR8: 4 bits.
  m.r(RAX) = 9;
  EXPECT_EQ(m.run({0x44, 0x0F, 0x22, 0xC0}), ExitReason::Budget);  // mov cr8, rax
  EXPECT_EQ(m.cpu.s.cr8, 9u);
  m.r(RDX) = 0;
  EXPECT_EQ(m.run({0x44, 0x0F, 0x20, 0xC2}), ExitReason::Budget);  // mov rdx, cr8
  EXPECT_EQ(m.r(RDX), 9u);
  m.r(RAX) = 16;
  expect_fault(m, {0x44, 0x0F, 0x22, 0xC0}, kExGP);
  // CR2 takes any value; CR4 round trip.
  m.r(RAX) = 0xdead0000beefull;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xD0}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cr2, 0xdead0000beefull);
  m.r(RAX) = kCR4_PAE | kCR4_PGE | kCR4_SMEP;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xE0}), ExitReason::Budget);
  m.r(RBX) = 0;
  EXPECT_EQ(m.run({0x0F, 0x20, 0xE3}), ExitReason::Budget);  // mov rbx, cr4
  EXPECT_EQ(m.r(RBX), kCR4_PAE | kCR4_PGE | kCR4_SMEP);
  // Clearing PAE in IA-32e mode, or paging in 64-bit mode, is #GP.
  m.r(RAX) = kCR4_PGE;
  expect_fault(m, {0x0F, 0x22, 0xE0}, kExGP);
  m.cpu.s.cr0 |= kCR0_PG;
  m.r(RAX) = m.cpu.s.cr0 & ~kCR0_PG;
  expect_fault(m, {0x0F, 0x22, 0xC0}, kExGP);
  m.cpu.s.cr0 &= ~kCR0_PG;  // (no page tables in this test)
  m.cpu.flush_tlb();
  // PCIDE needs CR3[11:0] = 0.
  m.cpu.s.cr3 = 0x10001;
  m.r(RAX) = kCR4_PAE | kCR4_PCIDE;
  expect_fault(m, {0x0F, 0x22, 0xE0}, kExGP);
  m.cpu.s.cr3 = 0x10000;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xE0}), ExitReason::Budget);
  EXPECT_TRUE(m.cpu.s.cr4 & kCR4_PCIDE);
  // MOV CR3 with PCIDE: bit 63 (no-flush) is not stored.
  m.r(RAX) = (1ull << 63) | 0x20005;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xD8}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cr3, 0x20005u);
  m.r(RAX) = 1ull << 45;  // above MAXPHYADDR
  expect_fault(m, {0x0F, 0x22, 0xD8}, kExGP);
}

// Real paging all the way: 32-bit protected mode -> PAE -> EFER.LME ->
// CR0.PG activates IA-32e mode (compatibility mode until CS.L = 1).
TEST(SystemRegs, EnterLongModeStepByStep) {
  Machine m(4);
  // Identity map the first 2 MiB with one large page.
  m.put<u64>(0x10000, 0x11000 | 3);
  m.put<u64>(0x11000, 0x12000 | 3);
  m.put<u64>(0x12000, 0x83);
  m.load(0x1000, {
      0xB8, 0x20, 0x00, 0x00, 0x00,  // mov eax, CR4.PAE
      0x0F, 0x22, 0xE0,              // mov cr4, eax
      0xB8, 0x00, 0x00, 0x01, 0x00,  // mov eax, 0x10000
      0x0F, 0x22, 0xD8,              // mov cr3, eax
      0xB9, 0x80, 0x00, 0x00, 0xC0,  // mov ecx, IA32_EFER
      0x0F, 0x32,                    // rdmsr
      0x0D, 0x00, 0x01, 0x00, 0x00,  // or eax, LME
      0x0F, 0x30,                    // wrmsr
      0x0F, 0x20, 0xC0,              // mov eax, cr0
      0x0D, 0x00, 0x00, 0x00, 0x80,  // or eax, PG
      0x0F, 0x22, 0xC0,              // mov cr0, eax
  });
  EXPECT_EQ(m.run(11), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u + 41);
  EXPECT_TRUE(m.cpu.s.efer & kEFER_LMA);
  EXPECT_TRUE(m.cpu.s.cr0 & kCR0_PG);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Compat32);
  // Switch CS to a 64-bit code segment and run through the page tables.
  m.cpu.s.seg[CS].attr = (u16)((m.cpu.s.seg[CS].attr & ~kSegDB) | kSegL);
  m.cpu.update_mode();
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Long64);
  m.load(0x1100, {0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8});  // mov rax, imm64
  EXPECT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.r(RAX), 0x0807060504030201ull);
  EXPECT_EQ(m.ram[0x12000] & 0x20, 0x20);  // the walk set A in the PDE
  // LME cannot change while paging is on.
  m.r(RCX) = kMsrEfer;
  m.r(RAX) = 0;
  m.r(RDX) = 0;
  expect_fault(m, {0x0F, 0x30}, kExGP);
}

TEST(SystemRegs, PagingWithLmeNeedsPae) {
  Machine m(4);
  m.cpu.s.efer = kEFER_LME;
  m.r(RAX) = m.cpu.s.cr0 | kCR0_PG;
  expect_fault(m, {0x0F, 0x22, 0xC0}, kExGP);
  m.r(RAX) = (m.cpu.s.cr0 | kCR0_PG) & ~kCR0_PE;  // PG without PE
  m.cpu.s.efer = 0;
  expect_fault(m, {0x0F, 0x22, 0xC0}, kExGP);
}

TEST(SystemRegs, LeaveLongModeFromCompatibilityMode) {
  Machine m(8);
  m.put<u64>(0x10000, 0x11000 | 3);
  m.put<u64>(0x11000, 0x12000 | 3);
  m.put<u64>(0x12000, 0x83);
  m.cpu.s.cr3 = 0x10000;
  m.cpu.s.cr4 = kCR4_PAE;
  m.cpu.s.cr0 |= kCR0_PG;
  m.cpu.s.seg[CS].attr = (u16)((m.cpu.s.seg[CS].attr & ~kSegL) | kSegDB);
  m.cpu.update_mode();
  m.cpu.flush_tlb();
  ASSERT_EQ(m.cpu.s.mode, (u8)CpuMode::Compat32);
  m.r(RAX) = m.cpu.s.cr0 & ~kCR0_PG;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xC0}), ExitReason::Budget);
  EXPECT_FALSE(m.cpu.s.efer & kEFER_LMA);
  EXPECT_TRUE(m.cpu.s.efer & kEFER_LME);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Prot32);
}

TEST(SystemRegs, Msrs) {
  Machine m(8);
  auto wrmsr = [&](u32 idx, u64 v) {
    m.r(RCX) = idx;
    m.r(RAX) = (u32)v;
    m.r(RDX) = v >> 32;
    return m.run({0x0F, 0x30});
  };
  auto rdmsr = [&](u32 idx) {
    m.r(RCX) = idx;
    m.r(RAX) = m.r(RDX) = 0x5555555555555555ull;
    EXPECT_EQ(m.run({0x0F, 0x32}), ExitReason::Budget) << std::hex << idx;
    return (m.r(RDX) << 32) | (u32)m.r(RAX);
  };
  // Unknown MSRs.
  EXPECT_EQ(wrmsr(0x12345, 0), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExGP);
  m.r(RCX) = 0x12345;
  expect_fault(m, {0x0F, 0x32}, kExGP);
  // Round trips.
  const u32 kRoundTrip[] = {kMsrLstar, kMsrCstar, kMsrStar, kMsrKernelGsBase, kMsrSysenterEip};
  for (u32 idx : kRoundTrip) {
    EXPECT_EQ(wrmsr(idx, 0xffff800012345678ull), ExitReason::Budget);
    EXPECT_EQ(rdmsr(idx), 0xffff800012345678ull);
  }
  EXPECT_EQ(rdmsr(kMsrLstar) >> 32, 0xffff8000u);  // upper half in EDX
  EXPECT_EQ(m.r(RDX), 0xffff8000u);                // zero-extended
  // Non-canonical addresses and reserved bits.
  EXPECT_EQ(wrmsr(kMsrLstar, 0x0000800000000000ull), ExitReason::Exception);
  EXPECT_EQ(wrmsr(kMsrFsBase, 0x0001000000000000ull), ExitReason::Exception);
  EXPECT_EQ(wrmsr(kMsrFmask, 1ull << 32), ExitReason::Exception);
  EXPECT_EQ(wrmsr(kMsrTscAux, 1ull << 32), ExitReason::Exception);
  EXPECT_EQ(wrmsr(kMsrEfer, m.cpu.s.efer | (1u << 2)), ExitReason::Exception);
  // FS/GS base MSRs are the segment bases.
  EXPECT_EQ(wrmsr(kMsrGsBase, 0x7000), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.seg[GS].base, 0x7000u);
  // PAT: every byte must be a valid memory type (2 and 3 are reserved).
  EXPECT_EQ(rdmsr(kMsrPat), 0x0007040600070406ull);
  EXPECT_EQ(wrmsr(kMsrPat, 0x0007040600070402ull), ExitReason::Exception);
  EXPECT_EQ(wrmsr(kMsrPat, 0x0007010600070406ull), ExitReason::Budget);
  // MTRRs.
  EXPECT_EQ(rdmsr(kMsrMtrrCap) & 0xff, 8u);
  EXPECT_EQ(wrmsr(kMsrMtrrCap, 0), ExitReason::Exception);
  EXPECT_EQ(wrmsr(kMsrMtrrDefType, 0xc06), ExitReason::Budget);
  EXPECT_EQ(rdmsr(kMsrMtrrDefType), 0xc06u);
  EXPECT_EQ(wrmsr(kMsrMtrrDefType, 0x1006), ExitReason::Exception);
  EXPECT_EQ(wrmsr(0x268, 0x0606060606060606ull), ExitReason::Budget);
  EXPECT_EQ(rdmsr(0x268), 0x0606060606060606ull);
  EXPECT_EQ(wrmsr(0x201, 0xfff0000800ull), ExitReason::Budget);  // PHYSMASK0
  EXPECT_EQ(rdmsr(0x201), 0xfff0000800ull);
  EXPECT_EQ(wrmsr(0x200, 0x10000000002ull), ExitReason::Exception);  // type 2, beyond MAXPHYADDR
  // APIC base and the TSC.
  EXPECT_EQ(rdmsr(kMsrApicBase), 0xfee00900u);
  EXPECT_EQ(wrmsr(kMsrApicBase, 0xfec00800), ExitReason::Budget);
  EXPECT_EQ(rdmsr(kMsrApicBase), 0xfec00900u);  // BSP stays
  EXPECT_EQ(wrmsr(kMsrTsc, 1000000), ExitReason::Budget);
  const u64 t = rdmsr(kMsrTsc);
  EXPECT_GE(t, 1000000u);
  EXPECT_LT(t, 1000010u);
  EXPECT_EQ(rdmsr(kMsrMiscEnable) & 1, 1u);
  // ENABLE MONITOR FSM (bit 18) defaults to 1; BTS/PEBS unavailable read as 1
  // and ignore writes (SDM Vol. 4 Table 2-2).
  EXPECT_EQ(rdmsr(kMsrMiscEnable) & 0x41800, 0x41800u);
  EXPECT_EQ(wrmsr(kMsrMiscEnable, 0), ExitReason::Budget);
  EXPECT_EQ(rdmsr(kMsrMiscEnable), 0x1800u);
}

TEST(SystemRegs, SyscallSysretRoundTrip) {
  Machine m(8, 3);
  m.cpu.s.efer |= kEFER_SCE;
  m.cpu.s.star = (0x20ull << 48) | (0x10ull << 32);
  m.cpu.s.lstar = 0x2000;
  m.cpu.s.sfmask = kIF | kDF;
  m.cpu.set_rflags(kIF | kDF | kCF | kFixed1);
  m.load(0x2000, {0x48, 0x0F, 0x07});  // sysretq
  m.load(0x1000, {0x0F, 0x05});        // syscall
  EXPECT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2000u);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.r(RCX), 0x1002u);
  EXPECT_EQ(m.r(R11), (u64)(kIF | kDF | kCF | kFixed1));
  EXPECT_EQ(m.cpu.rflags(), (u64)(kCF | kFixed1));
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x10);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x18);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Long64);
  EXPECT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x33);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x2b);
  EXPECT_EQ(m.cpu.rflags(), (u64)(kIF | kDF | kCF | kFixed1));
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Long64);
  // SYSRET at CPL 3 is #GP; SYSCALL without EFER.SCE is #UD.
  expect_fault(m, {0x48, 0x0F, 0x07}, kExGP);
  m.cpu.s.efer &= ~(u64)kEFER_SCE;
  expect_fault(m, {0x0F, 0x05}, kExUD);
}

TEST(SystemRegs, SysretToCompatibilityMode) {
  Machine m(8);
  m.cpu.s.efer |= kEFER_SCE;
  m.cpu.s.star = 0x20ull << 48;
  m.r(RCX) = 0xffffffff00003000ull;
  m.r(R11) = kIF | kVM | kRF | kFixed1;  // VM and RF are dropped
  EXPECT_EQ(m.run({0x0F, 0x07}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x3000u);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x23);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x2b);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Compat32);
  EXPECT_EQ(m.cpu.rflags(), (u64)(kIF | kFixed1));
  // SYSRETQ to a non-canonical RCX is #GP(0) before anything changes.
  Machine n(8);
  n.cpu.s.efer |= kEFER_SCE;
  n.r(RCX) = 0x0000800000000000ull;
  expect_fault(n, {0x48, 0x0F, 0x07}, kExGP);
  EXPECT_EQ(n.cpu.s.cpl, 0);
}

TEST(SystemRegs, SysenterSysexit) {
  Machine m(4, 3);
  expect_fault(m, {0x0F, 0x34}, kExGP);  // SYSENTER_CS = 0
  m.cpu.s.sysenter_cs = 0x8;
  m.cpu.s.sysenter_eip = 0x2000;
  m.cpu.s.sysenter_esp = 0x7000;
  m.cpu.set_rflags(kIF | kFixed1);
  m.load(0x2000, {0x0F, 0x35});  // sysexit
  m.load(0x1000, {0x0F, 0x34});  // sysenter
  EXPECT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2000u);
  EXPECT_EQ(m.r(RSP), 0x7000u);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x8);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x10);
  EXPECT_FALSE(m.cpu.rflags() & kIF);
  m.r(RDX) = 0x1100;
  m.r(RCX) = 0x6000;
  EXPECT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x1100u);
  EXPECT_EQ(m.r(RSP), 0x6000u);
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x1b);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x23);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Prot32);
  expect_fault(m, {0x0F, 0x35}, kExGP);  // SYSEXIT at CPL 3
}

TEST(SystemRegs, CliStiHlt) {
  Machine m(4, 3);
  m.cpu.set_rflags(kIF | kFixed1 | (3u << 12));  // IOPL 3
  EXPECT_EQ(m.run({0xFA}), ExitReason::Budget);
  EXPECT_FALSE(m.cpu.rflags() & kIF);
  m.cpu.s.int_shadow = 0;
  EXPECT_EQ(m.run({0xFB}), ExitReason::Budget);
  EXPECT_TRUE(m.cpu.rflags() & kIF);
  EXPECT_EQ(m.cpu.s.int_shadow, 1);
  m.cpu.s.int_shadow = 0;
  EXPECT_EQ(m.run({0xFB}), ExitReason::Budget);  // IF already set: no shadow
  EXPECT_EQ(m.cpu.s.int_shadow, 0);
  // IOPL 0 at CPL 3: #GP, unless CR4.PVI (then VIF changes).
  m.cpu.set_rflags(kIF | kFixed1);
  expect_fault(m, {0xFA}, kExGP);
  m.cpu.s.cr4 |= kCR4_PVI;
  m.cpu.set_rflags(kIF | kVIF | kFixed1);
  EXPECT_EQ(m.run({0xFA}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.rflags() & (kIF | kVIF), (u64)kIF);
  EXPECT_EQ(m.run({0xFB}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.rflags() & (kIF | kVIF), (u64)(kIF | kVIF));
  m.cpu.set_rflags(kFixed1 | kVIP);
  expect_fault(m, {0xFB}, kExGP);  // STI with VIP pending
  // HLT at CPL 0.
  Machine h(8);
  EXPECT_EQ(h.run({0xF4, 0x90}, 5), ExitReason::Halt);
  EXPECT_EQ(h.cpu.s.rip, 0x1001u);
  EXPECT_TRUE(h.cpu.s.halted);
}

TEST(SystemRegs, DescriptorTableRegisters) {
  Machine m(8);
  m.put<u16>(0x3000, 0x7f);
  m.put<u64>(0x3002, 0xffff800000001000ull);
  m.r(RSI) = 0x3000;
  EXPECT_EQ(m.run({0x0F, 0x01, 0x16}), ExitReason::Budget);  // lgdt [rsi]
  EXPECT_EQ(m.cpu.s.gdtr.limit, 0x7fu);
  EXPECT_EQ(m.cpu.s.gdtr.base, 0xffff800000001000ull);
  EXPECT_EQ(m.run({0x0F, 0x01, 0x1E}), ExitReason::Budget);  // lidt [rsi]
  EXPECT_EQ(m.cpu.s.idtr.base, 0xffff800000001000ull);
  m.r(RDI) = 0x3100;
  EXPECT_EQ(m.run({0x0F, 0x01, 0x07}), ExitReason::Budget);  // sgdt [rdi]
  EXPECT_EQ(m.m<u16>(0x3100), 0x7f);
  EXPECT_EQ(m.m<u64>(0x3102), 0xffff800000001000ull);
  m.put<u64>(0x3002, 0x0000800000000000ull);
  expect_fault(m, {0x0F, 0x01, 0x16}, kExGP);  // non-canonical base

  // 32-bit: 6 bytes; a 16-bit operand size keeps 24 bits of the base.
  Machine p(4);
  p.put<u16>(0x3000, 0x17);
  p.put<u32>(0x3002, 0x12345678);
  p.r(RSI) = 0x3000;
  EXPECT_EQ(p.run({0x0F, 0x01, 0x16}), ExitReason::Budget);
  EXPECT_EQ(p.cpu.s.gdtr.base, 0x12345678u);
  EXPECT_EQ(p.run({0x66, 0x0F, 0x01, 0x16}), ExitReason::Budget);
  EXPECT_EQ(p.cpu.s.gdtr.base, 0x345678u);
  p.put<u64>(0x3100, ~0ull);
  p.r(RDI) = 0x3100;
  EXPECT_EQ(p.run({0x0F, 0x01, 0x07}), ExitReason::Budget);  // sgdt [edi]
  EXPECT_EQ(p.m<u16>(0x3100), 0x17);
  EXPECT_EQ(p.m<u32>(0x3102), 0x345678u);  // all 32 bits stored
  EXPECT_EQ(p.m<u16>(0x3106), 0xffff);  // only 6 bytes written

  // UMIP: SGDT/SIDT/SLDT/STR/SMSW are #GP at CPL 3 only with CR4.UMIP.
  Machine u(8, 3);
  u.r(RDI) = 0x3100;
  EXPECT_EQ(u.run({0x0F, 0x01, 0x07}), ExitReason::Budget);
  EXPECT_EQ(u.run({0x0F, 0x01, 0xE0}), ExitReason::Budget);  // smsw eax
  EXPECT_EQ(u.r(RAX), u.cpu.s.cr0 & 0xffffffffu);
  u.cpu.s.cr4 |= kCR4_UMIP;
  expect_fault(u, {0x0F, 0x01, 0x07}, kExGP);
  expect_fault(u, {0x0F, 0x01, 0x0F}, kExGP);
  expect_fault(u, {0x0F, 0x01, 0xE0}, kExGP);
  expect_fault(u, {0x0F, 0x00, 0xC0}, kExGP);  // sldt eax
  expect_fault(u, {0x0F, 0x00, 0xC8}, kExGP);  // str eax
}

TEST(SystemRegs, CltsLmswSmsw) {
  Machine m(4);
  m.cpu.s.cr0 |= kCR0_TS;
  EXPECT_EQ(m.run({0x0F, 0x06}), ExitReason::Budget);
  EXPECT_FALSE(m.cpu.s.cr0 & kCR0_TS);
  m.r(RAX) = 0xe;  // MP EM TS, PE clear: PE stays set
  EXPECT_EQ(m.run({0x0F, 0x01, 0xF0}), ExitReason::Budget);  // lmsw ax
  EXPECT_EQ(m.cpu.s.cr0 & 0xf, 0xfu);
  m.r(RBX) = ~0ull;
  EXPECT_EQ(m.run({0x66, 0x0F, 0x01, 0xE3}), ExitReason::Budget);  // smsw bx
  EXPECT_EQ(m.r(RBX), 0xffffffffffff0000ull | (m.cpu.s.cr0 & 0xffff));
  // LMSW can enter protected mode from real mode.
  Machine r(4);
  r.cpu.s.cr0 &= ~(u64)kCR0_PE;
  r.cpu.s.seg[CS].attr &= ~kSegDB;
  r.cpu.update_mode();
  ASSERT_EQ(r.cpu.s.mode, (u8)CpuMode::Real);
  r.r(RAX) = 1;
  EXPECT_EQ(r.run({0x0F, 0x01, 0xF0}), ExitReason::Budget);
  EXPECT_EQ(r.cpu.s.mode, (u8)CpuMode::Prot16);
}

TEST(SystemRegs, DebugRegisters) {
  Machine m(8);
  m.r(RAX) = 0;
  EXPECT_EQ(m.run({0x0F, 0x21, 0xF8}), ExitReason::Budget);  // mov rax, dr7
  EXPECT_EQ(m.r(RAX), 0x400u);
  EXPECT_EQ(m.run({0x0F, 0x21, 0xF0}), ExitReason::Budget);  // mov rax, dr6
  EXPECT_EQ(m.r(RAX), 0xffff0ff0u);
  m.r(RAX) = 0x12345678;
  EXPECT_EQ(m.run({0x0F, 0x23, 0xC0}), ExitReason::Budget);  // mov dr0, rax
  EXPECT_EQ(m.cpu.s.dr[0], 0x12345678u);
  m.r(RAX) = 1ull << 32;
  expect_fault(m, {0x0F, 0x23, 0xF8}, kExGP);  // reserved DR7 bits
  // DR4 aliases DR6 unless CR4.DE.
  EXPECT_EQ(m.run({0x0F, 0x21, 0xE0}), ExitReason::Budget);  // mov rax, dr4
  EXPECT_EQ(m.r(RAX), 0xffff0ff0u);
  m.cpu.s.cr4 |= kCR4_DE;
  expect_fault(m, {0x0F, 0x21, 0xE0}, kExUD);
  // DR7.GD: the next debug-register access is a #DB fault with DR6.BD.
  m.cpu.s.dr[7] = 0x400 | (1u << 13);
  expect_fault(m, {0x0F, 0x21, 0xC0}, kExDB);
  EXPECT_TRUE(m.cpu.s.dr[6] & (1u << 13));
  EXPECT_FALSE(m.cpu.s.dr[7] & (1u << 13));
}

TEST(SystemRegs, SwapgsAndFsgsbase) {
  Machine m(8);
  m.cpu.s.seg[GS].base = 0x1111;
  m.cpu.s.kernel_gs_base = 0x2222;
  EXPECT_EQ(m.run({0x0F, 0x01, 0xF8}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.seg[GS].base, 0x2222u);
  EXPECT_EQ(m.cpu.s.kernel_gs_base, 0x1111u);
  m.r(RAX) = 0xffff800000000000ull;
  expect_fault(m, {0xF3, 0x48, 0x0F, 0xAE, 0xD0}, kExUD);  // wrfsbase rax: CR4.FSGSBASE = 0
  m.cpu.s.cr4 |= kCR4_FSGSBASE;
  EXPECT_EQ(m.run({0xF3, 0x48, 0x0F, 0xAE, 0xD0}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.seg[FS].base, 0xffff800000000000ull);
  m.r(RBX) = 0;
  EXPECT_EQ(m.run({0xF3, 0x0F, 0xAE, 0xC3}), ExitReason::Budget);  // rdfsbase ebx
  EXPECT_EQ(m.r(RBX), 0u);
  EXPECT_EQ(m.run({0xF3, 0x48, 0x0F, 0xAE, 0xC3}), ExitReason::Budget);  // rdfsbase rbx
  EXPECT_EQ(m.r(RBX), 0xffff800000000000ull);
  m.r(RAX) = 0x0000800000000000ull;
  expect_fault(m, {0xF3, 0x48, 0x0F, 0xAE, 0xD8}, kExGP);  // wrgsbase: non-canonical
}

TEST(SystemRegs, MiscControl) {
  Machine m(8);
  // INVLPG, WBINVD, INVD, MWAIT are harmless at CPL 0.
  EXPECT_EQ(m.run({0x0F, 0x01, 0x38}), ExitReason::Budget);
  EXPECT_EQ(m.run({0x0F, 0x09}), ExitReason::Budget);
  EXPECT_EQ(m.run({0x0F, 0x08}), ExitReason::Budget);
  m.r(RCX) = 0;
  m.r(RAX) = 0x100;
  EXPECT_EQ(m.run({0x0F, 0x01, 0xC8}), ExitReason::Budget);  // monitor
  EXPECT_EQ(m.run({0x0F, 0x01, 0xC9}), ExitReason::Budget);  // mwait
  m.r(RCX) = 1;
  expect_fault(m, {0x0F, 0x01, 0xC9}, kExGP);
  // CLAC/STAC.
  EXPECT_EQ(m.run({0x0F, 0x01, 0xCB}), ExitReason::Budget);
  EXPECT_TRUE(m.cpu.rflags() & kAC);
  EXPECT_EQ(m.run({0x0F, 0x01, 0xCA}), ExitReason::Budget);
  EXPECT_FALSE(m.cpu.rflags() & kAC);
  // INVPCID: type > 3 is #GP(0); type 2 (all contexts) is fine.
  m.put<u64>(0x3000, 0);
  m.put<u64>(0x3008, 0);
  m.r(RSI) = 0x3000;
  m.r(RAX) = 4;
  expect_fault(m, {0x66, 0x0F, 0x38, 0x82, 0x06}, kExGP);
  m.r(RAX) = 2;
  EXPECT_EQ(m.run({0x66, 0x0F, 0x38, 0x82, 0x06}), ExitReason::Budget);
  // RSM outside SMM.
  expect_fault(m, {0x0F, 0xAA}, kExUD);
}

TEST(SystemRegs, Xcr0) {
  Machine m(8);
  expect_fault(m, {0x0F, 0x01, 0xD0}, kExUD);  // xgetbv: CR4.OSXSAVE = 0
  m.cpu.features |= fbit(Feature::XSAVE);
  m.r(RAX) = kCR4_PAE | kCR4_OSXSAVE;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xE0}), ExitReason::Budget);
  m.r(RCX) = 0;
  EXPECT_EQ(m.run({0x0F, 0x01, 0xD0}), ExitReason::Budget);
  EXPECT_EQ(m.r(RAX), 1u);
  EXPECT_EQ(m.r(RDX), 0u);
  m.r(RAX) = 3;
  EXPECT_EQ(m.run({0x0F, 0x01, 0xD1}), ExitReason::Budget);  // xsetbv
  EXPECT_EQ(m.cpu.s.xcr0, 3u);
  m.r(RAX) = 2;  // x87 bit clear
  expect_fault(m, {0x0F, 0x01, 0xD1}, kExGP);
  m.r(RAX) = 5;  // AVX without SSE
  expect_fault(m, {0x0F, 0x01, 0xD1}, kExGP);
  m.r(RAX) = 1;
  m.r(RCX) = 1;  // XCR1
  expect_fault(m, {0x0F, 0x01, 0xD1}, kExGP);
}

TEST(SystemRegs, SelectorInstructions) {
  Machine m(4);
  m.cpu.s.ldtr.sel = 0x28;
  m.cpu.s.tr.sel = 0x30;
  m.r(RAX) = ~0ull;
  EXPECT_EQ(m.run({0x0F, 0x00, 0xC0}), ExitReason::Budget);  // sldt eax
  EXPECT_EQ(m.r(RAX), 0x28u);
  EXPECT_EQ(m.run({0x0F, 0x00, 0xC8}), ExitReason::Budget);  // str eax
  EXPECT_EQ(m.r(RAX), 0x30u);
  // ARPL ax, cx.
  m.r(RAX) = 0x10;
  m.r(RCX) = 0x23;
  EXPECT_EQ(m.run({0x63, 0xC8}), ExitReason::Budget);
  EXPECT_EQ(m.r(RAX), 0x13u);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.run({0x63, 0xC8}), ExitReason::Budget);
  EXPECT_FALSE(m.cpu.rflags() & kZF);
}

namespace {

// A small GDT at 0x5000 for the descriptor instructions.
void build_gdt(Machine& m) {
  auto put = [&](u16 sel, u32 lo, u32 hi) {
    m.put<u32>(0x5000 + sel, lo);
    m.put<u32>(0x5004 + sel, hi);
  };
  put(0x08, 0x0000ffff, 0x00cf9a00);  // 32-bit code, DPL 0
  put(0x10, 0x0000ffff, 0x00cf9200);  // data, DPL 0, writable
  put(0x18, 0x0000ffff, 0x00cff000);  // data, DPL 3, read-only
  put(0x20, 0x6000001f, 0x00008200);  // LDT at 0x6000, limit 0x1f
  put(0x28, 0x70000067, 0x00008900);  // available 32-bit TSS at 0x7000
  m.cpu.s.gdtr = DescTable{0x5000, 0x37};
}

}  // namespace

TEST(SystemRegs, LldtLtr) {
  Machine m(4);
  build_gdt(m);
  m.r(RAX) = 0x20;
  EXPECT_EQ(m.run({0x0F, 0x00, 0xD0}), ExitReason::Budget);  // lldt ax
  EXPECT_EQ(m.cpu.s.ldtr.sel, 0x20);
  EXPECT_EQ(m.cpu.s.ldtr.base, 0x6000u);
  EXPECT_EQ(m.cpu.s.ldtr.limit, 0x1fu);
  m.r(RAX) = 0x28;
  expect_fault(m, {0x0F, 0x00, 0xD0}, kExGP);  // a TSS is not an LDT
  EXPECT_EQ(m.cpu.fault_err, 0x28u);
  m.r(RAX) = 0x40;
  expect_fault(m, {0x0F, 0x00, 0xD0}, kExGP);  // beyond the GDT limit
  m.r(RAX) = 0;
  EXPECT_EQ(m.run({0x0F, 0x00, 0xD0}), ExitReason::Budget);  // null: LDTR unusable
  EXPECT_EQ(m.cpu.s.ldtr.sel, 0);
  m.r(RAX) = 0x28;
  EXPECT_EQ(m.run({0x0F, 0x00, 0xD8}), ExitReason::Budget);  // ltr ax
  EXPECT_EQ(m.cpu.s.tr.sel, 0x28);
  EXPECT_EQ(m.cpu.s.tr.base, 0x7000u);
  EXPECT_EQ(m.cpu.s.tr.limit, 0x67u);
  EXPECT_EQ(m.ram[0x5000 + 0x28 + 5], 0x8b);  // marked busy
  expect_fault(m, {0x0F, 0x00, 0xD8}, kExGP);  // busy TSS
  m.r(RAX) = 0;
  expect_fault(m, {0x0F, 0x00, 0xD8}, kExGP);  // null selector
  EXPECT_EQ(m.cpu.fault_err, 0u);
  // Real mode: #UD.
  Machine r(4);
  r.cpu.s.cr0 &= ~(u64)kCR0_PE;
  r.cpu.update_mode();
  expect_fault(r, {0x0F, 0x00, 0xD0}, kExUD);
}

TEST(SystemRegs, LarLslVerrVerw) {
  Machine m(4);
  build_gdt(m);
  m.r(RCX) = 0x08;
  m.r(RAX) = 0;
  EXPECT_EQ(m.run({0x0F, 0x02, 0xC1}), ExitReason::Budget);  // lar eax, cx
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.r(RAX), 0x00c09a00u);
  EXPECT_EQ(m.run({0x0F, 0x03, 0xC1}), ExitReason::Budget);  // lsl eax, cx
  EXPECT_EQ(m.r(RAX), 0xffffffffu);
  m.r(RCX) = 0x28;
  EXPECT_EQ(m.run({0x0F, 0x03, 0xC1}), ExitReason::Budget);  // TSS limit
  EXPECT_EQ(m.r(RAX), 0x67u);
  m.r(RCX) = 0;
  EXPECT_EQ(m.run({0x0F, 0x02, 0xC1}), ExitReason::Budget);  // null: ZF = 0
  EXPECT_FALSE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.r(RAX), 0x67u);  // unchanged
  m.r(RCX) = 0x18;
  EXPECT_EQ(m.run({0x0F, 0x00, 0xE1}), ExitReason::Budget);  // verr cx
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  EXPECT_EQ(m.run({0x0F, 0x00, 0xE9}), ExitReason::Budget);  // verw cx: read-only
  EXPECT_FALSE(m.cpu.rflags() & kZF);
  m.r(RCX) = 0x10;
  EXPECT_EQ(m.run({0x0F, 0x00, 0xE9}), ExitReason::Budget);
  EXPECT_TRUE(m.cpu.rflags() & kZF);
  // At CPL 3 the DPL-0 segments are invisible.
  Machine u(4, 3);
  build_gdt(u);
  u.r(RCX) = 0x08;
  EXPECT_EQ(u.run({0x0F, 0x02, 0xC1}), ExitReason::Budget);
  EXPECT_FALSE(u.cpu.rflags() & kZF);
  u.r(RCX) = 0x1b;
  EXPECT_EQ(u.run({0x0F, 0x00, 0xE1}), ExitReason::Budget);
  EXPECT_TRUE(u.cpu.rflags() & kZF);
}

namespace {

// 4-level paging: the first MiB identity-mapped with 4-KByte pages (PT at
// 0x13000), lin 0x200000 a 2-MByte page onto physical 0.
void enable_paging(Machine& m) {
  m.put<u64>(0x10000, 0x11000 | 3);
  m.put<u64>(0x11000, 0x12000 | 3);
  m.put<u64>(0x12000, 0x13000 | 3);
  m.put<u64>(0x12008, 0x83);
  for (u64 i = 0; i < 256; ++i) m.put<u64>(0x13000 + 8 * i, (i << 12) | 3);
  m.cpu.s.cr3 = 0x10000;
  m.cpu.s.cr4 = kCR4_PAE | kCR4_PGE;
  m.cpu.s.cr0 |= kCR0_PG;
  m.cpu.flush_tlb();
}

u64 read_byte_at(Machine& m, u32 lin) {
  m.r(RAX) = 0;
  // mov al, [lin]
  EXPECT_EQ(m.run({0x8A, 0x04, 0x25, (u8)lin, (u8)(lin >> 8), (u8)(lin >> 16), (u8)(lin >> 24)}),
            ExitReason::Budget);
  return m.r(RAX);
}

}  // namespace

TEST(SystemRegs, TlbInvalidation) {
  Machine m(8);
  enable_paging(m);
  m.ram[0x40000] = 0x11;
  m.ram[0x41000] = 0x22;
  // lin 0x80000 -> 0x40000; remap without INVLPG: the TLB still has the old one.
  m.put<u64>(0x13000 + 8 * 0x80, 0x40000 | 3);
  EXPECT_EQ(read_byte_at(m, 0x80000), 0x11u);
  m.put<u64>(0x13000 + 8 * 0x80, 0x41000 | 3);
  EXPECT_EQ(read_byte_at(m, 0x80000), 0x11u);
  m.r(RBX) = 0x80000;
  EXPECT_EQ(m.run({0x0F, 0x01, 0x3B}), ExitReason::Budget);  // invlpg [rbx]
  EXPECT_EQ(read_byte_at(m, 0x80000), 0x22u);
  // MOV CR3 drops non-global translations ...
  m.put<u64>(0x13000 + 8 * 0x80, 0x40000 | 3);
  m.r(RAX) = 0x10000;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xD8}), ExitReason::Budget);
  EXPECT_EQ(read_byte_at(m, 0x80000), 0x11u);
  // ... but not global ones (CR4.PGE, PTE.G).
  m.put<u64>(0x13000 + 8 * 0x80, 0x41000 | 0x103);
  m.r(RBX) = 0x80000;
  EXPECT_EQ(m.run({0x0F, 0x01, 0x3B}), ExitReason::Budget);
  EXPECT_EQ(read_byte_at(m, 0x80000), 0x22u);
  m.put<u64>(0x13000 + 8 * 0x80, 0x40000 | 0x103);
  m.r(RAX) = 0x10000;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xD8}), ExitReason::Budget);
  EXPECT_EQ(read_byte_at(m, 0x80000), 0x22u);
  // Toggling CR4.PGE flushes global entries too.
  m.r(RAX) = kCR4_PAE;
  EXPECT_EQ(m.run({0x0F, 0x22, 0xE0}), ExitReason::Budget);
  EXPECT_EQ(read_byte_at(m, 0x80000), 0x11u);
}

TEST(SystemRegs, InvlpgLargePage) {
  Machine m(8);
  enable_paging(m);
  m.ram[0x3000] = 0x5a;  // lin 0x203000 through the 2-MByte page
  EXPECT_EQ(read_byte_at(m, 0x203000), 0x5au);
  // Move the large page beyond RAM (reads as all ones), then INVLPG a
  // different 4-KByte part of it: the whole 2-MByte translation goes.
  m.put<u64>(0x12008, 0x200000 | 0x83);
  EXPECT_EQ(read_byte_at(m, 0x203000), 0x5au);
  m.r(RBX) = 0x200000;
  EXPECT_EQ(m.run({0x0F, 0x01, 0x3B}), ExitReason::Budget);
  EXPECT_EQ(read_byte_at(m, 0x203000), 0xffu);
}

TEST(SystemRegs, PaePdpteReservedBits) {
  Machine m(4);
  m.put<u64>(0x10000, 0x11000 | 1 | 2);  // PDPTE with reserved bit 1
  m.put<u64>(0x11000, 0x83);             // 2-MByte identity page
  m.cpu.s.cr3 = 0x10000;
  m.cpu.s.cr4 = kCR4_PAE;
  m.r(RAX) = m.cpu.s.cr0 | kCR0_PG;
  expect_fault(m, {0x0F, 0x22, 0xC0}, kExGP);
  m.put<u64>(0x10000, 0x11000 | 1);
  EXPECT_EQ(m.run({0x0F, 0x22, 0xC0}), ExitReason::Budget);
  EXPECT_TRUE(m.cpu.s.cr0 & kCR0_PG);
  EXPECT_FALSE(m.cpu.s.efer & kEFER_LMA);
  m.put<u64>(0x20008, 0x11000 | 1 | (1u << 5));  // reserved bit 5
  m.r(RAX) = 0x20000;
  expect_fault(m, {0x0F, 0x22, 0xD8}, kExGP);
  m.put<u64>(0x20008, 0);  // not present: no check
  EXPECT_EQ(m.run({0x0F, 0x22, 0xD8}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cr3, 0x20000u);
}

TEST(SystemRegs, LtrIa32eSixteenByteDescriptor) {
  Machine m(8);
  build_gdt(m);
  m.put<u32>(0x5030, 0x1);  // base bits 63:32
  m.put<u32>(0x5034, 0);
  m.r(RAX) = 0x28;
  EXPECT_EQ(m.run({0x0F, 0x00, 0xD8}), ExitReason::Budget);  // ltr ax
  EXPECT_EQ(m.cpu.s.tr.base, 0x100007000ull);
  // A nonzero type in the upper half is #GP(selector).
  Machine n(8);
  build_gdt(n);
  n.put<u32>(0x5034, 0x100);
  n.r(RAX) = 0x28;
  expect_fault(n, {0x0F, 0x00, 0xD8}, kExGP);
  EXPECT_EQ(n.cpu.fault_err, 0x28u);
}

TEST(SystemRegs, CliStiVirtual8086) {
  Machine m(4, 3);
  m.cpu.set_rflags(kVM | kIF | kVIF | kFixed1);  // IOPL 0
  ASSERT_EQ(m.cpu.s.mode, (u8)CpuMode::V86);
  expect_fault(m, {0xFA}, kExGP);  // no CR4.VME
  m.cpu.s.cr4 |= kCR4_VME;
  EXPECT_EQ(m.run({0xFA}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.rflags() & (kIF | kVIF), (u64)kIF);
  EXPECT_EQ(m.run({0xFB}), ExitReason::Budget);
  EXPECT_EQ(m.cpu.rflags() & (kIF | kVIF), (u64)(kIF | kVIF));
  // IOPL 3: the real IF.
  m.cpu.set_rflags(kVM | kIF | kFixed1 | (3u << 12));
  EXPECT_EQ(m.run({0xFA}), ExitReason::Budget);
  EXPECT_FALSE(m.cpu.rflags() & kIF);
  // Privileged and protected-mode-only instructions in V86 mode.
  expect_fault(m, {0xF4}, kExGP);              // hlt
  expect_fault(m, {0x0F, 0x00, 0xC0}, kExUD);  // sldt
  expect_fault(m, {0x0F, 0x02, 0xC1}, kExUD);  // lar
}
