// Exact 80-bit extended-precision soft float for the x87 (SDM Vol. 1 ch. 4, 8).
//
// Everything is integer arithmetic: the core also runs in wasm64, where there
// is no x87 and `long double` is unusable. The functions compute what the x87
// computes with every exception *masked*: the masked response is returned and
// the exception flags are ORed into FpEnv::flags. Unmasked behaviour (not
// storing, the ±0x6000 exponent bias adjust of unmasked OE/UE, SDM §8.5.4 and
// §8.5.5) is the caller's: FpEnv::wrapped carries what it needs.
//
// Operand classes (SDM §8.2.2, Table 8-3): pseudo-denormals (exponent 0, J=1)
// are accepted like denormals and raise DE; unnormals, pseudo-infinities and
// pseudo-NaNs (exponent != 0, J=0) are unsupported and raise IE, giving the
// QNaN indefinite.
#pragma once
#include "base/base.h"

namespace pc64::fpu {

struct F80 {
  u64 mant;  // bit 63 is the explicit integer bit J
  u16 se;    // sign in bit 15, biased exponent in bits 0..14
};

// Status-word bits (SDM Vol. 1 §8.1.3, Figure 8-4).
constexpr u16 kIE = 0x0001, kDE = 0x0002, kZE = 0x0004, kOE = 0x0008, kUE = 0x0010, kPE = 0x0020;
constexpr u16 kC0 = 0x0100, kC1 = 0x0200, kC2 = 0x0400, kC3 = 0x4000;

// Rounding control (SDM §4.8.4, Table 4-8).
constexpr u8 kRoundNearest = 0, kRoundDown = 1, kRoundUp = 2, kRoundZero = 3;
// Precision control (SDM §8.1.5.2): 0 = 24 bits, 2 = 53 bits, 3 = 64 bits.
constexpr u8 kPrec24 = 0, kPrec53 = 2, kPrec64 = 3;

struct FpEnv {
  u8 rc = kRoundNearest;
  u8 pc = kPrec64;
  u16 flags = 0;     // IE DE ZE OE UE PE, sticky (ORed in)
  bool c1 = false;   // set by every rounding operation: 1 = rounded up in magnitude
  // Filled when a result overflowed or was tiny (before any denormalization):
  // the result rounded with an unbounded exponent, its exponent adjusted by
  // -0x6000 (overflow) or +0x6000 (underflow), as unmasked OE/UE deliver it,
  // and whether that rounding was inexact / rounded up. Never cleared by the
  // library: use a fresh FpEnv (or clear them) per instruction.
  bool tiny = false;
  bool overflow = false;
  F80 wrapped{0, 0};
  bool wrapped_pe = false;
  bool wrapped_up = false;
  // False when even the adjusted exponent is out of range (only FSCALE gets
  // there): the host then delivers the masked response (infinity or zero).
  bool wrapped_ok = true;
  // Transcendentals (float80_trans.cpp): how far the exact result lies from
  // the nearest rounding boundary or representable number, in 1/256 ulp,
  // minimum over the results; 255 when exact, far, or nothing was rounded.
  u8 margin = 255;
};

constexpr F80 kIndefinite{0xC000000000000000ull, 0xFFFF};  // QNaN floating-point indefinite

// Classification of an operand (SDM §8.2.2, Table 8-3 and §8.3.2).
enum class Cls : u8 { Zero, Normal, Denormal, Inf, QNaN, SNaN, Unsupported };
Cls classify(F80 a);

// Arithmetic, rounded to env.pc and env.rc (FADD FSUB FMUL FDIV FSQRT).
F80 f80_add(FpEnv& env, F80 a, F80 b);
F80 f80_sub(FpEnv& env, F80 a, F80 b);  // a - b
F80 f80_mul(FpEnv& env, F80 a, F80 b);
F80 f80_div(FpEnv& env, F80 a, F80 b);  // a / b
F80 f80_sqrt(FpEnv& env, F80 a);
F80 f80_rndint(FpEnv& env, F80 a);       // FRNDINT (rc only; PC does not apply)

// FCOM/FUCOM (quiet = FUCOM: IE only for SNaN/unsupported): returns C3|C2|C0
// bits: > 0, < C0, = C3, unordered C3|C2|C0.
u16 f80_compare(FpEnv& env, F80 a, F80 b, bool quiet);

// FPREM (ieee = false: truncating quotient) and FPREM1 (ieee = true: nearest).
// *cc receives C2 (incomplete) or C0|C3|C1 = quotient bits 2, 1, 0.
F80 f80_prem(FpEnv& env, F80 st0, F80 st1, bool ieee, u16* cc);
F80 f80_scale(FpEnv& env, F80 st0, F80 st1);  // FSCALE: st0 * 2^trunc(st1)
// FXTRACT: *exponent = unbiased exponent of a (as a value), *sig = significand.
void f80_xtract(FpEnv& env, F80 a, F80* exponent, F80* sig);

// Transcendentals (SDM Vol. 2A; float80_trans.cpp). Precision control does
// not apply. FSIN FCOS FPTAN FSINCOS: *oor is set for |x| >= 2^63 (C2: the
// operand is returned, nothing computed, no flags).
F80 f80_sin(FpEnv& env, F80 a, bool* oor);
F80 f80_cos(FpEnv& env, F80 a, bool* oor);
F80 f80_tan(FpEnv& env, F80 a, bool* oor);
void f80_sincos(FpEnv& env, F80 a, F80* sin, F80* cos, bool* oor);
F80 f80_atan2(FpEnv& env, F80 y, F80 x);   // FPATAN: atan2(ST(1), ST(0))
F80 f80_2xm1(FpEnv& env, F80 a);           // F2XM1
F80 f80_yl2x(FpEnv& env, F80 x, F80 y);    // FYL2X: ST(1) * log2(ST(0))
F80 f80_yl2xp1(FpEnv& env, F80 x, F80 y);  // FYL2XP1: ST(1) * log2(ST(0) + 1)

// Integer conversions. FILD is exact. FIST rounds by env.rc (truncate = FISTTP)
// and gives the integer indefinite (the sign bit alone) with IE when out of
// range; the result is the two's complement pattern in the low `bytes` bytes.
F80 f80_from_int(i64 v);
u64 f80_to_int(FpEnv& env, F80 a, int bytes, bool truncate);

// Single and double (FLD/FST m32/m64). Loading is exact (DE for denormals,
// IE for SNaN); storing rounds by env.rc to the destination format.
// keep_snan: an SNaN stays signaling (no IE here) so that an arithmetic
// instruction with a m32/m64 operand picks between two NaNs by their kinds and
// significands as the host does (SDM Vol. 1 §4.8.3.5, Table 4-7); the
// operation then raises IE and quiets the result.
F80 f80_from_f32(FpEnv& env, u32 v, bool keep_snan = false);
F80 f80_from_f64(FpEnv& env, u64 v, bool keep_snan = false);
u32 f80_to_f32(FpEnv& env, F80 a);
u64 f80_to_f64(FpEnv& env, F80 a);

// Packed BCD (FBLD/FBSTP, SDM §4.7): 18 digits, sign in bit 7 of byte 9.
F80 f80_from_bcd(const u8* p);
void f80_to_bcd(FpEnv& env, F80 a, u8* p);

}  // namespace pc64::fpu
