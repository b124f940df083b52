// Exception and interrupt delivery: real-mode IVT, protected-mode IDT with
// and without a privilege change, 64-bit IDT with IST, #DF, triple fault.
#include <gtest/gtest.h>

#include "system_desc.h"

namespace pc64::test {
namespace {

TEST(SystemExc, RealModeIntAndIret) {
  Machine m(4);
  to_real(m);
  m.cpu.stop_on_exception = false;
  m.put<u32>(0x21 * 4, 0x02000100);   // 0200:0100 -> linear 0x2100
  m.put<u8>(0x2100, 0xB8);            // mov ax, 0x1234
  m.put<u16>(0x2101, 0x1234);
  m.put<u8>(0x2103, 0xCF);            // iret
  m.r(RSP) = 0x8000;
  m.cpu.set_rflags(m.cpu.rflags() | kIF | kTF);
  m.load(0x1000, {0xCD, 0x21, 0x90});
  m.cpu.s.rflags &= ~kTF;  // keep single-step out of it
  m.cpu.s.rflags |= kIF;
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x200);
  EXPECT_EQ(m.cpu.s.seg[CS].base, 0x2000u);
  EXPECT_EQ(m.cpu.s.rip, 0x100u);
  EXPECT_EQ(m.r(RSP), 0x8000u - 6);
  EXPECT_EQ(m.m<u16>(0x7ffa), 0x1002);  // IP
  EXPECT_EQ(m.m<u16>(0x7ffc), 0);       // CS
  EXPECT_TRUE(m.m<u16>(0x7ffe) & kIF);  // FLAGS
  EXPECT_FALSE(m.cpu.rflags() & kIF);
  ASSERT_EQ(m.run(2), ExitReason::Budget);
  EXPECT_EQ(m.r(RAX) & 0xffff, 0x1234u);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  EXPECT_EQ(m.cpu.s.seg[CS].base, 0u);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_TRUE(m.cpu.rflags() & kIF);
}

TEST(SystemExc, RealModeDivideErrorUsesIvt) {
  Machine m(4);
  to_real(m);
  m.cpu.stop_on_exception = false;
  m.put<u32>(0, 0x00003000);  // vector 0 -> 0000:3000
  m.r(RSP) = 0x8000;
  m.r(RCX) = 0;
  m.load(0x1000, {0xF6, 0xF1});  // div cl
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x3000u);
  EXPECT_EQ(m.m<u16>(0x7ffa), 0x1000);  // faulting IP
}

TEST(SystemExc, ProtectedSamePrivilegeFault) {
  SysMachine m(4);
  prot32(m, 0);
  m.set_idt(0, gate(0x08, 0x2000, kIntGate32, 0));
  m.set_idt(13, gate(0x08, 0x2100, kTrapGate32, 0));
  m.cpu.s.rflags |= kIF;
  m.r(RCX) = 0;
  m.load(0x1000, {0xF7, 0xF1});  // div ecx -> #DE
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2000u);
  EXPECT_EQ(m.r(RSP), 0x8000u - 12);
  EXPECT_EQ(m.m<u32>(0x8000 - 12), 0x1000u);
  EXPECT_EQ(m.m<u32>(0x8000 - 8), 0x08u);
  const u32 fl = m.m<u32>(0x8000 - 4);
  EXPECT_TRUE(fl & kIF);
  EXPECT_TRUE(fl & kRF);  // faults save RF = 1
  EXPECT_FALSE(m.cpu.rflags() & kIF);  // interrupt gate

  // #GP with an error code through a trap gate: IF stays set.
  m.r(RSP) = 0x8000;
  m.cpu.s.rflags |= kIF;
  m.r(RAX) = 0x1230;  // beyond the GDT limit
  m.load(0x1000, {0x8E, 0xD8});  // mov ds, ax
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2100u);
  EXPECT_EQ(m.r(RSP), 0x8000u - 16);
  EXPECT_EQ(m.m<u32>(0x8000 - 16), 0x1230u);  // error code
  EXPECT_EQ(m.m<u32>(0x8000 - 12), 0x1000u);
  EXPECT_TRUE(m.cpu.rflags() & kIF);
}

