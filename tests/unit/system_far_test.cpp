// Far control transfers: JMPF/CALLF/RETF in real and protected mode, call
// gates with a privilege change and parameter copy, 64-bit call gates and
// transitions between 64-bit and compatibility mode.
#include <gtest/gtest.h>

#include "system_desc.h"

namespace pc64::test {
namespace {

TEST(SystemFar, RealModeFarCallAndRet) {
  Machine m(4);
  to_real(m);
  m.cpu.stop_on_exception = false;
  m.r(RSP) = 0x8000;
  m.put<u8>(0x2010, 0xCB);  // retf at 0200:0010
  m.load(0x1000, {0x9A, 0x10, 0x00, 0x00, 0x02, 0x90});  // call 0200:0010
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.seg[CS].base, 0x2000u);
  EXPECT_EQ(m.cpu.s.rip, 0x10u);
  EXPECT_EQ(m.m<u16>(0x7ffc), 0x1005);
  EXPECT_EQ(m.m<u16>(0x7ffe), 0);
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x1005u);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  // jmp 0100:0000 (EA)
  m.load(0x1000, {0xEA, 0x00, 0x00, 0x00, 0x01});
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.seg[CS].base, 0x1000u);
  EXPECT_EQ(m.cpu.s.rip, 0u);
}

TEST(SystemFar, ProtectedFarJumpTo16BitCode) {
  SysMachine m(4);
  prot32(m, 0);
  m.load(0x1000, {0xEA, 0x34, 0x12, 0x00, 0x00, 0x38, 0x00});  // jmp 38:1234
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Prot16);
  EXPECT_EQ(m.cpu.s.seg[CS].base, 0x20000u);
  EXPECT_EQ(m.cpu.s.rip, 0x1234u);
  EXPECT_TRUE(m.m<u64>(kGdt + 0x38) & (1ull << 40));  // accessed bit set
}

TEST(SystemFar, FarJumpChecks) {
  SysMachine m(4);
  prot32(m, 3);
  m.set_idt(13, gate(0x08, 0x2100, kIntGate32, 0));
  m.load(0x1000, {0xEA, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00});  // jmp 08:0 from CPL 3: DPL mismatch
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x2100u);
  EXPECT_EQ(m.m<u32>(0x9000 - 24), 0x08u);   // #GP(08)
  EXPECT_EQ(m.m<u32>(0x9000 - 20), 0x1000u);
}

TEST(SystemFar, CallGateWithPrivilegeChangeAndParameters) {
  SysMachine m(4);
  prot32(m, 3);
  m.r(RSP) = 0x8000 - 8;
  m.put<u32>(0x8000 - 8, 0x11111111);  // param 0 (top of stack)
  m.put<u32>(0x8000 - 4, 0x22222222);  // param 1
  m.load(0x3000, {0xCA, 0x08, 0x00});  // retf 8
  m.load(0x1000, {0x9A, 0x00, 0x00, 0x00, 0x00, 0x33, 0x00, 0x90});  // call 33:0
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x08);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x10);
  EXPECT_EQ(m.cpu.s.rip, 0x3000u);
  EXPECT_EQ(m.r(RSP), 0x9000u - 24);
  EXPECT_EQ(m.m<u32>(0x9000 - 24), 0x1007u);  // return EIP
  EXPECT_EQ(m.m<u32>(0x9000 - 20), 0x1bu);
  EXPECT_EQ(m.m<u32>(0x9000 - 16), 0x11111111u);
  EXPECT_EQ(m.m<u32>(0x9000 - 12), 0x22222222u);
  EXPECT_EQ(m.m<u32>(0x9000 - 8), 0x8000u - 8);  // old ESP
  EXPECT_EQ(m.m<u32>(0x9000 - 4), 0x23u);        // old SS
  ASSERT_EQ(m.run(1), ExitReason::Budget);       // retf 8 back to CPL 3
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.seg[CS].sel, 0x1b);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x23);
  EXPECT_EQ(m.r(RSP), 0x8000u);  // parameters released
  EXPECT_EQ(m.cpu.s.rip, 0x1007u);
}

