// CPUID leaves (SDM Vol. 2A "CPUID", Tables 3-8 and 3-17..3-20).
//
// Reported: leaves 0, 1, 6 (ARAT, when the CPU has a local APIC), 7
// (subleaf 0), 0DH (XSAVE state components), 15H/16H (TSC and crystal
// frequencies), 80000000H, 80000001H, 80000002H-80000004H (brand string),
// 80000007H (invariant TSC) and 80000008H (address sizes). Leaves
// 2..5, 8..0CH and 0EH..14H read as zero (no cache descriptors, MONITOR leaf,
// performance monitoring or topology leaves). A leaf above the maximum returns the highest basic leaf, as Intel
// processors do (SDM Vol. 2A "CPUID", "If a value entered for CPUID.EAX is
// higher than the maximum input value...").
//
// Feature bits come from Cpu::features (bit per pc64::Feature). Bits with no
// Feature of their own describe what the core always implements: TSC (RDTSC),
// PSE, PAE, PSE-36, NX, 1-GByte pages, SMEP and LA57 (mmu.cpp; PKU and OSPKE follow
// Feature::PKU, whose RDPKRU/WRPKRU rows have handlers and whose keys mmu.cpp checks), PREFETCHW (0F 0D /1),
// and MSR when RDMSR/WRMSR have handlers.
#include "cpu/cpuid.h"

#include "cpu/cpu.h"
#include "cpu/interp/interp.h"
#include "cpu/system/control_regs.h"

