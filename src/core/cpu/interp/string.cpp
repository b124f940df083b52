// String instructions: MOVS CMPS SCAS LODS STOS with REP/REPE/REPNE
// (SDM Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ", Vol. 1 §7.3.9). Rows:
// cpu/table/string.def. INS/OUTS are the I/O layer's.
//
// rSI, rDI and rCX have the address size; the source segment is DS unless
// overridden, the destination is always ES. Each iteration does its memory
// accesses first and then commits rSI/rDI/rCX, so a fault part-way leaves
// the registers describing the remaining work and RIP at the instruction.
//
// A REP instruction runs at most kRepChunk iterations per step and then
// restarts itself (RIP back at the instruction), as hardware does at an
// interrupt window, so a huge count cannot stall the run loop.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

constexpr u32 kRepChunk = 1u << 16;

enum class Str { Movs, Cmps, Scas, Lods, Stos };

PC64_ALWAYS_INLINE i64 delta(const Cpu& c, int w) { return (c.s.rflags & kDF) ? -w : w; }

PC64_ALWAYS_INLINE void advance(Cpu& c, const Insn& i, u8 reg, i64 d) {
  c.set_reg_n(i.asize, reg, false, (c.s.gpr[reg] + (u64)d) & width_mask(i.asize));
}

// One iteration. Returns false if it faulted (nothing committed).
template <Str OP, int W> PC64_ALWAYS_INLINE bool once(Cpu& c, const Insn& i) {
  const u64 am = width_mask(i.asize);
  const i64 d = delta(c, W);
  u64 a, b;
  if constexpr (OP == Str::Movs) {
    if (!c.read<W>(i.seg, c.s.gpr[RSI] & am, &a)) return false;
    if (!c.write<W>(ES, c.s.gpr[RDI] & am, a)) return false;
    advance(c, i, RSI, d);
    advance(c, i, RDI, d);
  } else if constexpr (OP == Str::Cmps) {
    // Which operand is read first decides the fault reported when both
    // fault; the SDM leaves it open. This follows the processor the
    // differential test runs on: ES:rDI first, except REPE CMPSB (DS:rSI first).
    if (W == 1 && i.rep == 0xF3) {
      if (!c.read<W>(i.seg, c.s.gpr[RSI] & am, &a)) return false;
      if (!c.read<W>(ES, c.s.gpr[RDI] & am, &b)) return false;
    } else {
      if (!c.read<W>(ES, c.s.gpr[RDI] & am, &b)) return false;
      if (!c.read<W>(i.seg, c.s.gpr[RSI] & am, &a)) return false;
    }
    set_lazy(c.s, FlagOp::Sub, W, (a - b) & width_mask(W), a, b);
    advance(c, i, RSI, d);
    advance(c, i, RDI, d);
  } else if constexpr (OP == Str::Scas) {
    if (!c.read<W>(ES, c.s.gpr[RDI] & am, &b)) return false;
    a = c.s.gpr[RAX] & width_mask(W);
    set_lazy(c.s, FlagOp::Sub, W, (a - b) & width_mask(W), a, b);
    advance(c, i, RDI, d);
  } else if constexpr (OP == Str::Lods) {
    if (!c.read<W>(i.seg, c.s.gpr[RSI] & am, &a)) return false;
    c.set_reg<W>(RAX, false, a);
    advance(c, i, RSI, d);
  } else {
    if (!c.write<W>(ES, c.s.gpr[RDI] & am, c.s.gpr[RAX])) return false;
    advance(c, i, RDI, d);
  }
  return true;
}

// Host pointer for `n` bytes at seg:off if they are plain RAM within one page
// and pass the segment checks; nullptr otherwise, with no fault recorded
// (the caller falls back to single iterations, which raise it precisely).
u8* block_ptr(Cpu& c, u8 seg, u64 off, u32 n, Access acc) {
  const u64 cr2 = c.s.cr2;
  u64 lin;
  u8* p = nullptr;
  if (c.linear(seg, off, n, acc, &lin) && (lin & 0xfff) + n <= 0x1000) p = c.translate(lin, acc);
  if (c.faulted) {
    c.faulted = false;
    c.s.cr2 = cr2;
  }
  return p;
}

// Whole W-byte elements from seg:off to the end of its page.
u64 page_room(Cpu& c, u8 seg, u64 off, int w) {
  u64 lin;
  if (!c.linear(seg, off, w, Access::Read, &lin)) {
    c.faulted = false;
    return 0;
  }
  return (0x1000 - (lin & 0xfff)) / w;
}

