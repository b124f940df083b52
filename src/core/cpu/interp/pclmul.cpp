// PCLMULQDQ / VPCLMULQDQ (SDM Vol. 2B "PCLMULQDQ"; rows: cpu/table/crypto.def):
// the carry-less (GF(2)[x]) product of one quadword of each source,
// imm8[0] choosing the quadword of the first source and imm8[4] that of the
// second; the 127-bit product fills the destination (bit 127 is 0).
//
// The product is computed with no branch or table index depending on the
// operands (they are often key material, as in GCM): every bit of b selects
// a shifted copy of a through a mask.
#include "cpu/interp/crypto.h"
#include "cpu/interp/simd.h"

namespace pc64 {

v2u64 clmul64(u64 a, u64 b) {
  u64 lo = 0, hi = 0;
  for (int k = 0; k < 64; ++k) {
    const u64 m = 0 - ((b >> k) & 1);
    lo ^= (a << k) & m;
    hi ^= ((a >> 1) >> (63 - k)) & m;  // a >> (64 - k), 0 for k = 0
  }
  return (v2u64){lo, hi};
}

namespace {

void pclmulqdq(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src2_index(i), &b)) return;
  vec_get(c, i, src1_index(i), &a);
  vstore(r.b, clmul64(a.q[i.imm & 1], b.q[(i.imm >> 4) & 1]));
  vec_put(c, i, 0, r);
}

}  // namespace

void bind_pclmul(HandlerTable& t) {
  t.set_all(Mn::PCLMULQDQ, &pclmulqdq);
}

}  // namespace pc64