TEST(SystemExc, ProtectedPrivilegeChangeAndIret) {
  SysMachine m(4);
  prot32(m, 3);
  m.set_idt(0x80, gate(0x08, 0x2000, kIntGate32, 3));
  m.put<u8>(0x2000, 0xCF);  // iret
  m.r(RSP) = 0x8000;
  m.cpu.s.rflags |= kIF;
  m.load(0x1000, {0xCD, 0x80, 0x90});
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x08);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x10);
  EXPECT_EQ(m.r(RSP), 0x9000u - 20);
  EXPECT_EQ(m.m<u32>(0x9000 - 20), 0x1002u);  // EIP after INT
  EXPECT_EQ(m.m<u32>(0x9000 - 16), 0x1bu);
  EXPECT_EQ(m.m<u32>(0x9000 - 8), 0x8000u);   // old ESP
  EXPECT_EQ(m.m<u32>(0x9000 - 4), 0x23u);     // old SS
  EXPECT_FALSE(m.m<u32>(0x9000 - 12) & kRF);  // software interrupts do not set RF
  ASSERT_EQ(m.run(1), ExitReason::Budget);    // iret to CPL 3
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x1b);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x23);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  EXPECT_TRUE(m.cpu.rflags() & kIF);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Prot32);
}

TEST(SystemExc, SoftwareIntGateDplCheck) {
  SysMachine m(4);
  prot32(m, 3);
  m.set_idt(0x81, gate(0x08, 0x2000, kIntGate32, 0));  // DPL 0: not reachable by INT from CPL 3
  m.set_idt(13, gate(0x08, 0x2100, kIntGate32, 0));
  m.r(RSP) = 0x8000;
  m.load(0x1000, {0xCD, 0x81});
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2100u);
  EXPECT_EQ(m.m<u32>(0x9000 - 24), 0x81u * 8 + 2);  // error code: IDT entry
  EXPECT_EQ(m.m<u32>(0x9000 - 20), 0x1000u);        // reported on the INT itself
}

TEST(SystemExc, StopOnExceptionStillStops) {
  SysMachine m(4);
  prot32(m, 0);
  m.cpu.stop_on_exception = true;
  m.load(0x1000, {0xCC});
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExBP);
  EXPECT_EQ(m.cpu.s.rip, 0x1001u);
}

TEST(SystemExc, DoubleFault) {
  SysMachine m(4);
  prot32(m, 0);
  m.set_idt(8, gate(0x08, 0x2800, kIntGate32, 0));
  u64 g = gate(0x08, 0x2100, kIntGate32, 0) & ~(1ull << 47);  // #GP gate not present
  m.set_idt(13, g);
  m.r(RAX) = 0x1230;
  m.load(0x1000, {0x8E, 0xD8});  // mov ds, ax -> #GP -> #NP -> #DF
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2800u);
  EXPECT_EQ(m.m<u32>(0x8000 - 16), 0u);  // #DF error code is 0
  EXPECT_EQ(m.m<u32>(0x8000 - 12), 0x1000u);
}

TEST(SystemExc, BenignThenContributoryIsSerial) {
  SysMachine m(4);
  prot32(m, 0);
  m.set_idt(13, gate(0x08, 0x2100, kIntGate32, 0));
  m.set_idt(6, gate(0x1234, 0x2000, kIntGate32, 0));  // #UD gate with a bad selector
  m.load(0x1000, {0x0F, 0x0B});  // ud2 -> #UD -> #GP(0x1234 | EXT)
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2100u);
  EXPECT_EQ(m.m<u32>(0x8000 - 16), 0x1235u);  // EXT set
}

TEST(SystemExc, TripleFaultShutsDown) {
  SysMachine m(4);
  prot32(m, 0);
  m.cpu.s.idtr.limit = 0;  // nothing deliverable
  m.r(RCX) = 0;
  m.load(0x1000, {0xF7, 0xF1});
  EXPECT_EQ(m.run(5), ExitReason::Shutdown);
}

