// x87 control paths the host-generated cases cannot show: #NM (CR0.EM/TS,
// and WAIT only with MP and TS), #MF on the next waiting instruction, the
// no-wait instructions with an exception pending, CR0.NE = 0, the
// FNSTENV/FNSAVE images (32-bit protected values checked on the host; 16-bit
// and real-mode layouts per SDM Vol. 1 Figures 8-9..8-12), FXSAVE/FXRSTOR
// alignment and MXCSR reserved bits, and the last-instruction pointers.
#include <gtest/gtest.h>

#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64 {
namespace {

struct X87Machine : test::Machine {
  explicit X87Machine(int cs = 8) : Machine(cs) {
    cpu.features = kAllFeatures;
    cpu.s.cr0 |= kCR0_NE | kCR0_MP;
    cpu.s.cr4 |= kCR4_OSFXSR;
    cpu.s.fpu.fcw = 0x037f;  // as after FNINIT (power-up tags are all valid)
    cpu.s.fpu.ftw = 0xffff;
  }
};

TEST(X87Control, DeviceNotAvailable) {
  X87Machine m;
  m.cpu.s.cr0 |= kCR0_TS;
  m.run({0xd9, 0xe8});  // fld1
  EXPECT_TRUE(m.faulted_with(kExNM));
  X87Machine e;
  e.cpu.s.cr0 |= kCR0_EM;
  e.run({0xd9, 0xe8});
  EXPECT_TRUE(e.faulted_with(kExNM));
  // WAIT: #NM only with MP and TS (SDM Vol. 3A Table 2-2).
  X87Machine w;
  w.cpu.s.cr0 |= kCR0_EM;
  w.run({0x9b});
  EXPECT_EQ(w.cpu.exit, ExitReason::Budget);
  X87Machine t;
  t.cpu.s.cr0 = (t.cpu.s.cr0 & ~(u64)kCR0_MP) | kCR0_TS;
  t.run({0x9b});
  EXPECT_EQ(t.cpu.exit, ExitReason::Budget);
  t.cpu.s.cr0 |= kCR0_MP;
  t.run({0x9b});
  EXPECT_TRUE(t.faulted_with(kExNM));
}

TEST(X87Control, PendingExceptionOnNextWaitingInstruction) {
  X87Machine m;
  m.put<u16>(0x3000, 0x037b);  // ZE unmasked
  m.r(RAX) = 0x3000;
  // fninit; fldcw [rax]; fld1; fldz; fdivp st(1),st  -> ZE pending, no store, no pop
  m.run({0xdb, 0xe3, 0xd9, 0x28, 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9}, 5);
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.fpu.fsw & 0x80ff, 0x8084);
  EXPECT_EQ((m.cpu.s.fpu.fsw >> 11) & 7, 6);  // both operands still there
  EXPECT_EQ(m.cpu.s.fpu.fop, 0x6f9);          // DE F9
  // The no-wait forms run; the next waiting one (and FWAIT) takes #MF.
  m.load(0x1100, {0xdf, 0xe0, 0xd9, 0x38, 0x9b});  // fnstsw ax; fnstcw [rax]; fwait
  m.run(3);
  EXPECT_TRUE(m.faulted_with(kExMF));
  EXPECT_EQ(m.cpu.s.rip, 0x1104u);
  EXPECT_EQ(m.r(RAX) & 0xffff, 0xb084u);
  m.load(0x1200, {0xd9, 0xe8});  // fld1
  m.run(1);
  EXPECT_TRUE(m.faulted_with(kExMF));
  m.load(0x1300, {0xdb, 0xe2, 0xd9, 0xe8});  // fnclex; fld1
  m.run(2);
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(m.cpu.s.fpu.fsw & 0x80ff, 0);
}

