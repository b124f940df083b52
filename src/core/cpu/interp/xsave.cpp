// XSAVE, XSAVEOPT, XSAVEC, XSAVES, XRSTOR, XRSTORS (rows: table/xsave.def)
// and VZEROUPPER/VZEROALL. SDM Vol. 1 ch. 13; Vol. 2C under each mnemonic.
//
// State components: 0 x87 and 1 SSE in the legacy region (fxsave_area.h),
// 2 AVX (YMM0_H..YMM15_H, 16 bytes each) in the extended region at 576 in
// both formats: with only component 2 above the legacy region, its
// compacted offset is 576 too (§13.4.3), and CPUID.(EAX=0DH,ECX=2) reports
// size 256, offset 576, no 64-byte alignment.
//
// Outside 64-bit mode XMM8-15 and YMM8_H-15_H are neither saved nor
// restored; their bytes in memory are left alone (§13.5.2, §13.5.3, §13.13).
//
// Init and modified optimizations (§13.6): XINUSE is xinuse() below; the
// modified optimization is not implemented (XMODIFIED is all ones, which
// the SDM allows), so XSAVEOPT differs from XSAVE only by the init
// optimization and XSAVES from XSAVEC only by CPL and RFBM. There are no
// supervisor state components: IA32_XSS is always 0 (system/msr.cpp).
//
// Fault discipline: every byte an instruction will store is first checked
// as a write (a fault leaves memory untouched), every byte it loads is read
// before anything is committed, and the header and MXCSR checks come after
// the reads they depend on and before any state changes.
#include "cpu/interp/xsave.h"

#include "cpu/interp/fxsave_area.h"
#include "cpu/interp/simd.h"

