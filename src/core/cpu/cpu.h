// Cpu: one logical processor: its CpuState, the memory path (segmentation,
// paging, software TLB) and the execution loop.
//
// Faults never unwind the C++ stack. A memory access or check that faults
// calls raise(), which records the exception and returns false; the handler
// returns at once (every handler finishes its faultable work before it
// commits any register or flag), and step() rolls RIP back to the start of
// the instruction and delivers the exception.
#pragma once
#include "base/base.h"
#include "cpu/apic_port.h"
#include "cpu/decoder.h"
#include "cpu/flags.h"
#include "cpu/state.h"

namespace pc64 {

// Physical address space and I/O ports, provided by the machine.
class Bus {
 public:
  // Guest RAM: ram_size bytes at physical 0, and ram_hi_size more at
  // physical 4 GiB (kHighBase) when the machine has RAM above the PCI hole
  // (docs/PLATFORM.md). Everything else is MMIO through mmio_read/write.
  static constexpr u64 kHighBase = 1ull << 32;
  u8* ram = nullptr;
  u64 ram_size = 0;
  u8* ram_hi = nullptr;
  u64 ram_hi_size = 0;
  // The A20 gate: ANDed into every physical address the CPU forms (TLB
  // fills, page walks, PDPTE loads); ~(1 << 20) while the machine's A20
  // line is off (port 0x92), all ones otherwise. Changing it needs a TLB
  // flush.
  u64 a20_mask = ~0ull;
  // The host address of guest-physical [pa, pa + len) when all of it is
  // RAM in one region, else nullptr. Only TLB fills and page walks call
  // this; the TLB caches the result per page.
  u8* ram_at(u64 pa, u64 len) const {
    if (pa + len <= ram_size) return ram + pa;
    if (pa >= kHighBase && pa - kHighBase + len <= ram_hi_size) return ram_hi + (pa - kHighBase);
    return nullptr;
  }
  virtual ~Bus() = default;
  virtual u64 mmio_read(u64 pa, int size) { (void)pa; (void)size; return ~0ull; }
  virtual void mmio_write(u64 pa, int size, u64 v) { (void)pa; (void)size; (void)v; }
  virtual u32 io_in(u16 port, int size) { (void)port; (void)size; return ~0u; }
  virtual void io_out(u16 port, int size, u32 v) { (void)port; (void)size; (void)v; }
  // Interrupt acknowledge cycle (the machine's PICs): the vector of the
  // request behind the INTR line the machine drives with Cpu::set_intr().
  virtual u8 intr_ack() { return 0xff; }
};

enum class Access : u8 { Read, Write, Exec };

// Exception vectors (SDM Vol. 3A §6.3.1, Table 6-1).
enum : u8 {
  kExDE = 0, kExDB = 1, kExNMI = 2, kExBP = 3, kExOF = 4, kExBR = 5, kExUD = 6, kExNM = 7,
  kExDF = 8, kExTS = 10, kExNP = 11, kExSS = 12, kExGP = 13, kExPF = 14, kExMF = 16,
  kExAC = 17, kExMC = 18, kExXM = 19,
};

enum class ExitReason : u8 { None, Budget, Halt, Exception, Shutdown, Stop };

// What raised an event being delivered (SDM Vol. 3A §6.4, §6.13): software
// INT n/INT3/INTO check the gate DPL; Fault sets RF in the saved RFLAGS;
// External and Icebp (INT1) set EXT in error codes of nested faults.
enum class IntKind : u8 { Fault, Trap, Software, External, Icebp };

struct TlbEntry {
  u64 vpn;      // linear page number, or ~0 when empty
  u8* host;     // host address of the page start (nullptr: not RAM, use the bus)
  u64 ppage;    // physical page address
  u32 allow;    // kAllow* bits for which the fast path may proceed
  u32 pad;
};

enum : u32 {
  kAllowReadSup = 1, kAllowWriteSup = 2, kAllowExecSup = 4,
  kAllowReadUser = 8, kAllowWriteUser = 16, kAllowExecUser = 32,
};

class Cpu {
 public:
  static constexpr int kTlbSize = 256;

  CpuState s{};
  Bus* bus = nullptr;
  // The local APIC (set by the machine); nullptr: no x2APIC/TSC-deadline
  // MSRs, CR8 is a plain register (cpu/apic_port.h).
  ApicPort* apic = nullptr;
  // Enabled CPUID features (bit per Feature): default_features() from
  // cpuid.h, i.e. what CPUID reports. Tests may enable more rows.
  u64 features;

