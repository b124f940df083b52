// Multiply and divide: MUL IMUL DIV IDIV (SDM Vol. 2A "DIV", "IDIV",
// "IMUL", Vol. 2B "MUL"). Rows: cpu/table/muldiv.def.
//
// The double-width products and dividends use 128-bit integers, so one
// template covers 8/16/32/64-bit operands. Values chosen for the flags the
// SDM leaves undefined:
//  - MUL/IMUL: SF, ZF and PF describe the low half of the product (the
//    destination register for the 2- and 3-operand IMUL), AF = 0;
//  - DIV/IDIV: all six arithmetic flags are left unchanged.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

// The implicit accumulator pair: AX for byte operands (AL * src, AX / src),
// otherwise rDX:rAX at the operand size.
template <int W> u128 get_acc(const Cpu& c) {
  if (W == 1) return c.get_reg<2>(RAX, false);
  return ((u128)c.get_reg<W>(RDX, false) << (W * 8)) | c.get_reg<W>(RAX, false);
}

// Writes the low half to AL/rAX and the high half to AH/rDX.
template <int W> void set_acc(Cpu& c, u64 lo, u64 hi) {
  if (W == 1) {
    c.set_reg<2>(RAX, false, (lo & 0xff) | ((hi & 0xff) << 8));
  } else {
    c.set_reg<W>(RAX, false, lo);
    c.set_reg<W>(RDX, false, hi);
  }
}

template <int W> u64 mul_flags(u64 lo, bool overflow) {
  u64 f = overflow ? (kCF | kOF) : 0;
  if ((lo & width_mask(W)) == 0) f |= kZF;
  if (lo & sign_bit(W)) f |= kSF;
  if (parity8(lo)) f |= kPF;
  return f;
}

template <int W> void mul(Cpu& c, const Insn& i) {
  u64 b;
  if (!load<W>(c, i, 0, &b)) return;
  const u64 a = c.get_reg<W>(RAX, false);
  const u128 p = (u128)a * b;
  const u64 lo = (u64)p & width_mask(W), hi = (u64)(p >> (W * 8)) & width_mask(W);
  set_acc<W>(c, lo, hi);
  set_flags(c.s, kArithFlags, mul_flags<W>(lo, hi != 0));
}

template <int W> void imul(Cpu& c, const Insn& i) {
  if (i.nops == 1) {
    // One operand: rDX:rAX = rAX * src (SDM Vol. 2A "IMUL", first form).
    u64 b;
    if (!load<W>(c, i, 0, &b)) return;
    const i128 p = (i128)sign_extend(c.get_reg<W>(RAX, false), W) * (i128)sign_extend(b, W);
    const u64 lo = (u64)p & width_mask(W), hi = (u64)(p >> (W * 8)) & width_mask(W);
    set_acc<W>(c, lo, hi);
    set_flags(c.s, kArithFlags, mul_flags<W>(lo, p != (i128)sign_extend(lo, W)));
    return;
  }
  // Two operands (Gv *= Ev) or three (Gv = Ev * imm): truncated product.
  u64 a, b;
  const int src = i.nops == 2 ? 0 : 1;
  if (!load<W>(c, i, src, &a)) return;
  if (!load<W>(c, i, src + 1, &b)) return;
  const i128 p = (i128)sign_extend(a, W) * (i128)sign_extend(b, W);
  const u64 lo = (u64)p & width_mask(W);
  store<W>(c, i, 0, lo);  // a register: cannot fault
  set_flags(c.s, kArithFlags, mul_flags<W>(lo, p != (i128)sign_extend(lo, W)));
}

template <int W> void div(Cpu& c, const Insn& i) {
  u64 b;
  if (!load<W>(c, i, 0, &b)) return;
  if (b == 0) {
    c.raise(kExDE);
    return;
  }
  const u128 n = get_acc<W>(c);
  const u128 q = n / b;
  if (q > width_mask(W)) {
    c.raise(kExDE);  // quotient too large for the destination
    return;
  }
  set_acc<W>(c, (u64)q, (u64)(n % b));
}

template <int W> void idiv(Cpu& c, const Insn& i) {
  u64 bu;
  if (!load<W>(c, i, 0, &bu)) return;
  const i64 b = sign_extend(bu, W);
  if (b == 0) {
    c.raise(kExDE);
    return;
  }
  // Sign-extend the 2W-byte dividend into an i128.
  const u128 nu = get_acc<W>(c);
  const i128 n = W == 8 ? (i128)nu : (i128)sign_extend((u64)nu, 2 * W);
  if (W == 8 && b == -1 && nu == ((u128)1 << 127)) {
    c.raise(kExDE);  // -2^127 / -1 overflows even the 128-bit division
    return;
  }
  const i128 q = n / b, r = n % b;  // C truncates toward zero, as IDIV does
  const i128 lim = (i128)1 << (W * 8 - 1);
  if (q >= lim || q < -lim) {
    c.raise(kExDE);  // includes the most negative dividend divided by -1
    return;
  }
  set_acc<W>(c, (u64)q & width_mask(W), (u64)r & width_mask(W));
}

}  // namespace

void bind_muldiv(HandlerTable& t) {
  t.set(Mn::MUL, PC64_WIDTHS(mul));
  t.set(Mn::IMUL, PC64_WIDTHS(imul));
  t.set(Mn::DIV, PC64_WIDTHS(div));
  t.set(Mn::IDIV, PC64_WIDTHS(idiv));
}

}  // namespace pc64
