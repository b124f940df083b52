// Bit instructions: BT BTS BTR BTC, BSF BSR, POPCNT LZCNT TZCNT, BMI1, BMI2,
// ADCX ADOX, MOVBE, CRC32 (SDM Vol. 2A/2B under each mnemonic).
// Rows: cpu/table/bit.def.
//
// Values chosen for the flags the SDM leaves undefined: BT*, BSF/BSR,
// LZCNT/TZCNT leave their undefined flags unchanged; ANDN, BEXTR, BLS*,
// BZHI write 0 to theirs.
#include "cpu/interp/ops.h"

namespace pc64 {
namespace {

template <int W> constexpr int kBits = W * 8;

// ---- BT BTS BTR BTC (SDM Vol. 2A "BT", "BTS", "BTR", "BTC") ----

enum class Bt { Test, Set, Reset, Complement };

// With a register bit offset and a memory operand the offset is a signed
// value that may address memory outside the operand: the accessed W-byte
// unit is at EA + W * (offset SAR log2(8W)) (SDM Vol. 2A §3.1.1.9 "Bit(BitBase,
// BitOffset)" and "BT"). An immediate offset is taken modulo the width.
template <Bt OP, int W> void bt(Cpu& c, const Insn& i) {
  u64 off;
  if (!load<W>(c, i, 1, &off)) return;
  const bool reg_offset = i.op[1].type == OpType::Reg;
  constexpr Access kAcc = OP == Bt::Test ? Access::Read : Access::Write;
  u64 v;
  u64 addr = 0;
  u32 bit = (u32)off & (kBits<W> - 1);
  const bool mem = i.op[0].type == OpType::Mem;
  if (mem) {
    addr = ea(c, i);
    if (reg_offset) {
      constexpr int kShift = W == 1 ? 3 : W == 2 ? 4 : W == 4 ? 5 : 6;
      const i64 unit = sign_extend(off, W) >> kShift;  // arithmetic: floor division
      addr = (addr + (u64)unit * W) & width_mask(i.asize);
    }
    if (!c.read<W>(i.seg, addr, &v, kAcc)) return;
  } else {
    v = c.get_reg<W>(i.op[0].reg, false);
  }
  const u64 m = 1ull << bit;
  const bool cf = (v & m) != 0;
  if (OP != Bt::Test) {
    const u64 r = OP == Bt::Set ? v | m : OP == Bt::Reset ? v & ~m : v ^ m;
    if (mem) {
      if (!c.write<W>(i.seg, addr, r)) return;
    } else {
      c.set_reg<W>(i.op[0].reg, false, r);
    }
  }
  set_flags(c.s, kCF, cf ? (u64)kCF : 0);
}

// ---- bit scans and counts ----

template <int W> int tzcnt_of(u64 v) { return v ? __builtin_ctzll(v) : kBits<W>; }
template <int W> int lzcnt_of(u64 v) { return v ? __builtin_clzll(v) - (64 - kBits<W>) : kBits<W>; }

// A zero source sets ZF and leaves the destination unchanged, even its upper
// half in 64-bit mode (both vendors' documented/observed behaviour).
template <bool REVERSE, int W> void bsx(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  if (v == 0) {
    set_flags(c.s, kZF, kZF);
    return;
  }
  store<W>(c, i, 0, REVERSE ? (u64)(kBits<W> - 1 - lzcnt_of<W>(v)) : (u64)tzcnt_of<W>(v));
  set_flags(c.s, kZF, 0);
}

template <bool LEADING, int W> void xzcnt(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  const u64 r = (u64)(LEADING ? lzcnt_of<W>(v) : tzcnt_of<W>(v));
  store<W>(c, i, 0, r);
  set_flags(c.s, kCF | kZF, (v == 0 ? (u64)kCF : 0) | (r == 0 ? (u64)kZF : 0));
}

template <int W> void popcnt(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  store<W>(c, i, 0, (u64)popcount64(v));
  set_flags(c.s, kArithFlags, v == 0 ? (u64)kZF : 0);
}

template <int W> void bsf(Cpu& c, const Insn& i) { bsx<false, W>(c, i); }
template <int W> void bsr(Cpu& c, const Insn& i) { bsx<true, W>(c, i); }
template <int W> void tzcnt(Cpu& c, const Insn& i) { xzcnt<false, W>(c, i); }
template <int W> void lzcnt(Cpu& c, const Insn& i) { xzcnt<true, W>(c, i); }

// ---- BMI1 / BMI2 (VEX; W is 4 or 8) ----

// SF and ZF of a result, CF as given, OF = AF = PF = 0.
template <int W> void bmi_flags(Cpu& c, u64 r, bool cf, bool zf_valid = true) {
  u64 f = cf ? (u64)kCF : 0;
  if (zf_valid && (r & width_mask(W)) == 0) f |= kZF;
  if (r & sign_bit(W)) f |= kSF;
  set_flags(c.s, kArithFlags, f);
}

template <int W> void andn(Cpu& c, const Insn& i) {
  u64 a, b;
  if (!load<W>(c, i, 2, &b)) return;
  a = c.get_reg<W>(i.op[1].reg, false);
  const u64 r = ~a & b & width_mask(W);
  c.set_reg<W>(i.op[0].reg, false, r);
  bmi_flags<W>(c, r, false);
}

// BEXTR: start = src2[7:0], length = src2[15:8] (SDM Vol. 2A "BEXTR").
template <int W> void bextr(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  const u64 ctl = c.get_reg<W>(i.op[2].reg, false);
  const u32 start = ctl & 0xff, len = (ctl >> 8) & 0xff;
  u64 r = start < kBits<W> ? v >> start : 0;
  if (len < 64) r &= (1ull << len) - 1;
  c.set_reg<W>(i.op[0].reg, false, r);
  set_flags(c.s, kArithFlags, r == 0 ? (u64)kZF : 0);  // SF undefined: 0
}

enum class Bls { Lsi, Lsmsk, Lsr };

template <Bls OP, int W> void bls(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  const u64 m = width_mask(W);
  u64 r;
  bool cf;
  switch (OP) {
    case Bls::Lsi: r = v & (0 - v) & m; cf = v != 0; break;
    case Bls::Lsmsk: r = (v ^ (v - 1)) & m; cf = v == 0; break;
    default: r = v & (v - 1) & m; cf = v == 0; break;
  }
  c.set_reg<W>(i.op[0].reg, false, r);
  bmi_flags<W>(c, r, cf, OP != Bls::Lsmsk);  // BLSMSK clears ZF
}

template <int W> void blsi(Cpu& c, const Insn& i) { bls<Bls::Lsi, W>(c, i); }
template <int W> void blsmsk(Cpu& c, const Insn& i) { bls<Bls::Lsmsk, W>(c, i); }
template <int W> void blsr(Cpu& c, const Insn& i) { bls<Bls::Lsr, W>(c, i); }

// BZHI: zero the bits from index src2[7:0] upward; CF = index >= width.
template <int W> void bzhi(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  const u32 n = c.get_reg<W>(i.op[2].reg, false) & 0xff;
  const u64 r = n < kBits<W> ? v & ((1ull << n) - 1) : v;
  c.set_reg<W>(i.op[0].reg, false, r);
  bmi_flags<W>(c, r, n >= (u32)kBits<W>);
}

// PDEP/PEXT (SDM Vol. 2B "PDEP", "PEXT"): src1 = VEX.vvvv, mask = r/m.
template <bool DEPOSIT, int W> void pdx(Cpu& c, const Insn& i) {
  u64 mask;
  if (!load<W>(c, i, 2, &mask)) return;
  const u64 src = c.get_reg<W>(i.op[1].reg, false);
  u64 r = 0, k = 1;
  for (u64 m = mask; m; m &= m - 1, k <<= 1) {
    const u64 low = m & (0 - m);  // lowest set bit of the mask
    if (DEPOSIT) {
      if (src & k) r |= low;
    } else {
      if (src & low) r |= k;
    }
  }
  c.set_reg<W>(i.op[0].reg, false, r);
}

template <int W> void pdep(Cpu& c, const Insn& i) { pdx<true, W>(c, i); }
template <int W> void pext(Cpu& c, const Insn& i) { pdx<false, W>(c, i); }

// MULX: dest_hi (ModRM.reg), dest_lo (VEX.vvvv) = rDX * r/m, no flags. The
// low half is written first, so equal destinations receive the high half
// (SDM Vol. 2B "MULX").
template <int W> void mulx(Cpu& c, const Insn& i) {
  u64 b;
  if (!load<W>(c, i, 2, &b)) return;
  const u128 p = (u128)c.get_reg<W>(RDX, false) * b;
  c.set_reg<W>(i.op[1].reg, false, (u64)p);
  c.set_reg<W>(i.op[0].reg, false, (u64)(p >> kBits<W>));
}

// RORX: VEX.vvvv must be 1111b (decoded as 0), else #UD.
template <int W> void rorx(Cpu& c, const Insn& i) {
  if (i.vex_v != 0) {
    c.raise(kExUD);
    return;
  }
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  const u32 n = (u32)i.imm & (kBits<W> - 1);
  const u64 r = n ? ((v >> n) | (v << (kBits<W> - n))) & width_mask(W) : v;
  c.set_reg<W>(i.op[0].reg, false, r);
}

enum class Shx { Sar, Shl, Shr };

template <Shx OP, int W> void shx(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  const u32 n = c.get_reg<W>(i.op[2].reg, false) & (kBits<W> - 1);
  u64 r;
  switch (OP) {
    case Shx::Sar: r = (u64)(sign_extend(v, W) >> n); break;
    case Shx::Shl: r = v << n; break;
    default: r = v >> n; break;
  }
  c.set_reg<W>(i.op[0].reg, false, r & width_mask(W));
}

template <int W> void sarx(Cpu& c, const Insn& i) { shx<Shx::Sar, W>(c, i); }
template <int W> void shlx(Cpu& c, const Insn& i) { shx<Shx::Shl, W>(c, i); }
template <int W> void shrx(Cpu& c, const Insn& i) { shx<Shx::Shr, W>(c, i); }

// ---- ADCX / ADOX: add with carry through CF resp. OF only ----

template <bool OVERFLOW_FLAG, int W> void adx(Cpu& c, const Insn& i) {
  u64 b;
  if (!load<W>(c, i, 1, &b)) return;
  const u64 a = c.get_reg<W>(i.op[0].reg, false);
  const u64 flag = OVERFLOW_FLAG ? (u64)kOF : kCF;
  const u64 cin = (c.rflags() & flag) ? 1 : 0;
  const u128 sum = (u128)a + b + cin;
  c.set_reg<W>(i.op[0].reg, false, (u64)sum & width_mask(W));
  set_flags(c.s, flag, (sum >> kBits<W>) ? flag : 0);
}

template <int W> void adcx(Cpu& c, const Insn& i) { adx<false, W>(c, i); }
template <int W> void adox(Cpu& c, const Insn& i) { adx<true, W>(c, i); }

// ---- MOVBE and CRC32 ----

template <int W> u64 byte_swap(u64 v) {
  if (W == 2) return bswap16((u16)v);
  if (W == 4) return bswap32((u32)v);
  if (W == 8) return bswap64(v);
  return v;
}

template <int W> void movbe(Cpu& c, const Insn& i) {
  u64 v;
  if (!load<W>(c, i, 1, &v)) return;
  store<W>(c, i, 0, byte_swap<W>(v));
}

// CRC32 accumulates CRC-32C (polynomial 11EDC6F41H) over the source bytes,
// least significant first, in bit-reflected form, with no initial or final
// inversion (SDM Vol. 2A "CRC32"). The result is 32 bits, zero-extended.
u32 crc32c_update(u32 crc, u64 data, int bytes) {
  for (int b = 0; b < bytes; ++b) {
    crc ^= (u32)(data >> (8 * b)) & 0xff;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
  }
  return crc;
}

template <int W> void crc32(Cpu& c, const Insn& i) {
  u64 v;
  if (!load_n(c, i, 1, &v)) return;
  const u32 crc = (u32)c.s.gpr[i.op[0].reg];
  c.set_reg<W>(i.op[0].reg, false, crc32c_update(crc, v, i.op[1].size));
}

template <int W> void bt_(Cpu& c, const Insn& i) { bt<Bt::Test, W>(c, i); }
template <int W> void bts(Cpu& c, const Insn& i) { bt<Bt::Set, W>(c, i); }
template <int W> void btr(Cpu& c, const Insn& i) { bt<Bt::Reset, W>(c, i); }
template <int W> void btc(Cpu& c, const Insn& i) { bt<Bt::Complement, W>(c, i); }

}  // namespace

void bind_bit(HandlerTable& t) {
  t.set(Mn::BT, PC64_WIDTHS(bt_));
  t.set(Mn::BTS, PC64_WIDTHS(bts));
  t.set(Mn::BTR, PC64_WIDTHS(btr));
  t.set(Mn::BTC, PC64_WIDTHS(btc));
  t.set(Mn::BSF, PC64_WIDTHS(bsf));
  t.set(Mn::BSR, PC64_WIDTHS(bsr));
  t.set(Mn::TZCNT, PC64_WIDTHS(tzcnt));
  t.set(Mn::LZCNT, PC64_WIDTHS(lzcnt));
  t.set(Mn::POPCNT, PC64_WIDTHS(popcnt));
  t.set(Mn::ANDN, PC64_WIDTHS(andn));
  t.set(Mn::BEXTR, PC64_WIDTHS(bextr));
  t.set(Mn::BLSI, PC64_WIDTHS(blsi));
  t.set(Mn::BLSMSK, PC64_WIDTHS(blsmsk));
  t.set(Mn::BLSR, PC64_WIDTHS(blsr));
  t.set(Mn::BZHI, PC64_WIDTHS(bzhi));
  t.set(Mn::PDEP, PC64_WIDTHS(pdep));
  t.set(Mn::PEXT, PC64_WIDTHS(pext));
  t.set(Mn::MULX, PC64_WIDTHS(mulx));
  t.set(Mn::RORX, PC64_WIDTHS(rorx));
  t.set(Mn::SARX, PC64_WIDTHS(sarx));
  t.set(Mn::SHLX, PC64_WIDTHS(shlx));
  t.set(Mn::SHRX, PC64_WIDTHS(shrx));
  t.set(Mn::ADCX, PC64_WIDTHS(adcx));
  t.set(Mn::ADOX, PC64_WIDTHS(adox));
  t.set(Mn::MOVBE, PC64_WIDTHS(movbe));
  t.set(Mn::CRC32, PC64_WIDTHS(crc32));
}

}  // namespace pc64
