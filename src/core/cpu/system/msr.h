// Model-specific registers: RDMSR/WRMSR semantics (SDM Vol. 4 ch. 2, the
// architectural MSRs of Table 2-2).
//
// Implemented: IA32_TIME_STAMP_COUNTER, IA32_APIC_BASE, IA32_SYSENTER_CS/
// ESP/EIP, IA32_EFER, IA32_STAR/LSTAR/CSTAR/FMASK, IA32_FS_BASE/GS_BASE/
// KERNEL_GS_BASE, IA32_PAT, the MTRRs (MTRRcap, MTRRdefType, 11 fixed-range
// and 8 variable-range pairs), IA32_MISC_ENABLE, IA32_TSC_AUX and, with XSAVES,
// IA32_XSS (always 0: no supervisor state components); and, because
// kernels read them without a fault handler on Intel family 6, the
// read-only IA32_PLATFORM_ID (0), IA32_FEATURE_CONTROL (locked, no VMX/SMX)
// and IA32_BIOS_SIGN_ID (microcode revision 0; writes accepted and ignored).
// With a local APIC (Cpu::apic), the x2APIC MSRs 800H-8FFH and
// IA32_TSC_DEADLINE go to it (cpu/apic_port.h), and IA32_APIC_BASE bit 10
// (x2APIC enable) is writable.
// Every other index is unknown and raises #GP(0), as does a write of a
// reserved bit.
#pragma once
#include "base/base.h"

namespace pc64 {

class Cpu;

enum : u32 {
  kMsrTsc = 0x10, kMsrPlatformId = 0x17, kMsrApicBase = 0x1b, kMsrFeatureControl = 0x3a,
  kMsrBiosSignId = 0x8b, kMsrTscDeadline = 0x6e0, kMsrMtrrCap = 0xfe,
  kMsrSysenterCs = 0x174, kMsrSysenterEsp = 0x175, kMsrSysenterEip = 0x176,
  kMsrMiscEnable = 0x1a0, kMsrXss = 0xda0, kMsrMtrrPhysBase0 = 0x200, kMsrMtrrPhysMask7 = 0x20f,
  kMsrMtrrFix64k = 0x250, kMsrMtrrFix16k80 = 0x258, kMsrMtrrFix16kA0 = 0x259,
  kMsrMtrrFix4kC0 = 0x268, kMsrMtrrFix4kF8 = 0x26f, kMsrPat = 0x277, kMsrMtrrDefType = 0x2ff,
  kMsrEfer = 0xc0000080u, kMsrStar = 0xc0000081u, kMsrLstar = 0xc0000082u,
  kMsrCstar = 0xc0000083u, kMsrFmask = 0xc0000084u, kMsrFsBase = 0xc0000100u,
  kMsrGsBase = 0xc0000101u, kMsrKernelGsBase = 0xc0000102u, kMsrTscAux = 0xc0000103u,
};

// Both return false for an unknown MSR or a rejected value; the caller
// raises #GP(0) (write_msr may already have raised it: check Cpu::faulted).
bool read_msr(Cpu& c, u32 index, u64* v);
bool write_msr(Cpu& c, u32 index, u64 v);

}  // namespace pc64