// REP MOVS / REP STOS with DF = 0 over RAM: as many whole iterations as fit
// in the current source and destination pages, copied element by element
// (overlapping MOVS must replicate like the architectural loop). Returns the
// iterations done; 0 means "take the slow path".
template <Str OP, int W> u64 rep_block(Cpu& c, const Insn& i, u64 count) {
  if (c.s.rflags & kDF) return 0;
  const u64 am = width_mask(i.asize);
  const u64 di = c.s.gpr[RDI] & am, si = c.s.gpr[RSI] & am;
  u64 n = count;
  const u64 rd = page_room(c, ES, di, W);
  n = n < rd ? n : rd;
  if (OP == Str::Movs) {
    const u64 rs = page_room(c, i.seg, si, W);
    n = n < rs ? n : rs;
  }
  // Stay clear of the address-size wrap of rSI/rDI.
  if (n == 0 || di + n * W - 1 > am || (OP == Str::Movs && si + n * W - 1 > am)) return 0;
  const u32 bytes = (u32)(n * W);
  // The source first: translating the destination for a write sets its
  // dirty flag, which must not happen when the first read faults (the slow
  // path then raises the fault; SDM Vol. 3A §4.8).
  const u8* src = nullptr;
  if constexpr (OP == Str::Movs) {
    src = block_ptr(c, i.seg, si, bytes, Access::Read);
    if (!src) return 0;
  }
  u8* dst = block_ptr(c, ES, di, bytes, Access::Write);
  if (!dst) return 0;
  if constexpr (OP == Str::Movs) {
    for (u32 k = 0; k < bytes; k += W) {
      typename UintOf<W>::T t;  // whole element read before it is written
      __builtin_memcpy(&t, src + k, W);
      __builtin_memcpy(dst + k, &t, W);
    }
    advance(c, i, RSI, (i64)bytes);
  } else {
    const typename UintOf<W>::T v = (typename UintOf<W>::T)c.s.gpr[RAX];
    for (u32 k = 0; k < bytes; k += W) __builtin_memcpy(dst + k, &v, W);
  }
  advance(c, i, RDI, (i64)bytes);
  c.set_reg_n(i.asize, RCX, false, (count - n) & am);
  return n;
}

template <Str OP, int W> void string_op(Cpu& c, const Insn& i) {
  if (!i.rep) {
    once<OP, W>(c, i);
    return;
  }
  const u64 am = width_mask(i.asize);
  constexpr bool kCond = OP == Str::Cmps || OP == Str::Scas;
  // While an interrupt or debug event may come (Cpu::rep_yields), one
  // iteration per step: single-step and data breakpoints trap after each
  // iteration, interrupts are taken between them (SDM Vol. 3A §17.3.1.4,
  // Vol. 2B "REP" interrupt windows).
  const bool one = c.rep_yields();
  for (u32 n = 0;; ++n) {
    const u64 count = c.s.gpr[RCX] & am;
    if (count == 0) return;
    if (n >= kRepChunk || (one && n > 0)) {
      c.s.rip = c.insn_start;  // resume the remaining iterations next step
      return;
    }
    if constexpr (OP == Str::Movs || OP == Str::Stos) {
      if (count > 1 && !one) {
        const u64 done = rep_block<OP, W>(c, i, count);
        if (done) {
          n += (u32)done - 1;
          continue;
        }
      }
    }
    if (!once<OP, W>(c, i)) return;
    c.set_reg_n(i.asize, RCX, false, (count - 1) & am);
    if constexpr (kCond) {
      // REPE (F3) stops when ZF = 0, REPNE (F2) when ZF = 1.
      if (get_zf(c.s) != (i.rep == 0xF3)) return;
    }
  }
}

template <int W> void movs(Cpu& c, const Insn& i) { string_op<Str::Movs, W>(c, i); }
template <int W> void cmps(Cpu& c, const Insn& i) { string_op<Str::Cmps, W>(c, i); }
template <int W> void scas(Cpu& c, const Insn& i) { string_op<Str::Scas, W>(c, i); }
template <int W> void lods(Cpu& c, const Insn& i) { string_op<Str::Lods, W>(c, i); }
template <int W> void stos(Cpu& c, const Insn& i) { string_op<Str::Stos, W>(c, i); }

}  // namespace

void bind_string(HandlerTable& t) {
  t.set(Mn::MOVS, PC64_WIDTHS(movs));
  t.set(Mn::CMPS, PC64_WIDTHS(cmps));
  t.set(Mn::SCAS, PC64_WIDTHS(scas));
  t.set(Mn::LODS, PC64_WIDTHS(lods));
  t.set(Mn::STOS, PC64_WIDTHS(stos));
}

}  // namespace pc64
