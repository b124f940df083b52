// Shared machinery of the x87 handlers (rows: cpu/table/x87.def): the
// register stack, tags, stack faults, exception delivery and the
// last-instruction pointers. The arithmetic itself is cpu/fpu/float80*.
//
// Register stack (SDM Vol. 1 §8.1.2): ST(i) is physical register
// (TOP + i) & 7; a push decrements TOP. The tag word keeps the full two-bit
// tag of every physical register (§8.1.7): 00 valid, 01 zero, 10 special
// (NaN, infinity, denormal, unsupported), 11 empty.
//
// Exceptions (§8.4, §8.5, §8.6): an operation's flags go into FSW; a flag
// whose mask bit in FCW is clear also sets ES and B. An unmasked IE, DE or ZE
// leaves the destination and the stack unchanged; an unmasked OE/UE stores
// the exponent-wrapped result to a register (never to memory); an unmasked
// PE stores the result. The exception itself is not raised by that
// instruction: the NEXT waiting x87 instruction (or WAIT/FWAIT) finds ES set
// and takes #MF (CR0.NE = 1) before it executes (§8.6, Vol. 3A §6.15
// "Interrupt 16"). With CR0.NE = 0 the processor asserts FERR# instead,
// which PC hardware routes to IRQ 13 through the PIC (Vol. 1 §8.7, App. D);
// x87_signal_ferr() is that hook. The PIC path is not wired yet, so with
// NE = 0 the instruction proceeds, as when IGNNE# is asserted.
#pragma once
#include "cpu/fpu/float80.h"
#include "cpu/interp/simd.h"
#include "cpu/interp/x87_tag.h"

