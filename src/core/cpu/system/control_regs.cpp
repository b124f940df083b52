// Write semantics of the control registers, EFER, XCR0 and the debug
// registers. See control_regs.h.
//
// TLB policy. Each software-TLB entry (mmu.cpp) records its page size and
// whether it is global (TlbEntry::pad), but not its PCID. So:
//  - MOV to CR3 invalidates every non-global entry, with or without PCIDs
//    and even with the no-flush bit (bit 63) set: an untagged TLB cannot tell
//    one PCID's translations from another's. Global entries survive
//    (SDM Vol. 3A §4.10.4.1).
//  - INVLPG invalidates every entry of the page containing the address,
//    global or not, whatever the page size (§4.10.4.1, "INVLPG").
//  - CR0.PG/WP/PE, CR4.PGE/PAE/PSE/PCIDE/SMEP/SMAP/LA57/PKE and EFER.NXE
//    changes invalidate everything (the entries cache rights that depend on
//    WP, SMEP, SMAP and NXE).
// Invalidating more than the SDM requires is always allowed: the processor
// may drop TLB entries at any time (§4.10.4.4 "Delayed Invalidation",
// §4.10.2.1).
#include "cpu/system/control_regs.h"

#include "cpu/cpu.h"
#include "cpu/interp/xsave.h"

