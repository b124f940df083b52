// SSE/SSE2 floating-point arithmetic, logic, compares and MXCSR access
// (rows: cpu/table/sse_fp.def). Operands come from src1_index/src2_index so
// the VEX three-operand forms can bind the same handlers.
#include "cpu/interp/sse_fp.h"

namespace pc64 {
namespace {

using ieee::Env;
using BinOp = u64 (*)(Env&, u64, u64);

// dst = src1 op src2 per lane; the scalar forms compute lane 0 and keep
// the other lanes of src1 (SDM "ADDSS": DEST[127:32] unmodified).
template <class F, BinOp Op, bool Packed> void fp_binary(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src1_index(i), &a)) return;
  if (!vec_get(c, i, src2_index(i), &b, Packed ? 0 : lane_bytes<F>())) return;
  Env env{c.s.mxcsr};
  const int n = Packed ? i.op[0].size / lane_bytes<F>() : 1;
  Vec256 r = a;
  for (int k = 0; k < n; ++k) set_lane<F>(r, k, Op(env, lane<F>(a, k), lane<F>(b, k)));
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

template <class F> u64 sqrt_op(Env& env, u64, u64 b) { return ieee::sqrt<F>(env, b); }

// SQRTSS: dst[31:0] = sqrt(src2[31:0]); the upper lanes are src1's (the
// destination's for the legacy form).
template <class F, bool Packed> void fp_sqrt(Cpu& c, const Insn& i) {
  fp_binary<F, &sqrt_op<F>, Packed>(c, i);
}

// RCPPS/RSQRTPS (SDM Vol. 2B "RCPPS", "RSQRTPS"): approximations with a
// relative error of at most 1.5 * 2^-12, no MXCSR flags, denormal inputs
// read as zeros and tiny results flushed to zero. The bits are model
// specific (the host's differ), so pc64 defines them deterministically:
// the correctly rounded quotient (round to nearest, DAZ and FTZ) rounded
// again to 12 significant bits, error <= 2^-12 + 2^-24.
u64 approx12(u64 r) {
  if (((r >> 23) & 0xff) == 0 || ((r >> 23) & 0xff) == 0xff) return r;  // 0, inf, NaN
  return (r + 0x800) & ~0xfffull;
}
constexpr u64 kOne32 = 0x3f800000;
u64 rcp_op(Env&, u64, u64 b) {
  Env e{ieee::kFTZ | ieee::kDAZ | 0x1f80};
  return approx12(ieee::div<ieee::F32>(e, kOne32, b));
}
u64 rsqrt_op(Env&, u64, u64 b) {
  Env e{ieee::kFTZ | ieee::kDAZ | 0x1f80};
  return approx12(ieee::div<ieee::F32>(e, kOne32, ieee::sqrt<ieee::F32>(e, b)));
}

enum class Logic : u8 { And, Andn, Or, Xor };
template <Logic L> void fp_logic(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src1_index(i), &a)) return;
  if (!vec_get(c, i, src2_index(i), &b)) return;
  Vec256 r;
  for (int h = 0; h < 2; ++h) {
    const v2u64 x = half_of(a, h), y = half_of(b, h);
    v2u64 z;
    if constexpr (L == Logic::And) z = x & y;
    else if constexpr (L == Logic::Andn) z = ~x & y;
    else if constexpr (L == Logic::Or) z = x | y;
    else z = x ^ y;
    set_half(r, h, z);
  }
  vec_put(c, i, 0, r);
}

