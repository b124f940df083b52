// x87 environment and state images (SDM Vol. 1 §8.1.10, Figures 8-9..8-12;
// Vol. 2A "FSTENV", "FLDENV", "FSAVE", "FRSTOR", "FXSAVE", "FXRSTOR").
//
// FNSTENV/FLDENV move the 14-byte (16-bit operand size) or 28-byte image;
// FNSAVE/FRSTOR add the eight registers, ST(0) first (94 or 108 bytes). The
// protected-mode images hold FIP/FDP offsets with their selectors; the
// real/virtual-8086 images hold 20-bit (16-bit format) or 32-bit linear
// addresses and put FOP beside the upper address bits. Reserved upper
// halves of the 32-bit image are written as 1s (checked on the host).
//
// Tags: FSTENV/FSAVE store the full tag word, recomputed from the register
// contents for every non-empty register; FLDENV/FRSTOR keep only "empty or
// not" from the image and recompute the rest (SDM "FLDENV": the tag word is
// validated against the registers).
//
// FXSAVE/FXRSTOR: the 512-byte image (Vol. 2A "FXSAVE", Tables 3-43..3-46),
// 16-byte aligned (#GP(0)); abridged tags (1 = not empty); with REX.W the
// 64-bit FIP/FDP layout; XMM0-7 (XMM0-15 in 64-bit mode) and MXCSR, whose
// reserved bits (not in MXCSR_MASK) make FXRSTOR #GP(0). Bytes 416-511 are
// not touched. Intel saves FIP/FDP/FOP always; AMD processors save them only
// when FSW.ES = 1 (an AMD difference the host shows; pc64 follows the SDM).
#include "cpu/interp/fxsave_area.h"
#include "cpu/interp/x87.h"

