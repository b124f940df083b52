// Shared pieces of the SSE floating-point handlers (sse_fp_*.cpp): the
// SIMD floating-point exception rule and lane access.
//
// SDM Vol. 1 §11.5.1: the processor first detects the pre-computation
// exceptions (IE, DE, ZE) of every lane. If one of them is unmasked, their
// flags are set, nothing is computed or written and the exception is
// raised. Otherwise the result is computed; the post-computation flags (OE,
// UE, PE) join the others, and if any of those is unmasked the destination
// is again left unchanged. Packed instructions OR the flags of all lanes.
// The exception is #XM (vector 19) with CR4.OSXMMEXCPT = 1, else #UD
// (SDM Vol. 3A §2.5 "OSXMMEXCPT", Vol. 2A §2.8 exception classes).
//
// The soft-float computes every lane as if masked (cpu/fpu/ieee.h), which
// gives exactly these flags; sse_fp_commit() applies the rule.
#pragma once
#include "cpu/fpu/ieee.h"
#include "cpu/interp/simd.h"

namespace pc64 {

PC64_ALWAYS_INLINE bool raise_simd_fp(Cpu& c) {
  return c.raise((c.s.cr4 & kCR4_OSXMMEXCPT) ? kExXM : kExUD);
}

// Applies the flags of one instruction; false (exception raised) when the
// destination must not be written.
PC64_ALWAYS_INLINE bool sse_fp_commit(Cpu& c, const ieee::Env& env) {
  if (!env.flags) return true;
  const u32 unmasked = env.flags & ~(c.s.mxcsr >> 7) & 0x3f;
  const u32 pre = env.flags & (ieee::kIE | ieee::kDE | ieee::kZE);
  if (unmasked & pre) {
    c.s.mxcsr |= pre;
    return raise_simd_fp(c);
  }
  c.s.mxcsr |= env.flags;
  if (unmasked) return raise_simd_fp(c);
  return true;
}

// Multi-stage instructions (DPPS, DPPD: multiply, then add stages) apply
// the rule per stage (SDM Vol. 2A "DPPS": exceptions are reported per
// stage, and an unmasked one ends the instruction). `acc` carries the flags
// of the stages already done; env.flags holds this stage's and is reset.
// False: the exception was raised.
PC64_ALWAYS_INLINE bool sse_fp_stage(Cpu& c, ieee::Env& env, u32* acc) {
  const u32 unmasked = env.flags & ~(c.s.mxcsr >> 7) & 0x3f;
  const u32 pre = env.flags & (ieee::kIE | ieee::kDE | ieee::kZE);
  if (unmasked & pre) {
    c.s.mxcsr |= *acc | pre;
    return raise_simd_fp(c);
  }
  *acc |= env.flags;
  env.flags = 0;
  if (unmasked) {
    c.s.mxcsr |= *acc;
    return raise_simd_fp(c);
  }
  return true;
}

// Lane k of a vector in format F (binary32 lanes are 4 bytes).
template <class F> PC64_ALWAYS_INLINE u64 lane(const Vec256& v, int k) {
  if constexpr (F::kBits == 32) return v.d[k];
  else return v.q[k];
}
template <class F> PC64_ALWAYS_INLINE void set_lane(Vec256& v, int k, u64 x) {
  if constexpr (F::kBits == 32) v.d[k] = (u32)x;
  else v.q[k] = x;
}
template <class F> constexpr u32 lane_bytes() { return F::kBits / 8; }

// The SSE availability checks for rows without an XMM operand (LDMXCSR,
// STMXCSR): #UD if CR0.EM or CR4.OSFXSR = 0, #NM if CR0.TS (Vol. 3A Table 2-2).
PC64_ALWAYS_INLINE bool sse_state_ok(Cpu& c) {
  if ((c.s.cr0 & kCR0_EM) || !(c.s.cr4 & kCR4_OSFXSR)) return c.raise(kExUD);
  if (c.s.cr0 & kCR0_TS) return c.raise(kExNM);
  return true;
}

// 16-byte vector halves (two per YMM register): SSE natively, simd128 in wasm.
typedef u64 v2u64 __attribute__((vector_size(16)));
PC64_ALWAYS_INLINE v2u64 half_of(const Vec256& v, int h) {
  v2u64 r;
  __builtin_memcpy(&r, v.b + 16 * h, 16);
  return r;
}
PC64_ALWAYS_INLINE void set_half(Vec256& v, int h, v2u64 x) { __builtin_memcpy(v.b + 16 * h, &x, 16); }

}  // namespace pc64
