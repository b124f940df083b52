// Exact IEEE 754 binary32/binary64 arithmetic with the x86 MXCSR semantics,
// computed entirely with integer arithmetic (no host FP), so results and
// flags are the same natively and in wasm (which has only round-to-nearest
// and no exception flags).
//
// MXCSR (SDM Vol. 1 §10.2.3): flags IE DE ZE OE UE PE (bits 0-5), DAZ (6),
// masks (7-12), RC (13-14: 0 nearest-even, 1 down, 2 up, 3 toward zero),
// FTZ (15).
//  - DAZ: denormal inputs are read as zeros of the same sign, with no DE.
//  - DE: a denormal input when DAZ = 0 (pre-computation exception).
//  - Tininess is detected after rounding (with unbounded exponent); masked
//    UE needs tiny AND inexact, unmasked UE only tiny (SDM §4.9.1.5).
//  - FTZ with UE masked: a tiny result becomes a zero of the result's sign,
//    setting UE and PE (SDM §10.2.3.3).
//  - NaN results (SDM §4.8.3.5 Table 4-7, SSE column): the first source
//    operand's NaN if it is a NaN, else the second's, quieted; an SNaN
//    operand raises IE. An invalid operation without NaN operands gives the
//    QNaN indefinite (sign 1: 0xFFC00000 / 0xFFF8000000000000).
// Results are computed as if masked; the caller (interp/sse_fp.h) applies
// the unmasked-exception rule of §11.5.1 (no destination update, #XM/#UD).
#pragma once
#include "base/base.h"

namespace pc64::ieee {

enum : u32 {
  kIE = 1, kDE = 2, kZE = 4, kOE = 8, kUE = 16, kPE = 32,
  kDAZ = 1u << 6, kIM = 1u << 7, kDM = 1u << 8, kZM = 1u << 9, kOM = 1u << 10,
  kUM = 1u << 11, kPM = 1u << 12, kFTZ = 1u << 15,
};
enum : u8 { kRcNearest = 0, kRcDown = 1, kRcUp = 2, kRcZero = 3 };

// One operation's environment: the MXCSR it runs under and the exception
// flags it raised (bits 0-5; ORed over lanes by packed instructions).
struct Env {
  u32 mxcsr;
  u32 flags = 0;
  u8 rc() const { return (mxcsr >> 13) & 3; }
};

// Format parameters: E exponent bits, M fraction bits.
template <int E, int M> struct Fmt {
  static constexpr int kE = E, kM = M, kBits = 1 + E + M;
  static constexpr i32 kBias = (1 << (E - 1)) - 1;
  static constexpr i32 kExpMax = (1 << E) - 1;  // all-ones exponent field
  static constexpr u64 kFracMask = (1ull << M) - 1;
  static constexpr u64 kSign = 1ull << (E + M);
  static constexpr u64 kQuiet = 1ull << (M - 1);
  static constexpr u64 kInf = (u64)kExpMax << M;
  static constexpr u64 kIndefinite = kSign | kInf | kQuiet;
};
using F32 = Fmt<8, 23>;
using F64 = Fmt<11, 52>;

// Comparison result (COMISS: ZF PF CF = 000 gt, 001 lt, 100 eq, 111 unordered).
enum class Rel : u8 { Lt, Eq, Gt, Un };

template <class F> u64 add(Env& env, u64 a, u64 b);
template <class F> u64 sub(Env& env, u64 a, u64 b);
template <class F> u64 mul(Env& env, u64 a, u64 b);
template <class F> u64 div(Env& env, u64 a, u64 b);
template <class F> u64 sqrt(Env& env, u64 a);
// MINPS/MAXPS (SDM Vol. 2B "MINPS"): any NaN raises IE and the result is b;
// so is it for two zeros; denormals raise DE.
template <class F> u64 min(Env& env, u64 a, u64 b);
template <class F> u64 max(Env& env, u64 a, u64 b);
// Ordered relation; `signalling` raises IE for QNaN operands too (COMISS,
// CMPPS LT/LE/NLT/NLE), otherwise only for SNaN.
template <class F> Rel compare(Env& env, u64 a, u64 b, bool signalling);
// binary32 <-> binary64 (CVTSS2SD, CVTSD2SS).
u64 f32_to_f64(Env& env, u64 a);
u64 f64_to_f32(Env& env, u64 a);
// Float to a signed integer of `bits` (32/64): RC rounding unless `trunc`.
// NaN, infinity and out of range give the integer indefinite 1 << (bits-1)
// with IE (SDM Vol. 2A "CVTSS2SI").
template <class F> u64 to_int(Env& env, u64 a, int bits, bool trunc);
// Signed integer (sign-extended to 64 bits) to the format (CVTSI2SS).
template <class F> u64 from_int(Env& env, i64 v);
// ROUNDSS (SDM Vol. 2B "ROUNDSS"): round to an integral value in mode rc;
// PE unless `no_pe`; SNaN raises IE; no DE.
template <class F> u64 round_int(Env& env, u64 a, u8 rc, bool no_pe);

// Fused multiply-add (SDM Vol. 2A "VFMADD132PS"...): (+-(a * b)) + (+-c)
// rounded once; neg_prod negates the product (VFNMADD/VFNMSUB), neg_c the
// addend (VFMSUB/VFNMSUB). NaN order and flags in ieee.cpp.
template <class F> u64 fma(Env& env, u64 a, u64 b, u64 c, bool neg_prod, bool neg_c);
// binary16 <-> binary32 (F16C: VCVTPH2PS, VCVTPS2PH with rounding mode rc).
u64 f16_to_f32(Env& env, u64 h);
u64 f32_to_f16(Env& env, u64 a, u8 rc);

inline bool is_nan32(u32 a) { return (a & 0x7fffffffu) > 0x7f800000u; }

}  // namespace pc64::ieee
