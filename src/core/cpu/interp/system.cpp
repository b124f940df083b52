// System instructions (rows: cpu/table/system.def): control and debug
// register moves, CLTS, LMSW/SMSW, the descriptor-table registers, RDMSR/
// WRMSR, CLI/STI/HLT, TLB and cache maintenance, MONITOR/MWAIT, XGETBV/
// XSETBV, CLAC/STAC, RDPKRU/WRPKRU, RDPMC and RSM. Fast system calls, SWAPGS and the FS/GS
// base instructions are in syscall.cpp; selector instructions (SLDT, STR,
// LLDT, LTR, LAR, LSL, VERR, VERW, ARPL) in system_seg.cpp.
//
// The table marks CPL-0-only rows PRIV but does not enforce it: each
// handler checks CPL itself, because the SDM varies the exception (#GP(0)
// for most, #UD for MONITOR/MWAIT/CLAC/STAC) and its priority against #UD.
// The register semantics (reserved bits, IA-32e activation, TLB flushes)
// live in cpu/system/control_regs.cpp and cpu/system/msr.cpp.
#include "cpu/interp/ops.h"
#include "cpu/system/control_regs.h"
#include "cpu/system/msr.h"

namespace pc64 {
namespace {

bool need_cpl0(Cpu& c) { return c.s.cpl == 0 || c.raise(kExGP, 0); }

// CR4.UMIP: SGDT, SIDT, SLDT, SMSW and STR raise #GP(0) at CPL > 0
// (SDM Vol. 3A §2.5, CR4.UMIP).
bool umip_ok(Cpu& c) { return !((c.s.cr4 & kCR4_UMIP) && c.s.cpl > 0) || c.raise(kExGP, 0); }

void ud(Cpu& c, const Insn&) { c.raise(kExUD); }

// ---- MOV to/from control registers (SDM Vol. 2B "MOV--Move to/from
// Control Registers"): CR0, CR2, CR3, CR4 and CR8 exist; others are #UD.
// The general register is 32 bits, 64 in 64-bit mode (operand size 'r').
void mov_cr(Cpu& c, const Insn& i) {
  const bool to_cr = i.op[0].type == OpType::Cr;
  const DecodedOp& cr = i.op[to_cr ? 0 : 1];
  const DecodedOp& gp = i.op[to_cr ? 1 : 0];
  const int n = cr.reg;
  if (!(n == 0 || n == 2 || n == 3 || n == 4 || n == 8)) { c.raise(kExUD); return; }
  if (!need_cpl0(c)) return;
  if (to_cr) {
    const u64 v = c.s.gpr[gp.reg] & width_mask(gp.size);
    switch (n) {
      case 0: write_cr0(c, v); break;
      case 2: c.s.cr2 = v; break;
      case 3: write_cr3(c, v); break;
      case 4: write_cr4(c, v); break;
      default: write_cr8(c, v); break;
    }
    return;
  }
  const u64 v = n == 0 ? c.s.cr0 : n == 2 ? c.s.cr2 : n == 3 ? c.s.cr3 : n == 4 ? c.s.cr4 : c.s.cr8;
  c.set_reg_n(gp.size, gp.reg, false, v);
}

// ---- MOV to/from debug registers (SDM Vol. 2B "MOV--Move to/from Debug
// Registers", Vol. 3A §17.2): DR4/DR5 alias DR6/DR7 unless CR4.DE (then
// #UD); DR7.GD makes any access a #DB fault with DR6.BD set (§17.2.4).
void mov_dr(Cpu& c, const Insn& i) {
  const bool to_dr = i.op[0].type == OpType::Dr;
  const DecodedOp& dr = i.op[to_dr ? 0 : 1];
  const DecodedOp& gp = i.op[to_dr ? 1 : 0];
  int n = dr.reg;
  if (n > 7) { c.raise(kExUD); return; }
  if (n == 4 || n == 5) {
    if (c.s.cr4 & kCR4_DE) { c.raise(kExUD); return; }
    n += 2;
  }
  if (!need_cpl0(c)) return;
  if (c.s.dr[7] & (1u << 13)) {
    c.s.dr[6] |= 1u << 13;     // BD
    c.s.dr[7] &= ~(u64)(1u << 13);  // GD is cleared on entry to the handler
    c.raise(kExDB);
    return;
  }
  if (to_dr) write_dr(c, n, c.s.gpr[gp.reg] & width_mask(gp.size));
  else c.set_reg_n(gp.size, gp.reg, false, read_dr(c, n));
}

void clts(Cpu& c, const Insn&) {
  if (need_cpl0(c)) c.s.cr0 &= ~(u64)kCR0_TS;
}

// LMSW loads CR0 bits 3:0; it can set PE but not clear it (SDM Vol. 2A "LMSW").
void lmsw(Cpu& c, const Insn& i) {
  if (!need_cpl0(c)) return;
  u64 v;
  if (!load<2>(c, i, 0, &v)) return;
  const u64 cr0 = c.s.cr0;
  write_cr0(c, (cr0 & ~(u64)0xf) | (v & 0xf) | (cr0 & kCR0_PE));
}

// SMSW: a register destination gets the operand size's low bits of CR0; a
// memory destination always 16 bits (SDM Vol. 2B "SMSW").
void smsw(Cpu& c, const Insn& i) {
  if (!umip_ok(c)) return;
  if (i.op[0].type == OpType::Reg) c.set_reg_n(i.op[0].size, i.op[0].reg, false, c.s.cr0);
  else c.write<2>(i.seg, ea(c, i), c.s.cr0);
}

// ---- descriptor-table registers (SDM Vol. 2A "LGDT/LIDT", Vol. 2B
// "SGDT", "SIDT"). The pseudo-descriptor is a 16-bit limit then the base:
// 8 bytes in 64-bit mode, else 4. LGDT with a 16-bit operand size keeps 24
// bits of the base; SGDT stores all 32 bits whatever the operand size.
// In 64-bit mode a non-canonical base is #GP(0).
template <bool kIdt> void lgdt(Cpu& c, const Insn& i) {
  if (!need_cpl0(c)) return;
  u8 buf[10];
  const u32 n = c.mode64() ? 10 : 6;
  if (!c.read_bytes(i.seg, ea(c, i), buf, n)) return;
  const u32 limit = load_le<u16>(buf);
  u64 base = c.mode64() ? load_le<u64>(buf + 2) : load_le<u32>(buf + 2);
  if (!c.mode64() && i.opsize == 2) base &= 0xffffff;
  if (c.mode64() && !is_canonical(c, base)) { c.raise(kExGP, 0); return; }
  DescTable& t = kIdt ? c.s.idtr : c.s.gdtr;
  t.base = base;
  t.limit = limit;
}

template <bool kIdt> void sgdt(Cpu& c, const Insn& i) {
  if (!umip_ok(c)) return;
  const DescTable& t = kIdt ? c.s.idtr : c.s.gdtr;
  u8 buf[10];
  store_le<u16>(buf, (u16)t.limit);
  store_le<u64>(buf + 2, c.mode64() ? t.base : (u32)t.base);
  c.write_bytes(i.seg, ea(c, i), buf, c.mode64() ? 10 : 6);
}

// ---- MSRs (SDM Vol. 2B "RDMSR", "WRMSR"): ECX selects; EDX:EAX is the value.
void rdmsr(Cpu& c, const Insn&) {
  if (!need_cpl0(c)) return;
  u64 v;
  if (!read_msr(c, (u32)c.s.gpr[RCX], &v)) { c.raise(kExGP, 0); return; }
  c.set_reg<4>(RAX, false, v);
  c.set_reg<4>(RDX, false, v >> 32);
}

void wrmsr(Cpu& c, const Insn&) {
  if (!need_cpl0(c)) return;
  const u64 v = (c.s.gpr[RDX] << 32) | (u32)c.s.gpr[RAX];
  if (!write_msr(c, (u32)c.s.gpr[RCX], v) && !c.faulted) c.raise(kExGP, 0);
}

// ---- CLI/STI (SDM Vol. 2A "CLI", Vol. 2B "STI", Tables "Decision Table
// for CLI/STI Results"). In protected mode IF may change when CPL <= IOPL;
// otherwise at CPL 3 with CR4.PVI the virtual flag VIF changes instead. In
// virtual-8086 mode the same holds with IOPL = 3 and CR4.VME. STI with VIP
// set and no IOPL permission is #GP(0).
int iopl(const Cpu& c) { return (int)((c.s.rflags >> 12) & 3); }

void cli(Cpu& c, const Insn&) {
  CpuState& s = c.s;
  u64 bit = kIF;
  if (s.cr0 & kCR0_PE) {
    const bool v86 = s.rflags & kVM;
    const bool allowed = v86 ? iopl(c) == 3 : s.cpl <= iopl(c);
    if (!allowed) {
      const bool virt = v86 ? (s.cr4 & kCR4_VME) != 0 : (s.cpl == 3 && (s.cr4 & kCR4_PVI));
      if (!virt) { c.raise(kExGP, 0); return; }
      bit = kVIF;
    }
  }
  s.rflags &= ~bit;
}

void sti(Cpu& c, const Insn&) {
  CpuState& s = c.s;
  if (s.cr0 & kCR0_PE) {
    const bool v86 = s.rflags & kVM;
    const bool allowed = v86 ? iopl(c) == 3 : s.cpl <= iopl(c);
    if (!allowed) {
      const bool virt = v86 ? (s.cr4 & kCR4_VME) != 0 : (s.cpl == 3 && (s.cr4 & kCR4_PVI));
      if (!virt || (s.rflags & kVIP)) { c.raise(kExGP, 0); return; }
      s.rflags |= kVIF;
      return;
    }
  }
  // Interrupts stay blocked until the next instruction completes, but only
  // when STI actually set IF (SDM Vol. 2B "STI").
  if (!(s.rflags & kIF)) c.set_shadow(Cpu::kShadowSti);
  s.rflags |= kIF;
}

void hlt(Cpu& c, const Insn&) {
  if (need_cpl0(c)) c.s.halted = 1;
}

// ---- TLB and caches ----
// INVLPG never faults on its operand (SDM Vol. 2A "INVLPG"): the linear
// address is formed without limit or canonical checks.
void invlpg(Cpu& c, const Insn& i) {
  if (!need_cpl0(c)) return;
  const u64 off = ea(c, i);
  u64 lin;
  if (c.mode64()) lin = (i.seg == FS || i.seg == GS) ? c.s.seg[i.seg].base + off : off;
  else lin = (c.s.seg[i.seg].base + off) & 0xffffffffull;
  tlb_invalidate_page(c, lin);
}

// INVPCID (SDM Vol. 2A "INVPCID"): type in the register, a 16-byte
// descriptor (PCID in bits 11:0, linear address in bits 127:64) in memory.
void invpcid(Cpu& c, const Insn& i) {
  if (!need_cpl0(c)) return;
  const u64 type = c.s.gpr[i.op[0].reg] & width_mask(i.op[0].size);
  u8 d[16];
  if (!c.read_bytes(i.seg, ea(c, i), d, 16)) return;
  const u64 lo = load_le<u64>(d), addr = load_le<u64>(d + 8);
  const u64 pcid = lo & 0xfff;
  if (type > 3 || (lo >> 12)) { c.raise(kExGP, 0); return; }
  if (type <= 1 && pcid != 0 && !(c.s.cr4 & kCR4_PCIDE)) { c.raise(kExGP, 0); return; }
  if (type == 0 && !is_canonical(c, addr)) { c.raise(kExGP, 0); return; }
  // The TLB has no PCID tags (control_regs.cpp): type 0 drops the address
  // for every PCID, types 1 and 3 every non-global entry, type 2 everything.
  if (type == 0) tlb_invalidate_page(c, addr);
  else if (type == 2) c.flush_tlb();
  else tlb_flush_nonglobal(c);
}

// WBINVD/INVD: no caches are modelled.
void cache_op(Cpu& c, const Insn&) { need_cpl0(c); }

// MONITOR/MWAIT: #UD at CPL > 0 (SDM Vol. 2B "MONITOR", "MWAIT") and while
// IA32_MISC_ENABLE[18] = 0 (CPUID then reports no MONITOR; Vol. 4 Table
// 2-2); no extensions or hints are supported, so ECX != 0 is #GP(0).
// MONITOR checks that DS:rAX is readable. MWAIT returns at once, as after a
// spurious wake-up.
bool monitor_ok(Cpu& c) {
  if (c.s.cpl || !(c.s.misc_enable & (1u << 18))) return c.raise(kExUD);
  return true;
}

void monitor(Cpu& c, const Insn& i) {
  if (!monitor_ok(c)) return;
  if ((u32)c.s.gpr[RCX]) { c.raise(kExGP, 0); return; }
  u64 v;
  const u8 seg = i.seg_override != kNoSeg ? i.seg_override : (u8)DS;
  c.read<1>(seg, c.s.gpr[RAX] & width_mask(i.asize), &v);
}

void mwait(Cpu& c, const Insn&) {
  if (!monitor_ok(c)) return;
  if ((u32)c.s.gpr[RCX]) c.raise(kExGP, 0);
}

// ---- XCR0 (SDM Vol. 2C "XGETBV", "XSETBV"): #UD unless CR4.OSXSAVE.
void xgetbv(Cpu& c, const Insn&) {
  if (!(c.s.cr4 & kCR4_OSXSAVE)) { c.raise(kExUD); return; }
  if ((u32)c.s.gpr[RCX] != 0) { c.raise(kExGP, 0); return; }
  c.set_reg<4>(RAX, false, c.s.xcr0);
  c.set_reg<4>(RDX, false, c.s.xcr0 >> 32);
}

void xsetbv(Cpu& c, const Insn&) {
  if (!(c.s.cr4 & kCR4_OSXSAVE)) { c.raise(kExUD); return; }
  if (!need_cpl0(c)) return;
  write_xcr(c, (u32)c.s.gpr[RCX], (c.s.gpr[RDX] << 32) | (u32)c.s.gpr[RAX]);
}

// CLAC/STAC: #UD at CPL > 0 (and so in virtual-8086 mode) (SDM Vol. 2A "CLAC").
template <bool kSet> void clac(Cpu& c, const Insn&) {
  if (c.s.cpl) { c.raise(kExUD); return; }
  if (kSet) c.s.rflags |= kAC;
  else c.s.rflags &= ~(u64)kAC;
}

// RDPKRU/WRPKRU (SDM Vol. 2B "RDPKRU", "WRPKRU"): #UD unless CR4.PKE;
// #GP(0) if ECX != 0 (WRPKRU: or EDX != 0). Any CPL. The TLB entries cache
// the PKRU verdict (mmu.cpp), so WRPKRU flushes them.
void rdpkru(Cpu& c, const Insn&) {
  if (!(c.s.cr4 & kCR4_PKE)) { c.raise(kExUD); return; }
  if ((u32)c.s.gpr[RCX]) { c.raise(kExGP, 0); return; }
  c.set_reg<4>(RAX, false, c.s.pkru);
  c.set_reg<4>(RDX, false, 0);
}

void wrpkru(Cpu& c, const Insn&) {
  if (!(c.s.cr4 & kCR4_PKE)) { c.raise(kExUD); return; }
  if ((u32)c.s.gpr[RCX] || (u32)c.s.gpr[RDX]) { c.raise(kExGP, 0); return; }
  c.s.pkru = (u32)c.s.gpr[RAX];
  c.flush_tlb();
}

// RDPMC: #GP(0) at CPL > 0 unless CR4.PCE, and for an invalid counter
// index (SDM Vol. 2B "RDPMC"). CPUID reports no performance counters
// (leaf 0AH reads as zero), so every index is invalid.
void rdpmc(Cpu& c, const Insn&) { c.raise(kExGP, 0); }

}  // namespace

void bind_system(HandlerTable& t) {
  t.set_all(Mn::MOV_CR, &mov_cr);
  t.set_all(Mn::MOV_DR, &mov_dr);
  t.set_all(Mn::CLTS, &clts);
  t.set_all(Mn::LMSW, &lmsw);
  t.set_all(Mn::SMSW, &smsw);
  t.set_all(Mn::LGDT, &lgdt<false>);
  t.set_all(Mn::LIDT, &lgdt<true>);
  t.set_all(Mn::SGDT, &sgdt<false>);
  t.set_all(Mn::SIDT, &sgdt<true>);
  t.set_all(Mn::RDMSR, &rdmsr);
  t.set_all(Mn::WRMSR, &wrmsr);
  t.set_all(Mn::CLI, &cli);
  t.set_all(Mn::STI, &sti);
  t.set_all(Mn::HLT, &hlt);
  t.set_all(Mn::INVLPG, &invlpg);
  t.set_all(Mn::INVPCID, &invpcid);
  t.set_all(Mn::WBINVD, &cache_op);
  t.set_all(Mn::INVD, &cache_op);
  t.set_all(Mn::MONITOR, &monitor);
  t.set_all(Mn::MWAIT, &mwait);
  t.set_all(Mn::XGETBV, &xgetbv);
  t.set_all(Mn::XSETBV, &xsetbv);
  t.set_all(Mn::CLAC, &clac<false>);
  t.set_all(Mn::STAC, &clac<true>);
  t.set_all(Mn::RDPMC, &rdpmc);
  t.set_all(Mn::RDPKRU, &rdpkru);
  t.set_all(Mn::WRPKRU, &wrpkru);
  t.set_all(Mn::RSM, &ud);  // SMM is not modelled: RSM outside SMM is #UD
}

}  // namespace pc64