TEST(SystemFar, RetfToOuterNullsInaccessibleDataSegments) {
  SysMachine m(4);
  prot32(m, 0);
  m.seg(DS, 0x10);  // DPL 0 data: unusable at CPL 3
  m.r(RSP) = 0x8000 - 16;
  m.put<u32>(0x8000 - 16, 0x1234);
  m.put<u32>(0x8000 - 12, 0x1b);
  m.put<u32>(0x8000 - 8, 0x7000);
  m.put<u32>(0x8000 - 4, 0x23);
  m.load(0x1000, {0xCB});
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.rip, 0x1234u);
  EXPECT_EQ(m.r(RSP), 0x7000u);
  EXPECT_EQ(m.cpu.s.seg[DS].sel, 0);
}

TEST(SystemFar, CompatibilityModeRoundTrip) {
  SysMachine m(8);
  m.set_gdt(1, seg_desc(0, 0xffffffff, kCode64));
  m.set_gdt(2, seg_desc(0, 0xffffffff, kData32));
  m.set_gdt(3, seg_desc(0, 0xffffffff, kCode32));
  m.seg(CS, 0x08);
  for (u8 s : {SS, DS, ES}) m.seg(s, 0x10);
  m.r(RSP) = 0x8000;
  // 64-bit: jmp far [rip+0] with an m16:32 pointer to 18:2000 (compat mode).
  m.load(0x1000, {0xFF, 0x2D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x18, 0x00});
  // compat: push 08; push 3000; retf -> 64-bit at 0x3000.
  m.load(0x2000, {0x6A, 0x08, 0x68, 0x00, 0x30, 0x00, 0x00, 0xCB});
  m.cpu.s.rip = 0x1000;
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Compat32);
  EXPECT_EQ(m.cpu.s.rip, 0x2000u);
  ASSERT_EQ(m.run(3), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.mode, (u8)CpuMode::Long64);
  EXPECT_EQ(m.cpu.s.rip, 0x3000u);
  EXPECT_EQ(m.r(RSP), 0x8000u);
}

TEST(SystemFar, LongModeCallGate) {
  SysMachine m(8);
  m.set_gdt(1, seg_desc(0, 0xffffffff, kCode64));
  m.set_gdt(2, seg_desc(0, 0xffffffff, kData32));
  m.set_gdt(3, seg_desc(0, 0xffffffff, kData32 | dpl(3)));
  m.set_gdt(4, seg_desc(0, 0xffffffff, kCode64 | dpl(3)));
  m.set_gdt(5, seg_desc((u32)kTss, 0x67, kSegP | kTss32Busy));
  m.set_gdt(7, gate(0x08, 0x3000, kCallGate32, 3));  // 16-byte gate at 0x38
  m.put<u64>(kGdt + 0x40, 0);
  m.put<u64>(kTss + 4, 0x9000);
  m.set_tr(0x28, 0x67, kTss32Busy);
  m.seg(CS, 0x23);
  for (u8 s : {SS, DS, ES}) m.seg(s, 0x1b);
  m.r(RSP) = 0x8000;
  m.put<u64>(0x1100, 0x003b00000000ull);  // m16:32 pointer 3b:0
  m.load(0x3000, {0x48, 0xCB});           // retfq
  m.load(0x1000, {0xFF, 0x1C, 0x25, 0x00, 0x11, 0x00, 0x00});  // call far [0x1100]
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cpl, 0);
  EXPECT_EQ(m.cpu.s.rip, 0x3000u);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0);
  EXPECT_EQ(m.r(RSP), 0x9000u - 32);
  EXPECT_EQ(m.mem64(0x9000 - 32), 0x1007u);
  EXPECT_EQ(m.mem64(0x9000 - 24), 0x23u);
  EXPECT_EQ(m.mem64(0x9000 - 16), 0x8000u);
  EXPECT_EQ(m.mem64(0x9000 - 8), 0x1bu);
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.cpl, 3);
  EXPECT_EQ(m.cpu.s.rip, 0x1007u);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_EQ(m.cpu.s.seg[SS].sel, 0x1b);
}


