// Control, debug and extended control registers: the write semantics of
// CR0, CR3, CR4, CR8, EFER, XCR0 and DR0-DR7 (SDM Vol. 3A §2.5, §2.2.1,
// §4.10.4, §9.8.5, §17.2; Vol. 2B "MOV--Move to/from Control Registers").
//
// Each write_* function checks the value, raises #GP(0) (returning false)
// when the SDM says so, and otherwise commits it with its side effects:
// IA-32e activation (EFER.LMA), TLB invalidation and the mode recomputation.
// The caller (MOV CR, LMSW, CLTS, WRMSR, XSETBV) has already checked CPL.
#pragma once
#include "base/base.h"

namespace pc64 {

class Cpu;

// CR0 (SDM Vol. 3A §2.5).
enum : u64 {
  kCR0_PE = 1u << 0, kCR0_MP = 1u << 1, kCR0_EM = 1u << 2, kCR0_TS = 1u << 3,
  kCR0_ET = 1u << 4, kCR0_NE = 1u << 5, kCR0_WP = 1u << 16, kCR0_AM = 1u << 18,
  kCR0_NW = 1u << 29, kCR0_CD = 1u << 30, kCR0_PG = 1ull << 31,
};
// CR4 (SDM Vol. 3A §2.5).
enum : u64 {
  kCR4_VME = 1u << 0, kCR4_PVI = 1u << 1, kCR4_TSD = 1u << 2, kCR4_DE = 1u << 3,
  kCR4_PSE = 1u << 4, kCR4_PAE = 1u << 5, kCR4_MCE = 1u << 6, kCR4_PGE = 1u << 7,
  kCR4_PCE = 1u << 8, kCR4_OSFXSR = 1u << 9, kCR4_OSXMMEXCPT = 1u << 10,
  kCR4_UMIP = 1u << 11, kCR4_LA57 = 1u << 12, kCR4_FSGSBASE = 1u << 16,
  kCR4_PCIDE = 1u << 17, kCR4_OSXSAVE = 1u << 18, kCR4_SMEP = 1u << 20,
  kCR4_SMAP = 1u << 21, kCR4_PKE = 1u << 22,
};
// IA32_EFER (SDM Vol. 3A §2.2.1, Table 2-1).
enum : u64 { kEFER_SCE = 1u << 0, kEFER_LME = 1u << 8, kEFER_LMA = 1u << 10, kEFER_NXE = 1u << 11 };

// Physical-address width reported by CPUID 80000008H: bits above it in CR3,
// APIC_BASE and the MTRRs are reserved.
constexpr int kMaxPhysAddr = 40;

bool write_cr0(Cpu& c, u64 v);
bool write_cr3(Cpu& c, u64 v);
bool write_cr4(Cpu& c, u64 v);
bool write_cr8(Cpu& c, u64 v);
bool write_efer(Cpu& c, u64 v);
bool write_xcr(Cpu& c, u32 index, u64 v);   // XSETBV
u64 cr4_supported(const Cpu& c);            // the CR4 bits this CPU accepts

// DR0-DR7 (SDM Vol. 3A §17.2). `n` is 0..7; DR4/DR5 must already be
// resolved (aliases of DR6/DR7 when CR4.DE = 0).
u64 read_dr(const Cpu& c, int n);
bool write_dr(Cpu& c, int n, u64 v);

// TLB invalidation (SDM Vol. 3A §4.10.4): every non-global translation, or
// every translation of the page containing `lin` (of any page size, global
// or not).
void tlb_flush_nonglobal(Cpu& c);
void tlb_invalidate_page(Cpu& c, u64 lin);

// PAE paging outside IA-32e mode: reads the four PDPTEs at `cr3` into
// CpuState::pdpte. Returns false, loading nothing, if a present one has a
// reserved bit set (the caller raises #GP(0); SDM Vol. 3A §4.4.1). With
// `check` false (task switches) they are loaded as they are.
bool load_pdptes(Cpu& c, u64 cr3, bool check = true);

// Whether `v` is canonical for the current linear-address width.
bool is_canonical(const Cpu& c, u64 v);

}  // namespace pc64