namespace pc64 {

using fpu::F80;
using fpu::FpEnv;

// FSW bits (§8.1.3, Figure 8-4) beyond the exception flags of float80.h.
constexpr u16 kFswSF = 0x0040, kFswES = 0x0080, kFswB = 0x8000;
constexpr u16 kFswCC = fpu::kC0 | fpu::kC1 | fpu::kC2 | fpu::kC3;

PC64_ALWAYS_INLINE int x87_top(const Cpu& c) { return (c.s.fpu.fsw >> 11) & 7; }
PC64_ALWAYS_INLINE void x87_set_top(Cpu& c, int top) {
  c.s.fpu.fsw = (u16)((c.s.fpu.fsw & ~0x3800) | ((top & 7) << 11));
}
PC64_ALWAYS_INLINE int x87_phys(const Cpu& c, int i) { return (x87_top(c) + i) & 7; }
PC64_ALWAYS_INLINE int x87_tag_phys(const Cpu& c, int p) { return (c.s.fpu.ftw >> (2 * p)) & 3; }
PC64_ALWAYS_INLINE void x87_set_tag_phys(Cpu& c, int p, int tag) {
  c.s.fpu.ftw = (u16)((c.s.fpu.ftw & ~(3u << (2 * p))) | ((u32)tag << (2 * p)));
}
PC64_ALWAYS_INLINE bool x87_empty(const Cpu& c, int i) { return x87_tag_phys(c, x87_phys(c, i)) == kTagEmpty; }

PC64_ALWAYS_INLINE F80 x87_get(const Cpu& c, int i) {
  const X87Reg& r = c.s.fpu.r[x87_phys(c, i)];
  return F80{r.mant, r.se};
}
PC64_ALWAYS_INLINE void x87_put_phys(Cpu& c, int p, F80 v) {
  c.s.fpu.r[p].mant = v.mant;
  c.s.fpu.r[p].se = v.se;
  x87_set_tag_phys(c, p, x87_tag_of(v.se, v.mant));
}
PC64_ALWAYS_INLINE void x87_put(Cpu& c, int i, F80 v) { x87_put_phys(c, x87_phys(c, i), v); }
PC64_ALWAYS_INLINE void x87_pop(Cpu& c) {
  x87_set_tag_phys(c, x87_top(c), kTagEmpty);
  x87_set_top(c, x87_top(c) + 1);
}
PC64_ALWAYS_INLINE void x87_push(Cpu& c, F80 v) {
  x87_set_top(c, x87_top(c) - 1);
  x87_put(c, 0, v);
}

// Condition codes: replaces C0-C3 with `cc` (only its C bits).
PC64_ALWAYS_INLINE void x87_set_cc(Cpu& c, u16 cc) {
  c.s.fpu.fsw = (u16)((c.s.fpu.fsw & ~kFswCC) | (cc & kFswCC));
}
PC64_ALWAYS_INLINE void x87_set_c1(Cpu& c, bool v) {
  c.s.fpu.fsw = (u16)((c.s.fpu.fsw & ~fpu::kC1) | (v ? fpu::kC1 : 0));
}

// An FpEnv for an instruction: RC from FCW; PC only for the instructions
// that honour it (FADD FSUB FMUL FDIV FSQRT and their forms, §8.1.5.2).
inline FpEnv x87_env(const Cpu& c, bool honour_pc) {
  FpEnv e;
  e.rc = (u8)((c.s.fpu.fcw >> 10) & 3);
  e.pc = honour_pc ? (u8)((c.s.fpu.fcw >> 8) & 3) : fpu::kPrec64;
  return e;
}

// Records flags; returns true when an unmasked exception was among them
// (ES and B are then set). `flags` may include kFswSF.
// An invalid operation hides a denormal operand in the same instruction
// (§4.9.2 priority; the host reports IE alone, masked or not). An unmasked
// pre-computation exception (IE DE ZE) stops the operation, so no
// post-computation flag (OE UE PE) is reported with it.
inline bool x87_raise_flags(Cpu& c, u16 flags) {
  if (flags & fpu::kIE) flags &= (u16)~fpu::kDE;
  if (flags & (fpu::kIE | fpu::kDE | fpu::kZE) & ~c.s.fpu.fcw)
    flags &= (u16)~(fpu::kOE | fpu::kUE | fpu::kPE);
  c.s.fpu.fsw |= flags & 0x7f;
  if (flags & 0x3f & ~c.s.fpu.fcw) {
    c.s.fpu.fsw |= kFswES | kFswB;
    return true;
  }
  return false;
}
PC64_ALWAYS_INLINE bool x87_unmasked(const Cpu& c, u16 flags) { return (flags & 0x3f & ~c.s.fpu.fcw) != 0; }

// Stack fault (§8.5.1.1): IE and SF, C1 = 1 for overflow, 0 for underflow.
// Returns true if IE is masked (the caller then gives the masked response).
inline bool x87_stack_fault(Cpu& c, bool overflow) {
  x87_set_c1(c, overflow);
  return !x87_raise_flags(c, fpu::kIE | kFswSF);
}

// FERR# output (CR0.NE = 0): to be routed to IRQ 13 by the machine.
inline void x87_signal_ferr(Cpu& c) { (void)c; }

// Start of every x87 instruction: availability (#NM), then a pending
// unmasked exception (#MF) for the waiting instructions (all but FNINIT,
// FNCLEX, FNSTCW, FNSTSW, FNSTENV, FNSAVE: §8.3.11, Table 8-12 note).
inline bool x87_begin(Cpu& c, const Insn& i, bool waiting = true) {
  if (!fp_ok(c, i)) return false;
  if (waiting && (c.s.fpu.fsw & kFswES)) {
    if (c.s.cr0 & kCR0_NE) return c.raise(kExMF);
    x87_signal_ferr(c);
  }
  return true;
}

// The last-instruction pointers and opcode (§8.1.8, §8.1.9): FCS:FIP the
// instruction's own address (CS and offset), FOP its last 11 opcode bits
// (low 3 bits of the escape byte, then ModRM); FDS:FDP the memory operand
// when it has one (left alone otherwise). Control instructions (FNINIT,
// FNCLEX, FLDCW, FNSTCW, FNSTSW, FNSTENV, FLDENV, FNSAVE, FRSTOR, FWAIT)
// do not update them.
inline void x87_note(Cpu& c, const Insn& i) {
  FpuState& f = c.s.fpu;
  f.fip = (c.s.rip - i.len) & (c.s.code_size == 8 ? ~0ull : 0xffffffffull);
  f.fcs = c.s.seg[CS].sel;
  f.fop = (u16)(((i.opcode & 7) << 8) | i.modrm);
  for (int k = 0; k < i.nops; ++k)
    if (i.op[k].type == OpType::Mem) {
      f.fdp = ea(c, i);
      f.fds = c.s.seg[i.seg].sel;
    }
}

// Reads memory operand n in its x87 format (float by size, or integer).
// keep_snan: see f80_from_f32 (arithmetic operands).
bool x87_read_mem(Cpu& c, const Insn& i, int n, F80* out, FpEnv& env, bool integer, bool keep_snan = false);
// ES/B from the flags and masks (after FLDCW, FLDENV, FRSTOR, FXRSTOR).
void x87_recompute_es(Cpu& c);
// FCW as the processor keeps it (reserved bits forced).
u16 x87_fcw_image(u64 v);

// Rounded results (x87_arith.cpp): the unmasked/masked delivery rules, and
// delivery plus store to ST(d) and an optional pop.
bool x87_deliver(Cpu& c, FpEnv& env, F80* r);
void x87_commit(Cpu& c, int d, F80 r, FpEnv& env, bool pop);

// Sub-binders (one per file), called from bind_x87().
void bind_x87_load_store(HandlerTable& t);
void bind_x87_arith(HandlerTable& t);
void bind_x87_compare(HandlerTable& t);
void bind_x87_control(HandlerTable& t);
void bind_x87_env(HandlerTable& t);
void bind_x87_trans(HandlerTable& t);

}  // namespace pc64
