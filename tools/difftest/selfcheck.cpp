// A check of the FP state transport itself, run once before the cases: a few
// hand-made instructions whose native outcome is known from the SDM. If the
// kernel's signal-frame layout or the runner's loading were wrong, every FP
// row would compare garbage against garbage (or fail for the wrong reason),
// so a failure here stops the run.
#include <string.h>

#include "difftest.h"

namespace pc64::difftest {
namespace {

GenCase make(const Env& env, std::initializer_list<u8> code) {
  GenCase g;
  g.c.gpr[RSP] = env.bits == 16 ? 0x8000 : kDataAddr + 0x8000;
  g.c.fp_used = 1;
  g.c.fp.fcw = 0x037f;
  g.c.fp.mxcsr = 0x1f80;
  g.c.fp.ftw = 0xffff;
  for (u8 b : code) g.c.code[g.c.code_len++] = b;
  return g;
}

void put_f80(FpState* f, int reg, u64 mant, u16 se) {
  memcpy(f->st[reg], &mant, 8);
  memcpy(f->st[reg] + 8, &se, 2);
}

}  // namespace

bool fp_selfcheck(const Env& env, NativeRunner& runner, std::string* err) {
  std::vector<GenCase> cases;
  // 0: DIVSS xmm0, xmm1 = 1.0 / 0 with #Z unmasked: #XM (vector 19), the
  //    flag set in MXCSR, XMM0 unchanged (SDM Vol. 1 §11.5.1, §11.5.3).
  GenCase g = make(env, {0xf3, 0x0f, 0x5e, 0xc1});
  const u32 one = 0x3f800000;
  memcpy(g.c.fp.ymm[0], &one, 4);
  g.c.fp.mxcsr = 0x1f80 & ~0x200u;
  cases.push_back(g);
  // 1: FDIV st(0), st(1) = 1.0 / +0 with ZM clear: ZE, ES and B set, the
  //    destination unchanged, no fault yet (#MF comes at the next waiting x87
  //    instruction: here an INT3, SIGTRAP). TOP 5: R5 = 1.0 (valid), R6 = +0
  //    (zero), R7 a denormal (special), R0 an unnormal (special), the rest
  //    empty; the full tag word must come back as it went in.
  g = make(env, {0xd8, 0xf1});
  g.c.fp.fcw = 0x037f & ~4u;
  g.c.fp.fsw = 5 << 11;
  put_f80(&g.c.fp, 5, 1ull << 63, 0x3fff);
  put_f80(&g.c.fp, 6, 0, 0);
  put_f80(&g.c.fp, 7, 0x1234, 0x8000);
  put_f80(&g.c.fp, 0, 0x1234, 0x4000);
  g.c.fp.ftw = x87_full_tag(0xe1, g.c.fp.st);
  cases.push_back(g);
  // 2: the same with ZE and ES already pending: #MF (vector 16) at the FDIV.
  g.c.fp.fsw |= 0x8084;
  cases.push_back(g);
  // 3: VADDPS ymm2, ymm3, ymm4 (ADDPS xmm2, xmm4 without AVX): 1.5 + 1.5 in
  //    every lane, the upper half too.
  const bool avx = (env.hello.xcr0 & 4) != 0;
  g = avx ? make(env, {0xc5, 0xe4, 0x58, 0xd4}) : make(env, {0x0f, 0x58, 0xd4});
  const u32 v = 0x3fc00000;
  for (int k = 0; k < 8; ++k) {
    memcpy(g.c.fp.ymm[3] + 4 * k, &v, 4);
    memcpy(g.c.fp.ymm[4] + 4 * k, &v, 4);
  }
  if (!avx) memcpy(g.c.fp.ymm[2], g.c.fp.ymm[3], 16);
  cases.push_back(g);

  std::vector<Outcome> out;
  if (!runner.run_batch(cases, &out, [] {})) {
    *err = "the native runner died";
    return false;
  }
  auto fail = [&](int i, const char* what) {
    *err = "case " + std::to_string(i) + ": " + what;
    return false;
  };
  const Result& r0 = out[0].r;
  if (r0.trapno != kExXM) return fail(0, "DIVSS by zero, #Z unmasked: not vector 19 (#XM)");
  if (r0.fp.mxcsr != (cases[0].c.fp.mxcsr | 4)) return fail(0, "DIVSS by zero: MXCSR.ZE not reported");
  if (memcmp(r0.fp.ymm[0], cases[0].c.fp.ymm[0], 16) != 0) return fail(0, "DIVSS fault: XMM0 changed");
  const Result& r1 = out[1].r;
  if (r1.trapno != kExBP) return fail(1, "FDIV by zero, ZM clear: should end at the INT3 after it");
  if (r1.fp.fsw != (cases[1].c.fp.fsw | 0x8084)) return fail(1, "FDIV by zero: FSW not ZE|ES|B with TOP 5");
  if (r1.fp.ftw != cases[1].c.fp.ftw) return fail(1, "full tag word did not round-trip");
  if (memcmp(r1.fp.st, cases[1].c.fp.st, sizeof r1.fp.st) != 0) return fail(1, "x87 registers changed");
  if (r1.fp.fcw != cases[1].c.fp.fcw) return fail(1, "FCW did not round-trip");
  if (out[2].r.trapno != kExMF) return fail(2, "FDIV with ZE pending and unmasked: not vector 16 (#MF)");
  const Result& r3 = out[3].r;
  for (int k = 0; k < (avx ? 8 : 4); ++k) {
    u32 x;
    memcpy(&x, r3.fp.ymm[2] + 4 * k, 4);
    if (x != 0x40400000) return fail(3, "ADDPS/VADDPS result lanes not 3.0");
  }
  return true;
}

}  // namespace pc64::difftest
