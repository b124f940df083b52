// Lazy arithmetic flags (CF PF AF ZF SF OF).
//
// A flag-setting instruction records its operation, width, operands and
// result in CpuState::lazy; the flags are computed only when read. The op
// field is (FlagOp << 2) | log2(width). FlagOp::Eager means rflags already
// holds the arithmetic flags (shifts, multiplies and other rare producers
// compute them directly with set_flags()).
//
// INC and DEC preserve CF (SDM Vol. 2A "INC"): before recording them the
// current CF is materialised into rflags, and the INC/DEC evaluators take CF
// from there.
#pragma once
#include "base/base.h"
#include "cpu/state.h"

namespace pc64 {

enum class FlagOp : u32 { Eager, Add, Adc, Sub, Sbb, Logic, Inc, Dec, Neg };

constexpr int log2_width(int bytes) { return bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3; }
constexpr u32 lazy_op(FlagOp op, int bytes) { return ((u32)op << 2) | (u32)log2_width(bytes); }

namespace flags_detail {

PC64_ALWAYS_INLINE u64 mask_of(u32 op) { return width_mask(1 << (op & 3)); }
PC64_ALWAYS_INLINE u64 sign_of(u32 op) { return sign_bit(1 << (op & 3)); }

}  // namespace flags_detail

// Full arithmetic-flag computation from the lazy record.
inline u64 compute_arith_flags(const CpuState& s) {
  using namespace flags_detail;
  const LazyFlags& l = s.lazy;
  const FlagOp op = (FlagOp)(l.op >> 2);
  if (op == FlagOp::Eager) return s.rflags & kArithFlags;
  const u64 m = mask_of(l.op), sb = sign_of(l.op);
  const u64 res = l.res & m, a = l.src1 & m, b = l.src2 & m;
  u64 f = 0;
  if (res == 0) f |= kZF;
  if (res & sb) f |= kSF;
  if (parity8(res)) f |= kPF;
  switch (op) {
    case FlagOp::Add:
    case FlagOp::Adc: {
      bool cf = op == FlagOp::Add ? res < a : (l.carry_in ? res <= a : res < a);
      if (cf) f |= kCF;
      if (((a ^ res) & (b ^ res)) & sb) f |= kOF;
      if ((a ^ b ^ res) & 0x10) f |= kAF;
      break;
    }
    case FlagOp::Sub:
    case FlagOp::Sbb: {
      bool cf = op == FlagOp::Sub ? a < b : (l.carry_in ? a <= b : a < b);
      if (cf) f |= kCF;
      if (((a ^ b) & (a ^ res)) & sb) f |= kOF;
      if ((a ^ b ^ res) & 0x10) f |= kAF;
      break;
    }
    case FlagOp::Logic: break;  // CF = OF = 0; AF undefined, reported as 0
    case FlagOp::Inc:
      f |= s.rflags & kCF;
      if (res == sb) f |= kOF;
      if ((res & 0xf) == 0) f |= kAF;
      break;
    case FlagOp::Dec:
      f |= s.rflags & kCF;
      if (res == sb - 1) f |= kOF;
      if ((res & 0xf) == 0xf) f |= kAF;
      break;
    case FlagOp::Neg:
      if (res != 0) f |= kCF;
      if (res == sb) f |= kOF;
      if ((res ^ b) & 0x10) f |= kAF;  // NEG is 0 - b
      break;
    default: break;
  }
  return f;
}

inline u64 read_rflags(const CpuState& s) {
  return (s.rflags & ~(u64)kArithFlags) | compute_arith_flags(s) | kFixed1;
}

// Materialises the lazy flags into rflags (lazy.op becomes Eager).
inline void materialize_flags(CpuState& s) {
  s.rflags = read_rflags(s);
  s.lazy.op = lazy_op(FlagOp::Eager, 1);
}

// Writes the arithmetic flags selected by `mask` (others keep their value).
inline void set_flags(CpuState& s, u64 mask, u64 values) {
  materialize_flags(s);
  s.rflags = (s.rflags & ~mask) | (values & mask);
}

inline void set_lazy(CpuState& s, FlagOp op, int bytes, u64 res, u64 a, u64 b, u32 carry_in = 0) {
  s.lazy.op = lazy_op(op, bytes);
  s.lazy.res = res;
  s.lazy.src1 = a;
  s.lazy.src2 = b;
  s.lazy.carry_in = carry_in;
}

// Individual flags, cheap for the common cases (Jcc after CMP/TEST).
inline bool get_cf(const CpuState& s) {
  const LazyFlags& l = s.lazy;
  const u64 m = flags_detail::mask_of(l.op);
  switch ((FlagOp)(l.op >> 2)) {
    case FlagOp::Sub: return (l.src1 & m) < (l.src2 & m);
    case FlagOp::Add: return (l.res & m) < (l.src1 & m);
    case FlagOp::Logic: return false;
    default: return compute_arith_flags(s) & kCF;
  }
}
inline bool get_zf(const CpuState& s) {
  if ((FlagOp)(s.lazy.op >> 2) == FlagOp::Eager) return s.rflags & kZF;
  return (s.lazy.res & flags_detail::mask_of(s.lazy.op)) == 0;
}
inline bool get_sf(const CpuState& s) {
  if ((FlagOp)(s.lazy.op >> 2) == FlagOp::Eager) return s.rflags & kSF;
  return (s.lazy.res & flags_detail::sign_of(s.lazy.op)) != 0;
}
inline bool get_of(const CpuState& s) { return compute_arith_flags(s) & kOF; }
inline bool get_pf(const CpuState& s) { return compute_arith_flags(s) & kPF; }

// Condition codes tttn (SDM Vol. 2D Appendix B.1.4.7): O NO B AE E NE BE A S NS P NP L GE LE G.
inline bool eval_cond(const CpuState& s, int cc) {
  bool r;
  switch (cc >> 1) {
    case 0: r = get_of(s); break;
    case 1: r = get_cf(s); break;
    case 2: r = get_zf(s); break;
    case 3: r = get_cf(s) || get_zf(s); break;
    case 4: r = get_sf(s); break;
    case 5: r = get_pf(s); break;
    case 6: r = get_sf(s) != get_of(s); break;
    default: r = get_zf(s) || (get_sf(s) != get_of(s)); break;
  }
  return r != (cc & 1);
}

}  // namespace pc64