namespace pc64 {
namespace {

constexpr u64 kCompacted = 1ull << 63;  // XCOMP_BV[63]
constexpr u32 kHeader = 512, kAvx = 576, kAreaMax = 576 + 256;
constexpr u64 kX87 = 1, kSse = 2, kAvxBit = 4;

constexpr u64 fbit(Feature f) { return 1ull << (int)f; }

bool sse_is_init(const Cpu& c) {
  const int n = fx_xmm_count(c);
  for (int i = 0; i < n; ++i)
    if (c.s.ymm[i].q[0] | c.s.ymm[i].q[1]) return false;
  return true;
}

bool avx_is_init(const Cpu& c) {
  const int n = fx_xmm_count(c);
  for (int i = 0; i < n; ++i)
    if (c.s.ymm[i].q[2] | c.s.ymm[i].q[3]) return false;
  return true;
}

// The instruction mask EDX:EAX (upper halves of RDX/RAX ignored).
u64 instruction_mask(const Cpu& c) { return (c.s.gpr[RDX] << 32) | (u32)c.s.gpr[RAX]; }

// The checks every XSAVE-family instruction makes first (SDM Vol. 1 §13.7:
// #UD without CR4.OSXSAVE, #NM with CR0.TS; CR0.EM is not consulted), then
// #GP(0) for XSAVES/XRSTORS at CPL > 0 and for an area not 64-byte aligned
// (linear address; §13.4 "64-byte aligned base address").
bool area_ok(Cpu& c, const Insn& i, bool cpl0, u64* off) {
  if (!(c.s.cr4 & kCR4_OSXSAVE)) return c.raise(kExUD);
  if (c.s.cr0 & kCR0_TS) return c.raise(kExNM);
  if (cpl0 && c.s.cpl) return c.raise(kExGP, 0);
  *off = ea(c, i);
  const u64 base = (c.mode64() && i.seg < FS) ? 0 : c.s.seg[i.seg].base;
  if ((base + *off) & 63) return c.raise(kExGP, 0);
  return true;
}

bool rex_w(const Insn& i) { return (i.rex & 8) != 0; }

// A store of an XSAVE area image: byte ranges of `img`, all checked as
// writes before the first is stored.
struct AreaStore {
  u8 img[kAreaMax];
  struct Piece { u16 at, len; } piece[8];
  int n = 0;
  void add(u32 at, u32 len) { piece[n++] = Piece{(u16)at, (u16)len}; }
  bool commit(Cpu& c, u8 seg, u64 off) {
    u8 scratch[kAreaMax];
    for (int k = 0; k < n; ++k)
      if (!c.read_bytes(seg, off + piece[k].at, scratch, piece[k].len, Access::Write)) return false;
    for (int k = 0; k < n; ++k)
      if (!c.write_bytes(seg, off + piece[k].at, img + piece[k].at, piece[k].len)) return false;
    return true;
  }
};

void add_x87(const Cpu& c, const Insn& i, AreaStore& st) {
  fx_store_x87(c, st.img, rex_w(i));
  st.add(0, 24);
  st.add(kFxSt, kFxX87End - kFxSt);
}

void add_xmm(const Cpu& c, AreaStore& st) {
  const int n = fx_xmm_count(c);
  fx_store_xmm(c, st.img, n);
  st.add(kFxXmm, 16 * n);
}

void add_mxcsr(const Cpu& c, AreaStore& st) {
  fx_store_mxcsr(c, st.img);
  st.add(kFxMxcsr, 8);
}

void add_avx(const Cpu& c, AreaStore& st) {
  const int n = fx_xmm_count(c);
  for (int r = 0; r < n; ++r) __builtin_memcpy(st.img + kAvx + 16 * r, c.s.ymm[r].b + 16, 16);
  st.add(kAvx, 16 * n);
}

// ---- XSAVE / XSAVEOPT (SDM Vol. 1 §13.7, §13.9): standard format ----
// XSTATE_BV is read and written back with the RFBM bits replaced by XINUSE;
// the rest of the header is not written. MXCSR and MXCSR_MASK are saved if
// RFBM[1] or RFBM[2] is set, with no init optimization for them. XSAVEOPT
// skips components whose XINUSE bit is 0.
template <bool kOpt> void xsave(Cpu& c, const Insn& i) {
  u64 off;
  if (!area_ok(c, i, false, &off)) return;
  const u64 rfbm = instruction_mask(c) & c.s.xcr0;
  const u64 inuse = xinuse(c);
  u64 bv;
  if (!c.read<8>(i.seg, off + kHeader, &bv, Access::Write)) return;
  AreaStore st;
  if ((rfbm & kX87) && (!kOpt || (inuse & kX87))) add_x87(c, i, st);
  if (rfbm & (kSse | kAvxBit)) add_mxcsr(c, st);
  if ((rfbm & kSse) && (!kOpt || (inuse & kSse))) add_xmm(c, st);
  if ((rfbm & kAvxBit) && (!kOpt || (inuse & kAvxBit))) add_avx(c, st);
  store_le<u64>(st.img + kHeader, (bv & ~rfbm) | (inuse & rfbm));
  st.add(kHeader, 8);
  st.commit(c, i.seg, off);
}

// ---- XSAVEC / XSAVES (SDM Vol. 1 §13.10, §13.11): compacted format ----
// XSTATE_BV = RFBM AND XINUSE (bit 1 also when RFBM[1] = 1 and MXCSR is not
// 1F80H), XCOMP_BV = RFBM with bit 63 set; bytes 63:16 of the header are
// not written. Only components with their XSTATE_BV bit set are saved, and
// MXCSR only with SSE state.
template <bool kSupervisor> void xsavec(Cpu& c, const Insn& i) {
  u64 off;
  if (!area_ok(c, i, kSupervisor, &off)) return;
  const u64 rfbm = instruction_mask(c) & c.s.xcr0;  // XSAVES: XCR0 | IA32_XSS, and IA32_XSS = 0
  u64 bv = rfbm & xinuse(c);
  if ((rfbm & kSse) && c.s.mxcsr != kMxcsrInit) bv |= kSse;
  AreaStore st;
  if (bv & kX87) add_x87(c, i, st);
  if (bv & kSse) {
    add_mxcsr(c, st);
    add_xmm(c, st);
  }
  if (bv & kAvxBit) add_avx(c, st);
  store_le<u64>(st.img + kHeader, bv);
  store_le<u64>(st.img + kHeader + 8, rfbm | kCompacted);
  st.add(kHeader, 16);
  st.commit(c, i.seg, off);
}

// ---- XRSTOR / XRSTORS (SDM Vol. 1 §13.8, §13.12) ----
// Standard form (XCOMP_BV[63] = 0): #GP(0) if XSTATE_BV has a bit not in
// XCR0 or header bytes 23:8 are not zero; MXCSR is loaded whenever RFBM[1]
// or RFBM[2] is set. Compacted form (XRSTORS always; XRSTOR only with
// XSAVEC support, else #GP(0)): #GP(0) if XCOMP_BV[62:0] has a bit not in
// XCR0 (| IA32_XSS), XSTATE_BV a bit not in XCOMP_BV, or header bytes 63:16
// are not zero; MXCSR is part of SSE state (loaded with it, else 1F80H).
// Either form: components with RFBM[i] = 1 are loaded if XSTATE_BV[i] = 1
// and initialised otherwise; a reserved MXCSR bit is #GP(0).
template <bool kSupervisor> void xrstor(Cpu& c, const Insn& i) {
  u64 off;
  if (!area_ok(c, i, kSupervisor, &off)) return;
  const u64 rfbm = instruction_mask(c) & c.s.xcr0;
  u8 img[kAreaMax];
  if (!c.read_bytes(i.seg, off + kHeader, img + kHeader, 64)) return;
  const u64 bv = load_le<u64>(img + kHeader), comp = load_le<u64>(img + kHeader + 8);
  const bool compacted = kSupervisor || (comp & kCompacted);
  if (compacted) {
    if (!(comp & kCompacted)) return (void)c.raise(kExGP, 0);  // XRSTORS with the standard format
    if (!kSupervisor && !(c.features & fbit(Feature::XSAVEC))) return (void)c.raise(kExGP, 0);
    if ((comp & ~kCompacted & ~c.s.xcr0) || (bv & ~comp)) return (void)c.raise(kExGP, 0);
    for (u32 k = 16; k < 64; ++k)
      if (img[kHeader + k]) return (void)c.raise(kExGP, 0);
  } else {
    if (bv & ~c.s.xcr0) return (void)c.raise(kExGP, 0);
    for (u32 k = 8; k < 24; ++k)
      if (img[kHeader + k]) return (void)c.raise(kExGP, 0);
  }
  const u64 load = rfbm & bv;
  const bool load_mxcsr = compacted ? (load & kSse) != 0 : (rfbm & (kSse | kAvxBit)) != 0;
  const int n = fx_xmm_count(c);
  if ((load & kX87) && (!c.read_bytes(i.seg, off, img, 24) ||
                        !c.read_bytes(i.seg, off + kFxSt, img + kFxSt, kFxX87End - kFxSt)))
    return;
  if (load_mxcsr && !c.read_bytes(i.seg, off + kFxMxcsr, img + kFxMxcsr, 4)) return;
  if ((load & kSse) && !c.read_bytes(i.seg, off + kFxXmm, img + kFxXmm, 16 * n)) return;
  if ((load & kAvxBit) && !c.read_bytes(i.seg, off + kAvx, img + kAvx, 16 * n)) return;
  const u32 mxcsr = load_le<u32>(img + kFxMxcsr);
  if (load_mxcsr && !mxcsr_valid(mxcsr)) return (void)c.raise(kExGP, 0);

  // Commit.
  if (load & kX87) fx_load_x87(c, img, rex_w(i));
  else if (rfbm & kX87) x87_init_state(c);
  if (load & kSse) fx_load_xmm(c, img, n);
  else if (rfbm & kSse)
    for (int r = 0; r < n; ++r) c.s.ymm[r].q[0] = c.s.ymm[r].q[1] = 0;
  if (load_mxcsr) c.s.mxcsr = mxcsr;
  else if (compacted && (rfbm & kSse)) c.s.mxcsr = kMxcsrInit;
  if (load & kAvxBit) {
    for (int r = 0; r < n; ++r) __builtin_memcpy(c.s.ymm[r].b + 16, img + kAvx + 16 * r, 16);
  } else if (rfbm & kAvxBit) {
    for (int r = 0; r < n; ++r) c.s.ymm[r].q[2] = c.s.ymm[r].q[3] = 0;
  }
  // §13.8.3: XINUSE[i] = 1 for each component loaded; an initialised one
  // is in its initial configuration, which xinuse() sees.
  c.s.xinuse_loaded = (u32)((c.s.xinuse_loaded & ~rfbm) | (load & 7));
}

// ---- VZEROUPPER / VZEROALL (SDM Vol. 2C) ----
// The AVX availability checks come from the row (row_fp_class() classes
// the AVX VEX rows without operands as Avx). Outside 64-bit mode only
// registers 0-7 are touched; YMM8-YMM15 keep their values.
void vzeroupper(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const int n = fx_xmm_count(c);
  for (int r = 0; r < n; ++r) c.s.ymm[r].q[2] = c.s.ymm[r].q[3] = 0;
}

void vzeroall(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  const int n = fx_xmm_count(c);
  for (int r = 0; r < n; ++r) c.s.ymm[r] = Vec256{};
}

}  // namespace

u64 xinuse(const Cpu& c) {
  u64 v = c.s.xinuse_loaded & 7;
  if (!x87_is_init(c)) v |= kX87;
  if (!sse_is_init(c)) v |= kSse;
  if (!avx_is_init(c)) v |= kAvxBit;
  return v;
}

void bind_xsave(HandlerTable& t) {
  t.set_all(Mn::XSAVE, &xsave<false>);
  t.set_all(Mn::XSAVE64, &xsave<false>);
  t.set_all(Mn::XSAVEOPT, &xsave<true>);
  t.set_all(Mn::XSAVEOPT64, &xsave<true>);
  t.set_all(Mn::XSAVEC, &xsavec<false>);
  t.set_all(Mn::XSAVEC64, &xsavec<false>);
  t.set_all(Mn::XSAVES, &xsavec<true>);
  t.set_all(Mn::XSAVES64, &xsavec<true>);
  t.set_all(Mn::XRSTOR, &xrstor<false>);
  t.set_all(Mn::XRSTOR64, &xrstor<false>);
  t.set_all(Mn::XRSTORS, &xrstor<true>);
  t.set_all(Mn::XRSTORS64, &xrstor<true>);
  t.set_all(Mn::VZEROUPPER, &vzeroupper);
  t.set_all(Mn::VZEROALL, &vzeroall);
}

}  // namespace pc64
