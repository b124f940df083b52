// The page walk and the software TLB (SDM Vol. 3A ch. 4).
//
// The TLB is direct-mapped by linear page number. Each entry records, for
// every kind of access at supervisor and user level, whether the fast path
// may proceed without a walk. Write permission is recorded only once the
// dirty bit is set, so the first write to a clean page comes back here and
// sets D exactly when hardware would (SDM Vol. 3A §4.8).
//
// Implemented: 32-bit paging (with PSE and PSE-36), PAE, 4-level and 5-level
// paging; present, R/W, U/S, NX, CR0.WP, SMEP, SMAP and protection-key
// (PKRU) checks; reserved-bit checks (#PF with RSVD); A/D bits. PAE walks
// start from the PDPTE registers (CpuState::pdpte, loaded by MOV to CR0/CR3/
// CR4 in system/control_regs.cpp), as on hardware (SDM Vol. 3A §4.4.1).
// Entries record their page size and global bit (TlbEntry::pad) for the
// invalidation rules in system/control_regs.cpp; they carry no PCID.
// Reserved bits and protection keys are checked only here, on a TLB fill:
// the fast path pays nothing for them. Because the allow bits cache the
// PKRU verdict, WRPKRU flushes the TLB (interp/system.cpp).
#include "cpu/cpu.h"
#include "cpu/system/control_regs.h"

