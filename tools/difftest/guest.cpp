// The pc64 side of the differential test: a small guest whose code page and
// data area sit at the same linear addresses as in the native runner, as
// user pages behind real page tables (4-level paging in 64-bit mode, PAE in
// 32-bit mode, both with NX as the host kernel uses it), at CPL 3 with the
// selectors and segment bases the native process reports. In 16-bit mode the
// segments are the runner's LDT ones (protocol.h): 16-bit protected mode,
// limit 0xFFFF, no descriptor tables (no tested row loads a segment).
//
// The x87/SIMD environment is the one Linux gives user code: CR0.MP and NE
// set, EM and TS clear (#MF, vector 16, for unmasked x87 exceptions), and
// CR4.OSFXSR and OSXMMEXCPT (#XM, vector 19); CR4.OSXSAVE with XCR0 =
// the host's XCR0 & 7 when the host has XSAVE enabled (SDM Vol. 3A §2.5,
// §13.3 of Vol. 1).
#include <string.h>

#include "cpu/system/control_regs.h"
#include "difftest.h"

namespace pc64::difftest {
namespace {

// Physical layout of the guest RAM.
constexpr u64 kRamSize = 4u << 20;
constexpr u64 kPml4 = 0x1000, kPdpt = 0x2000, kPd = 0x3000, kPtData = 0x4000, kPtCode = 0x5000;
constexpr u64 kPaePdpt = 0x6000;
constexpr u64 kDataPhys = 0x100000, kCodePhys = 0x200000;
constexpr u64 kPresent = 1, kWrite = 2, kUser = 4, kXD = 1ull << 63;
constexpr u64 kTable = kPresent | kWrite | kUser;

void put64(u8* ram, u64 pa, u64 v) { memcpy(ram + pa, &v, 8); }

}  // namespace

bool Guest::init(const Env& env) {
  bits_ = env.bits;
  ram_.assign(kRamSize, 0);
  bus_.ram = ram_.data();
  bus_.ram_size = ram_.size();
  cpu_.bus = &bus_;
  cpu_.features = env.features;
  cpu_.stop_on_exception = true;
  cpu_.set_flat_mode(bits_ == 64 ? 8 : 4, 3);
  code_base_ = code_base(env);

  // Page tables (SDM Vol. 3A §4.4 PAE, §4.5 4-level). The data area and code
  // page both fall in the first GiB: one PDPT entry, one PD, two PTs.
  u8* ram = ram_.data();
  put64(ram, kPml4, kPdpt | kTable);
  put64(ram, kPdpt, kPd | kTable);
  put64(ram, kPaePdpt, kPd | kPresent);  // PAE PDPTEs have no R/W or U/S bits
  put64(ram, kPd + ((kDataAddr >> 21) & 511) * 8, kPtData | kTable);
  put64(ram, kPd + ((kCodeAddr >> 21) & 511) * 8, kPtCode | kTable);
  for (u64 i = 0; i < kDataSize / 0x1000; ++i)
    put64(ram, kPtData + (((kDataAddr >> 12) + i) & 511) * 8, (kDataPhys + i * 0x1000) | kTable | kXD);
  put64(ram, kPtCode + ((kCodeAddr >> 12) & 511) * 8, kCodePhys | kTable);

  CpuState& s = cpu_.s;
  s.cr0 |= (1ull << 31) | (1ull << 16) | 1;  // PG, WP, PE
  s.cr0 = (s.cr0 | kCR0_MP | kCR0_NE) & ~(u64)(kCR0_EM | kCR0_TS);
  s.cr4 |= 1u << 5;                          // PAE
  s.cr4 |= kCR4_OSFXSR | kCR4_OSXMMEXCPT;
  if (env.hello.xcr0) {
    s.cr4 |= kCR4_OSXSAVE;
    s.xcr0 = env.hello.xcr0 & 7;
  }
  nxmm_ = bits_ == 64 ? 16 : 8;
  avx_ = (env.hello.xcr0 & 4) != 0;
  s.efer |= 1u << 11;                        // NXE
  s.cr3 = bits_ == 64 ? kPml4 : kPaePdpt;
  // PAE walks use the PDPTE registers, which MOV CR3 would load (SDM Vol. 3A §4.4.1).
  if (bits_ != 64) load_pdptes(cpu_, s.cr3, false);
  for (int i = 0; i < kNumSegs; ++i) {
    Segment& sg = s.seg[i];
    sg.sel = env.hello.seg_sel[i];
    sg.base = env.hello.seg_base[i];
    if (bits_ == 16) {
      // Byte-granular limit 0xFFFF, D/B = 0, DPL 3, accessed (as Linux's
      // modify_ldt sets them); CS is execute/read.
      sg.limit = kSeg16Limit;
      sg.attr = kSegP | kSegS | kSegWritable | kSegAccessed | (3u << kSegDplShift) | (i == CS ? kSegCode : 0);
    }
    // A null selector in a data segment register makes it unusable outside
    // 64-bit mode (SDM Vol. 3A §3.4.2): any access through it is #GP(0).
    if (bits_ == 32 && i != CS && i != SS && (sg.sel & ~3) == 0) sg.attr = 0;
  }
  s.rflags |= kIF;
  mxcsr_mask_ = env.hello.mxcsr_mask;
  cpu_.update_mode();
  cpu_.flush_tlb();
  base_ = s;

  pristine_.resize(kDataSize);
  fill_pristine(pristine_.data(), kDataSize);
  memcpy(ram + kDataPhys, pristine_.data(), kDataSize);
  memset(ram + kCodePhys, 0xCC, kCodeSize);
  return true;
}

// The Case's FpState into CpuState; registers the mode lacks stay zero,
// and so do the YMM upper halves without AVX (as natively).
void Guest::load_fp(const FpState& f) {
  CpuState& s = cpu_.s;
  for (int i = 0; i < 8; ++i) {
    memcpy(&s.fpu.r[i].mant, f.st[i], 8);
    memcpy(&s.fpu.r[i].se, f.st[i] + 8, 2);
  }
  s.fpu.fcw = f.fcw;
  s.fpu.fsw = f.fsw;
  s.fpu.ftw = f.ftw;
  s.mxcsr = f.mxcsr & mxcsr_mask_;
  for (int i = 0; i < 16; ++i) {
    s.ymm[i] = Vec256{};
    if (i < nxmm_) memcpy(s.ymm[i].b, f.ymm[i], avx_ ? 32 : 16);
  }
}

void Guest::save_fp(FpState* f) const {
  const CpuState& s = cpu_.s;
  *f = FpState{};
  for (int i = 0; i < 8; ++i) {
    memcpy(f->st[i], &s.fpu.r[i].mant, 8);
    memcpy(f->st[i] + 8, &s.fpu.r[i].se, 2);
  }
  f->fcw = s.fpu.fcw;
  f->fsw = s.fpu.fsw;
  f->ftw = s.fpu.ftw;
  f->mxcsr = s.mxcsr;
  for (int i = 0; i < nxmm_; ++i) memcpy(f->ymm[i], s.ymm[i].b, avx_ ? 32 : 16);
}

void Guest::run(const GenCase& g, Outcome* out) {
  u8* ram = ram_.data();
  u8* code = ram + kCodePhys;
  u8* data = ram + kDataPhys;
  memcpy(code + kCodeOffset, g.c.code, g.c.code_len);
  for (const Patch& p : g.c.patch)
    if (p.len) memcpy(data + p.off, p.bytes, p.len);
  write_fp_image(g.c, data, kDataSize);

  cpu_.s = base_;
  cpu_.flush_tlb();
  const u64 wmask = bits_ == 64 ? ~0ull : 0xffffffffull;
  for (int i = 0; i < 16; ++i) cpu_.s.gpr[i] = i < 8 || bits_ == 64 ? g.c.gpr[i] & wmask : 0;
  cpu_.s.rip = kCodeAddr + kCodeOffset - code_base_;
  cpu_.set_rflags((g.c.rflags & (kArithFlags | kDF)) | kIF | kFixed1);
  if (g.c.fp_used) load_fp(g.c.fp);
  cpu_.faulted = false;
  cpu_.fault_is_trap = false;
  // Enough steps for the host to fault first in runaway recursion (a CALL
  // to itself exhausting the 64 KiB data area), and for a LOOP with a
  // 16-bit count of 0 (65,536 iterations) to finish as it does natively.
  const ExitReason why = cpu_.run(200000);

  Result& r = out->r;
  r = Result{};
  out->crashed = false;
  out->halted = why == ExitReason::Halt;
  for (int i = 0; i < 16; ++i) r.gpr[i] = i < 8 || bits_ == 64 ? cpu_.s.gpr[i] & wmask : 0;
  r.rip = cpu_.s.rip;
  r.rflags = cpu_.rflags();
  if (g.c.fp_used) save_fp(&r.fp);
  if (why == ExitReason::Exception) {
    r.end = kEndSignal;
    r.trapno = cpu_.fault_vec;
    r.err = cpu_.fault_has_err ? cpu_.fault_err : 0;
    r.cr2 = cpu_.s.cr2;
    // An INT3 from the padding that pc64 cannot decode yet (no INT3 row)
    // counts as the #BP trap the host takes there, RIP after the 0xCC.
    const u64 cb = kCodeAddr - code_base_;  // the code page as RIP values
    const u64 end = cb + kCodeOffset + g.c.code_len;
    if (r.trapno == kExUD && r.rip >= cb && r.rip < cb + kCodeSize && code[r.rip - cb] == 0xCC &&
        (r.rip >= end || r.rip < cb + kCodeOffset)) {
      r.trapno = kExBP;
      r.rip += 1;
    }
  } else {
    r.end = kEndTimeout;
  }

  // Changed data bytes, then back to pristine.
  out->dirty.clear();
  bool overflow = false;
  for (uint32_t pg = 0; pg < kDataSize; pg += 4096) {
    if (memcmp(data + pg, pristine_.data() + pg, 4096) == 0) continue;  // vectorised in libc
    for (uint32_t k = pg; k < pg + 4096; ++k) {
      if (data[k] == pristine_.data()[k]) continue;
      if (out->dirty.size() < kMaxDirty) out->dirty.push_back(DirtyByte{(uint16_t)k, data[k]});
      else overflow = true;
    }
  }
  r.data_hash = overflow ? fnv1a(data, kDataSize) : 0;
  r.ndirty = (u32)out->dirty.size();
  if (!out->dirty.empty() || overflow) memcpy(data, pristine_.data(), kDataSize);
  memset(code, 0xCC, kCodeSize);
}

}  // namespace pc64::difftest
