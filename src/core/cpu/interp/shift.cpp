// Shifts and rotates: ROL ROR RCL RCR SHL SHR SAR SHLD SHRD
// (SDM Vol. 2B "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
// Rows: cpu/table/shift.def.
//
// Counts are masked to 5 bits (6 with a 64-bit operand). A masked count of 0
// changes no flag, but the destination is still written back: a 32-bit
// register destination is zero-extended in 64-bit mode even then, as on
// hardware. Values chosen for the flags the SDM leaves undefined:
//  - OF for counts other than 1: the count-1 formula applied to the final
//    result (SHL/ROL/RCL: MSB(result) XOR CF; SHR: MSB(original);
//    SAR: 0; ROR/RCR: XOR of the two top bits of the result);
//  - AF after SHL/SHR/SAR/SHLD/SHRD: 0;
//  - CF of SHL/SHR with a count >= the operand width (8/16-bit operands
//    only): the last bit shifted out, as the SDM's iterative description
//    gives (0 once the count exceeds the width);
//  - SHLD/SHRD with a 16-bit operand and a count of 17..31: the result is
//    the source rotated by count-16 (left for SHLD, right for SHRD) and
//    CF = 0, which is what AMD processors produce (measured on the
//    differential tester's host). Intel processors differ here.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

enum class Sh { Rol, Ror, Rcl, Rcr, Shl, Shr, Sar };

// SF ZF PF of a W-byte result, plus CF and OF.
template <int W> u64 szp_flags(u64 r) {
  u64 f = 0;
  if ((r & width_mask(W)) == 0) f |= kZF;
  if (r & sign_bit(W)) f |= kSF;
  if (parity8(r)) f |= kPF;
  return f;
}

template <int W> PC64_ALWAYS_INLINE u64 msb(u64 v) { return (v >> (W * 8 - 1)) & 1; }

// One shift or rotate of `a` by the masked, non-zero count `n`. Returns the
// result; *f receives the flag values and *mask the flags written.
template <Sh OP, int W> u64 shift_calc(u64 a, u32 n, bool cf_in, u64* f, u64* mask) {
  constexpr int kBits = W * 8;
  const u64 m = width_mask(W);
  u64 r = a, cf = 0, of = 0;
  switch (OP) {
    case Sh::Rol: {
      const u32 k = n % kBits;
      if (k) r = ((a << k) | (a >> (kBits - k))) & m;
      cf = r & 1;
      of = msb<W>(r) ^ cf;
      break;
    }
    case Sh::Ror: {
      const u32 k = n % kBits;
      if (k) r = ((a >> k) | (a << (kBits - k))) & m;
      cf = msb<W>(r);
      of = msb<W>(r) ^ ((r >> (kBits - 2)) & 1);
      break;
    }
    case Sh::Rcl:
    case Sh::Rcr: {
      // Rotate the (kBits+1)-bit ring CF:dest; 8/16-bit operands rotate
      // modulo 9/17 (SDM Vol. 2B "RCL/RCR/ROL/ROR", tempCOUNT).
      constexpr int kRing = kBits + 1;
      const u128 ring_mask = ((u128)1 << kRing) - 1;
      u128 v = ((u128)cf_in << kBits) | a;
      const u32 k = n % kRing;
      if (k) {
        if (OP == Sh::Rcl) v = ((v << k) | (v >> (kRing - k))) & ring_mask;
        else v = ((v >> k) | (v << (kRing - k))) & ring_mask;
      }
      r = (u64)v & m;
      cf = (u64)(v >> kBits) & 1;
      of = OP == Sh::Rcl ? msb<W>(r) ^ cf : msb<W>(r) ^ ((r >> (kBits - 2)) & 1);
      break;
    }
    case Sh::Shl:
      r = (a << n) & m;  // n <= 63; a 64-bit shift never reaches 64
      cf = W == 8 ? (a >> (64 - n)) & 1 : ((a << n) >> kBits) & 1;
      of = msb<W>(r) ^ cf;
      break;
    case Sh::Shr:
      r = a >> n;
      cf = (a >> (n - 1)) & 1;
      of = msb<W>(a);
      break;
    case Sh::Sar: {
      const i64 sa = sign_extend(a, W);
      r = (u64)(sa >> (n > 63 ? 63 : n)) & m;
      cf = (u64)(sa >> (n - 1)) & 1;
      of = 0;
      break;
    }
  }
  const u64 co = (cf ? (u64)kCF : 0) | (of ? (u64)kOF : 0);
  if (OP == Sh::Rol || OP == Sh::Ror || OP == Sh::Rcl || OP == Sh::Rcr) {
    *mask = kCF | kOF;  // rotates change only CF and OF
    *f = co;
  } else {
    *mask = kArithFlags;
    *f = co | szp_flags<W>(r);  // AF = 0
  }
  return r;
}