  // Fault record of the current instruction.
  bool faulted = false;
  u8 fault_vec = 0;
  bool fault_has_err = false;
  u32 fault_err = 0;
  u64 insn_start = 0;   // RIP of the instruction being executed
  u64 icount = 0;       // instructions retired
  // The machine's clock in ns (set by the machine; without one, a retired
  // instruction is 1 ns). The TSC counts at 1 GHz of it: TSC = clock +
  // s.tsc_offset (WRMSR IA32_TIME_STAMP_COUNTER moves the offset), the
  // frequency CPUID leaves 15H/16H report (cpuid.cpp).
  u64 (*clock_ns)(void* ctx) = nullptr;
  void* clock_ctx = nullptr;
  u64 now_ns() const { return clock_ns ? clock_ns(clock_ctx) : icount; }
  u64 tsc() const { return s.tsc_offset + now_ns(); }
  ExitReason exit = ExitReason::None;
  // When set, exceptions stop the run loop instead of being delivered (the
  // differential tester and unit tests use this).
  bool stop_on_exception = false;

  TlbEntry tlb[kTlbSize];

  // Decoded-instruction cache, indexed by linear RIP. An entry is used only
  // if the instruction bytes in memory still equal the ones it was decoded
  // from (and the mode and features match), so self-modifying code and
  // remapped pages need no invalidation.
  struct DecodedEntry {
    u64 lin;
    u64 features;
    u8 code_size;
    u64 bytes[2];  // the instruction bytes, and masks selecting insn.len of them
    u64 mask[2];
    Insn insn;
  };
  static constexpr int kDecodeCacheSize = 4096;
  DecodedEntry* dcache = nullptr;

  // Decoded blocks (cpu/blocks.cpp): straight-line runs of up to
  // kBlockInsns instructions within one page, ending at a BRANCH or SERIAL
  // row. run() executes a block's instructions back to back after one
  // lookup that compares the block's bytes with memory; a store into the
  // block's page during the block (smc_hit) ends it, so the next lookup
  // sees the new bytes.
  static constexpr int kBlockInsns = 8;
  static constexpr int kBlockBytes = 64;
  struct DecodedBlock {
    u64 lin;  // linear address of the first instruction; ~0: empty
    u64 features;
    u8 code_size;
    u8 n;       // instructions
    u8 nbytes;  // their total length
    u64 bytes[kBlockBytes / 8];  // the instruction bytes, zero beyond nbytes
    Insn insn[kBlockInsns];
  };
  static constexpr int kBlockCacheSize = 4096;
  DecodedBlock* blocks = nullptr;
  const u8* block_host = nullptr;  // host page of the running block, or nullptr
  bool smc_hit = false;            // a store went to block_host's page

  Cpu();
  ~Cpu();
  Cpu(const Cpu&) = delete;
  Cpu& operator=(const Cpu&) = delete;

  // ---- modes ----
  bool mode64() const { return s.mode == (u8)CpuMode::Long64; }
  void update_mode();     // recompute mode/code_size/stack_size after CR0/EFER/CS changes
  DecodeMode decode_mode() const { return {s.code_size, features}; }

  // Sets up flat segments for the given code size at CPL `cpl` (2/4/8; 8 = long mode).
  void set_flat_mode(int code_size, int cpl);

  // ---- faults ----
  bool raise(u8 vec) { faulted = true; fault_vec = vec; fault_has_err = false; fault_err = 0; return false; }
  bool raise(u8 vec, u32 err) { faulted = true; fault_vec = vec; fault_has_err = true; fault_err = err; return false; }
  // A trap-class event (INT3, INTO, INT n, single-step): RIP stays after the instruction.
  bool raise_trap(u8 vec) { raise(vec); fault_is_trap = true; return false; }
  bool fault_is_trap = false;

  // ---- memory (segmented access; returns false after raising a fault) ----
  template <int N> bool read(u8 seg, u64 off, u64* out, Access acc = Access::Read);
  template <int N> bool write(u8 seg, u64 off, u64 v);
  bool read_bytes(u8 seg, u64 off, void* dst, u32 n, Access acc = Access::Read);
  bool write_bytes(u8 seg, u64 off, const void* src, u32 n);