namespace pc64 {

namespace {


// The host checks the first and then the last byte of an image: a
// page-crossing image faults with CR2 at its end (seen with pc64-difftest on FNSTENV, FLDENV,
// FNSAVE, FRSTOR, FXSAVE and FXRSTOR).
// FXSAVE/FXRSTOR (last_first): an image wholly inside a not-present page
// faults with CR2 at its last byte on the host, so the last byte is checked
// first there (pc64-difftest, all modes). The order is not architectural;
// the difftest keeps page-crossing faulting images out (tools/difftest/cases.cpp).
bool probe_end(Cpu& c, const Insn& i, u64 a, u32 size, bool write, bool last_first = false) {
  u8 t;
  const Access acc = write ? Access::Write : Access::Read;
  if (last_first)
    return c.read_bytes(i.seg, a + size - 1, &t, 1, acc) && c.read_bytes(i.seg, a, &t, 1, acc);
  return c.read_bytes(i.seg, a, &t, 1, acc) && c.read_bytes(i.seg, a + size - 1, &t, 1, acc);
}

bool real_format(const Cpu& c) {
  return c.s.mode == (u8)CpuMode::Real || c.s.mode == (u8)CpuMode::V86;
}

// Full tag word from the registers (only "empty" taken from ftw).
u16 full_tags(const Cpu& c) {
  u16 t = 0;
  for (int p = 0; p < 8; ++p) {
    int tag = x87_tag_phys(c, p);
    if (tag != kTagEmpty) tag = x87_tag_of(c.s.fpu.r[p].se, c.s.fpu.r[p].mant);
    t |= (u16)(tag << (2 * p));
  }
  return t;
}

// Writes the environment image into b (14 or 28 bytes); returns its size.
int store_env(const Cpu& c, bool o16, u8* b) {
  const FpuState& f = c.s.fpu;
  const u16 ftw = full_tags(c);
  if (real_format(c)) {
    const u32 ip = (u32)(((u64)f.fcs << 4) + f.fip), dp = (u32)(((u64)f.fds << 4) + f.fdp);
    if (o16) {
      store_le<u16>(b + 0, f.fcw); store_le<u16>(b + 2, f.fsw); store_le<u16>(b + 4, ftw);
      store_le<u16>(b + 6, (u16)ip);
      store_le<u16>(b + 8, (u16)(((ip >> 16) & 0xf) << 12 | (f.fop & 0x7ff)));
      store_le<u16>(b + 10, (u16)dp);
      store_le<u16>(b + 12, (u16)(((dp >> 16) & 0xf) << 12));
      return 14;
    }
    store_le<u32>(b + 0, 0xffff0000u | f.fcw); store_le<u32>(b + 4, 0xffff0000u | f.fsw);
    store_le<u32>(b + 8, 0xffff0000u | ftw);
    store_le<u32>(b + 12, 0xffff0000u | (ip & 0xffff));
    store_le<u32>(b + 16, ((ip >> 16) << 12) | (f.fop & 0x7ff));
    store_le<u32>(b + 20, 0xffff0000u | (dp & 0xffff));
    store_le<u32>(b + 24, (dp >> 16) << 12);
    return 28;
  }
  if (o16) {
    store_le<u16>(b + 0, f.fcw); store_le<u16>(b + 2, f.fsw); store_le<u16>(b + 4, ftw);
    store_le<u16>(b + 6, (u16)f.fip); store_le<u16>(b + 8, f.fcs);
    store_le<u16>(b + 10, (u16)f.fdp); store_le<u16>(b + 12, f.fds);
    return 14;
  }
  store_le<u32>(b + 0, 0xffff0000u | f.fcw); store_le<u32>(b + 4, 0xffff0000u | f.fsw);
  store_le<u32>(b + 8, 0xffff0000u | ftw);
  store_le<u32>(b + 12, (u32)f.fip);
  store_le<u32>(b + 16, ((u32)(f.fop & 0x7ff) << 16) | f.fcs);
  store_le<u32>(b + 20, (u32)f.fdp);
  store_le<u32>(b + 24, 0xffff0000u | f.fds);
  return 28;
}

// Loads the environment image (registers not touched; tags validated later).
int load_env(Cpu& c, bool o16, const u8* b, u16* ftw) {
  FpuState& f = c.s.fpu;
  if (o16) {
    f.fcw = x87_fcw_image(load_le<u16>(b + 0));
    f.fsw = load_le<u16>(b + 2);
    *ftw = load_le<u16>(b + 4);
  } else {
    f.fcw = x87_fcw_image(load_le<u32>(b + 0));
    f.fsw = (u16)load_le<u32>(b + 4);
    *ftw = (u16)load_le<u32>(b + 8);
  }
  if (real_format(c)) {
    u32 ip, dp;
    if (o16) {
      const u16 w = load_le<u16>(b + 8);
      ip = load_le<u16>(b + 6) | (u32)(w >> 12) << 16;
      f.fop = w & 0x7ff;
      dp = load_le<u16>(b + 10) | (u32)(load_le<u16>(b + 12) >> 12) << 16;
    } else {
      const u32 w = load_le<u32>(b + 16);
      ip = (load_le<u32>(b + 12) & 0xffff) | ((w >> 12) & 0xffff) << 16;
      f.fop = w & 0x7ff;
      dp = (load_le<u32>(b + 20) & 0xffff) | ((load_le<u32>(b + 24) >> 12) & 0xffff) << 16;
    }
    f.fip = ip;
    f.fdp = dp;
    f.fcs = f.fds = 0;
    return o16 ? 14 : 28;
  }
  if (o16) {
    f.fip = load_le<u16>(b + 6); f.fcs = load_le<u16>(b + 8);
    f.fdp = load_le<u16>(b + 10); f.fds = load_le<u16>(b + 12);
    return 14;
  }
  f.fip = load_le<u32>(b + 12);
  const u32 w = load_le<u32>(b + 16);
  f.fcs = (u16)w;
  f.fop = (w >> 16) & 0x7ff;
  f.fdp = load_le<u32>(b + 20);
  f.fds = (u16)load_le<u32>(b + 24);
  return 28;
}

// Keeps "empty" from an image's tag word and recomputes the other tags.
void validate_tags(Cpu& c, u16 ftw) {
  for (int p = 0; p < 8; ++p) {
    const int tag = ((ftw >> (2 * p)) & 3) == kTagEmpty
                        ? kTagEmpty
                        : x87_tag_of(c.s.fpu.r[p].se, c.s.fpu.r[p].mant);
    x87_set_tag_phys(c, p, tag);
  }
}

void fnstenv(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i, false)) return;
  u8 b[28];
  const int n = store_env(c, i.opsize == 2, b);
  if (!probe_end(c, i, ea(c, i), (u32)n, true)) return;
  if (!c.write_bytes(i.seg, ea(c, i), b, (u32)n)) return;
  c.s.fpu.fcw |= 0x3f;  // FSTENV then masks every exception,
  x87_recompute_es(c);  // which clears ES and B (host)
}