namespace pc64 {
namespace {

constexpr u32 kMaxBasicLeaf = 0x16;
// The TSC and the local APIC timer's bus clock both run at 1 GHz of the
// machine clock (Cpu::tsc, machine/lapic.h).
constexpr u32 kTscHz = 1000000000u;
constexpr u32 kMaxExtLeaf = 0x80000008u;
// Family 6, model 2AH, stepping 7 (SDM Vol. 2A Figure 3-6 encoding).
constexpr u32 kSignature = 0x000206A7u;
// Linear-address width: 57, since 5-level paging (CR4.LA57, mmu.cpp) is
// supported (SDM Vol. 2A "CPUID" 80000008H:EAX[15:8]).
constexpr u32 kPhysAddrBits = 40, kLinearAddrBits = 57;

constexpr u64 fbit(Feature f) { return 1ull << (int)f; }

// "abcd" as a little-endian register value.
constexpr u32 chars4(const char* s) {
  return (u32)(u8)s[0] | (u32)(u8)s[1] << 8 | (u32)(u8)s[2] << 16 | (u32)(u8)s[3] << 24;
}

// True if some row named `name` exists and every such row has a handler.
bool mnemonic_implemented(const char* name) {
  bool any = false;
  for (u32 i = 0; i < kNumRows; ++i) {
    const char* a = kRows[i].name;
    const char* b = name;
    while (*a && *a == *b) ++a, ++b;
    if (*a || *b) continue;
    any = true;
    if (!has_handler(kRows[i].mn)) return false;
  }
  return any;
}

struct Regs {
  u32 a = 0, b = 0, c = 0, d = 0;
};

Regs leaf1(const Cpu& cpu, u64 f) {
  auto on = [f](Feature x) { return (f & fbit(x)) != 0; };
  Regs r;
  r.a = kSignature;
  // EBX: CLFLUSH line size in 8-byte units, one logical processor, APIC ID 0.
  r.b = (on(Feature::CLFLUSH) ? 8u << 8 : 0) | (1u << 16);
  // MONITOR also needs IA32_MISC_ENABLE.ENABLE_MONITOR_FSM[bit 18] (SDM Vol. 4
  // Table 2-2: clearing it clears this flag and makes MONITOR/MWAIT #UD).
  const bool monitor = on(Feature::MONITOR) && (cpu.s.misc_enable & (1u << 18));
  r.c = (monitor ? 1u << 3 : 0) | (on(Feature::CX16) ? 1u << 13 : 0) |
        (on(Feature::SSE42) ? 1u << 20 : 0) | (on(Feature::MOVBE) ? 1u << 22 : 0) |
        (on(Feature::POPCNT) ? 1u << 23 : 0) | (on(Feature::XSAVE) ? 1u << 26 : 0) |
        (on(Feature::RDRAND) ? 1u << 30 : 0) | (1u << 17) /*PCID (control_regs.cpp)*/ |
        (on(Feature::SSE3) ? 1u << 0 : 0) | (on(Feature::PCLMUL) ? 1u << 1 : 0) |
        (on(Feature::SSSE3) ? 1u << 9 : 0) | (on(Feature::FMA) ? 1u << 12 : 0) |
        (on(Feature::SSE41) ? 1u << 19 : 0) | (on(Feature::AES) ? 1u << 25 : 0) |
        (on(Feature::AVX) ? 1u << 28 : 0) | (on(Feature::F16C) ? 1u << 29 : 0);
  if (on(Feature::XSAVE) && (cpu.s.cr4 & (1u << 18))) r.c |= 1u << 27;  // OSXSAVE
  // DE, MCE, MTRR, PGE, PAT: system/control_regs.cpp, system/msr.cpp. MCE
  // only says vector 18 and CR4.MCE exist (which control_regs.cpp accepts);
  // no machine-check architecture (MCA, bit 14) and no error is ever raised.
  // VME (bit 1) also announces PVI (SDM Vol. 3A §20.4): stack.cpp, system.cpp, far.cpp.
  r.d = (on(Feature::FPU) ? 1u << 0 : 0) | (1u << 1) /*VME*/ | (1u << 2) /*DE*/ | (1u << 3) /*PSE*/ |
        (1u << 4) /*TSC*/ | (1u << 7) /*MCE*/ |
        (1u << 12) /*MTRR*/ | (1u << 13) /*PGE*/ | (1u << 16) /*PAT*/ |
        (mnemonic_implemented("RDMSR") ? 1u << 5 : 0) | (1u << 6) /*PAE*/ |
        (on(Feature::CX8) ? 1u << 8 : 0) | (on(Feature::SEP) ? 1u << 11 : 0) |
        (on(Feature::CMOV) ? 1u << 15 : 0) | (1u << 17) /*PSE-36*/ |
        (on(Feature::CLFLUSH) ? 1u << 19 : 0);
  r.d |= (on(Feature::MMX) ? 1u << 23 : 0) | (on(Feature::FXSR) ? 1u << 24 : 0) |
         (on(Feature::SSE) ? 1u << 25 : 0) | (on(Feature::SSE2) ? 1u << 26 : 0);
  // The local APIC (machine/lapic.h): APIC (EDX[9]) follows the global
  // enable IA32_APIC_BASE[11] (SDM Vol. 3A §11.4.3); it has x2APIC mode
  // (ECX[21]) and the TSC-deadline timer (ECX[24]).
  if (cpu.apic) {
    if (cpu.s.apic_base & (1u << 11)) r.d |= 1u << 9;
    r.c |= (1u << 21) | (1u << 24);
  }
  return r;
}

Regs leaf7(const Cpu& cpu, u32 subleaf, u64 f) {
  auto on = [f](Feature x) { return (f & fbit(x)) != 0; };
  Regs r;
  if (subleaf != 0) return r;
  r.a = 0;  // highest subleaf
  r.b = (on(Feature::FSGSBASE) ? 1u << 0 : 0) | (on(Feature::BMI1) ? 1u << 3 : 0) |
        (on(Feature::AVX2) ? 1u << 5 : 0) | (on(Feature::SHA) ? 1u << 29 : 0) |
        (1u << 7) /*SMEP*/ | (on(Feature::BMI2) ? 1u << 8 : 0) |
        (on(Feature::INVPCID) ? 1u << 10 : 0) | (on(Feature::RDSEED) ? 1u << 18 : 0) |
        (on(Feature::ADX) ? 1u << 19 : 0) | (on(Feature::SMAP) ? 1u << 20 : 0) |
        (on(Feature::CLFLUSHOPT) ? 1u << 23 : 0) | (on(Feature::CLWB) ? 1u << 24 : 0);
  // UMIP and LA57 (5-level paging): control_regs.cpp accepts CR4.UMIP and
  // CR4.LA57, mmu.cpp walks 5 levels.
  r.c = (1u << 2) /*UMIP*/ | (on(Feature::PKU) ? 1u << 3 : 0) | (1u << 16) /*LA57*/ |
        (on(Feature::RDPID) ? 1u << 22 : 0);
  if (on(Feature::PKU) && (cpu.s.cr4 & (1u << 22))) r.c |= 1u << 4;  // OSPKE
  return r;
}

// Leaf 0DH (SDM Vol. 1 §13.2; Vol. 2A "CPUID" Table 3-8): state components
// 0 (x87), 1 (SSE) and, with AVX, 2 (YMM_H: 256 bytes at offset 576; no
// 64-byte alignment in the compacted format). Sizes count the 512-byte
// legacy region and the 64-byte header. No supervisor components, so the
// XSAVES size (subleaf 1 EBX) is the compacted size for XCR0. Nothing
// without XSAVE ("no further enumeration through CPUID.0DH").
Regs leaf_d(const Cpu& cpu, u32 subleaf, u64 f) {
  auto on = [f](Feature x) { return (f & fbit(x)) != 0; };
  Regs r;
  if (!on(Feature::XSAVE)) return r;
  const u64 supported = xcr0_supported(cpu);
  auto size_for = [](u64 xcr0) { return 576u + ((xcr0 & 4) ? 256u : 0u); };
  switch (subleaf) {
    case 0:
      r.a = (u32)supported;
      r.b = size_for(cpu.s.xcr0);
      r.c = size_for(supported);
      r.d = (u32)(supported >> 32);
      break;
    case 1:
      // XSAVEOPT, XSAVEC (compaction), XGETBV with ECX = 1 (read_xcr in
      // control_regs.cpp, part of the XGETBV handler), XSAVES/IA32_XSS.
      r.a = (on(Feature::XSAVEOPT) ? 1u << 0 : 0) | (on(Feature::XSAVEC) ? 1u << 1 : 0) |
            (1u << 2) | (on(Feature::XSAVES) ? 1u << 3 : 0);
      if (on(Feature::XSAVES) || on(Feature::XSAVEC)) r.b = size_for(cpu.s.xcr0);
      break;
    case 2:
      if (supported & 4) r.a = 256, r.b = 576;
      break;
    default: break;
  }
  return r;
}

Regs ext_leaf1(u64 f) {
  auto on = [f](Feature x) { return (f & fbit(x)) != 0; };
  Regs r;
  r.c = (on(Feature::LAHF64) ? 1u << 0 : 0) | (on(Feature::LZCNT) ? 1u << 5 : 0) |
        (1u << 8) /*PREFETCHW*/;
  r.d = (on(Feature::SYSCALL) ? 1u << 11 : 0) | (1u << 20) /*NX*/ | (1u << 26) /*1-GByte pages*/ |
        (on(Feature::RDTSCP) ? 1u << 27 : 0) | (on(Feature::LM) ? 1u << 29 : 0);
  return r;
}

// Brand string, 48 bytes over leaves 80000002H..80000004H, NUL-padded.
Regs brand(u32 part) {
  static const char kBrand[48] = "pc64 virtual CPU";
  const char* p = kBrand + 16 * part;
  return Regs{chars4(p), chars4(p + 4), chars4(p + 8), chars4(p + 12)};
}

}  // namespace

void cpuid(const Cpu& cpu, u32 leaf, u32 subleaf, u32* eax, u32* ebx, u32* ecx, u32* edx) {
  const u64 f = cpu.features;
  if ((leaf > kMaxBasicLeaf && leaf < 0x80000000u) || leaf > kMaxExtLeaf) leaf = kMaxBasicLeaf;
  Regs r;
  switch (leaf) {
    case 0:
      r.a = kMaxBasicLeaf;
      r.b = chars4("Genu");
      r.d = chars4("ineI");
      r.c = chars4("ntel");
      break;
    case 1: r = leaf1(cpu, f); break;
    case 6:
      // ARAT (EAX[2]): the APIC timer runs at a constant rate in every
      // C-state (the virtual clock never stops for HLT/MWAIT).
      if (cpu.apic) r.a = 1u << 2;
      break;
    case 7: r = leaf7(cpu, subleaf, f); break;
    case 0xd: r = leaf_d(cpu, subleaf, f); break;
    case 0x15:
      // TSC/crystal ratio EBX/EAX and the crystal (core crystal clock) in
      // Hz: TSC = ECX * EBX / EAX (SDM Vol. 2A "CPUID" leaf 15H; Vol. 3B
      // §18.7.3). Linux takes the crystal as the APIC timer's clock too,
      // which it is here, so it calibrates neither.
      r.a = 1;
      r.b = 1;
      r.c = kTscHz;
      break;
    case 0x16:
      // Base, maximum and bus (reference) frequencies in MHz.
      r.a = kTscHz / 1000000;
      r.b = kTscHz / 1000000;
      r.c = kTscHz / 1000000;
      break;
    case 0x80000007u:
      // Invariant TSC (EDX[8]): constant rate in every P-, C- and T-state.
      r.d = 1u << 8;
      break;
    case 0x80000000u: r.a = kMaxExtLeaf; break;
    case 0x80000001u: r = ext_leaf1(f); break;
    case 0x80000002u: case 0x80000003u: case 0x80000004u: r = brand(leaf - 0x80000002u); break;
    case 0x80000008u: r.a = kPhysAddrBits | (kLinearAddrBits << 8); break;
    default: break;  // leaves 2..6, 8..0CH and 80000005H..80000007H: zero
  }
  *eax = r.a;
  *ebx = r.b;
  *ecx = r.c;
  *edx = r.d;
}

u64 default_features() {
  u64 f = fbit(Feature::BASE) | fbit(Feature::LM);
  // Held back until the whole extension is in (issue 4): a feature is
  // reported only when it is complete, never a row at a time. AVX needs
  // XSAVE (the OS enables YMM state through XCR0) and AVX2 its gathers.
  const u64 excluded = fbit(Feature::XSAVE) | fbit(Feature::AVX) | fbit(Feature::AVX2) |
                       fbit(Feature::FMA) | fbit(Feature::F16C) | fbit(Feature::XSAVEOPT) |
                       fbit(Feature::XSAVEC) | fbit(Feature::XSAVES);
  for (int k = 0; k < (int)Feature::kCount; ++k) {
    const Feature ft = (Feature)k;
    if (ft == Feature::BASE || ft == Feature::LM || (excluded & fbit(ft))) continue;
    bool any = false, all = true;
    for (u32 i = 0; i < kNumRows; ++i) {
      if (kRows[i].feature != ft) continue;
      any = true;
      if (!has_handler(kRows[i].mn)) all = false;
    }
    if (any && all) f |= fbit(ft);
  }
  return f;
}

}  // namespace pc64