  // Segment -> linear address, with limit and canonical checks.
  bool linear(u8 seg, u64 off, u32 size, Access acc, u64* lin) {
    // 64-bit mode: the FS/GS base (the others are 0, SDM Vol. 3A §3.4.4)
    // and the canonical check; CR4.LA57 (bit 12) widens canonical
    // addresses from 48 to 57 bits. (Armed data breakpoints make
    // lin_fast_segs 0, sending every access to linear_slow.)
    if (PC64_LIKELY(s.mode == (u8)CpuMode::Long64 && seg < lin_fast_segs)) {
      const u64 a = seg >= FS ? s.seg[seg].base + off : off;
      const u64 last = a + size - 1;
      const int sh = (s.cr4 & (1u << 12)) ? 7 : 16;
      if (PC64_LIKELY((u64)(((i64)(a << sh)) >> sh) == a && (u64)(((i64)(last << sh)) >> sh) == last)) {
        *lin = a;
        return true;
      }
    }
    return linear_slow(seg, off, size, acc, lin);
  }
  bool linear_slow(u8 seg, u64 off, u32 size, Access acc, u64* lin);
  u8 lin_fast_segs = kNumSegs;  // segments below this take linear()'s 64-bit fast path

  // Linear -> host pointer for an access within one page, via the TLB.
  u8* translate(u64 lin, Access acc);
  // Page walk (mmu.cpp); fills the TLB entry or raises #PF.
  u8* tlb_fill(u64 lin, Access acc);
  void flush_tlb();
  void invlpg(u64 lin);

  // ---- execution ----
  ExitReason run(u64 budget);
  void step();
  // Runs up to `max` (>= 1) instructions of the decoded block at RIP, or one
  // step() when there is none; returns the instructions attempted.
  u64 run_block(u64 max);

  // ---- events between instructions (cpu/system/debug.cpp) ----
  // `attention` is nonzero whenever an instruction boundary needs more than
  // fetch-and-execute: a pending INTR, single-step, RF, an interrupt shadow,
  // armed debug registers or a held #DB. step() tests only this word; the
  // slow path (step_slow) handles the SDM Vol. 3A §6.9 priorities.
  enum : u32 {
    kAttnIntr = 1, kAttnTF = 2, kAttnRF = 4, kAttnShadow = 8, kAttnDr = 16, kAttnHeld = 32,
  };
  u32 attention = 0;
  // The INTR pin (SDM Vol. 3A §6.3.2), driven by the machine's PIC.
  void set_intr(bool level) { attention = level ? attention | kAttnIntr : attention & ~(u32)kAttnIntr; }
  // Interrupt shadow kinds (s.int_shadow): STI blocks interrupts for one
  // instruction; MOV SS / POP SS also hold back #DB traps (§6.8.3).
  enum : u8 { kShadowSti = 1, kShadowMovSs = 2 };
  void set_shadow(u8 kind) { s.int_shadow = kind; attention |= kAttnShadow; }
  // Something can happen between two iterations of a REP string
  // instruction: a single-step or breakpoint trap, or an interrupt that
  // IF lets in. Such instructions then run one iteration per step.
  bool rep_yields() const {
    return (attention & (kAttnTF | kAttnDr)) || ((attention & kAttnIntr) && (s.rflags & kIF));
  }
  // Recomputes every attention bit but kAttnIntr from the state (after
  // writes to RFLAGS, DR7, or state set from outside the interpreter).
  void refresh_attention();
  // Data breakpoints are armed (DR7 enables an R/W = 01 or 11 breakpoint):
  // every data access then goes through linear_slow, which notes hits.
  bool data_bp_armed = false;
  u32 db_hits = 0;   // DR6 B0-B3 of data and I/O breakpoints hit by this instruction
  u32 db_held = 0;   // DR6 bits of a #DB trap held back by a MOV SS shadow
  u32 db_pending = 0;  // DR6 bits of a #DB trap due before the next instruction (BT)
  void debug_trap_before_next(u32 dr6_bits) { db_pending |= dr6_bits; attention |= kAttnHeld; }
  bool event_delivered = false;  // interrupt() ran during this instruction
  void note_data_access(u64 lin, u32 size, Access acc);
  void note_io_access(u16 port, int size);
  // Fetches and decodes the instruction at insn_start (from the decode cache
  // when possible). Returns nullptr after raising a fault.
  const Insn* fetch_decode(Insn& scratch);
  void deliver_exception();
  // Delivers an event through the IVT / IDT (cpu/system/exceptions.cpp). The
  // return address pushed is s.rip. Nested faults become #DF or shutdown.
  void interrupt(u8 vec, IntKind kind, bool has_err = false, u32 err = 0);
  // Called for every event interrupt() delivers, nested faults included
  // (the machine's -d int trace); nullptr: nothing to call.
  void (*on_event)(void* ctx, u8 vec, IntKind kind, bool has_err, u32 err) = nullptr;
  void* event_ctx = nullptr;

