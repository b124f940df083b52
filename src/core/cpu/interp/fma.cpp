// FMA3 and F16C (rows: cpu/table/fma.def, f16c.def). The arithmetic is the
// soft-float's (cpu/fpu/ieee.h: fma, f16_to_f32, f32_to_f16); the SIMD FP
// exception rule is sse_fp_commit()'s (SDM Vol. 1 §11.5.1).
#include "cpu/interp/avx_probe.h"
#include "cpu/interp/sse_fp.h"

namespace pc64 {
namespace {

using ieee::Env;

// Which operand is a, b and c of a * b + c (SDM Vol. 2A "VFMADD132PS":
// 132 = src1 * src3 + src2, 213 = src2 * src1 + src3, 231 = src2 * src3 +
// src1; src1 is the destination, operand 0).
enum Order : int { k132, k213, k231 };
// Lane signs: every lane alike, or VFMADDSUB (even lanes subtract c, odd
// lanes add) and VFMSUBADD (even add, odd subtract).
enum Alt : int { kSame, kAddSub, kSubAdd };

template <class F, Order O, bool NegP, bool NegC, Alt A, bool Scalar>
void fma_op(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 s1, s2, s3;
  if (!vec_get(c, i, 0, &s1)) return;
  if (!vec_get(c, i, 1, &s2)) return;
  if (!vec_get(c, i, 2, &s3, Scalar ? lane_bytes<F>() : 0)) return;
  const Vec256& va = O == k132 ? s1 : s2;
  const Vec256& vb = O == k213 ? s1 : s3;
  const Vec256& vc = O == k132 ? s2 : O == k213 ? s3 : s1;
  Env env{c.s.mxcsr};
  const int n = Scalar ? 1 : i.op[0].size / lane_bytes<F>();
  Vec256 r = s1;  // scalar forms keep src1's other lanes (then [255:128] = 0)
  for (int k = 0; k < n; ++k) {
    const bool negc = A == kSame ? NegC : ((k & 1) == 0) == (A == kAddSub);
    set_lane<F>(r, k, ieee::fma<F>(env, lane<F>(va, k), lane<F>(vb, k), lane<F>(vc, k), NegP, negc));
  }
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// VCVTPH2PS xmm/ymm, xmm/m64/m128: 4 or 8 halves to singles.
void vcvtph2ps(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const int n = i.op[0].size / 4;
  Vec256 s;
  if (!vec_get(c, i, 1, &s, (u32)n * 2)) return;
  Env env{c.s.mxcsr};
  Vec256 r{};
  for (int k = 0; k < n; ++k) r.d[k] = (u32)ieee::f16_to_f32(env, s.w[k]);
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// VCVTPS2PH xmm/m64/m128, xmm/ymm, imm8: imm8[2] selects MXCSR.RC, else
// imm8[1:0] is the rounding mode (SDM Vol. 2B "VCVTPS2PH" Table 5-3). A
// register destination gets zeros above the halves (VEX.128/256 both
// write an XMM: bits MAXVL-1:64 or :128 are zeroed).
void vcvtps2ph(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const int n = i.op[1].size / 4;
  Vec256 s;
  if (!vec_get(c, i, 1, &s)) return;
  Env env{c.s.mxcsr};
  const u8 rc = (i.imm & 4) ? env.rc() : (u8)(i.imm & 3);
  Vec256 r{};
  for (int k = 0; k < n; ++k) r.w[k] = (u16)ieee::f32_to_f16(env, s.d[k], rc);
  const u32 bytes = i.op[0].type == OpType::Xmm ? 16 : (u32)n * 2;
  // A memory destination that faults leaves MXCSR unchanged (measured):
  // translate it for writing before the flags are committed.
  if (i.op[0].type == OpType::Mem && !probe_write(c, i.seg, ea(c, i), bytes)) return;
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r, bytes);
}

}  // namespace

void bind_fma(HandlerTable& t) {
  using ieee::F32;
  using ieee::F64;
#define PC64_FMA4(NAME, O, NP, NC)                                       \
  t.set_all(Mn::NAME##PS, &fma_op<F32, O, NP, NC, kSame, false>);     \
  t.set_all(Mn::NAME##PD, &fma_op<F64, O, NP, NC, kSame, false>);     \
  t.set_all(Mn::NAME##SS, &fma_op<F32, O, NP, NC, kSame, true>);      \
  t.set_all(Mn::NAME##SD, &fma_op<F64, O, NP, NC, kSame, true>);
#define PC64_FMA_ORDERS(NAME, NP, NC)       \
  PC64_FMA4(NAME##132, k132, NP, NC)        \
  PC64_FMA4(NAME##213, k213, NP, NC)        \
  PC64_FMA4(NAME##231, k231, NP, NC)
  PC64_FMA_ORDERS(VFMADD, false, false)
  PC64_FMA_ORDERS(VFMSUB, false, true)
  PC64_FMA_ORDERS(VFNMADD, true, false)
  PC64_FMA_ORDERS(VFNMSUB, true, true)
#define PC64_FMA_ALT(NAME, O, A)                                          \
  t.set_all(Mn::NAME##PS, &fma_op<F32, O, false, false, A, false>);    \
  t.set_all(Mn::NAME##PD, &fma_op<F64, O, false, false, A, false>);
  PC64_FMA_ALT(VFMADDSUB132, k132, kAddSub)
  PC64_FMA_ALT(VFMADDSUB213, k213, kAddSub)
  PC64_FMA_ALT(VFMADDSUB231, k231, kAddSub)
  PC64_FMA_ALT(VFMSUBADD132, k132, kSubAdd)
  PC64_FMA_ALT(VFMSUBADD213, k213, kSubAdd)
  PC64_FMA_ALT(VFMSUBADD231, k231, kSubAdd)
#undef PC64_FMA4
#undef PC64_FMA_ORDERS
#undef PC64_FMA_ALT
  t.set_all(Mn::VCVTPH2PS, &vcvtph2ps);
  t.set_all(Mn::VCVTPS2PH, &vcvtps2ph);
}

}  // namespace pc64
