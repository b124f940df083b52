// Hand-written interpreter tests: MOV, MOVSX/MOVZX/MOVSXD, LEA, XCHG, BSWAP, CBW/CWD, CMOVcc, SETcc, XLAT, segment loads, BOUND (rows in src/core/cpu/table/mov.def).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "cpu/cpu.h"
#include "test_machine.h"

using namespace pc64;

namespace {

using Machine = pc64::test::Machine;

}  // namespace

TEST(InterpMov, MovForms64) {
  Machine m(8);
  m.load(0x1000, {
      0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,  // mov rax, 0x1122334455667788
      0x48, 0x89, 0xC3,                                            // mov rbx, rax
      0xB8, 0xFF, 0xFF, 0xFF, 0xFF,                                // mov eax, -1 (zero-extends)
      0xB4, 0x12,                                                  // mov ah, 0x12
      0x89, 0x5E, 0x08,                                            // mov [rsi+8], ebx
      0x48, 0xC7, 0xC1, 0xFE, 0xFF, 0xFF, 0xFF,                    // mov rcx, -2 (imm32 sign-extended)
      0x66, 0x41, 0xB8, 0x34, 0x12,                                // mov r8w, 0x1234
      0xA0, 0x08, 0x40, 0, 0, 0, 0, 0, 0,                          // mov al, [0x4008] (moffs64)
  });
  m.r(RSI) = 0x4000;
  m.r(R8) = 0xffffffffffffffffull;
  m.run(8);
  EXPECT_EQ(m.r(RBX), 0x1122334455667788ull);
  EXPECT_EQ(m.r(RAX), 0xffff1288u);  // AL from memory, AH = 0x12
  EXPECT_EQ(m.m<u32>(0x4008), 0x55667788u);
  EXPECT_EQ(m.r(RCX), 0xfffffffffffffffeull);
  EXPECT_EQ(m.r(R8), 0xffffffffffff1234ull);
  EXPECT_EQ(m.cpu.s.rip, 0x1000u + 44);
}

TEST(InterpMov, MovExtend) {
  Machine m(8);
  m.load(0x1000, {
      0x48, 0x63, 0xC1,        // movsxd rax, ecx
      0x0F, 0xBE, 0xD1,        // movsx edx, cl
      0x66, 0x0F, 0xB6, 0xD9,  // movzx bx, cl
      0x48, 0x0F, 0xBF, 0xF1,  // movsx rsi, cx
      0x63, 0xF9,              // movsxd edi, ecx (no REX.W: plain 32-bit move)
  });
  m.r(RCX) = 0x80008081;
  m.r(RBX) = 0xaaaaaaaaaaaaaaaaull;
  m.r(RDI) = ~0ull;
  m.run(5);
  EXPECT_EQ(m.r(RAX), 0xffffffff80008081ull);
  EXPECT_EQ(m.r(RDX), 0xffffff81u);
  EXPECT_EQ(m.r(RBX), 0xaaaaaaaaaaaa0081ull);
  EXPECT_EQ(m.r(RSI), 0xffffffffffff8081ull);
  EXPECT_EQ(m.r(RDI), 0x80008081u);
}

TEST(InterpMov, LeaAddressAndOperandSizes) {
  Machine m(8);
  m.load(0x1000, {
      0x48, 0x8D, 0x44, 0x98, 0x08,  // lea rax, [rax+rbx*4+8]
      0x67, 0x8D, 0x4A, 0xFF,        // lea ecx, [edx-1] (32-bit address)
      0x66, 0x8D, 0x72, 0x01,        // lea si, [rdx+1] (16-bit operand)
      0x48, 0x8D, 0x3D, 0x10, 0, 0, 0,  // lea rdi, [rip+0x10]
  });
  m.r(RAX) = 0x100;
  m.r(RBX) = 0x10;
  m.r(RDX) = 0x100000000ull;
  m.r(RSI) = 0x5555555555555555ull;
  m.run(4);
  EXPECT_EQ(m.r(RAX), 0x148u);
  EXPECT_EQ(m.r(RCX), 0xffffffffu);
  EXPECT_EQ(m.r(RSI), 0x5555555555550001ull);
  EXPECT_EQ(m.r(RDI), 0x1000u + 20 + 0x10);
}