TEST(SystemExc, Virtual8086IretAndInterrupt) {
  SysMachine m(4);
  prot32(m, 0);
  m.set_idt(0x21, gate(0x08, 0x2000, kIntGate32, 3));
  m.set_idt(13, gate(0x08, 0x2200, kIntGate32, 0));
  m.put<u8>(0x2000, 0xCF);  // iretd back to V86
  const u32 frame[9] = {0x100, 0x200, (u32)(kVM | kIOPL | kFixed1), 0x500, 0x300, 0x400, 0x410, 0x420, 0x430};
  for (int k = 0; k < 9; ++k) m.put<u32>(0x8000 - 36 + 4 * k, frame[k]);
  m.r(RSP) = 0x8000 - 36;
  m.load(0x2100, {0xCD, 0x21, 0x90});  // 0200:0100 in V86
  m.load(0x1000, {0xCF});              // iretd to V86
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::V86);
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.seg[CS].base, 0x2000u);
  EXPECT_EQ(m.cpu.s.seg[SS].base, 0x3000u);
  EXPECT_EQ(m.cpu.s.seg[DS].sel, 0x410);
  EXPECT_EQ(m.cpu.s.rip, 0x100u);
  EXPECT_EQ(m.r(RSP), 0x500u);
  ASSERT_EQ(m.run(1), ExitReason::Budget);  // INT 21 from V86 (IOPL 3)
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Prot32);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.r(RSP), 0x9000u - 36);
  EXPECT_EQ(m.m<u32>(0x9000 - 36), 0x102u);  // EIP
  EXPECT_EQ(m.m<u32>(0x9000 - 32), 0x200u);  // CS
  EXPECT_TRUE(m.m<u32>(0x9000 - 28) & kVM);
  EXPECT_EQ(m.m<u32>(0x9000 - 24), 0x500u);  // ESP
  EXPECT_EQ(m.m<u32>(0x9000 - 20), 0x300u);  // SS
  EXPECT_EQ(m.m<u32>(0x9000 - 16), 0x400u);  // ES
  EXPECT_EQ(m.m<u32>(0x9000 - 4), 0x430u);   // GS
  EXPECT_EQ(m.cpu.s.seg[DS].sel, 0);         // data segments nulled
  ASSERT_EQ(m.run(1), ExitReason::Budget);   // iretd back to V86
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::V86);
  EXPECT_EQ(m.cpu.s.rip, 0x102u);
  EXPECT_EQ(m.cpu.s.seg[DS].sel, 0x410);
  // INT n with IOPL < 3 is #GP(0) in V86 mode.
  m.cpu.set_rflags(m.cpu.rflags() & ~(u64)kIOPL);
  m.load(0x2102, {0xCD, 0x21});
  m.cpu.s.rip = 0x102;
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2200u);
  EXPECT_EQ(m.m<u32>(0x9000 - 40), 0u);      // error code
  EXPECT_EQ(m.m<u32>(0x9000 - 36), 0x102u);  // the INT instruction
}

TEST(SystemExc, Virtual8086VmeRedirection) {
  SysMachine m(4);
  prot32(m, 0);
  m.cpu.s.cr4 |= 1;  // VME
  m.put<u16>(kTss + 0x66, 0x88);      // I/O map base: redirection bitmap at 0x68..0x87
  m.put<u8>(kTss + 0x68 + 0x22 / 8, 1u << (0x22 & 7));  // INT 22 not redirected
  m.cpu.s.tr.limit = 0x88 + 0x2000;
  m.set_idt(13, gate(0x08, 0x2200, kIntGate32, 0));
  m.put<u32>(0x21 * 4, 0x05000010);   // the 8086 program's IVT: 0500:0010
  const u32 frame[9] = {0x100, 0x200, (u32)(kVM | kVIF | kFixed1), 0x500, 0x300, 0, 0, 0, 0};
  for (int k = 0; k < 9; ++k) m.put<u32>(0x8000 - 36 + 4 * k, frame[k]);
  m.r(RSP) = 0x8000 - 36;
  m.load(0x2100, {0xCD, 0x21, 0xCD, 0x22});
  m.load(0x1000, {0xCF});
  ASSERT_EQ(m.run(2), ExitReason::Budget);  // iretd to V86; INT 21 redirected
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::V86);
  EXPECT_EQ(m.cpu.s.seg[CS].base, 0x5000u);
  EXPECT_EQ(m.cpu.s.rip, 0x10u);
  EXPECT_EQ(m.r(RSP), 0x500u - 6);
  const u16 fl = m.m<u16>(0x3000 + 0x500 - 2);
  EXPECT_TRUE(fl & kIF);                       // VIF in the IF position
  EXPECT_EQ(fl & kIOPL, (u16)kIOPL);           // IOPL reads 3
  EXPECT_EQ(m.m<u16>(0x3000 + 0x500 - 6), 0x102);
  EXPECT_FALSE(m.cpu.rflags() & kVIF);
  // INT 22 has its bitmap bit set: with IOPL < 3 it is #GP(0).
  m.load(0x5010, {0xCD, 0x22});
  m.cpu.s.rip = 0x10;
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2200u);
  EXPECT_EQ(m.cpu.s.cpl, 0);
}

