// SSE/SSE2 conversions (rows: cpu/table/sse_cvt.def): integer <-> binary32/
// binary64 scalar and packed, binary32 <-> binary64, and the MMX forms.
// Float-to-integer conversions give the integer indefinite (0x80000000 or
// 0x8000000000000000) with IE for NaN, infinity and out-of-range values
// (SDM Vol. 2A "CVTPS2DQ"); conversions round by MXCSR.RC, the CVTT forms
// toward zero.
#include "cpu/interp/sse_fp.h"

namespace pc64 {
namespace {

using ieee::Env;
using ieee::F32;
using ieee::F64;

// An MMX instruction sets TOP to 0 and every tag to valid (SDM Vol. 1
// §9.5.1), after taking a pending unmasked x87 exception (SDM Vol. 2A
// "CVTPI2PS": "the exception is handled before the instruction").
// TODO(x87 helper): with CR0.NE = 0 the pending exception goes out through
// FERR#/IRQ 13 instead; that path belongs to the x87 unit.
// The MMX-operand forms are still SSE instructions: CR4.OSFXSR = 0 is #UD
// too (SDM Vol. 2A "CVTPI2PS" exceptions), which the MMX class check of
// fp_ok() does not cover.
bool mmx_form_ok(Cpu& c, const Insn& i) {
  if (!(c.s.cr4 & kCR4_OSFXSR)) return c.raise(kExUD);
  return fp_ok(c, i);
}

// The full tag of a non-empty register from its contents (SDM Vol. 1
// §10.5.1.1 Table 10-2): 0 valid, 1 zero, 2 special. FpuState::ftw keeps
// the full tag word, so "all valid" after an MMX instruction means each
// register's tag as its contents classify it.
u16 tag_of(const X87Reg& r) {
  const u32 e = r.se & 0x7fff;
  if (e == 0x7fff) return 2;
  if (e == 0) return r.mant == 0 ? 1 : 2;
  return (r.mant >> 63) ? 0 : 2;
}

// Taken before any memory access (measured: #MF wins over #GP/#PF).
bool x87_pending_ok(Cpu& c) {
  if ((c.s.fpu.fsw & 0x80) && (c.s.cr0 & kCR0_NE)) return c.raise(kExMF);
  return true;
}

void mmx_enter(Cpu& c) {
  c.s.fpu.fsw &= (u16)~(7u << 11);
  u16 t = 0;
  for (int k = 0; k < 8; ++k) t |= (u16)(tag_of(c.s.fpu.r[k]) << (2 * k));
  c.s.fpu.ftw = t;
}

// An MMX register write also sets bits 79:64 (the exponent field) to ones
// (SDM Vol. 1 §9.5.1): the register's tag becomes special.
void mmx_put(Cpu& c, int reg, u64 v) {
  c.s.fpu.r[reg].mant = v;
  c.s.fpu.r[reg].se = 0xffff;
  c.s.fpu.ftw = (u16)((c.s.fpu.ftw & ~(3u << (2 * reg))) | (2u << (2 * reg)));
}

// CVTSI2SS/CVTSI2SD: a 32- or 64-bit integer into lane 0 of src1.
template <class F> void cvtsi2s(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a;
  u64 v;
  if (!vec_get(c, i, src1_index(i), &a) || !load_n(c, i, src2_index(i), &v)) return;
  Env env{c.s.mxcsr};
  const i64 x = i.op[src2_index(i)].size == 8 ? (i64)v : (i64)(i32)v;
  set_lane<F>(a, 0, ieee::from_int<F>(env, x));
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, a, 16);
}

// CVTSS2SI/CVTTSS2SI/CVTSD2SI/CVTTSD2SI: lane 0 into a 32/64-bit register.
template <class F, bool Trunc> void cvts2si(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a;
  if (!vec_get(c, i, 1, &a, lane_bytes<F>())) return;
  Env env{c.s.mxcsr};
  const int bytes = i.op[0].size;
  const u64 r = ieee::to_int<F>(env, lane<F>(a, 0), bytes * 8, Trunc);
  if (!sse_fp_commit(c, env)) return;
  if (bytes == 8) store<8>(c, i, 0, r);
  else store<4>(c, i, 0, r);
}

// CVTPS2PD (n binary32 lanes from the low half) and CVTSS2SD (lane 0 merged).
template <bool Packed> void cvtps2pd(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src1_index(i), &a)) return;
  const int n = Packed ? i.op[0].size / 8 : 1;
  if (!vec_get(c, i, src2_index(i), &b, Packed ? n * 4 : 4)) return;
  Env env{c.s.mxcsr};
  Vec256 r = Packed ? Vec256{} : a;
  for (int k = 0; k < n; ++k) r.q[k] = ieee::f32_to_f64(env, b.d[k]);
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r, Packed ? 0 : 16);
}

// CVTPD2PS (results in the low half, the rest zeroed) and CVTSD2SS.
template <bool Packed> void cvtpd2ps(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src1_index(i), &a)) return;
  if (!vec_get(c, i, src2_index(i), &b, Packed ? 0 : 8)) return;
  const int n = Packed ? i.op[src2_index(i)].size / 8 : 1;
  Env env{c.s.mxcsr};
  Vec256 r = Packed ? Vec256{} : a;
  for (int k = 0; k < n; ++k) r.d[k] = (u32)ieee::f64_to_f32(env, b.q[k]);
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r, 16);
}