TEST(X87Control, NoMfWithNeClear) {
  X87Machine m;
  m.cpu.s.cr0 &= ~(u64)kCR0_NE;
  m.cpu.s.fpu.fsw = 0x8081;  // IE pending (as if unmasked)
  m.cpu.s.fpu.fcw = 0x037e;
  m.run({0xd9, 0xe8});  // fld1 proceeds (FERR# path, IGNNE# behaviour)
  EXPECT_EQ(m.cpu.exit, ExitReason::Budget);
  EXPECT_EQ((m.cpu.s.fpu.fsw >> 11) & 7, 7);
}

TEST(X87Control, FldcwRecomputesEs) {
  X87Machine m;
  m.cpu.s.fpu.fsw = 0x0004;  // ZE set while masked
  m.put<u16>(0x3000, 0x0000);
  m.r(RAX) = 0x3000;
  m.run({0xd9, 0x28});  // fldcw [rax]
  EXPECT_EQ(m.cpu.s.fpu.fcw, 0x0040);  // reserved bits as the host keeps them
  EXPECT_EQ(m.cpu.s.fpu.fsw, 0x8084);
}

TEST(X87Control, FnstenvProtected32) {
  X87Machine m;
  m.r(RAX) = 0x3000;
  // fninit; fld1; fnstenv [rax]  (host: 7f 03 ff ff 00 38 ff ff ff 3f ff ff ...)
  m.run({0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0x30}, 3);
  EXPECT_EQ(m.m<u32>(0x3000), 0xffff037fu);
  EXPECT_EQ(m.m<u32>(0x3004), 0xffff3800u);
  EXPECT_EQ(m.m<u32>(0x3008), 0xffff3fffu);
  EXPECT_EQ(m.m<u32>(0x300c), 0x1002u);  // FIP of fld1
  EXPECT_EQ(m.m<u32>(0x3010), (0x1e8u << 16) | m.cpu.s.seg[CS].sel);
  EXPECT_EQ(m.m<u32>(0x3018) >> 16, 0xffffu);
  EXPECT_EQ(m.cpu.s.fpu.fcw, 0x037f);  // FNSTENV masks all (already masked)
}

TEST(X87Control, FnstenvAndFldenv16) {
  X87Machine m;
  m.r(RAX) = 0x3000;
  // fninit; fld1; fldz; o16 fnstenv [rax]  (host: 7f 03 00 30 ff 1f <ip16> <cs> 0 0)
  m.run({0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xee, 0x66, 0xd9, 0x30}, 4);
  EXPECT_EQ(m.m<u16>(0x3000), 0x037f);
  EXPECT_EQ(m.m<u16>(0x3002), 0x3000);
  EXPECT_EQ(m.m<u16>(0x3004), 0x1fff);  // ST(0) zero, ST(1) valid
  EXPECT_EQ(m.m<u16>(0x3006), 0x1004);
  // Round trip with a changed image: tags come from the registers.
  m.put<u16>(0x3000, 0x0c7f);
  m.put<u16>(0x3004, 0x0fff);  // claims ST(0) valid: recomputed as zero
  m.load(0x1100, {0x66, 0xd9, 0x20});  // o16 fldenv [rax]
  m.run(1);
  EXPECT_EQ(m.cpu.s.fpu.fcw, 0x0c7f);
  EXPECT_EQ(m.cpu.s.fpu.ftw, 0x1fff);
}

TEST(X87Control, RealModeEnvironmentFormat) {
  X87Machine m(4);
  m.cpu.s.fpu.fcs = 0x1234;
  m.cpu.s.fpu.fip = 0x5678;
  m.cpu.s.fpu.fop = 0x5e8;
  m.cpu.s.fpu.fds = 0x0100;
  m.cpu.s.fpu.fdp = 0x0010;
  m.cpu.s.mode = (u8)CpuMode::Real;  // the image format only depends on the mode
  m.r(RAX) = 0x3000;
  m.run({0xd9, 0x30});  // fnstenv [eax] (32-bit operand size)
  // Linear FIP 0x179b8: low 16 bits, then FOP | FIP[31:16] << 12.
  EXPECT_EQ(m.m<u32>(0x300c), 0xffff79b8u);
  EXPECT_EQ(m.m<u32>(0x3010), (0x1u << 12) | 0x5e8u);
  EXPECT_EQ(m.m<u32>(0x3014), 0xffff1010u);
  EXPECT_EQ(m.m<u32>(0x3018), 0u);
}