TEST(SystemExc, SixteenBitGateAndTss) {
  SysMachine m(4);
  prot32(m, 3);
  m.set_gdt(5, seg_desc((u32)kTss, 0x2b, kSegP | kTss16Busy));
  m.set_tr(0x28, 0x2b, kTss16Busy);
  m.put<u16>(kTss + 2, 0x9000);  // SP0
  m.put<u16>(kTss + 4, 0x10);    // SS0
  m.set_idt(0x30, gate(0x08, 0x2000, kIntGate16, 3));
  m.load(0x1000, {0xCD, 0x30});
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.cpu.s.rip, 0x2000u);
  EXPECT_EQ(m.r(RSP), 0x9000u - 10);
  EXPECT_EQ(m.m<u16>(0x9000 - 10), 0x1002);  // IP
  EXPECT_EQ(m.m<u16>(0x9000 - 8), 0x1b);     // CS
  EXPECT_EQ(m.m<u16>(0x9000 - 4), 0x8000);   // SP
  EXPECT_EQ(m.m<u16>(0x9000 - 2), 0x23);     // SS
}

// GDT: 08 code64 DPL0, 10 data DPL0, 18|3 data DPL3, 20|3 code64 DPL3, 28 TSS64 (16 bytes).
void long64(SysMachine& m, int cpl) {
  m.set_gdt(1, seg_desc(0, 0xffffffff, kCode64));
  m.set_gdt(2, seg_desc(0, 0xffffffff, kData32));
  m.set_gdt(3, seg_desc(0, 0xffffffff, kData32 | dpl(3)));
  m.set_gdt(4, seg_desc(0, 0xffffffff, kCode64 | dpl(3)));
  m.set_gdt(5, seg_desc((u32)kTss, 0x67, kSegP | kTss32Busy));
  m.put<u64>(kTss + 4, 0x9000);     // RSP0
  m.put<u64>(kTss + 36, 0x9808);    // IST1 (misaligned: aligned down to 16)
  m.set_tr(0x28, 0x67, kTss32Busy);
  if (cpl == 3) {
    m.seg(CS, 0x23);
    for (u8 s : {SS, DS, ES}) m.seg(s, 0x1b);
  } else {
    m.seg(CS, 0x08);
    for (u8 s : {SS, DS, ES}) m.seg(s, 0x10);
  }
}

TEST(SystemExc, LongModeIstAndIretq) {
  SysMachine m(8);
  long64(m, 0);
  m.set_idt64(3, 0x08, 0x2000, kIntGate32, 0, 1);
  m.put<u16>(0x2000, 0xCF48);  // iretq
  m.r(RSP) = 0x8000;
  m.load(0x1000, {0xCC, 0x90});
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2000u);
  EXPECT_EQ(m.r(RSP), 0x9800u - 40);
  EXPECT_EQ(m.mem64(0x9800 - 40), 0x1001u);  // RIP after INT3
  EXPECT_EQ(m.mem64(0x9800 - 32), 0x08u);
  EXPECT_EQ(m.mem64(0x9800 - 16), 0x8000u);  // old RSP
  EXPECT_EQ(m.mem64(0x9800 - 8), 0x10u);     // old SS
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x1001u);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x10);
}

