// Miscellaneous: NOPs, PAUSE, prefetches, fences, cache-line flushes, CPUID,
// RDTSC/RDTSCP, RDRAND/RDSEED, RDPID, UD0/UD1/UD2 (SDM Vol. 2A/2B under each
// mnemonic). Rows: cpu/table/misc.def.
//
// The interpreter runs one instruction at a time on one processor, so fences
// and prefetches have nothing to order or load: they are NOPs. The flushes
// still perform the access checks of a byte load (SDM Vol. 2A "CLFLUSH":
// faults as a byte read would).
//
// Virtual time: the time-stamp counter is IA32_TSC offset plus the number of
// retired instructions, so runs are deterministic. RDRAND/RDSEED return a
// deterministic sequence (SplitMix64 of that counter) and always succeed.
#include "cpu/cpuid.h"
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

constexpr u64 kCR4_TSD = 1u << 2;

void nop(Cpu&, const Insn&) {}

void ud(Cpu& c, const Insn&) { c.raise(kExUD); }

// CLFLUSH, CLFLUSHOPT, CLWB: check the byte is accessible, then nothing.
void flush_line(Cpu& c, const Insn& i) {
  u64 v;
  c.read<1>(i.seg, ea(c, i), &v);
}

void cpuid_(Cpu& c, const Insn&) {
  u32 a, b, cx, d;
  cpuid(c, (u32)c.s.gpr[RAX], (u32)c.s.gpr[RCX], &a, &b, &cx, &d);
  c.set_reg<4>(RAX, false, a);
  c.set_reg<4>(RBX, false, b);
  c.set_reg<4>(RCX, false, cx);
  c.set_reg<4>(RDX, false, d);
}

u64 tsc(const Cpu& c) { return c.tsc(); }

// CR4.TSD restricts RDTSC/RDTSCP to CPL 0 (SDM Vol. 2B "RDTSC": #GP(0) if
// CR4.TSD = 1 and CPL > 0).
bool tsc_allowed(Cpu& c) {
  if ((c.s.cr4 & kCR4_TSD) && c.s.cpl > 0) return c.raise(kExGP, 0);
  return true;
}

void rdtsc(Cpu& c, const Insn&) {
  if (!tsc_allowed(c)) return;
  const u64 t = tsc(c);
  c.set_reg<4>(RAX, false, t);
  c.set_reg<4>(RDX, false, t >> 32);
}

void rdtscp(Cpu& c, const Insn&) {
  if (!tsc_allowed(c)) return;
  const u64 t = tsc(c);
  c.set_reg<4>(RAX, false, t);
  c.set_reg<4>(RDX, false, t >> 32);
  c.set_reg<4>(RCX, false, c.s.tsc_aux);  // low 32 bits of IA32_TSC_AUX
}

// RDPID: IA32_TSC_AUX into a 32-bit register, 64-bit in 64-bit mode.
void rdpid(Cpu& c, const Insn& i) {
  c.set_reg_n(i.op[0].size, i.op[0].reg, false, c.s.tsc_aux);
}

u64 splitmix64(u64 x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// RDRAND/RDSEED: CF = 1 (a value is available), OF SF ZF AF PF = 0.
template <int W> void rdrand(Cpu& c, const Insn& i) {
  const u64 v = splitmix64(c.icount ^ (c.s.tsc_offset << 1) ^ ((u64)i.modrm << 56));
  c.set_reg<W>(i.op[0].reg, false, v);
  set_flags(c.s, kArithFlags, kCF);
}

}  // namespace

void bind_misc(HandlerTable& t) {
  static const Mn kNops[] = {Mn::NOP, Mn::PAUSE, Mn::PREFETCHNTA, Mn::PREFETCHT0,
                             Mn::PREFETCHT1, Mn::PREFETCHT2, Mn::PREFETCHW, Mn::LFENCE,
                             Mn::MFENCE, Mn::SFENCE};
  for (Mn m : kNops) t.set_all(m, &nop);
  t.set_all(Mn::CLFLUSH, &flush_line);
  t.set_all(Mn::CLFLUSHOPT, &flush_line);
  t.set_all(Mn::CLWB, &flush_line);
  t.set_all(Mn::CPUID, &cpuid_);
  t.set_all(Mn::RDTSC, &rdtsc);
  t.set_all(Mn::RDTSCP, &rdtscp);
  t.set_all(Mn::RDPID, &rdpid);
  t.set(Mn::RDRAND, PC64_WIDTHS(rdrand));
  t.set(Mn::RDSEED, PC64_WIDTHS(rdrand));
  t.set_all(Mn::UD0, &ud);
  t.set_all(Mn::UD1, &ud);
  t.set_all(Mn::UD2, &ud);
}

}  // namespace pc64