namespace pc64 {
namespace {

constexpr u64 kP = 1, kRW = 2, kUS = 4, kA = 1u << 5, kD = 1u << 6, kPS = 1u << 7;
constexpr u64 kXD = 1ull << 63;
// Physical-address bits at or above MAXPHYADDR (SDM Vol. 3A §4.4.2, §4.5.4).
constexpr u64 kAbovePhys = ~((1ull << kMaxPhysAddr) - 1);

}  // namespace

void Cpu::flush_tlb() {
  for (TlbEntry& e : tlb) e.vpn = ~0ull;
}

void Cpu::invlpg(u64 lin) {
  TlbEntry& e = tlb[(lin >> 12) & (kTlbSize - 1)];
  if (e.vpn == (lin >> 12)) e.vpn = ~0ull;
}

u8* Cpu::tlb_fill(u64 lin, Access acc) {
  const u64 vpn = lin >> 12;
  u64 ppage;
  u32 allow;
  // TlbEntry::pad: the translation's page-size shift (12, 21, 22 or 30), plus
  // 0x100 for a global translation (leaf G with CR4.PGE). The invalidation
  // rules in system/control_regs.cpp use it (SDM Vol. 3A §4.10.2.3, §4.10.4).
  u32 tag = 12;
  if (!(s.cr0 & kCR0_PG)) {
    ppage = lin & 0xfffff000ull;
    allow = 0x3f;
  } else {
    // ---- page walk ----
    const bool user = s.cpl == 3;
    const bool write = acc == Access::Write;
    const bool fetch = acc == Access::Exec;
    const bool nxe = (s.efer & kEFER_NXE) != 0;
    const Bus* b = bus;
    auto pte_ptr = [b](u64 pa, int size) -> u8* { return b->ram_at(pa & b->a20_mask, (u64)size); };
    // The entries used so far, outermost first (the leaf last once found).
    u8* entries[5];
    int levels_used = 0;
    // Error code (SDM Vol. 3A §4.7): P, W/R, U/S, RSVD, I/D, PK. I/D is set
    // for fetches when CR4.SMEP = 1 or when PAE/4-level paging runs with NXE.
    // Before a fault, the entries that led to the failing one get their
    // accessed flags, as a hardware walk sets them on its way down: "if a
    // page fault is caused by a page-level protection violation, the access
    // flag in the page-directory entry is set" (SDM Vol. 3A §6.15, Interrupt
    // 14; §4.8). The failing entry itself, and the leaf of a protection
    // fault (model specific there), are left alone; so is D.
    auto fault = [&](bool present, bool rsvd, bool pk = false, int upper = -1) -> u8* {
      u32 err = (present ? 1 : 0) | (write ? 2 : 0) | (user ? 4 : 0) | (rsvd ? 8 : 0) | (pk ? 32 : 0);
      if (fetch && ((s.cr4 & kCR4_SMEP) || (nxe && (s.cr4 & kCR4_PAE)))) err |= 16;
      for (int i = 0; i < (upper < 0 ? levels_used : upper); ++i) entries[i][0] |= (u8)kA;
      s.cr2 = lin;
      raise(kExPF, err);
      return nullptr;
    };
    u64 rw = kRW, us = kUS, xd = 0;
    u64 leaf = 0;
    int leaf_shift = 12;
    if (!(s.cr4 & kCR4_PAE)) {
      // 32-bit paging (SDM Vol. 3A §4.3).
      u64 table = s.cr3 & 0xfffff000ull;
      u8* pde_p = pte_ptr(table + ((lin >> 22) & 0x3ff) * 4, 4);
      u32 pde = pde_p ? load_le<u32>(pde_p) : 0;
      if (!(pde & kP)) return fault(false, false);
      entries[levels_used++] = pde_p;
      rw &= pde; us &= pde;
      if ((pde & kPS) && (s.cr4 & kCR4_PSE)) {
        // 4-MByte page; PSE-36 supplies physical bits 32..39 from PDE bits 13..20.
        // Bits 21:(MAXPHYADDR-32+13) are reserved: bit 21 with MAXPHYADDR 40
        // (SDM Vol. 3A §4.3, Table 4-4).
        if (pde & (1u << 21)) return fault(true, true, false, levels_used - 1);
        leaf = (pde & 0xffc00000ull) | ((u64)((pde >> 13) & 0xff) << 32) | (pde & 0xfff);
        leaf_shift = 22;
      } else {
        u8* pte_p = pte_ptr((pde & 0xfffff000ull) + ((lin >> 12) & 0x3ff) * 4, 4);
        u32 pte = pte_p ? load_le<u32>(pte_p) : 0;
        if (!(pte & kP)) return fault(false, false);
        entries[levels_used++] = pte_p;
        rw &= pte; us &= pte;
        leaf = pte;
      }
    } else {
      int level;
      u64 table;
      if (s.efer & kEFER_LMA) {
        level = (s.cr4 & kCR4_LA57) ? 5 : 4;
        table = s.cr3 & 0x000ffffffffff000ull;
      } else {
        // PAE: the PDPTE registers, loaded (and their reserved bits checked)
        // by MOV to CR0/CR3/CR4 (SDM Vol. 3A §4.4.1); they carry no R/W,
        // U/S or accessed flag.
        const u64 pdpte = s.pdpte[(lin >> 30) & 3];
        if (!(pdpte & kP)) return fault(false, false);
        level = 2;
        table = pdpte & 0x000ffffffffff000ull;
      }
      // Reserved bits of present entries (SDM Vol. 3A Tables 4-11 and 4-14
      // to 4-20): address bits at or above MAXPHYADDR (PAE: bits 62:M),
      // XD without EFER.NXE, PS in a PML5E/PML4E, and the low address bits
      // of a 1-GByte (29:13) or 2-MByte (20:13) page.
      const u64 rsvd_base = (kAbovePhys & ((s.efer & kEFER_LMA) ? 0x000fffffffffffffull : ~kXD)) |
                            (nxe ? 0 : kXD);
      for (; level >= 1; --level) {
        const int shift = 12 + 9 * (level - 1);
        u8* p = pte_ptr(table + ((lin >> shift) & 0x1ff) * 8, 8);
        u64 e = p ? load_le<u64>(p) : 0;
        if (!(e & kP)) return fault(false, false);
        u64 rsvd = rsvd_base;
        if (level >= 4) rsvd |= kPS;
        else if (level == 3 && (e & kPS)) rsvd |= 0x3fffe000ull;
        else if (level == 2 && (e & kPS)) rsvd |= 0x1fe000ull;
        if (e & rsvd) return fault(true, true);
        entries[levels_used++] = p;
        rw &= e; us &= e;
        if (nxe) xd |= e & kXD;
        if (level == 1 || ((e & kPS) && level <= 3)) {
          leaf = e;
          leaf_shift = shift;
          break;
        }
        table = e & 0x000ffffffffff000ull;
      }
    }
    // ---- access rights (SDM Vol. 3A §4.6) ----
    const bool wp = s.cr0 & kCR0_WP;
    const bool u_page = us != 0;
    const bool ac = (s.rflags & kAC) != 0;
    bool ok;
    if (user) {
      ok = u_page && (!write || rw) && !(fetch && xd);
    } else {
      ok = !(fetch && xd) && !(write && !rw && wp);
      if (fetch && u_page && (s.cr4 & kCR4_SMEP)) ok = false;
      if (!fetch && u_page && (s.cr4 & kCR4_SMAP) && !ac) ok = false;
    }
    // Protection keys (SDM Vol. 3A §4.6.2): with IA32_EFER.LMA = CR4.PKE = 1,
    // data accesses (supervisor or user) to a user-mode address with key i
    // are denied when PKRU.ADi = 1; writes when PKRU.WDi = 1 and the access is
    // a user-mode one or CR0.WP = 1. Such a #PF has PK (bit 5) in the error
    // code (§4.7).
    bool pk_ad = false, pk_wd = false;
    if (u_page && (s.cr4 & kCR4_PKE) && (s.efer & kEFER_LMA)) {
      const u32 key = (u32)(leaf >> 59) & 0xf;
      pk_ad = (s.pkru >> (2 * key)) & 1;
      pk_wd = (s.pkru >> (2 * key + 1)) & 1;
    }
    const bool pk = !fetch && (pk_ad || (write && pk_wd && (user || wp)));
    if (!ok || pk) return fault(true, false, pk, levels_used - 1);
    // ---- accessed and dirty bits (SDM Vol. 3A §4.8) ----
    for (int i = 0; i < levels_used; ++i) {
      u8 b0 = entries[i][0];
      if (!(b0 & kA)) entries[i][0] = (u8)(b0 | kA);
    }
    u8* leaf_p = entries[levels_used - 1];
    if (write && !(leaf_p[0] & kD)) leaf_p[0] = (u8)(leaf_p[0] | kD);
    const bool dirty = (leaf_p[0] & kD) != 0;
    const u64 page_mask = (1ull << leaf_shift) - 1;
    u64 base = leaf_shift == 22 && !(s.cr4 & kCR4_PAE) ? (leaf & ~0x3fffffull & 0xffffffffffull)
                                                        : (leaf & 0x000ffffffffff000ull & ~page_mask);
    ppage = base | (lin & page_mask & ~0xfffull);
    tag = (u32)leaf_shift | (((leaf & 0x100) && (s.cr4 & (1u << 7))) ? 0x100u : 0u);
    allow = kAllowReadSup;
    if (dirty && (rw || !wp)) allow |= kAllowWriteSup;
    if (!xd) allow |= kAllowExecSup;
    if (u_page) {
      if (s.cr4 & kCR4_SMEP) allow &= ~kAllowExecSup;
      if (s.cr4 & kCR4_SMAP) allow &= ~(kAllowReadSup | kAllowWriteSup);  // AC-dependent: walk each time
      allow |= kAllowReadUser;
      if (dirty && rw) allow |= kAllowWriteUser;
      if (!xd) allow |= kAllowExecUser;
      if (pk_ad) allow &= ~(kAllowReadSup | kAllowWriteSup | kAllowReadUser | kAllowWriteUser);
      if (pk_wd) allow &= ~(kAllowWriteUser | (wp ? kAllowWriteSup : 0u));
    }
  }
  ppage &= bus->a20_mask;
  TlbEntry& e = tlb[vpn & (kTlbSize - 1)];
  e.vpn = vpn;
  e.ppage = ppage;
  e.allow = allow;
  e.pad = tag;
  e.host = bus->ram_at(ppage, 0x1000);
  return e.host ? e.host + (lin & 0xfff) : nullptr;
}

}  // namespace pc64
