// The FXSAVE image / XSAVE legacy region; see fxsave_area.h.
#include "cpu/interp/fxsave_area.h"

#include "cpu/interp/x87.h"

namespace pc64 {

void fx_store_x87(const Cpu& c, u8* img, bool rex_w) {
  const FpuState& f = c.s.fpu;
  __builtin_memset(img, 0, 24);
  store_le<u16>(img + 0, f.fcw);
  store_le<u16>(img + 2, f.fsw);
  u8 ftw = 0;
  for (int r = 0; r < 8; ++r)
    if (((f.ftw >> (2 * r)) & 3) != 3) ftw |= (u8)(1u << r);
  img[4] = ftw;
  store_le<u16>(img + 6, f.fop & 0x7ff);
  if (rex_w) {
    store_le<u64>(img + 8, f.fip);
    store_le<u64>(img + 16, f.fdp);
  } else {
    store_le<u32>(img + 8, (u32)f.fip);
    store_le<u16>(img + 12, f.fcs);
    store_le<u32>(img + 16, (u32)f.fdp);
    store_le<u16>(img + 20, f.fds);
  }
  const int top = (f.fsw >> 11) & 7;
  for (int i = 0; i < 8; ++i) {
    const X87Reg& r = f.r[(top + i) & 7];
    u8* p = img + kFxSt + 16 * i;
    store_le<u64>(p, r.mant);
    store_le<u16>(p + 8, r.se);
    __builtin_memset(p + 10, 0, 6);
  }
}

void fx_load_x87(Cpu& c, const u8* img, bool rex_w) {
  FpuState& f = c.s.fpu;
  f.fcw = x87_fcw_image(load_le<u16>(img + 0));  // reserved bits as FLDCW leaves them
  f.fsw = load_le<u16>(img + 2);
  f.fop = load_le<u16>(img + 6) & 0x7ff;
  if (rex_w) {
    f.fip = load_le<u64>(img + 8);
    f.fdp = load_le<u64>(img + 16);
    f.fcs = f.fds = 0;
  } else {
    f.fip = load_le<u32>(img + 8);
    f.fcs = load_le<u16>(img + 12);
    f.fdp = load_le<u32>(img + 16);
    f.fds = load_le<u16>(img + 20);
  }
  const int top = (f.fsw >> 11) & 7;
  for (int i = 0; i < 8; ++i) {
    X87Reg& r = f.r[(top + i) & 7];
    const u8* p = img + kFxSt + 16 * i;
    r.mant = load_le<u64>(p);
    r.se = load_le<u16>(p + 8);
  }
  // The abridged tag says only empty or not; the rest comes from the
  // register contents (SDM Vol. 2A "FXSAVE" Table 3-45).
  u16 ftw = 0;
  for (int r = 0; r < 8; ++r) {
    const int t = (img[4] >> r) & 1 ? x87_tag_of(f.r[r].se, f.r[r].mant) : kTagEmpty;
    ftw |= (u16)(t << (2 * r));
  }
  f.ftw = ftw;
  x87_recompute_es(c);  // FSW.ES/B follow the loaded flags and masks
}

void fx_store_mxcsr(const Cpu& c, u8* img) {
  store_le<u32>(img + kFxMxcsr, c.s.mxcsr);
  store_le<u32>(img + kFxMxcsrMask, kMxcsrMask);
}

void fx_store_xmm(const Cpu& c, u8* img, int n) {
  for (int i = 0; i < n; ++i) __builtin_memcpy(img + kFxXmm + 16 * i, c.s.ymm[i].b, 16);
}

void fx_load_xmm(Cpu& c, const u8* img, int n) {
  for (int i = 0; i < n; ++i) __builtin_memcpy(c.s.ymm[i].b, img + kFxXmm + 16 * i, 16);
}

void fxsave_image(const Cpu& c, u8* out, bool rex_w) {
  fx_store_x87(c, out, rex_w);
  fx_store_mxcsr(c, out);
  fx_store_xmm(c, out, fx_xmm_count(c));
}

bool fxrstor_image(Cpu& c, const u8* in, bool rex_w) {
  const u32 mxcsr = load_le<u32>(in + kFxMxcsr);
  if (!mxcsr_valid(mxcsr)) return false;
  fx_load_x87(c, in, rex_w);
  c.s.mxcsr = mxcsr;
  fx_load_xmm(c, in, fx_xmm_count(c));
  return true;
}

void x87_init_state(Cpu& c) {
  for (X87Reg& r : c.s.fpu.r) r.mant = 0, r.se = 0;
  x87_finit(c);
}

void x87_finit(Cpu& c) {
  FpuState& f = c.s.fpu;
  f.fcw = 0x037f;
  f.fsw = 0;
  f.ftw = 0xffff;
  f.fop = 0;
  f.fcs = f.fds = 0;
  f.fip = f.fdp = 0;
}

bool x87_is_init(const Cpu& c) {
  const FpuState& f = c.s.fpu;
  if (f.fcw != 0x037f || f.fsw != 0 || f.ftw != 0xffff || f.fcs || f.fds || f.fip || f.fdp) return false;
  for (const X87Reg& r : f.r)
    if (r.mant || r.se) return false;
  return true;
}

}  // namespace pc64