// CMPPS predicates (SDM Vol. 2A "CMPPS" Table 3-1). Legacy forms use
// imm8[2:0] (EQ_OQ LT_OS LE_OS UNORD_Q NEQ_UQ NLT_US NLE_US ORD_Q); VEX
// forms imm8[4:0]: bit 3 toggles the unordered outcome (8 EQ_UQ, 9 NGE_US,
// ... 11 FALSE_OQ, 15 TRUE_UQ) and bit 4 toggles quiet/signalling (16 EQ_OS,
// 17 LT_OQ, ...). The _S ones signal IE on QNaN too.
PC64_ALWAYS_INLINE u32 cmp_pred(const Insn& i) { return (u32)i.imm & (i.vex ? 31 : 7); }
PC64_ALWAYS_INLINE bool cmp_true(ieee::Rel r, u32 pred) {
  using ieee::Rel;
  // Outcomes that make predicates 0-7 true, one bit per relation: Lt Eq Gt Un.
  constexpr u8 kLt = 1, kEq = 2, kGt = 4, kUn = 8;
  constexpr u8 kBase[8] = {kEq, kLt, kLt | kEq, kUn, kLt | kGt | kUn, kEq | kGt | kUn, kGt | kUn,
                           kLt | kEq | kGt};
  const u8 m = (u8)(kBase[pred & 7] ^ ((pred & 8) ? kUn : 0));
  const u8 bit = r == Rel::Lt ? kLt : r == Rel::Eq ? kEq : r == Rel::Gt ? kGt : kUn;
  return (m & bit) != 0;
}
PC64_ALWAYS_INLINE bool cmp_signalling(u32 pred) {
  const u32 p = pred & 3;
  return (p == 1 || p == 2) != ((pred >> 4) & 1);
}

template <class F, bool Packed> void fp_cmp(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, src1_index(i), &a)) return;
  if (!vec_get(c, i, src2_index(i), &b, Packed ? 0 : lane_bytes<F>())) return;
  const u32 pred = cmp_pred(i);
  const bool sig = cmp_signalling(pred);
  Env env{c.s.mxcsr};
  const int n = Packed ? i.op[0].size / lane_bytes<F>() : 1;
  Vec256 r = a;
  for (int k = 0; k < n; ++k) {
    const ieee::Rel rel = ieee::compare<F>(env, lane<F>(a, k), lane<F>(b, k), sig);
    set_lane<F>(r, k, cmp_true(rel, pred) ? ~0ull : 0);
  }
  if (!sse_fp_commit(c, env)) return;
  vec_put(c, i, 0, r);
}

// COMISS/UCOMISS (SDM Vol. 2A "COMISS"): unordered ZF PF CF = 111, greater
// 000, less 001, equal 100; OF SF AF cleared. COMISS signals IE on QNaN.
template <class F, bool Signalling> void fp_comi(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 a, b;
  if (!vec_get(c, i, 0, &a)) return;
  if (!vec_get(c, i, 1, &b, lane_bytes<F>())) return;
  Env env{c.s.mxcsr};
  const ieee::Rel rel = ieee::compare<F>(env, lane<F>(a, 0), lane<F>(b, 0), Signalling);
  if (!sse_fp_commit(c, env)) return;
  u64 f = 0;
  switch (rel) {
    case ieee::Rel::Un: f = kZF | kPF | kCF; break;
    case ieee::Rel::Lt: f = kCF; break;
    case ieee::Rel::Eq: f = kZF; break;
    case ieee::Rel::Gt: break;
  }
  set_flags(c.s, kArithFlags, f);
}

// LDMXCSR/STMXCSR check the SSE state (no XMM operand to classify them);
// VLDMXCSR/VSTMXCSR are VEX rows of the AVX feature and follow the AVX
// rule (row_fp_class, SDM Vol. 2A "LDMXCSR": #UD unless CR4.OSXSAVE and XCR0
// enable SSE and AVX state).
PC64_ALWAYS_INLINE bool mxcsr_insn_ok(Cpu& c, const Insn& i) { return i.vex ? fp_ok(c, i) : sse_state_ok(c); }

// MXCSR bits 16-31 are reserved (MXCSR_MASK 0xFFFF with DAZ): LDMXCSR with
// any of them set is #GP(0) (SDM Vol. 2A "LDMXCSR", Vol. 1 §11.6.6).
constexpr u32 kMxcsrMask = 0xffff;