// Task B: TSS at 0x13000 (GDT 0x48), task gate to it at 0x50.
void task_b(SysMachine& m) {
  constexpr u64 b = 0x13000;
  m.set_gdt(9, seg_desc((u32)b, 0x67, kSegP | kTss32Avail));
  m.set_gdt(10, gate(0x48, 0, kTaskGate, 0));
  m.put<u32>(b + 0x20, 0x4000);  // EIP
  m.put<u32>(b + 0x24, 0x2);     // EFLAGS
  m.put<u32>(b + 0x28, 0x55);    // EAX
  m.put<u32>(b + 0x38, 0x7000);  // ESP
  m.put<u16>(b + 0x4c, 0x08);    // CS
  for (u32 off : {0x48u, 0x50u, 0x54u, 0x58u, 0x5cu}) m.put<u16>(b + off, 0x10);
}

TEST(SystemFar, TaskSwitchThroughGateAndIretBack) {
  SysMachine m(4);
  prot32(m, 0);
  task_b(m);
  m.r(RAX) = 0x1234;
  m.load(0x4000, {0xCF});  // iret (NT = 1: task return)
  m.load(0x1000, {0x9A, 0x00, 0x00, 0x00, 0x00, 0x50, 0x00, 0x90});  // call 50:0
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.tr.sel, 0x48);
  EXPECT_EQ(m.cpu.s.rip, 0x4000u);
  EXPECT_EQ(m.r(RAX), 0x55u);
  EXPECT_EQ(m.r(RSP), 0x7000u);
  EXPECT_TRUE(m.cpu.rflags() & kNT);
  EXPECT_TRUE(m.cpu.s.cr0 & 8);  // CR0.TS
  EXPECT_EQ(m.m<u16>(0x13000), 0x28);          // back link
  EXPECT_EQ(m.m<u32>(kTss + 0x20), 0x1007u);   // old EIP saved
  EXPECT_EQ(m.m<u32>(kTss + 0x28), 0x1234u);   // old EAX saved
  EXPECT_EQ((m.m<u64>(kGdt + 0x48) >> 40) & 15, (u64)kTss32Busy);
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.tr.sel, 0x28);
  EXPECT_EQ(m.cpu.s.rip, 0x1007u);
  EXPECT_EQ(m.r(RAX), 0x1234u);
  EXPECT_EQ(m.r(RSP), 0x8000u);
  EXPECT_FALSE(m.cpu.rflags() & kNT);
  EXPECT_EQ((m.m<u64>(kGdt + 0x48) >> 40) & 15, (u64)kTss32Avail);
}

TEST(SystemFar, ExceptionThroughTaskGate) {
  SysMachine m(4);
  prot32(m, 0);
  task_b(m);
  m.set_idt(13, gate(0x48, 0, kTaskGate, 0));
  m.r(RAX) = 0x1230;
  m.load(0x1000, {0x8E, 0xD8});  // mov ds, ax -> #GP(0x1230) through the task gate
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.tr.sel, 0x48);
  EXPECT_EQ(m.cpu.s.rip, 0x4000u);
  EXPECT_EQ(m.r(RSP), 0x7000u - 4);
  EXPECT_EQ(m.m<u32>(0x7000 - 4), 0x1230u);   // error code on the new task's stack
  EXPECT_EQ(m.m<u32>(kTss + 0x20), 0x1000u);  // the faulting instruction
}

TEST(SystemFar, JmpToTssClearsOldBusy) {
  SysMachine m(4);
  prot32(m, 0);
  task_b(m);
  m.load(0x1000, {0xEA, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00});  // jmp 48:0
  ASSERT_EQ(m.run(1), ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.rip, 0x4000u);
  EXPECT_FALSE(m.cpu.rflags() & kNT);
  EXPECT_EQ((m.m<u64>(kGdt + 0x28) >> 40) & 15, (u64)kTss32Avail);
  EXPECT_EQ((m.m<u64>(kGdt + 0x48) >> 40) & 15, (u64)kTss32Busy);
}

}  // namespace
}  // namespace pc64::test
