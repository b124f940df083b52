// SSE3 horizontal and alternating arithmetic (ADDSUBPS HADDPS HSUBPS and PD
// forms) and SSE4.1 FP computation (ROUNDPS/PD/SS/SD, DPPS, DPPD); rows in
// cpu/table/sse_fpmov.def. Flags are ORed over all the roundings an
// instruction performs and committed once (interp/sse_fp.h).
#include "cpu/interp/sse_fp.h"

namespace pc64 {
namespace {

using ieee::Env;

// ADDSUBPS (SDM Vol. 2A "ADDSUBPS"): even lanes src1 - src2, odd lanes
// src1 + src2.
template <class F> void addsub(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  Env env{c.s.mxcsr};
  const int n = i.op[0].size / lane_bytes<F>();
  for (int k = 0; k < n; ++k) {
    const u64 x = lane<F>(a, k), y = lane<F>(b, k);
    set_lane<F>(r, k, (k & 1) ? ieee::add<F>(env, x, y) : ieee::sub<F>(env, x, y));
  }
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// HADDPS/HSUBPS (SDM Vol. 2A "HADDPS"): per 128-bit lane, the low results
// combine adjacent pairs of src1, the high results those of src2
// (element 2j op element 2j+1).
template <class F, bool Sub> void horiz(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  Env env{c.s.mxcsr};
  constexpr int per = 16 / lane_bytes<F>();  // lanes per 128 bits
  const int halves = i.op[0].size > 16 ? 2 : 1;
  for (int h = 0; h < halves; ++h) {
    const int o = h * per;
    for (int k = 0; k < per; ++k) {
      const Vec256& s = k < per / 2 ? a : b;
      const int j = o + 2 * (k % (per / 2));
      const u64 x = lane<F>(s, j), y = lane<F>(s, j + 1);
      set_lane<F>(r, o + k, Sub ? ieee::sub<F>(env, x, y) : ieee::add<F>(env, x, y));
    }
  }
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// ROUNDPS/ROUNDSS (SDM Vol. 2B "ROUNDPS" Table 4-18): imm[1:0] rounding
// mode unless imm[2] selects MXCSR.RC; imm[3] suppresses PE. Only IE (SNaN)
// and PE are signalled.
template <class F, bool Packed> void round(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src1_index(i), &a)) return;
  if (!vec_get(c, i, src2_index(i), &b, Packed ? 0 : lane_bytes<F>())) return;
  const u32 imm = (u32)i.imm;
  Env env{c.s.mxcsr};
  const u8 rc = (imm & 4) ? env.rc() : (u8)(imm & 3);
  const int n = Packed ? i.op[0].size / lane_bytes<F>() : 1;
  Vec256 r = Packed ? Vec256{} : a;
  for (int k = 0; k < n; ++k) set_lane<F>(r, k, ieee::round_int<F>(env, lane<F>(b, k), rc, imm & 8));
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// DPPS (SDM Vol. 2A "DPPS", DP_primitive): products of the lanes selected
// by imm[7:4] (else +0.0), then (p0 + p1) + (p2 + p3), each step rounded;
// the sum goes to the lanes selected by imm[3:0], +0.0 elsewhere. The
// VEX.256 form does this per 128-bit lane.
void dpps(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  const u32 imm = (u32)i.imm;
  Env env{c.s.mxcsr};
  const int halves = i.op[0].size > 16 ? 2 : 1;
  u32 acc = 0;
  u64 p[2][4], t[2][2];
  for (int h = 0; h < halves; ++h)
    for (int k = 0; k < 4; ++k)
      p[h][k] = ((imm >> (4 + k)) & 1) ? ieee::mul<ieee::F32>(env, a.d[4 * h + k], b.d[4 * h + k]) : 0;
  if (!sse_fp_stage(c, env, &acc)) return;
  for (int h = 0; h < halves; ++h) {
    t[h][0] = ieee::add<ieee::F32>(env, p[h][0], p[h][1]);
    t[h][1] = ieee::add<ieee::F32>(env, p[h][2], p[h][3]);
  }
  if (!sse_fp_stage(c, env, &acc)) return;
  for (int h = 0; h < halves; ++h) {
    const u64 t4 = ieee::add<ieee::F32>(env, t[h][0], t[h][1]);
    for (int k = 0; k < 4; ++k) r.d[4 * h + k] = ((imm >> k) & 1) ? (u32)t4 : 0;
  }
  if (!sse_fp_stage(c, env, &acc)) return;
  c.s.mxcsr |= acc;
  vec_put(c, i, 0, r);
}

// DPPD (SDM Vol. 2A "DPPD"): the same with two binary64 lanes (imm[5:4]
// select the products, imm[1:0] the destination lanes).
void dppd(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b, r{};
  if (!vec_get(c, i, src1_index(i), &a) || !vec_get(c, i, src2_index(i), &b)) return;
  const u32 imm = (u32)i.imm;
  Env env{c.s.mxcsr};
  u32 acc = 0;
  const u64 p0 = (imm & 0x10) ? ieee::mul<ieee::F64>(env, a.q[0], b.q[0]) : 0;
  const u64 p1 = (imm & 0x20) ? ieee::mul<ieee::F64>(env, a.q[1], b.q[1]) : 0;
  if (!sse_fp_stage(c, env, &acc)) return;
  const u64 t = ieee::add<ieee::F64>(env, p0, p1);
  if (!sse_fp_stage(c, env, &acc)) return;
  r.q[0] = (imm & 1) ? t : 0;
  r.q[1] = (imm & 2) ? t : 0;
  c.s.mxcsr |= acc;
  vec_put(c, i, 0, r);
}

}  // namespace

void bind_sse_fp_sse41(HandlerTable& t) {
  using ieee::F32;
  using ieee::F64;
  t.set_all(Mn::ADDSUBPS, &addsub<F32>);
  t.set_all(Mn::ADDSUBPD, &addsub<F64>);
  t.set_all(Mn::HADDPS, &horiz<F32, false>);
  t.set_all(Mn::HADDPD, &horiz<F64, false>);
  t.set_all(Mn::HSUBPS, &horiz<F32, true>);
  t.set_all(Mn::HSUBPD, &horiz<F64, true>);
  t.set_all(Mn::ROUNDPS, &round<F32, true>);
  t.set_all(Mn::ROUNDPD, &round<F64, true>);
  t.set_all(Mn::ROUNDSS, &round<F32, false>);
  t.set_all(Mn::ROUNDSD, &round<F64, false>);
  t.set_all(Mn::DPPS, &dpps);
  t.set_all(Mn::DPPD, &dppd);
}

}  // namespace pc64
