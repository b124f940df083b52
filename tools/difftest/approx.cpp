// The bound comparison of the approximation rows RCPPS, RCPSS, RSQRTPS and
// RSQRTSS (README.md "Approximation rows"). Their results are model specific
// (SDM Vol. 2B "RCPPS": "The relative error for this approximation is:
// |Relative Error| <= 1.5 * 2^-12"; Intel and AMD return different bits), so
// the destination lanes are not compared bit for bit. Instead each side's
// result is checked on its own against the SDM:
//  - a finite normal input: the result has the input's sign (RSQRT: a
//    negative input gives the QNaN indefinite) and is within 1.5 * 2^-12 of
//    the exact 1/x or 1/sqrt(x) (computed in binary64, exactly enough: the
//    error of the reference is below 2^-52);
//  - RCP of a tiny result: "Tiny results are always flushed to 0.0, with the
//    sign of the operand" (SDM "RCPSS"), and inputs near 2^126 "may or may
//    not produce tiny results, depending on the implementation": a signed
//    zero is accepted when the exact 1/x is below 2^-126 * (1 + 1.5 * 2^-12);
//  - the special inputs have exact results, compared bit for bit between the
//    two sides: ±0 and denormals (read as zeros) give ±infinity, ±infinity
//    gives ±0 (RSQRT -infinity: QNaN indefinite), a NaN gives a QNaN.
// The other lanes of the destination (the SS forms keep bits 127:32) and all
// other state are compared exactly by compare.cpp.
#include <math.h>
#include <string.h>

#include "difftest.h"

namespace pc64::difftest {
namespace {

bool is(const Row& r, const char* n) { return strcmp(r.name, n) == 0; }

float as_float(u32 b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}

constexpr double kBound = 1.5 / 4096;  // 1.5 * 2^-12

// Whether `r` is an acceptable result for input `x`; `special` is set when
// the SDM gives one exact result (compared between the sides instead).
bool acceptable(bool rsqrt, u32 x, u32 r, bool* special) {
  const u32 exp = x >> 23 & 0xff, sign = x >> 31;
  *special = exp == 0 || exp == 0xff || (rsqrt && sign);
  if (*special) return true;
  const double v = as_float(x);
  const double exact = rsqrt ? 1.0 / sqrt(v) : 1.0 / v;
  const u32 rexp = r >> 23 & 0xff;
  if (rexp == 0xff) return false;  // no NaN or infinity for a normal input
  if (rexp == 0) {                 // zero (a tiny result flushed) or denormal (never)
    return (r & 0x7fffffff) == 0 && (r >> 31) == sign && !rsqrt && fabs(exact) < 0x1p-126 * (1 + kBound);
  }
  const double got = as_float(r);
  return (r >> 31) == sign && fabs(got - exact) <= kBound * fabs(exact);
}

// The input bytes of the case's memory operand, as both sides saw them: the
// pristine fill with the case's patches.
bool memory_input(const Env& env, const GenCase& g, u32 bytes, u8* out) {
  u64 off;
  if (!mem_offset(env, g, &off) || off + bytes > kDataSize) return false;
  static u8 pristine[kDataSize];
  static bool filled = false;
  if (!filled) fill_pristine(pristine, kDataSize), filled = true;
  for (u32 k = 0; k < bytes; ++k) {
    u8 v = pristine[off + k];
    for (const Patch& p : g.c.patch)
      if (p.len && off + k >= p.off && off + k < (u64)p.off + p.len) v = p.bytes[off + k - p.off];
    out[k] = v;
  }
  return true;
}

}  // namespace

bool approx_row(const Row& row) {
  return is(row, "RCPPS") || is(row, "RCPSS") || is(row, "RSQRTPS") || is(row, "RSQRTSS");
}

void compare_approx(const Env& env, const GenCase& g, const FpState& n, FpState* e, std::string* d) {
  const Row& row = *g.insn.row;
  const DecodedOp& dst = g.insn.op[0];
  const DecodedOp& src = g.insn.op[1];
  if (dst.type != OpType::Xmm) return;
  const bool rsqrt = row.name[1] == 'S';
  const int lanes = strcmp(row.name + strlen(row.name) - 2, "SS") == 0 ? 1 : 4;
  u8 in[16];
  if (src.type == OpType::Xmm) memcpy(in, g.c.fp.ymm[src.reg], 16);
  else if (!memory_input(env, g, 4 * lanes, in)) return;  // compared exactly then
  const u8* nv = n.ymm[dst.reg];
  u8* ev = e->ymm[dst.reg];
  char b[200];
  for (int k = 0; k < lanes; ++k) {
    u32 x, rn, re;
    memcpy(&x, in + 4 * k, 4);
    memcpy(&rn, nv + 4 * k, 4);
    memcpy(&re, ev + 4 * k, 4);
    bool special;
    const bool ok_n = acceptable(rsqrt, x, rn, &special);
    const bool ok_e = acceptable(rsqrt, x, re, &special);
    if (special ? rn != re : !(ok_n && ok_e)) {
      snprintf(b, sizeof b, "  xmm%d lane %d: input %08x, native %08x%s, pc64 %08x%s (%s)\n", dst.reg, k, x, rn,
               ok_n ? "" : " (outside the SDM bound)", re, ok_e ? "" : " (outside the SDM bound)",
               special ? "special input: exact result" : "relative error bound 1.5*2^-12");
      *d += b;
    }
    // The lane is judged: the exact comparison of the rest sees equal bytes.
    memcpy(ev + 4 * k, nv + 4 * k, 4);
  }
}

}  // namespace pc64::difftest