TEST(X87Control, FnsaveReinitialises) {
  X87Machine m;
  m.r(RAX) = 0x3000;
  m.run({0xd9, 0xeb, 0xdd, 0x30}, 2);  // fldpi; fnsave [rax]
  EXPECT_EQ(m.m<u64>(0x3000 + 28), 0xc90fdaa22168c235ull);
  EXPECT_EQ(m.m<u16>(0x3000 + 36), 0x4000);
  EXPECT_EQ(m.cpu.s.fpu.fcw, 0x037f);
  EXPECT_EQ(m.cpu.s.fpu.ftw, 0xffff);
  m.load(0x1100, {0xdd, 0x20});  // frstor [rax]
  m.run(1);
  EXPECT_EQ((m.cpu.s.fpu.fsw >> 11) & 7, 7);
  EXPECT_EQ(m.cpu.s.fpu.r[7].mant, 0xc90fdaa22168c235ull);
  EXPECT_EQ(m.cpu.s.fpu.ftw, 0x3fff);
}

TEST(X87Control, FxsaveFxrstor) {
  X87Machine m;
  m.r(RAX) = 0x3008;
  m.run({0x0f, 0xae, 0x00});  // fxsave [rax]: misaligned
  EXPECT_TRUE(m.faulted_with(kExGP));
  X87Machine f;
  f.r(RAX) = 0x3000;
  f.cpu.s.ymm[3].q[0] = 0x1122334455667788ull;
  f.run({0xd9, 0xe8, 0x0f, 0xae, 0x00}, 2);  // fld1; fxsave [rax]
  EXPECT_EQ(f.m<u16>(0x3000), 0x037f);
  EXPECT_EQ(f.m<u8>(0x3004), 0x80);  // abridged: R7 in use
  EXPECT_EQ(f.m<u32>(0x3018), 0x1f80u);
  EXPECT_EQ(f.m<u64>(0x3020), 0x8000000000000000ull);
  EXPECT_EQ(f.m<u64>(0x3000 + 160 + 48), 0x1122334455667788ull);
  f.put<u32>(0x3018, 0x00011f80);  // a reserved MXCSR bit
  f.load(0x1100, {0x0f, 0xae, 0x08});  // fxrstor [rax]
  f.run(1);
  EXPECT_TRUE(f.faulted_with(kExGP));
  X87Machine g;
  g.put<u16>(0x3000, 0x027f);
  g.put<u16>(0x3002, 0x3800);
  g.put<u8>(0x3004, 0x80);
  g.put<u64>(0x3020, 0);  // ST(0) = +0: tag zero
  g.put<u32>(0x3018, 0x1fc0);
  g.r(RAX) = 0x3000;
  g.run({0x0f, 0xae, 0x08});
  EXPECT_EQ(g.cpu.exit, ExitReason::Budget);
  EXPECT_EQ(g.cpu.s.fpu.fcw, 0x027f);
  EXPECT_EQ(g.cpu.s.fpu.ftw, 0x7fff);
  EXPECT_EQ(g.cpu.s.mxcsr, 0x1fc0u);
}

TEST(X87Control, DataPointer) {
  X87Machine m;
  m.r(RBX) = 0x3010;
  m.put<u32>(0x3010, 0x3f800000);
  m.run({0xd9, 0x03});  // fld dword [rbx]
  EXPECT_EQ(m.cpu.s.fpu.fdp, 0x3010u);
  EXPECT_EQ(m.cpu.s.fpu.fop, 0x103);
  EXPECT_EQ(m.cpu.s.fpu.fip, 0x1000u);
}

}  // namespace
}  // namespace pc64
