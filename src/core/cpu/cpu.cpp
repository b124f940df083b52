// Cpu: segmentation, slow memory paths, the stack helpers and the
// fetch-decode-execute loop. The page walk is in mmu.cpp.
#include "cpu/cpu.h"

#include "cpu/cpuid.h"
#include "cpu/system/control_regs.h"
#include "cpu/interp/interp.h"

namespace pc64 {

Cpu::~Cpu() {
  delete[] dcache;
  delete[] blocks;
}

Cpu::Cpu() {
  features = default_features();
  dcache = new DecodedEntry[kDecodeCacheSize];
  for (int i = 0; i < kDecodeCacheSize; ++i) dcache[i].lin = ~0ull;
  blocks = new DecodedBlock[kBlockCacheSize];
  for (int i = 0; i < kBlockCacheSize; ++i) blocks[i].lin = ~0ull;
  flush_tlb();
  s.rflags = kFixed1;
  s.lazy.op = lazy_op(FlagOp::Eager, 1);
  // Power-on state (SDM Vol. 3A §9.1.1): real mode at F000:FFF0.
  for (int i = 0; i < kNumSegs; ++i) {
    s.seg[i] = Segment{0, 0xffff, 0, (u16)(kSegP | kSegS | kSegWritable | kSegAccessed)};
  }
  s.seg[CS] = Segment{0xffff0000ull, 0xffff, 0xf000,
                      (u16)(kSegP | kSegS | kSegCode | kSegWritable | kSegAccessed)};
  s.rip = 0xfff0;
  s.cr0 = 0x60000010;
  s.gdtr.limit = s.idtr.limit = 0xffff;
  s.ldtr = Segment{0, 0xffff, 0, (u16)(kSegP | 2 /* LDT */)};
  s.pat = 0x0007040600070406ull;
  s.xcr0 = 1;
  // x87 and SSE at power-up (SDM Vol. 3A §9.1.1, Table 9-1): FCW 0040H,
  // FSW 0, FTW 5555H (all valid, +0.0), MXCSR 1F80H.
  s.fpu.fcw = 0x0040;
  s.fpu.ftw = 0x5555;
  s.mxcsr = 0x1f80;
  s.apic_base = 0xfee00900;
  // IA32_MISC_ENABLE: fast strings (bit 0) and ENABLE MONITOR FSM (bit 18)
  // are set by default (SDM Vol. 4 Table 2-2).
  s.misc_enable = (1u << 0) | (1u << 18);
  update_mode();
}

void Cpu::update_mode() {
  const Segment& cs = s.seg[CS];
  if (!(s.cr0 & 1)) {
    s.mode = (u8)CpuMode::Real;
    s.code_size = 2;
  } else if (s.rflags & kVM) {
    s.mode = (u8)CpuMode::V86;
    s.code_size = 2;
  } else if ((s.efer & (1u << 10)) && (cs.attr & kSegL)) {
    s.mode = (u8)CpuMode::Long64;
    s.code_size = 8;
  } else {
    bool db = cs.attr & kSegDB;
    bool lma = s.efer & (1u << 10);
    s.mode = (u8)(lma ? (db ? CpuMode::Compat32 : CpuMode::Compat16) : (db ? CpuMode::Prot32 : CpuMode::Prot16));
    s.code_size = db ? 4 : 2;
  }
  s.stack_size = (s.seg[SS].attr & kSegDB) ? 4 : 2;
}

void Cpu::set_flat_mode(int code_size, int cpl) {
  const u16 data = kSegP | kSegS | kSegWritable | kSegAccessed | kSegG | kSegDB | (u16)(cpl << kSegDplShift);
  const u16 code = kSegP | kSegS | kSegCode | kSegWritable | kSegAccessed | kSegG | (u16)(cpl << kSegDplShift);
  for (int i = 0; i < kNumSegs; ++i) s.seg[i] = Segment{0, 0xffffffffu, (u16)(0x2b | cpl), data};
  s.cr0 |= 1;  // PE
  if (code_size == 8) {
    s.efer |= (1u << 8) | (1u << 10);  // LME, LMA
    s.seg[CS] = Segment{0, 0xffffffffu, (u16)(0x30 | cpl), (u16)(code | kSegL)};
  } else {
    s.seg[CS] = Segment{0, 0xffffffffu, (u16)(0x20 | cpl), (u16)(code | (code_size == 4 ? kSegDB : 0))};
  }
  s.cpl = (u8)cpl;
  update_mode();
  flush_tlb();
}

// Segment and canonical checks (SDM Vol. 3A §5.3 limit checking, §3.3.7.1
// canonical addressing). A violation is #GP(0), or #SS(0) for SS.
bool Cpu::linear_slow(u8 seg, u64 off, u32 size, Access acc, u64* lin) {
  const Segment& sg = s.seg[seg];
  if (mode64()) {
    u64 a = (seg == FS || seg == GS) ? sg.base + off : off;
    u64 last = a + size - 1;
    // 48-bit canonical form, 57-bit with CR4.LA57.
    if (PC64_UNLIKELY(!is_canonical(*this, a) || !is_canonical(*this, last)))
      return raise(seg == SS ? kExSS : kExGP, 0);
    *lin = a;
    if (PC64_UNLIKELY(data_bp_armed) && acc != Access::Exec) note_data_access(a, size, acc);
    return true;
  }
  const u8 vec = seg == SS ? kExSS : kExGP;
  const bool prot = s.mode != (u8)CpuMode::Real && s.mode != (u8)CpuMode::V86;
  // A null (unusable) selector in DS/ES/FS/GS faults on use (SDM Vol. 3A
  // §3.4.2). Real and virtual-8086 mode never see unusable registers.
  if (prot && PC64_UNLIKELY(!(sg.attr & kSegP) && seg != CS)) return raise(vec, 0);
  // Limits apply in every mode: real mode uses the cached limit, 0FFFFH
  // unless protected mode left a bigger one behind ("unreal" mode; SDM
  // Vol. 3A §21.1.1 "Address Translation in Real-Address Mode" and §9.9.2);
  // virtual-8086 segments always have 0FFFFH (§20.2.3), so a 32-bit offset
  // above it, or an operand running past it, is #GP(0) or #SS(0) there.
  // Every byte of the access is checked (§5.3). Expand-down data segments
  // allow offsets above the limit, up to 0FFFFH or 0FFFFFFFFH by the B flag.
  const u64 last = off + size - 1;
  if (!(sg.attr & kSegExpandDown) || (sg.attr & kSegCode)) {
    if (PC64_UNLIKELY(last > sg.limit)) return raise(vec, 0);
  } else {
    const u64 upper = (sg.attr & kSegDB) ? 0xffffffffull : 0xffff;
    if (PC64_UNLIKELY(off <= sg.limit || last > upper)) return raise(vec, 0);
  }
  // Type checks (§5.4): no writes to code or read-only data segments, no
  // data reads of execute-only code (CS overrides of readable code are fine).
  if (prot) {
    if (acc == Access::Write && ((sg.attr & kSegCode) || !(sg.attr & kSegWritable))) return raise(vec, 0);
    if (acc == Access::Read && (sg.attr & kSegCode) && !(sg.attr & kSegWritable)) return raise(vec, 0);
  }
  *lin = (sg.base + off) & 0xffffffffull;
  if (PC64_UNLIKELY(data_bp_armed) && acc != Access::Exec) note_data_access(*lin, size, acc);
  return true;
}

// Accesses that cross a page or touch a non-RAM page go byte by byte through
// the page walk, with every page checked before anything is written.
bool Cpu::slow_read(u8 seg, u64 off, void* dst, u32 n, Access acc) {
  u64 lin;
  if (!linear(seg, off, n, acc, &lin)) return false;
  u8* d = (u8*)dst;
  u32 done = 0;
  while (done < n) {
    u64 a = lin + done;
    if (!mode64()) a &= 0xffffffffull;
    u32 chunk = 0x1000 - (u32)(a & 0xfff);
    if (chunk > n - done) chunk = n - done;
    u8* p = translate(a, acc);
    if (p) {
      __builtin_memcpy(d + done, p, chunk);
    } else {
      if (faulted) return false;
      const TlbEntry& e = tlb[(a >> 12) & (kTlbSize - 1)];
      // An access of 1, 2, 4 or 8 bytes within one page reaches the device
      // whole (APIC registers must be read as one 32-bit load, SDM Vol. 3A
      // §11.4.1); anything else goes byte by byte.
      if (chunk == n && (n == 1 || n == 2 || n == 4 || n == 8)) {
        const u64 v = bus->mmio_read(e.ppage + (a & 0xfff), (int)n);
        __builtin_memcpy(d, &v, n);  // little-endian host
        done += chunk;
        continue;
      }
      for (u32 i = 0; i < chunk; ++i) d[done + i] = (u8)bus->mmio_read(e.ppage + ((a + i) & 0xfff), 1);
    }
    done += chunk;
  }
  return true;
}

bool Cpu::slow_write(u8 seg, u64 off, const void* src, u32 n) {
  u64 lin;
  if (!linear(seg, off, n, Access::Write, &lin)) return false;
  // Translate both pages before writing, so a fault on the second page
  // leaves memory untouched.
  const u64 wrap = mode64() ? ~0ull : 0xffffffffull;
  const u64 last = (lin + n - 1) & wrap;
  u8* p0 = translate(lin, Access::Write);
  if (!p0 && faulted) return false;
  u64 pg0 = tlb[(lin >> 12) & (kTlbSize - 1)].ppage;
  u8* p1 = nullptr;
  u64 pg1 = pg0;
  const bool two = (last >> 12) != (lin >> 12);
  if (two) {
    p1 = translate(last & ~0xfffull, Access::Write);
    if (!p1 && faulted) return false;
    pg1 = tlb[(last >> 12) & (kTlbSize - 1)].ppage;
  }
  const u8* s8 = (const u8*)src;
  if (!two && !p0 && (n == 1 || n == 2 || n == 4 || n == 8)) {  // one whole MMIO access
    u64 v = 0;
    __builtin_memcpy(&v, s8, n);
    bus->mmio_write(pg0 + (lin & 0xfff), (int)n, v);
    return true;
  }
  if (p0) p0 -= lin & 0xfff;
  for (u32 i = 0; i < n; ++i) {
    const u64 a = (lin + i) & wrap;
    const bool second = two && (a >> 12) != (lin >> 12);
    u8* p = second ? p1 : p0;
    if (p) p[a & 0xfff] = s8[i];
    else bus->mmio_write((second ? pg1 : pg0) + (a & 0xfff), 1, s8[i]);
  }
  return true;
}

bool Cpu::read_bytes(u8 seg, u64 off, void* dst, u32 n, Access acc) { return slow_read(seg, off, dst, n, acc); }
bool Cpu::write_bytes(u8 seg, u64 off, const void* src, u32 n) { return slow_write(seg, off, src, n); }

u64 Cpu::get_reg_n(int n, u8 r, bool hi8) const {
  switch (n) {
    case 1: return get_reg<1>(r, hi8);
    case 2: return get_reg<2>(r, hi8);
    case 4: return get_reg<4>(r, hi8);
    default: return get_reg<8>(r, hi8);
  }
}

void Cpu::set_reg_n(int n, u8 r, bool hi8, u64 v) {
  switch (n) {
    case 1: set_reg<1>(r, hi8, v); break;
    case 2: set_reg<2>(r, hi8, v); break;
    case 4: set_reg<4>(r, hi8, v); break;
    default: set_reg<8>(r, hi8, v); break;
  }
}

void Cpu::set_rflags(u64 v) {
  const bool vm_changed = ((v ^ s.rflags) & kVM) != 0;
  s.rflags = v | kFixed1;
  s.rflags &= ~(u64)((1u << 3) | (1u << 5) | (1u << 15) | (0xffc00000ull));  // reserved bits read 0
  s.lazy.op = lazy_op(FlagOp::Eager, 1);
  if (vm_changed) update_mode();
  // TF and RF need the slow step (cpu/system/debug.cpp).
  attention = (attention & ~(u32)(kAttnTF | kAttnRF)) | ((s.rflags & kTF) ? kAttnTF : 0) |
              ((s.rflags & kRF) ? kAttnRF : 0);
}

bool Cpu::push(int n, u64 v) {
  const int sw = stack_width();
  u64 sp = (s.gpr[RSP] - n) & width_mask(sw);
  bool ok;
  switch (n) {
    case 2: ok = write<2>(SS, sp, v); break;
    case 4: ok = write<4>(SS, sp, v); break;
    default: ok = write<8>(SS, sp, v); break;
  }
  if (!ok) return false;
  set_reg_n(sw, RSP, false, sp);
  return true;
}

bool Cpu::peek(int n, u64 off, u64* v) {
  const int sw = stack_width();
  u64 sp = (s.gpr[RSP] + off) & width_mask(sw);
  switch (n) {
    case 2: return read<2>(SS, sp, v);
    case 4: return read<4>(SS, sp, v);
    default: return read<8>(SS, sp, v);
  }
}

bool Cpu::pop(int n, u64* v) {
  if (!peek(n, 0, v)) return false;
  const int sw = stack_width();
  set_reg_n(sw, RSP, false, (s.gpr[RSP] + n) & width_mask(sw));
  return true;
}

const Insn* Cpu::fetch_decode(Insn& scratch) {
  // Fast path: a 16-byte window in one page, the first 15 inside CS.
  u64 lin;
  if (!linear(CS, insn_start, 1, Access::Exec, &lin)) return nullptr;
  if ((lin & 0xfff) <= 0x1000 - 16 && (s.code_size == 8 || insn_start + 14 <= s.seg[CS].limit)) {
    const u8* p = translate(lin, Access::Exec);
    if (!p && faulted) return nullptr;
    if (p) {
      DecodedEntry& e = dcache[(lin ^ (lin >> 12)) & (kDecodeCacheSize - 1)];
      const u64 w0 = load_le<u64>(p), w1 = load_le<u64>(p + 8);
      if (e.lin == lin && e.code_size == s.code_size && e.features == features &&
          (((w0 ^ e.bytes[0]) & e.mask[0]) | ((w1 ^ e.bytes[1]) & e.mask[1])) == 0)
        return &e.insn;
      if (decode(p, 15, decode_mode(), e.insn) == DecodeStatus::Ok) {
        e.lin = lin;
        e.code_size = s.code_size;
        e.features = features;
        const u32 n = e.insn.len;
        e.mask[0] = n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
        e.mask[1] = n <= 8 ? 0 : (n >= 16 ? ~0ull : (1ull << (8 * (n - 8))) - 1);
        e.bytes[0] = w0 & e.mask[0];
        e.bytes[1] = w1 & e.mask[1];
        e.insn.fn = bind_handler(e.insn);
        return &e.insn;
      }
      e.lin = ~0ull;  // the slow path below reports the error
    }
  }
  // Slow path: fetch up to 15 bytes, one page at a time, only as far as
  // decoding needs: an instruction that ends on a page boundary must not
  // touch the next page (or the next page's #PF would be reported wrongly).
  u8 buf[16];
  u32 have = 0;
  DecodeStatus st = DecodeStatus::NeedMore;
  while (st == DecodeStatus::NeedMore && have < 15) {
    if (!linear(CS, mask_ip(insn_start + have), 1, Access::Exec, &lin)) return nullptr;
    u32 chunk = 0x1000 - (u32)(lin & 0xfff);
    if (chunk > 15 - have) chunk = 15 - have;
    if (s.code_size != 8 && s.seg[CS].limit - mask_ip(insn_start + have) + 1 < chunk)
      chunk = (u32)(s.seg[CS].limit - mask_ip(insn_start + have) + 1);
    u8* p = translate(lin, Access::Exec);
    if (!p) {
      if (faulted) return nullptr;
      const TlbEntry& e = tlb[(lin >> 12) & (kTlbSize - 1)];
      for (u32 i = 0; i < chunk; ++i) buf[have + i] = (u8)bus->mmio_read(e.ppage + ((lin + i) & 0xfff), 1);
    } else {
      __builtin_memcpy(buf + have, p, chunk);
    }
    have += chunk;
    st = decode(buf, have, decode_mode(), scratch);
    if (st == DecodeStatus::NeedMore && have >= 15) st = DecodeStatus::TooLong;
  }
  switch (st) {
    case DecodeStatus::Ok:
      scratch.fn = bind_handler(scratch);
      return &scratch;
    case DecodeStatus::Invalid: raise(kExUD); return nullptr;
    default: raise(kExGP, 0); return nullptr;  // over 15 bytes, or past the CS limit
  }
}

void Cpu::finish_fault() {
  if (!fault_is_trap) s.rip = insn_start;
  deliver_exception();  // reads fault_is_trap
  fault_is_trap = false;
}

// The hot path tests one word: anything unusual at an instruction boundary
// (interrupts, debug events, RF, shadows) sets a bit in `attention`.
void Cpu::step() {
  if (PC64_UNLIKELY(attention != 0)) {
    step_slow();
    return;
  }
  exec_insn();
  if (PC64_UNLIKELY(faulted)) {
    finish_fault();
    return;
  }
  ++icount;
}

ExitReason Cpu::run(u64 budget) {
  exit = ExitReason::None;
  refresh_attention();  // the state may have been changed from outside
  for (u64 i = 0; i < budget && exit == ExitReason::None; ++i) {
    // A halted CPU resumes only for an interrupt it can take (SDM Vol. 2A "HLT").
    if (PC64_UNLIKELY(s.halted) && !((attention & kAttnIntr) && (s.rflags & kIF))) {
      exit = ExitReason::Halt;
      break;
    }
    if (PC64_UNLIKELY(attention != 0)) {
      step();
      continue;
    }
    i += run_block(budget - i) - 1;
  }
  if (exit == ExitReason::None) exit = ExitReason::Budget;
  return exit;
}

}  // namespace pc64