void ldmxcsr(Cpu& c, const Insn& i) {
  if (!mxcsr_insn_ok(c, i)) return;
  u64 v;
  if (!load<4>(c, i, 0, &v)) return;
  if (v & ~(u64)kMxcsrMask) {
    c.raise(kExGP, 0);
    return;
  }
  c.s.mxcsr = (u32)v;
}

void stmxcsr(Cpu& c, const Insn& i) {
  if (!mxcsr_insn_ok(c, i)) return;
  store<4>(c, i, 0, c.s.mxcsr);
}

}  // namespace

void bind_sse_fp_arith(HandlerTable& t) {
  using ieee::F32;
  using ieee::F64;
#define PC64_FP_BIN(NAME, FN)                                   \
  t.set_all(Mn::NAME##PS, &fp_binary<F32, &ieee::FN<F32>, true>);  \
  t.set_all(Mn::NAME##SS, &fp_binary<F32, &ieee::FN<F32>, false>); \
  t.set_all(Mn::NAME##PD, &fp_binary<F64, &ieee::FN<F64>, true>);  \
  t.set_all(Mn::NAME##SD, &fp_binary<F64, &ieee::FN<F64>, false>);
  PC64_FP_BIN(ADD, add)
  PC64_FP_BIN(SUB, sub)
  PC64_FP_BIN(MUL, mul)
  PC64_FP_BIN(DIV, div)
  PC64_FP_BIN(MIN, min)
  PC64_FP_BIN(MAX, max)
#undef PC64_FP_BIN
  t.set_all(Mn::SQRTPS, &fp_sqrt<F32, true>);
  t.set_all(Mn::SQRTSS, &fp_sqrt<F32, false>);
  t.set_all(Mn::SQRTPD, &fp_sqrt<F64, true>);
  t.set_all(Mn::SQRTSD, &fp_sqrt<F64, false>);
  t.set_all(Mn::ANDPS, &fp_logic<Logic::And>);
  t.set_all(Mn::ANDPD, &fp_logic<Logic::And>);
  t.set_all(Mn::ANDNPS, &fp_logic<Logic::Andn>);
  t.set_all(Mn::ANDNPD, &fp_logic<Logic::Andn>);
  t.set_all(Mn::ORPS, &fp_logic<Logic::Or>);
  t.set_all(Mn::ORPD, &fp_logic<Logic::Or>);
  t.set_all(Mn::XORPS, &fp_logic<Logic::Xor>);
  t.set_all(Mn::XORPD, &fp_logic<Logic::Xor>);
  t.set_all(Mn::CMPPS, &fp_cmp<F32, true>);
  t.set_all(Mn::CMPSS, &fp_cmp<F32, false>);
  t.set_all(Mn::CMPPD, &fp_cmp<F64, true>);
  t.set_all(Mn::CMPSD, &fp_cmp<F64, false>);
  t.set_all(Mn::COMISS, &fp_comi<F32, true>);
  t.set_all(Mn::UCOMISS, &fp_comi<F32, false>);
  t.set_all(Mn::COMISD, &fp_comi<F64, true>);
  t.set_all(Mn::UCOMISD, &fp_comi<F64, false>);
  t.set_all(Mn::RCPPS, &fp_binary<F32, &rcp_op, true>);
  t.set_all(Mn::RCPSS, &fp_binary<F32, &rcp_op, false>);
  t.set_all(Mn::RSQRTPS, &fp_binary<F32, &rsqrt_op, true>);
  t.set_all(Mn::RSQRTSS, &fp_binary<F32, &rsqrt_op, false>);
  t.set_all(Mn::LDMXCSR, &ldmxcsr);
  t.set_all(Mn::STMXCSR, &stmxcsr);
}

}  // namespace pc64
