// Interpreter handlers: io group. IN, OUT, INS and OUTS through
// Bus::io_in/io_out. Rows: IN/OUT in cpu/table/system.def, INS/OUTS in
// cpu/table/string.def.
//
// Protection (SDM Vol. 1 §19.5 "Protected-Mode I/O"): in protected mode
// with CPL > IOPL, and always in virtual-8086 mode, every port the access
// touches must have its bit clear in the TSS I/O permission bitmap, else
// #GP(0). The bitmap starts at the 16-bit offset stored at TSS+0x66 and is
// read two bytes at a time; bytes beyond the TSS limit count as set
// (§19.5.2). Only a 32-bit or 64-bit TSS has a bitmap.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

// One byte of the current TSS at `off` (a supervisor-mode implicit access,
// SDM Vol. 3A §4.6.1). False after raising the fault it took.
bool tss_byte(Cpu& c, u64 off, u8* out) {
  const u64 lin = (c.s.tr.base + off) & (c.mode64() ? ~0ull : 0xffffffffull);
  const u8 cpl = c.s.cpl;
  c.s.cpl = 0;
  u8* p = c.translate(lin, Access::Read);
  c.s.cpl = cpl;
  if (p) {
    *out = *p;
    return true;
  }
  if (c.faulted) return false;
  const TlbEntry& e = c.tlb[(lin >> 12) & (Cpu::kTlbSize - 1)];
  *out = (u8)c.bus->mmio_read(e.ppage + (lin & 0xfff), 1);
  return true;
}

// True if the access to `size` ports from `port` is allowed; raises #GP(0)
// (or the fault reading the bitmap took) and returns false otherwise.
bool io_allowed(Cpu& c, u16 port, int size) {
  // Every IN/OUT/INS/OUTS passes here: note I/O breakpoints (system/debug.cpp).
  if (PC64_UNLIKELY(c.attention & Cpu::kAttnDr)) c.note_io_access(port, size);
  const bool v86 = c.s.mode == (u8)CpuMode::V86;
  if (c.s.mode == (u8)CpuMode::Real) return true;
  if (!v86 && c.s.cpl <= ((c.s.rflags & kIOPL) >> 12)) return true;
  const Segment& tr = c.s.tr;
  const u8 type = tr.attr & 0x0f;
  // Available (9) or busy (11) 32/64-bit TSS, large enough for the I/O map base.
  if ((type != 9 && type != 11) || tr.limit < 0x67) return c.raise(kExGP, 0);
  u8 lo, hi;
  if (!tss_byte(c, 0x66, &lo) || !tss_byte(c, 0x67, &hi)) return false;
  const u64 at = (u64)(lo | (hi << 8)) + port / 8;
  if (at + 1 > tr.limit) return c.raise(kExGP, 0);
  u8 b0, b1;
  if (!tss_byte(c, at, &b0) || !tss_byte(c, at + 1, &b1)) return false;
  const u32 bits = (u32)(b0 | (b1 << 8)) >> (port & 7);
  if (bits & ((1u << size) - 1)) return c.raise(kExGP, 0);
  return true;
}

u16 port_of(const Cpu& c, const Insn& i, int n) {
  const DecodedOp& o = i.op[n];
  return o.type == OpType::Imm ? (u16)(i.imm & 0xff) : (u16)c.s.gpr[RDX];
}

// IN AL/eAX, Ib|DX. The data size is op[0]'s (Insn::width may be DX's).
void in_(Cpu& c, const Insn& i) {
  const int n = i.op[0].size;
  const u16 port = port_of(c, i, 1);
  if (!io_allowed(c, port, n)) return;
  c.set_reg_n(n, RAX, false, c.bus->io_in(port, n));
}

void out_(Cpu& c, const Insn& i) {
  const int n = i.op[1].size;
  const u16 port = port_of(c, i, 0);
  if (!io_allowed(c, port, n)) return;
  c.bus->io_out(port, n, (u32)(c.s.gpr[RAX] & width_mask(n)));
}

constexpr u32 kRepChunk = 1u << 16;

PC64_ALWAYS_INLINE void advance(Cpu& c, const Insn& i, u8 reg, int w) {
  const i64 d = (c.s.rflags & kDF) ? -w : w;
  c.set_reg_n(i.asize, reg, false, (c.s.gpr[reg] + (u64)d) & width_mask(i.asize));
}

// INS: the destination is checked for writability before the port is
// read, so a faulting iteration has no I/O side effect.
template <int W> bool ins_once(Cpu& c, const Insn& i, u16 port) {
  const u64 di = c.s.gpr[RDI] & width_mask(i.asize);
  u64 old;
  if (!c.read<W>(ES, di, &old, Access::Write)) return false;
  const u32 v = c.bus->io_in(port, W);
  if (!c.write<W>(ES, di, v)) return false;
  advance(c, i, RDI, W);
  return true;
}

template <int W> bool outs_once(Cpu& c, const Insn& i, u16 port) {
  u64 v;
  if (!c.read<W>(i.seg, c.s.gpr[RSI] & width_mask(i.asize), &v)) return false;
  c.bus->io_out(port, W, (u32)v);
  advance(c, i, RSI, W);
  return true;
}

// REP runs in chunks and restarts itself, as string.cpp does; it also stops
// after any iteration that asked the run loop to stop (isa-debug-exit).
template <int W, bool kIns> void str_io(Cpu& c, const Insn& i) {
  const u16 port = (u16)c.s.gpr[RDX];
  if (!io_allowed(c, port, W)) return;
  if (!i.rep) {
    if constexpr (kIns) ins_once<W>(c, i, port);
    else outs_once<W>(c, i, port);
    return;
  }
  const u64 am = width_mask(i.asize);
  for (u32 n = 0;; ++n) {
    const u64 count = c.s.gpr[RCX] & am;
    if (count == 0) return;
    // One iteration per step while an interrupt or debug event may come
    // (string.cpp explains).
    if (n >= kRepChunk || c.exit != ExitReason::None || (n > 0 && c.rep_yields())) {
      c.s.rip = c.insn_start;
      return;
    }
    bool ok;
    if constexpr (kIns) ok = ins_once<W>(c, i, port);
    else ok = outs_once<W>(c, i, port);
    if (!ok) return;
    c.set_reg_n(i.asize, RCX, false, (count - 1) & am);
  }
}

// The data size is the memory operand's: Insn::width is DX's for OUTS.
void ins(Cpu& c, const Insn& i) {
  switch (i.op[0].size) {
    case 1: str_io<1, true>(c, i); break;
    case 2: str_io<2, true>(c, i); break;
    default: str_io<4, true>(c, i); break;
  }
}
void outs(Cpu& c, const Insn& i) {
  switch (i.op[1].size) {
    case 1: str_io<1, false>(c, i); break;
    case 2: str_io<2, false>(c, i); break;
    default: str_io<4, false>(c, i); break;
  }
}

}  // namespace

void bind_io(HandlerTable& t) {
  t.set_all(Mn::IN, &in_);
  t.set_all(Mn::OUT, &out_);
  t.set_all(Mn::INS, &ins);
  t.set_all(Mn::OUTS, &outs);
}

}  // namespace pc64