template <Sh OP, int W> void shift(Cpu& c, const Insn& i) {
  u64 a, cnt;
  if (!load_rmw<W>(c, i, 0, &a)) return;
  if (!load<1>(c, i, 1, &cnt)) return;
  const u32 n = (u32)cnt & (W == 8 ? 63 : 31);
  if (n == 0) {
    store<W>(c, i, 0, a);  // no flag changes (SDM: "If the count is 0, the flags are not affected")
    return;
  }
  u64 f, mask;
  const bool cf_in = (OP == Sh::Rcl || OP == Sh::Rcr) && get_cf(c.s);
  const u64 r = shift_calc<OP, W>(a, n, cf_in, &f, &mask);
  if (!store<W>(c, i, 0, r)) return;
  set_flags(c.s, mask, f);
}

// SHLD/SHRD (SDM Vol. 2B "SHLD", "SHRD"): operand 0 is shifted, operand 1
// supplies the bits shifted in, operand 2 is the count (Ib or CL).
template <bool LEFT, int W> void shxd(Cpu& c, const Insn& i) {
  constexpr int kBits = W * 8;
  const u64 m = width_mask(W);
  u64 d, s, cnt;
  if (!load_rmw<W>(c, i, 0, &d)) return;
  if (!load<W>(c, i, 1, &s)) return;
  if (!load<1>(c, i, 2, &cnt)) return;
  const u32 n = (u32)cnt & (W == 8 ? 63 : 31);
  if (n == 0) {
    store<W>(c, i, 0, d);
    return;
  }
  u64 r, cf;
  if (W == 2 && n > 16) {
    // Undefined by the SDM; AMD's result (see the file comment).
    const u32 k = n - 16;
    r = LEFT ? ((s << k) | (s >> (16 - k))) & m : ((s >> k) | (s << (16 - k))) & m;
    cf = 0;
  } else if (LEFT) {
    const u128 v = ((u128)d << kBits) | s;  // dest:src
    r = (u64)((v << n) >> kBits) & m;
    cf = (u64)(v >> (2 * kBits - n)) & 1;
  } else {
    const u128 v = ((u128)s << kBits) | d;  // src:dest
    r = (u64)(v >> n) & m;
    cf = (u64)(v >> (n - 1)) & 1;
  }
  if (!store<W>(c, i, 0, r)) return;
  // OF: sign change (defined for a count of 1 only); AF = 0.
  const u64 of = msb<W>(r) ^ msb<W>(d);
  set_flags(c.s, kArithFlags, szp_flags<W>(r) | (cf ? (u64)kCF : 0) | (of ? (u64)kOF : 0));
}

template <int W> void rol(Cpu& c, const Insn& i) { shift<Sh::Rol, W>(c, i); }
template <int W> void ror(Cpu& c, const Insn& i) { shift<Sh::Ror, W>(c, i); }
template <int W> void rcl(Cpu& c, const Insn& i) { shift<Sh::Rcl, W>(c, i); }
template <int W> void rcr(Cpu& c, const Insn& i) { shift<Sh::Rcr, W>(c, i); }
template <int W> void shl(Cpu& c, const Insn& i) { shift<Sh::Shl, W>(c, i); }
template <int W> void shr(Cpu& c, const Insn& i) { shift<Sh::Shr, W>(c, i); }
template <int W> void sar(Cpu& c, const Insn& i) { shift<Sh::Sar, W>(c, i); }
template <int W> void shld(Cpu& c, const Insn& i) { shxd<true, W>(c, i); }
template <int W> void shrd(Cpu& c, const Insn& i) { shxd<false, W>(c, i); }

}  // namespace

void bind_shift(HandlerTable& t) {
  t.set(Mn::ROL, PC64_WIDTHS(rol));
  t.set(Mn::ROR, PC64_WIDTHS(ror));
  t.set(Mn::RCL, PC64_WIDTHS(rcl));
  t.set(Mn::RCR, PC64_WIDTHS(rcr));
  t.set(Mn::SHL, PC64_WIDTHS(shl));
  t.set(Mn::SHR, PC64_WIDTHS(shr));
  t.set(Mn::SAR, PC64_WIDTHS(sar));
  t.set(Mn::SHLD, PC64_WIDTHS(shld));
  t.set(Mn::SHRD, PC64_WIDTHS(shrd));
}

}  // namespace pc64