  // ---- registers ----
  template <int N> u64 get_reg(u8 r, bool hi8) const {
    if constexpr (N == 1) return hi8 ? (s.gpr[r] >> 8) & 0xff : s.gpr[r] & 0xff;
    else return s.gpr[r] & width_mask(N);
  }
  template <int N> void set_reg(u8 r, bool hi8, u64 v) {
    if constexpr (N == 1) {
      if (hi8) s.gpr[r] = (s.gpr[r] & ~0xff00ull) | ((v & 0xff) << 8);
      else s.gpr[r] = (s.gpr[r] & ~0xffull) | (v & 0xff);
    } else if constexpr (N == 2) {
      s.gpr[r] = (s.gpr[r] & ~0xffffull) | (v & 0xffff);
    } else if constexpr (N == 4) {
      s.gpr[r] = (u32)v;  // 32-bit writes zero-extend (SDM Vol. 1 §3.4.1.1)
    } else {
      s.gpr[r] = v;
    }
  }
  u64 get_reg_n(int n, u8 r, bool hi8) const;
  void set_reg_n(int n, u8 r, bool hi8, u64 v);

  u64 rflags() const { return read_rflags(s); }
  void set_rflags(u64 v);  // writes all bits (callers mask what the instruction may change)

  // Stack pointer width and push/pop helpers (SDM Vol. 1 §6.2.3).
  int stack_width() const { return mode64() ? 8 : s.stack_size; }
  bool push(int n, u64 v);
  bool pop(int n, u64* v);   // reads and increments rSP
  bool peek(int n, u64 off, u64* v);  // reads at rSP+off without moving it

  u64 mask_ip(u64 ip) const { return mode64() ? ip : (s.code_size == 2 ? ip & 0xffff : ip & 0xffffffffull); }

 private:
  void step_slow();
  inline void exec_insn();
  bool build_block(DecodedBlock& b, u64 lin, const u8* p);
  void finish_fault();
  bool slow_read(u8 seg, u64 off, void* dst, u32 n, Access acc);
  bool slow_write(u8 seg, u64 off, const void* src, u32 n);
};

// ---- inline fast paths ----

inline u8* Cpu::translate(u64 lin, Access acc) {
  const TlbEntry& e = tlb[(lin >> 12) & (kTlbSize - 1)];
  u32 need = acc == Access::Write ? kAllowWriteSup : acc == Access::Exec ? kAllowExecSup : kAllowReadSup;
  if (s.cpl == 3) need <<= 3;
  if (PC64_LIKELY(e.vpn == (lin >> 12) && (e.allow & need) && e.host)) {
    if (acc == Access::Write && PC64_UNLIKELY(e.host == block_host)) smc_hit = true;
    return e.host + (lin & 0xfff);
  }
  u8* p = tlb_fill(lin, acc);
  if (acc == Access::Write && p && p - (lin & 0xfff) == block_host) smc_hit = true;
  return p;
}

// Fetches and runs one instruction; the caller handles `faulted`.
PC64_ALWAYS_INLINE void Cpu::exec_insn() {
  insn_start = s.rip;
  faulted = false;
  Insn scratch;
  const Insn* insn = fetch_decode(scratch);
  if (PC64_LIKELY(insn != nullptr)) {
    s.rip = mask_ip(insn_start + insn->len);
    insn->fn(*this, *insn);
  }
}

template <int N> inline bool Cpu::read(u8 seg, u64 off, u64* out, Access acc) {
  u64 lin;
  if (!linear(seg, off, N, acc, &lin)) return false;
  if (PC64_LIKELY((lin & 0xfff) <= 0x1000 - N)) {
    u8* p = translate(lin, acc);
    if (PC64_LIKELY(p != nullptr)) {
      *out = load_le<typename UintOf<N>::T>(p);
      return true;
    }
    if (faulted) return false;
  }
  typename UintOf<N>::T v;
  if (!slow_read(seg, off, &v, N, acc)) return false;
  *out = v;
  return true;
}

template <int N> inline bool Cpu::write(u8 seg, u64 off, u64 v) {
  u64 lin;
  if (!linear(seg, off, N, Access::Write, &lin)) return false;
  if (PC64_LIKELY((lin & 0xfff) <= 0x1000 - N)) {
    u8* p = translate(lin, Access::Write);
    if (PC64_LIKELY(p != nullptr)) {
      store_le<typename UintOf<N>::T>(p, (typename UintOf<N>::T)v);
      return true;
    }
    if (faulted) return false;
  }
  typename UintOf<N>::T t = (typename UintOf<N>::T)v;
  return slow_write(seg, off, &t, N);
}

}  // namespace pc64