// CVTDQ2PS: packed i32 -> binary32.
void cvtdq2ps(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 b, r{};
  if (!vec_get(c, i, 1, &b)) return;
  Env env{c.s.mxcsr};
  for (int k = 0; k < i.op[0].size / 4; ++k) r.d[k] = (u32)ieee::from_int<F32>(env, (i32)b.d[k]);
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// CVTPS2DQ/CVTTPS2DQ: packed binary32 -> i32.
template <bool Trunc> void cvtps2dq(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 b, r{};
  if (!vec_get(c, i, 1, &b)) return;
  Env env{c.s.mxcsr};
  for (int k = 0; k < i.op[0].size / 4; ++k) r.d[k] = (u32)ieee::to_int<F32>(env, b.d[k], 32, Trunc);
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// CVTDQ2PD: the low i32 lanes -> binary64 (exact).
void cvtdq2pd(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const int n = i.op[0].size / 8;
  Vec256 b, r{};
  if (!vec_get(c, i, 1, &b, n * 4)) return;
  Env env{c.s.mxcsr};
  for (int k = 0; k < n; ++k) r.q[k] = ieee::from_int<F64>(env, (i32)b.d[k]);
  vec_put(c, i, 0, r);
}

// CVTPD2DQ/CVTTPD2DQ: binary64 lanes -> i32 in the low half, rest zeroed.
template <bool Trunc> void cvtpd2dq(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 b, r{};
  if (!vec_get(c, i, 1, &b)) return;
  Env env{c.s.mxcsr};
  for (int k = 0; k < i.op[1].size / 8; ++k) r.d[k] = (u32)ieee::to_int<F64>(env, b.q[k], 32, Trunc);
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r, 16);
}

// CVTPI2PS: two i32 from mm/m64 into lanes 0-1, lanes 2-3 kept (SDM
// "CVTPI2PS"). CVTPI2PD: into both binary64 lanes (exact).
template <bool Double> void cvtpi2p(Cpu& c, const Insn& i) {
  if (!mmx_form_ok(c, i)) return;
  const bool mmx = i.op[1].type == OpType::Mmx;
  if (mmx && !x87_pending_ok(c)) return;
  Vec256 b;
  if (!vec_get(c, i, 1, &b)) return;
  if (mmx) mmx_enter(c);
  Env env{c.s.mxcsr};
  Vec256 r = c.s.ymm[i.op[0].reg];
  for (int k = 0; k < 2; ++k) {
    if constexpr (Double) r.q[k] = ieee::from_int<F64>(env, (i32)b.d[k]);
    else r.d[k] = (u32)ieee::from_int<F32>(env, (i32)b.d[k]);
  }
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r, 16);
}

// CVTPS2PI/CVTTPS2PI (xmm/m64) and CVTPD2PI/CVTTPD2PI (xmm/m128) into mm.
template <class F, bool Trunc> void cvtp2pi(Cpu& c, const Insn& i) {
  if (!mmx_form_ok(c, i)) return;
  if (!x87_pending_ok(c)) return;
  Vec256 b;
  if (!vec_get(c, i, 1, &b, 2 * lane_bytes<F>())) return;
  mmx_enter(c);
  Env env{c.s.mxcsr};
  const u64 lo = ieee::to_int<F>(env, lane<F>(b, 0), 32, Trunc);
  const u64 hi = ieee::to_int<F>(env, lane<F>(b, 1), 32, Trunc);
  if (!sse_fp_commit(c, env)) return;
  mmx_put(c, i.op[0].reg, (lo & 0xffffffffu) | (hi << 32));
}

}  // namespace

void bind_sse_fp_cvt(HandlerTable& t) {
  using ieee::F32;
  using ieee::F64;
  t.set_all(Mn::CVTSI2SS, &cvtsi2s<F32>);
  t.set_all(Mn::CVTSI2SD, &cvtsi2s<F64>);
  t.set_all(Mn::CVTSS2SI, &cvts2si<F32, false>);
  t.set_all(Mn::CVTTSS2SI, &cvts2si<F32, true>);
  t.set_all(Mn::CVTSD2SI, &cvts2si<F64, false>);
  t.set_all(Mn::CVTTSD2SI, &cvts2si<F64, true>);
  t.set_all(Mn::CVTPS2PD, &cvtps2pd<true>);
  t.set_all(Mn::CVTSS2SD, &cvtps2pd<false>);
  t.set_all(Mn::CVTPD2PS, &cvtpd2ps<true>);
  t.set_all(Mn::CVTSD2SS, &cvtpd2ps<false>);
  t.set_all(Mn::CVTDQ2PS, &cvtdq2ps);
  t.set_all(Mn::CVTPS2DQ, &cvtps2dq<false>);
  t.set_all(Mn::CVTTPS2DQ, &cvtps2dq<true>);
  t.set_all(Mn::CVTDQ2PD, &cvtdq2pd);
  t.set_all(Mn::CVTPD2DQ, &cvtpd2dq<false>);
  t.set_all(Mn::CVTTPD2DQ, &cvtpd2dq<true>);
  t.set_all(Mn::CVTPI2PS, &cvtpi2p<false>);
  t.set_all(Mn::CVTPI2PD, &cvtpi2p<true>);
  t.set_all(Mn::CVTPS2PI, &cvtp2pi<F32, false>);
  t.set_all(Mn::CVTTPS2PI, &cvtp2pi<F32, true>);
  t.set_all(Mn::CVTPD2PI, &cvtp2pi<F64, false>);
  t.set_all(Mn::CVTTPD2PI, &cvtp2pi<F64, true>);
}

}  // namespace pc64