TEST(InterpMov, Lea16BitAddressing) {
  Machine m(2);
  m.load(0x1000, {
      0x8D, 0x40, 0xFE,        // lea ax, [bx+si-2]
      0x66, 0x8D, 0x4F, 0x02,  // lea ecx, [bx+2]: 16-bit address wraps, zero-extended
  });
  m.r(RBX) = 0xffff;
  m.r(RSI) = 0x0001;
  m.r(RCX) = ~0ull;
  m.run(2);
  EXPECT_EQ(m.r(RAX) & 0xffff, 0xfffeu);
  EXPECT_EQ(m.r(RCX), 0x1u);
}

TEST(InterpMov, XchgForms) {
  Machine m(8);
  m.load(0x1000, {
      0x87, 0xD8,              // xchg eax, ebx (both zero-extended)
      0x41, 0x90,              // xchg r8, rax
      0x93,                    // xchg ebx, eax
      0x86, 0x26,              // xchg [rsi], ah
      0x90,                    // nop: rax unchanged
  });
  m.r(RAX) = 0x1111111122222222ull;
  m.r(RBX) = 0x3333333344444444ull;
  m.r(R8) = 0x5555;
  m.r(RSI) = 0x4000;
  m.put<u8>(0x4000, 0x77);
  m.run(3);
  // after xchg eax,ebx: rax=0x44444444 rbx=0x22222222; xchg r8,rax: r8=0x44444444 rax=0x5555;
  // xchg ebx,eax: rbx=0x5555 rax=0x22222222
  EXPECT_EQ(m.r(R8), 0x44444444u);
  EXPECT_EQ(m.r(RBX), 0x5555u);
  EXPECT_EQ(m.r(RAX), 0x22222222u);
  m.run(2);
  EXPECT_EQ(m.m<u8>(0x4000), 0x22);
  EXPECT_EQ(m.r(RAX), 0x22227722u);
  Insn i;
  const u8 nop[] = {0x90}, rexb[] = {0x41, 0x90}, rexw[] = {0x48, 0x90};
  ASSERT_EQ(decode(nop, 1, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_NE(i.row->mn, Mn::XCHG);
  ASSERT_EQ(decode(rexb, 2, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_EQ(i.row->mn, Mn::XCHG);
  ASSERT_EQ(decode(rexw, 2, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_NE(i.row->mn, Mn::XCHG);
}

TEST(InterpMov, BswapAndSignExtendAccumulator) {
  Machine m(8);
  m.load(0x1000, {
      0x0F, 0xC8,        // bswap eax
      0x48, 0x0F, 0xC9,  // bswap rcx
      0x66, 0x98,        // cbw
      0x98,              // cwde
      0x48, 0x98,        // cdqe
      0x48, 0x99,        // cqo
  });
  m.r(RAX) = 0xffffffff11223344ull;
  m.r(RCX) = 0x0102030405060708ull;
  m.run(2);
  EXPECT_EQ(m.r(RAX), 0x44332211u);
  EXPECT_EQ(m.r(RCX), 0x0807060504030201ull);
  m.r(RAX) = 0x1234ff80;
  m.run(1);  // cbw
  EXPECT_EQ(m.r(RAX), 0x1234ff80u);
  m.r(RAX) = 0xffffffff0000ff80ull;
  m.run(1);  // cwde
  EXPECT_EQ(m.r(RAX), 0xffffff80u);
  m.run(2);  // cdqe, cqo
  EXPECT_EQ(m.r(RAX), 0xffffffffffffff80ull);
  EXPECT_EQ(m.r(RDX), ~0ull);
}

TEST(InterpMov, CwdCdq32) {
  Machine m(4);
  m.load(0x1000, {0x66, 0x99, 0x99});  // cwd; cdq
  m.r(RAX) = 0x00008000;
  m.r(RDX) = 0x12345678;
  m.run(1);
  EXPECT_EQ(m.r(RDX), 0x1234ffffu);
  m.run(1);
  EXPECT_EQ(m.r(RDX), 0u);
}

TEST(InterpMov, CmovAndSetcc) {
  Machine m(8);
  m.load(0x1000, {
      0x39, 0xD8,              // cmp eax, ebx (equal)
      0x0F, 0x44, 0xCA,        // cmove ecx, edx (taken)
      0x0F, 0x45, 0xF2,        // cmovne esi, edx (not taken: esi zero-extended anyway)
      0x48, 0x0F, 0x45, 0xFA,  // cmovne rdi, rdx (not taken: unchanged)
      0x0F, 0x94, 0xC4,        // sete ah
      0x0F, 0x9F, 0x06,        // setg byte [rsi]
  });
  m.r(RAX) = 5;
  m.r(RBX) = 5;
  m.r(RDX) = 0x77;
  m.r(RSI) = 0xffffffff00004000ull;
  m.r(RDI) = 0xffffffff00000001ull;
  m.run(5);
  EXPECT_EQ(m.r(RCX), 0x77u);
  EXPECT_EQ(m.r(RSI), 0x4000u);
  EXPECT_EQ(m.r(RDI), 0xffffffff00000001ull);
  EXPECT_EQ(m.r(RAX), 0x105u);
  m.put<u8>(0x4000, 0xcc);
  m.run(1);
  EXPECT_EQ(m.m<u8>(0x4000), 0);
}

TEST(InterpMov, Xlat) {
  Machine m(4);
  m.load(0x1000, {0xD7, 0x67, 0xD7});  // xlat; xlat with 16-bit address (BX)
  m.r(RBX) = 0x14000;
  m.r(RAX) = 0x1203;
  m.put<u8>(0x14003, 0x40);
  m.put<u8>(0x4040, 0x99);
  m.run(1);
  EXPECT_EQ(m.r(RAX), 0x1240u);
  m.run(1);
  EXPECT_EQ(m.r(RAX), 0x1299u);
}

TEST(InterpMov, SegmentMoves) {
  Machine m(8);
  m.load(0x1000, {0x8C, 0xD8, 0x48, 0x8C, 0xC1, 0x8C, 0x1E});  // mov eax, ds; mov rcx, es; mov [rsi], ds
  m.r(RAX) = ~0ull;
  m.r(RCX) = ~0ull;
  m.r(RSI) = 0x4000;
  m.put<u32>(0x4000, 0xaaaaaaaa);
  m.run(3);
  EXPECT_EQ(m.r(RAX), m.cpu.s.seg[DS].sel);
  EXPECT_EQ(m.r(RCX), m.cpu.s.seg[ES].sel);
  EXPECT_EQ(m.m<u32>(0x4000), 0xaaaa0000u | m.cpu.s.seg[DS].sel);
}

TEST(InterpMov, RealModeSegmentLoads) {
  Machine m(4);
  m.cpu.s.cr0 &= ~1ull;  // real mode, CS base 0
  m.cpu.s.seg[CS].attr &= ~kSegDB;
  m.cpu.s.seg[SS].attr &= ~kSegDB;
  m.cpu.update_mode();
  m.load(0x1000, {0x8E, 0xD8, 0xC4, 0x1E, 0x00, 0x05, 0x8E, 0xC8});  // mov ds, ax; les bx, [0x500]; mov cs, ax
  m.r(RAX) = 0x1234;
  m.put<u16>(0x12340 + 0x500, 0xbeef);
  m.put<u16>(0x12340 + 0x502, 0x2000);
  m.run(2);
  EXPECT_EQ(m.cpu.s.seg[DS].sel, 0x1234);
  EXPECT_EQ(m.cpu.s.seg[DS].base, 0x12340u);
  EXPECT_EQ(m.r(RBX) & 0xffff, 0xbeefu);
  EXPECT_EQ(m.cpu.s.seg[ES].base, 0x20000u);
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExUD);
}

TEST(InterpMov, Bound) {
  Machine m(4);
  m.load(0x1000, {0x62, 0x06, 0x62, 0x06});  // bound eax, [esi] twice
  m.r(RSI) = 0x4000;
  m.put<i32>(0x4000, -5);
  m.put<i32>(0x4004, 10);
  m.r(RAX) = (u32)-5;
  m.run(1);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
  m.r(RAX) = 11;
  EXPECT_EQ(m.run(1), ExitReason::Exception);
  EXPECT_EQ(m.cpu.fault_vec, kExBR);
  EXPECT_EQ(m.cpu.s.rip, 0x1002u);
}
