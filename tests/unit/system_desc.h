// Descriptor-table builders for the system-architecture unit tests: a GDT at
// 0x10000, an IDT at 0x11000 and a TSS at 0x12000 in the 1 MiB test machine.
#pragma once
#include "cpu/system/descriptors.h"
#include "test_machine.h"

namespace pc64::test {

constexpr u64 kGdt = 0x10000, kIdt = 0x11000, kTss = 0x12000;

// Attribute shorthands (Segment::attr layout).
constexpr u16 kCode32 = kSegP | kSegS | kSegCode | kSegWritable | kSegDB | kSegG;
constexpr u16 kData32 = kSegP | kSegS | kSegWritable | kSegDB | kSegG;
constexpr u16 kCode64 = kSegP | kSegS | kSegCode | kSegWritable | kSegL | kSegG;
constexpr u16 dpl(int d) { return (u16)(d << kSegDplShift); }

inline u64 seg_desc(u32 base, u32 limit, u16 attr) {
  if (attr & kSegG) limit >>= 12;
  const u32 lo = (limit & 0xffff) | (base << 16);
  const u32 hi = ((base >> 16) & 0xff) | ((attr & 0xff) << 8) | (limit & 0xf0000) |
                 (((attr >> 8) & 0xf) << 20) | (base & 0xff000000u);
  return lo | ((u64)hi << 32);
}

// 8-byte gate (call/interrupt/trap/task) of `type` (system type 4..15).
inline u64 gate(u16 sel, u32 off, u8 type, int d, u8 params = 0) {
  const u32 lo = (off & 0xffff) | ((u32)sel << 16);
  const u32 hi = (off & 0xffff0000u) | 0x8000u | ((u32)d << 13) | ((u32)type << 8) | params;
  return lo | ((u64)hi << 32);
}

struct SysMachine : Machine {
  explicit SysMachine(int code_size) : Machine(code_size) {
    cpu.stop_on_exception = false;
    cpu.s.gdtr = {kGdt, 0xff};
    cpu.s.idtr = {kIdt, code_size == 8 ? 0xfffu : 0x7ffu};
  }
  void set_gdt(int index, u64 d) { put<u64>(kGdt + index * 8, d); }
  void set_idt(int vec, u64 g) { put<u64>(kIdt + vec * 8, g); }
  // 16-byte IA-32e gate.
  void set_idt64(int vec, u16 sel, u64 off, u8 type, int d, int ist = 0) {
    put<u64>(kIdt + vec * 16, gate(sel, (u32)off, type, d) | ((u64)ist << 32));
    put<u64>(kIdt + vec * 16 + 8, off >> 32);
  }
  // Loads a segment register directly from GDT entry `sel`.
  void seg(u8 sr, u16 sel) {
    u64 d = m<u64>(kGdt + (sel & ~7));
    u32 limit = (u32)((d & 0xffff) | ((d >> 32) & 0xf0000));
    u16 attr = (u16)(((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 8));
    if (attr & kSegG) limit = (limit << 12) | 0xfff;
    u64 base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
    cpu.s.seg[sr] = Segment{base, limit, sel, attr};
    if (sr == CS) cpu.s.cpl = sel & 3;
    cpu.update_mode();
  }
  void set_tr(u16 sel, u32 limit, u8 type) {
    cpu.s.tr = Segment{kTss, limit, sel, (u16)(kSegP | type)};
  }
};

// Switches a machine to real mode with all segments 0 and the IVT at 0.
inline void to_real(Machine& m) {
  m.cpu.s.cr0 &= ~1ull;
  m.cpu.s.efer = 0;
  for (int i = 0; i < kNumSegs; ++i)
    m.cpu.s.seg[i] = Segment{0, 0xffff, 0, (u16)(kSegP | kSegS | kSegWritable | kSegAccessed | (i == CS ? kSegCode : 0))};
  m.cpu.s.cpl = 0;
  m.cpu.s.idtr = {0, 0x3ff};
  m.cpu.update_mode();
}

// The protected-mode GDT shared by the system tests, entered at `cpl`.

// GDT: 08 code32 DPL0, 10 data32 DPL0, 18 code32 DPL3, 20 data32 DPL3,
// 28 TSS32, 30 call gate (DPL3 -> 08:3000, 2 dwords), 38 code16 DPL0,
// 40 code64 DPL0.
inline void prot32(SysMachine& m, int cpl) {
  m.set_gdt(1, seg_desc(0, 0xffffffff, kCode32));
  m.set_gdt(2, seg_desc(0, 0xffffffff, kData32));
  m.set_gdt(3, seg_desc(0, 0xffffffff, kCode32 | dpl(3)));
  m.set_gdt(4, seg_desc(0, 0xffffffff, kData32 | dpl(3)));
  m.set_gdt(5, seg_desc((u32)kTss, 0x67, kSegP | kTss32Busy));
  m.set_gdt(6, gate(0x08, 0x3000, kCallGate32, 3, 2));
  m.set_gdt(7, seg_desc(0x20000, 0xffff, kSegP | kSegS | kSegCode | kSegWritable));
  m.set_gdt(8, seg_desc(0, 0xffffffff, kCode64));
  m.put<u32>(kTss + 4, 0x9000);
  m.put<u16>(kTss + 8, 0x10);
  m.set_tr(0x28, 0x67, kTss32Busy);
  const u16 cs = cpl == 3 ? 0x1b : 0x08, ds = cpl == 3 ? 0x23 : 0x10;
  m.seg(CS, cs);
  for (u8 s : {SS, DS, ES, FS, GS}) m.seg(s, ds);
  m.r(RSP) = 0x8000;
}

}  // namespace pc64::test