// With CR4.LA57 the stack may sit at a 57-bit canonical address that is
// not 48-bit canonical (Linux's vmalloc'd kernel stacks at ffa0...): the
// frame is pushed there, no #SS (SDM Vol. 3A §6.14.2, §4.5.1). The test
// machine has paging off, so the linear address reaches RAM truncated.
TEST(SystemExc, LongModeFrameOnLa57Stack) {
  SysMachine m(8);
  long64(m, 0);
  m.cpu.s.cr4 |= 1u << 12;
  m.set_idt64(3, 0x08, 0x2000, kIntGate32, 0);
  const u64 sp = 0x00ff000000008000ull;
  m.r(RSP) = sp;
  m.load(0x1000, {0xCC, 0x90});
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2000u);
  EXPECT_EQ(m.r(RSP), sp - 40);
  EXPECT_EQ(m.mem64(0x8000 - 40), 0x1001u);
  EXPECT_EQ(m.mem64(0x8000 - 16), sp);
}

TEST(SystemExc, LongModePrivilegeChangeWithErrorCode) {
  SysMachine m(8);
  long64(m, 3);
  m.set_idt64(13, 0x08, 0x2000, kIntGate32, 0);
  m.load(0x2000, {0x48, 0x83, 0xC4, 0x08, 0x48, 0xCF});  // add rsp, 8 (drop the error code); iretq
  m.r(RSP) = 0x8008;
  m.r(RAX) = 0x0;
  m.load(0x1000, {0x0F, 0x22, 0xD8});  // mov cr3, rax at CPL 3 -> #GP(0)
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0);     // null SS with RPL = new CPL
  EXPECT_EQ(m.r(RSP), 0x9000u - 48);
  EXPECT_EQ(m.mem64(0x9000 - 48), 0u);   // error code
  EXPECT_EQ(m.mem64(0x9000 - 40), 0x1000u);
  EXPECT_EQ(m.mem64(0x9000 - 32), 0x23u);
  EXPECT_EQ(m.mem64(0x9000 - 16), 0x8008u);
  EXPECT_EQ(m.mem64(0x9000 - 8), 0x1bu);
  ASSERT_EQ(m.run(2), ExitReason::Budget);  // add rsp, 8; iretq
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u);
  EXPECT_EQ(m.r(RSP), 0x8008u);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x1b);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Long64);
}


// 4-level paging identity-mapping the first 2 MiB with user pages, except
// the page at 0x60000.
void map_low_2m(SysMachine& m) {
  m.put<u64>(0x20000, 0x21000 | 7);
  m.put<u64>(0x21000, 0x22000 | 7);
  m.put<u64>(0x22000, 0x23000 | 7);
  for (u64 p = 0; p < 512; ++p)
    if (p != 0x60) m.put<u64>(0x23000 + p * 8, (p << 12) | 7);
  m.cpu.s.cr3 = 0x20000;
  m.cpu.s.cr4 |= 1u << 5;       // PAE
  m.cpu.s.cr0 |= 1ull << 31;    // PG
  m.cpu.flush_tlb();
}

TEST(SystemExc, PageFaultDuringPageFaultDeliveryIsDoubleFault) {
  SysMachine m(8);
  long64(m, 3);
  map_low_2m(m);
  m.put<u64>(kTss + 4, 0x61000);  // RSP0 on the unmapped page: pushes fault
  m.set_idt64(14, 0x08, 0x2000, kIntGate32, 0);
  m.set_idt64(8, 0x08, 0x2800, kIntGate32, 0, 1);  // #DF on IST1
  m.r(RSP) = 0x8000;
  m.load(0x1000, {0x8B, 0x04, 0x25, 0x00, 0x00, 0x06, 0x00});  // mov eax, [0x60000]
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2800u);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.r(RSP), 0x9800u - 48);
  EXPECT_EQ(m.mem64(0x9800 - 48), 0u);       // #DF error code
  EXPECT_EQ(m.mem64(0x9800 - 40), 0x1000u);  // the original faulting instruction
  EXPECT_EQ(m.mem64(0x9800 - 32), 0x23u);
  EXPECT_EQ(m.cpu.s.cr2, 0x60ff8u);          // the second #PF's address

  // Without a usable #DF stack either, the processor shuts down.
  m.put<u64>(kTss + 36, 0x60800);
  m.cpu.s.rip = 0x1000;
  m.seg(CS, 0x23);
  m.seg(SS, 0x1b);
  m.r(RSP) = 0x8000;
  EXPECT_EQ(m.run(1), ExitReason::Shutdown);
}

}  // namespace
}  // namespace pc64::test
