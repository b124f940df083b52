// RDMSR/WRMSR semantics; see msr.h.
//
// The time-stamp counter is virtual (misc.cpp): IA32_TSC reads as
// tsc_offset + the machine clock (Cpu::tsc), and a write moves the offset.
// Address-valued MSRs (SYSENTER_ESP/EIP, LSTAR, CSTAR, FS/GS/KERNEL_GS_BASE)
// must be canonical (SDM Vol. 2B "WRMSR": #GP(0) if a non-canonical value is
// written to one of them).
#include "cpu/system/msr.h"

#include "cpu/cpu.h"
#include "cpu/system/control_regs.h"

namespace pc64 {
namespace {

constexpr u64 kPhysMask = ((1ull << kMaxPhysAddr) - 1) & ~0xfffull;

// MTRRcap: 8 variable ranges, fixed ranges and write-combining supported,
// no SMRR (SDM Vol. 3A §12.11.2.1).
constexpr u64 kMtrrCap = 8 | (1u << 8) | (1u << 10);

// IA32_MISC_ENABLE (SDM Vol. 4 Table 2-2): bits 11 (BTS unavailable) and
// 12 (PEBS unavailable) are read-only ones, bit 7 (performance monitoring
// available) a read-only zero. The R/W bits keep what is written: bit 0
// (fast strings) and bit 18 (ENABLE MONITOR FSM, which cpuid.cpp and the
// MONITOR/MWAIT handlers consult) are set at reset (cpu.cpp).
constexpr u64 kMiscFixed1 = (1u << 11) | (1u << 12);
constexpr u64 kMiscReadOnly = kMiscFixed1 | (1u << 7);

// Memory types valid in the MTRRs (UC WC WT WP WB) and in the PAT (those plus UC-).
bool mtrr_type_ok(u64 t) { return t == 0 || t == 1 || t == 4 || t == 5 || t == 6; }
bool pat_type_ok(u64 t) { return mtrr_type_ok(t) || t == 7; }

bool every_byte(u64 v, bool (*ok)(u64)) {
  for (int i = 0; i < 8; ++i)
    if (!ok((v >> (8 * i)) & 0xff)) return false;
  return true;
}

// Index of a fixed-range MTRR in CpuState::mtrr_fixed, or -1.
int fixed_mtrr(u32 idx) {
  if (idx == kMsrMtrrFix64k) return 0;
  if (idx == kMsrMtrrFix16k80) return 1;
  if (idx == kMsrMtrrFix16kA0) return 2;
  if (idx >= kMsrMtrrFix4kC0 && idx <= kMsrMtrrFix4kF8) return 3 + (int)(idx - kMsrMtrrFix4kC0);
  return -1;
}

}  // namespace

// The x2APIC registers (800H-8FFH, SDM Vol. 3A §11.12.1.2) and
// IA32_TSC_DEADLINE (6E0H, §11.5.4.1) belong to the local APIC.
static bool apic_msr(const Cpu& c, u32 idx) {
  return c.apic && ((idx >= 0x800 && idx <= 0x8ff) || idx == kMsrTscDeadline);
}

bool read_msr(Cpu& c, u32 idx, u64* v) {
  CpuState& s = c.s;
  if (apic_msr(c, idx)) return c.apic->apic_msr_read(idx, v);
  if (const int f = fixed_mtrr(idx); f >= 0) {
    *v = s.mtrr_fixed[f];
    return true;
  }
  if (idx >= kMsrMtrrPhysBase0 && idx <= kMsrMtrrPhysMask7) {
    *v = s.mtrr_var[idx - kMsrMtrrPhysBase0];
    return true;
  }
  switch (idx) {
    case kMsrTsc: *v = c.tsc(); return true;
    case kMsrPlatformId: *v = 0; return true;
    case kMsrFeatureControl: *v = 1; return true;  // lock bit only
    case kMsrBiosSignId: *v = 0; return true;
    case kMsrApicBase: *v = s.apic_base; return true;
    case kMsrMtrrCap: *v = kMtrrCap; return true;
    case kMsrSysenterCs: *v = s.sysenter_cs; return true;
    case kMsrSysenterEsp: *v = s.sysenter_esp; return true;
    case kMsrSysenterEip: *v = s.sysenter_eip; return true;
    case kMsrMiscEnable: *v = s.misc_enable | kMiscFixed1; return true;
    case kMsrPat: *v = s.pat; return true;
    case kMsrMtrrDefType: *v = s.mtrr_def_type; return true;
    case kMsrEfer: *v = s.efer; return true;
    case kMsrStar: *v = s.star; return true;
    case kMsrLstar: *v = s.lstar; return true;
    case kMsrCstar: *v = s.cstar; return true;
    case kMsrFmask: *v = s.sfmask; return true;
    case kMsrFsBase: *v = s.seg[FS].base; return true;
    case kMsrGsBase: *v = s.seg[GS].base; return true;
    case kMsrKernelGsBase: *v = s.kernel_gs_base; return true;
    case kMsrTscAux: *v = s.tsc_aux; return true;
    case kMsrXss:  // IA32_XSS: no supervisor state components (interp/xsave.cpp)
      if (!(c.features & (1ull << (int)Feature::XSAVES))) return false;
      *v = 0;
      return true;
    default: return false;
  }
}

bool write_msr(Cpu& c, u32 idx, u64 v) {
  CpuState& s = c.s;
  if (apic_msr(c, idx)) return c.apic->apic_msr_write(idx, v);
  if (const int f = fixed_mtrr(idx); f >= 0) {
    if (!every_byte(v, mtrr_type_ok)) return false;
    s.mtrr_fixed[f] = v;
    return true;
  }
  if (idx >= kMsrMtrrPhysBase0 && idx <= kMsrMtrrPhysMask7) {
    // PHYSBASEn: type in 7:0, base in 12..MAXPHYADDR-1; PHYSMASKn: valid
    // bit 11, mask in 12..MAXPHYADDR-1 (SDM Vol. 3A §12.11.2.3).
    const bool is_mask = (idx - kMsrMtrrPhysBase0) & 1;
    const u64 ok = kPhysMask | (is_mask ? (1u << 11) : 0xffu);
    if ((v & ~ok) || (!is_mask && !mtrr_type_ok(v & 0xff))) return false;
    s.mtrr_var[idx - kMsrMtrrPhysBase0] = v;
    return true;
  }
  switch (idx) {
    case kMsrTsc: s.tsc_offset = v - c.now_ns(); return true;
    case kMsrBiosSignId: return true;  // "write 0, CPUID, read" protocol: ignored
    case kMsrApicBase: {
      // Base (12..MAXPHYADDR-1), global enable (11); BSP (8) is read-only.
      // x2APIC enable (bit 10) exists only with a local APIC that has
      // x2APIC mode, which also decides the mode transitions (§11.12.5).
      const u64 ok = kPhysMask | (1u << 11) | (1u << 8) | (c.apic ? 1u << 10 : 0);
      if (v & ~ok) return false;
      const u64 nv = (v & ~(u64)(1u << 8)) | (s.apic_base & (1u << 8));
      if (c.apic && !c.apic->apic_base_write(s.apic_base, nv)) return false;
      s.apic_base = nv;
      return true;
    }
    case kMsrSysenterCs: s.sysenter_cs = v; return true;
    case kMsrSysenterEsp:
      if (!is_canonical(c, v)) return false;
      s.sysenter_esp = v;
      return true;
    case kMsrSysenterEip:
      if (!is_canonical(c, v)) return false;
      s.sysenter_eip = v;
      return true;
    case kMsrMiscEnable: s.misc_enable = v & ~kMiscReadOnly; return true;
    case kMsrPat:
      if (!every_byte(v, pat_type_ok)) return false;
      s.pat = v;
      return true;
    case kMsrMtrrDefType:
      // Type in 7:0, FE (10), E (11); the rest reserved (SDM Vol. 3A §12.11.2.1).
      if ((v & ~(u64)0xcff) || !mtrr_type_ok(v & 0xff)) return false;
      s.mtrr_def_type = v;
      return true;
    case kMsrEfer: return write_efer(c, v);
    case kMsrStar: s.star = v; return true;
    case kMsrLstar:
      if (!is_canonical(c, v)) return false;
      s.lstar = v;
      return true;
    case kMsrCstar:
      if (!is_canonical(c, v)) return false;
      s.cstar = v;
      return true;
    case kMsrFmask:
      if (v >> 32) return false;  // bits 63:32 reserved
      s.sfmask = v;
      return true;
    case kMsrFsBase: case kMsrGsBase: case kMsrKernelGsBase:
      if (!is_canonical(c, v)) return false;
      if (idx == kMsrFsBase) s.seg[FS].base = v;
      else if (idx == kMsrGsBase) s.seg[GS].base = v;
      else s.kernel_gs_base = v;
      return true;
    case kMsrTscAux:
      if (v >> 32) return false;  // bits 63:32 reserved
      s.tsc_aux = v;
      return true;
    case kMsrXss:
      // IA32_XSS exists with XSAVES (CPUID.(EAX=0DH,ECX=1):EAX[3]); every bit
      // is reserved, as no supervisor state component is supported (SDM
      // Vol. 1 §13.3: a reserved bit set is #GP).
      return (c.features & (1ull << (int)Feature::XSAVES)) && v == 0;
    default: return false;
  }
}

}  // namespace pc64