namespace pc64 {
namespace {

constexpr u64 fbit(Feature f) { return 1ull << (int)f; }

constexpr u64 kCr0Defined = kCR0_PE | kCR0_MP | kCR0_EM | kCR0_TS | kCR0_ET | kCR0_NE |
                            kCR0_WP | kCR0_AM | kCR0_NW | kCR0_CD | kCR0_PG;

bool legacy_pae(u64 cr0, u64 cr4, u64 efer) {
  return (cr0 & kCR0_PG) && (cr4 & kCR4_PAE) && !(efer & kEFER_LME);
}

}  // namespace

// PAE paging outside IA-32e mode loads the four PDPTEs into registers when
// CR3 is written and when CR0/CR4 writes (re)enable it; the page walk uses
// those registers, not the PDPT in memory (SDM Vol. 3A §4.4.1). A present
// PDPTE with a reserved bit set (bits 2:1, 8:5, MAXPHYADDR..63, Table 4-8)
// makes the MOV #GP(0) and nothing is loaded.
bool load_pdptes(Cpu& c, u64 cr3, bool check) {
  const u64 rsvd = 0x6ull | 0x1e0ull | ~((1ull << kMaxPhysAddr) - 1);
  u64 e[4];
  for (int i = 0; i < 4; ++i) {
    const u64 pa = ((cr3 & 0xffffffe0ull) + 8 * i) & c.bus->a20_mask;
    const u8* at = c.bus->ram_at(pa, 8);
    e[i] = at ? load_le<u64>(at) : 0;
    if (check && (e[i] & 1) && (e[i] & rsvd)) return false;
  }
  for (int i = 0; i < 4; ++i) c.s.pdpte[i] = e[i];
  return true;
}

bool is_canonical(const Cpu& c, u64 v) {
  const int va = (c.s.cr4 & kCR4_LA57) ? 57 : 48;
  return (u64)(((i64)(v << (64 - va))) >> (64 - va)) == v;
}

// SDM Vol. 2B "MOV--Move to/from Control Registers", Protected Mode
// Exceptions; Vol. 3A §2.5, §9.8.5 (IA-32e activation), §4.10.1 (PCIDE).
bool write_cr0(Cpu& c, u64 v) {
  // Bits 63:32 are reserved: #GP in 64-bit mode (outside it the operand is 32 bits).
  if (v >> 32) return c.raise(kExGP, 0);
  // Other reserved bits are ignored; ET is hardwired to 1 (SDM Vol. 3A §2.5).
  v = (v & kCr0Defined) | kCR0_ET;
  if ((v & kCR0_PG) && !(v & kCR0_PE)) return c.raise(kExGP, 0);
  if ((v & kCR0_NW) && !(v & kCR0_CD)) return c.raise(kExGP, 0);
  const u64 old = c.s.cr0;
  const bool pg_on = (v & kCR0_PG) && !(old & kCR0_PG);
  const bool pg_off = !(v & kCR0_PG) && (old & kCR0_PG);
  // Enabling paging with EFER.LME = 1 activates IA-32e mode, which needs
  // PAE paging (SDM Vol. 3A §9.8.5).
  if (pg_on && (c.s.efer & kEFER_LME) && !(c.s.cr4 & kCR4_PAE)) return c.raise(kExGP, 0);
  if (pg_off) {
    // Paging can be turned off in IA-32e mode only from compatibility mode
    // (SDM Vol. 3A §9.8.5.4), and never while CR4.PCIDE = 1 (§4.10.1).
    if (c.mode64()) return c.raise(kExGP, 0);
    if (c.s.cr4 & kCR4_PCIDE) return c.raise(kExGP, 0);
  }
  // Last check: the PDPTE load must not happen unless the MOV completes.
  if (((old ^ v) & (kCR0_PG | kCR0_CD | kCR0_NW)) && legacy_pae(v, c.s.cr4, c.s.efer) &&
      !load_pdptes(c, c.s.cr3))
    return c.raise(kExGP, 0);
  c.s.cr0 = v;
  if (pg_on && (c.s.efer & kEFER_LME)) c.s.efer |= kEFER_LMA;
  if (pg_off) c.s.efer &= ~(u64)kEFER_LMA;
  // SDM Vol. 3A §4.10.4.1: changing PG invalidates the TLBs; WP changes the
  // permissions the TLB entries cache.
  if ((old ^ v) & (kCR0_PG | kCR0_WP | kCR0_PE)) c.flush_tlb();
  if ((old ^ v) & (kCR0_PG | kCR0_PE)) c.update_mode();
  return true;
}

// SDM Vol. 3A §4.10.4.1 (MOV to CR3), §4.5 (bits 11:0 with PCIDE).
bool write_cr3(Cpu& c, u64 v) {
  if (c.s.cr4 & kCR4_PCIDE) v &= ~(1ull << 63);  // the no-flush bit is not stored
  if (v >> kMaxPhysAddr) return c.raise(kExGP, 0);
  if (legacy_pae(c.s.cr0, c.s.cr4, c.s.efer) && !load_pdptes(c, v)) return c.raise(kExGP, 0);
  c.s.cr3 = v;
  tlb_flush_nonglobal(c);  // see the file comment
  return true;
}

void tlb_flush_nonglobal(Cpu& c) {
  for (TlbEntry& e : c.tlb)
    if (!(e.pad & 0x100)) e.vpn = ~0ull;
}

void tlb_invalidate_page(Cpu& c, u64 lin) {
  // A large page spans many 4-KByte entries: drop every entry whose
  // translation's page (of its own size) contains `lin`.
  for (TlbEntry& e : c.tlb) {
    if (e.vpn == ~0ull) continue;
    const u32 shift = e.pad & 0xff;
    if (shift < 12 || shift > 63) continue;
    if (((e.vpn << 12) >> shift) == (lin >> shift)) e.vpn = ~0ull;
  }
}

u64 cr4_supported(const Cpu& c) {
  u64 m = kCR4_VME | kCR4_PVI | kCR4_TSD | kCR4_DE | kCR4_PSE | kCR4_PAE | kCR4_MCE |
          kCR4_PGE | kCR4_PCE | kCR4_OSFXSR | kCR4_OSXMMEXCPT | kCR4_UMIP | kCR4_LA57 |
          kCR4_PCIDE | kCR4_SMEP;
  if (c.features & fbit(Feature::FSGSBASE)) m |= kCR4_FSGSBASE;
  if (c.features & fbit(Feature::XSAVE)) m |= kCR4_OSXSAVE;
  if (c.features & fbit(Feature::SMAP)) m |= kCR4_SMAP;
  if (c.features & fbit(Feature::PKU)) m |= kCR4_PKE;
  return m;
}

// SDM Vol. 2B "MOV--Move to/from Control Registers": #GP(0) on reserved
// bits, on clearing PAE in IA-32e mode, on changing LA57 in IA-32e mode, and
// on setting PCIDE outside IA-32e mode or with CR3[11:0] != 0.
bool write_cr4(Cpu& c, u64 v) {
  if (v & ~cr4_supported(c)) return c.raise(kExGP, 0);
  const u64 old = c.s.cr4;
  const bool lma = (c.s.efer & kEFER_LMA) != 0;
  if (lma && !(v & kCR4_PAE)) return c.raise(kExGP, 0);
  if (lma && ((v ^ old) & kCR4_LA57)) return c.raise(kExGP, 0);
  if ((v & kCR4_PCIDE) && !(old & kCR4_PCIDE) && (!lma || (c.s.cr3 & 0xfff))) return c.raise(kExGP, 0);
  const u64 pdpte_bits = kCR4_PAE | kCR4_PGE | kCR4_PSE | kCR4_SMEP;
  if (((old ^ v) & pdpte_bits) && legacy_pae(c.s.cr0, v, c.s.efer) && !load_pdptes(c, c.s.cr3))
    return c.raise(kExGP, 0);
  c.s.cr4 = v;
  // SDM Vol. 3A §4.10.4.1: changing PGE, PAE, PSE, PCIDE, SMEP, SMAP, LA57
  // or PKE invalidates (at least) the affected TLB entries.
  const u64 tlb_bits = kCR4_PGE | kCR4_PAE | kCR4_PSE | kCR4_PCIDE | kCR4_SMEP | kCR4_SMAP |
                       kCR4_LA57 | kCR4_PKE;
  if ((old ^ v) & tlb_bits) c.flush_tlb();
  return true;
}

// CR8 is the task-priority register: bits 63:4 reserved (SDM Vol. 3A §2.5).
bool write_cr8(Cpu& c, u64 v) {
  if (v >> 4) return c.raise(kExGP, 0);
  c.s.cr8 = v;
  if (c.apic) c.apic->apic_cr8_write((u8)v);  // CR8 is TPR[7:4] (SDM Vol. 3A §11.8.6.5)
  return true;
}

// IA32_EFER (SDM Vol. 3A §2.2.1; Vol. 4 Table 2-2). LMA is read-only
// (written values are ignored); LME cannot change while paging is on
// (SDM Vol. 3A §9.8.5).
bool write_efer(Cpu& c, u64 v) {
  u64 ok = kEFER_LMA | kEFER_NXE;
  if (c.features & fbit(Feature::SYSCALL)) ok |= kEFER_SCE;
  if (c.features & fbit(Feature::LM)) ok |= kEFER_LME;
  if (v & ~ok) return c.raise(kExGP, 0);
  const u64 old = c.s.efer;
  if (((v ^ old) & kEFER_LME) && (c.s.cr0 & kCR0_PG)) return c.raise(kExGP, 0);
  c.s.efer = (v & ~(u64)kEFER_LMA) | (old & kEFER_LMA);
  if ((old ^ c.s.efer) & kEFER_NXE) c.flush_tlb();
  return true;
}

// State components 0 (x87), 1 (SSE) and 2 (AVX: YMM upper halves) exist;
// AVX state only with the AVX feature, as XCR0[2] is settable exactly when
// CPUID.(EAX=0DH,ECX=0):EAX[2] = 1 (SDM Vol. 1 §13.2, §13.3).
u64 xcr0_supported(const Cpu& c) {
  return 0x3 | ((c.features & fbit(Feature::AVX)) ? 0x4 : 0);
}

// XSETBV (SDM Vol. 2C "XSETBV", Vol. 1 §13.3): only XCR0 exists (ECX != 0
// is #GP(0)); bit 0 (x87) must be 1; AVX state needs SSE state (EAX[2:1] =
// 10b is #GP(0)); bits of unsupported components are reserved (#GP(0)).
// CR4.OSXSAVE (#UD) and CPL (#GP) are the instruction's checks.
bool write_xcr(Cpu& c, u32 index, u64 v) {
  if (index != 0) return c.raise(kExGP, 0);
  if (!(v & 1) || (v & ~xcr0_supported(c))) return c.raise(kExGP, 0);
  if ((v & 4) && !(v & 2)) return c.raise(kExGP, 0);
  c.s.xcr0 = v;
  return true;
}

// XGETBV (SDM Vol. 2C "XGETBV"): ECX = 0 reads XCR0; ECX = 1 (enumerated
// by CPUID.(EAX=0DH,ECX=1):EAX[2], which cpuid.cpp reports with XSAVE)
// reads XCR0 AND XINUSE, with bit 1 set whenever XCR0[1] = 1 and MXCSR is
// not 1F80H (SDM Vol. 1 §13.6). Other values of ECX are #GP(0).
bool read_xcr(Cpu& c, u32 index, u64* v) {
  if (index == 0) {
    *v = c.s.xcr0;
    return true;
  }
  if (index == 1) {
    u64 inuse = xinuse(c);
    if (c.s.mxcsr != 0x1f80) inuse |= 2;
    *v = c.s.xcr0 & inuse;
    return true;
  }
  return c.raise(kExGP, 0);
}

// DR6 and DR7 have fixed bits (SDM Vol. 3A §17.2.3, §17.2.4): DR6 bits 4..11
// and 16..31 read as 1 and bit 12 as 0; DR7 bit 10 reads as 1 and bits 11,
// 12, 14, 15 as 0. Bits 63:32 of both are reserved (#GP when set).
namespace {
constexpr u64 kDr6Fixed1 = 0xffff0ff0ull, kDr6Writable = 0xe00full;
constexpr u64 kDr7Fixed1 = 0x400ull, kDr7Writable = 0xffff23ffull;
}  // namespace

u64 read_dr(const Cpu& c, int n) {
  if (n == 6) return (c.s.dr[6] & kDr6Writable) | kDr6Fixed1;
  if (n == 7) return (c.s.dr[7] & kDr7Writable) | kDr7Fixed1;
  return c.s.dr[n];
}

bool write_dr(Cpu& c, int n, u64 v) {
  if (n >= 6 && (v >> 32)) return c.raise(kExGP, 0);
  if (n < 4 && !c.mode64()) v &= 0xffffffffull;
  if (n == 6) v = (v & kDr6Writable) | kDr6Fixed1;
  if (n == 7) v = (v & kDr7Writable) | kDr7Fixed1;
  c.s.dr[n] = v;
  if (n == 7) c.refresh_attention();  // breakpoints armed or disarmed (system/debug.cpp)
  return true;
}

}  // namespace pc64