void fldenv(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  u8 b[28];
  const u32 n = i.opsize == 2 ? 14 : 28;
  if (!probe_end(c, i, ea(c, i), n, false)) return;
  if (!c.read_bytes(i.seg, ea(c, i), b, n)) return;
  u16 ftw;
  load_env(c, i.opsize == 2, b, &ftw);
  validate_tags(c, ftw);
  x87_recompute_es(c);
}

void fnsave(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i, false)) return;
  u8 b[108];
  const int n = store_env(c, i.opsize == 2, b);
  for (int k = 0; k < 8; ++k) {
    const F80 v = x87_get(c, k);
    store_le<u64>(b + n + 10 * k, v.mant);
    store_le<u16>(b + n + 10 * k + 8, v.se);
  }
  if (!probe_end(c, i, ea(c, i), (u32)n + 80, true)) return;
  if (!c.write_bytes(i.seg, ea(c, i), b, (u32)n + 80)) return;
  x87_finit(c);  // then FNINIT
}

void frstor(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  u8 b[108];
  const u32 n = i.opsize == 2 ? 14 : 28;
  if (!probe_end(c, i, ea(c, i), n + 80, false)) return;
  if (!c.read_bytes(i.seg, ea(c, i), b, n + 80)) return;
  u16 ftw;
  load_env(c, i.opsize == 2, b, &ftw);
  for (int k = 0; k < 8; ++k) {
    const int p = x87_phys(c, k);  // TOP from the loaded FSW
    c.s.fpu.r[p].mant = load_le<u64>(b + n + 10 * k);
    c.s.fpu.r[p].se = load_le<u16>(b + n + 10 * k + 8);
  }
  validate_tags(c, ftw);
  x87_recompute_es(c);
}

// FXSAVE/FXRSTOR: #UD without the feature is the decoder's; #NM for
// CR0.TS or CR0.EM (Vol. 2A "FXSAVE" protected-mode exceptions).
bool fx_ok(Cpu& c, const Insn& i, u64* addr) {
  if (c.s.cr0 & (kCR0_EM | kCR0_TS)) return c.raise(kExNM);
  *addr = ea(c, i);
  // The segment/canonical check of the operand comes before the alignment
  // check: a misaligned non-canonical SS-based image is #SS(0) on the host.
  u64 lin;
  if (!c.linear(i.seg, *addr, 1, Access::Read, &lin)) return false;
  if (*addr & 15) return c.raise(kExGP, 0);
  return true;
}

// The image itself is fxsave_area's (shared with XSAVE's legacy region);
// only the bytes up to the last XMM register of the mode are written or
// read (SDM Vol. 2A "FXSAVE": XMM8-15 only in 64-bit mode).
u32 fx_bytes(const Cpu& c) { return (u32)(kFxXmm + 16 * fx_xmm_count(c)); }

void fxsave(Cpu& c, const Insn& i) {
  u64 a;
  if (!fx_ok(c, i, &a)) return;
  u8 b[512] = {};
  fxsave_image(c, b, i.opsize == 8);
  if (!probe_end(c, i, a, 512, true, true)) return;
  c.write_bytes(i.seg, a, b, fx_bytes(c));
}

void fxrstor(Cpu& c, const Insn& i) {
  u64 a;
  if (!fx_ok(c, i, &a)) return;
  u8 b[512] = {};
  if (!probe_end(c, i, a, 512, false, true)) return;
  if (!c.read_bytes(i.seg, a, b, fx_bytes(c))) return;
  if (!fxrstor_image(c, b, i.opsize == 8)) c.raise(kExGP, 0);  // reserved MXCSR bits
}

}  // namespace

void bind_x87_env(HandlerTable& t) {
  t.set_all(Mn::FNSTENV, &fnstenv);
  t.set_all(Mn::FLDENV, &fldenv);
  t.set_all(Mn::FNSAVE, &fnsave);
  t.set_all(Mn::FRSTOR, &frstor);
  t.set_all(Mn::FXSAVE, &fxsave);
  t.set_all(Mn::FXRSTOR, &fxrstor);
}

}  // namespace pc64
