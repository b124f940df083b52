// The slow instruction boundary: external interrupts, the interrupt shadow,
// single-step, RF and the DR0-DR3 breakpoints (SDM Vol. 3A ch. 17, §6.8.3,
// §6.9).
//
// Cpu::step() runs this only while `attention` is nonzero, so a guest that
// uses none of these pays one test per instruction. Around the instruction
// the order follows SDM Vol. 3A §6.9 (Table 6-2), highest priority first:
//   - traps of the previous instruction (single-step, data and I/O
//     breakpoints) were delivered when it completed (below);
//   - maskable external interrupts (INTR with IF = 1, no shadow);
//   - instruction breakpoint faults (unless RF = 1);
//   - then the instruction, with its own faults.
// Data breakpoints are noted by linear_slow() (cpu.cpp) while any is armed,
// I/O breakpoints by the port-permission check (interp/io.cpp).
#include "cpu/cpu.h"
#include "cpu/system/control_regs.h"

namespace pc64 {
namespace {

constexpr u64 kDr6BD = 1u << 13, kDr6BS = 1u << 14, kDr7GD = 1u << 13;

bool bp_enabled(u64 dr7, int n) { return (dr7 >> (2 * n)) & 3; }
u32 bp_rw(u64 dr7, int n) { return (dr7 >> (16 + 4 * n)) & 3; }
// LEN encodings (SDM Vol. 3A §17.2.5): 00 = 1 byte, 01 = 2, 10 = 8, 11 = 4.
u64 bp_len(u64 dr7, int n) {
  static constexpr u8 kLen[4] = {1, 2, 8, 4};
  return kLen[(dr7 >> (18 + 4 * n)) & 3];
}

// A breakpoint covers the LEN bytes at DRn with its low address bits
// ignored (DRn is taken as aligned to LEN, §17.2.5); an access of `size`
// bytes at `a` hits it when the two ranges overlap.
bool overlaps(u64 dr, u64 len, u64 a, u64 size) {
  const u64 lo = dr & ~(len - 1);
  return a < lo + len && lo < a + size;
}

}  // namespace

void Cpu::refresh_attention() {
  const u64 dr7 = s.dr[7];
  bool data = false, any = false;
  for (int n = 0; n < 4; ++n) {
    if (!bp_enabled(dr7, n)) continue;
    any = true;
    if (bp_rw(dr7, n) & 1) data = true;  // 01 write, 11 read/write
  }
  data_bp_armed = data;
  lin_fast_segs = data ? 0 : kNumSegs;
  u32 a = attention & kAttnIntr;
  if (s.rflags & kTF) a |= kAttnTF;
  if (s.rflags & kRF) a |= kAttnRF;
  if (s.int_shadow) a |= kAttnShadow;
  if (any) a |= kAttnDr;
  if (db_held | db_pending) a |= kAttnHeld;
  attention = a;
}

void Cpu::note_data_access(u64 lin, u32 size, Access acc) {
  const u64 dr7 = s.dr[7];
  for (int n = 0; n < 4; ++n) {
    if (!bp_enabled(dr7, n)) continue;
    const u32 rw = bp_rw(dr7, n);
    if (rw == 1 ? acc != Access::Write : rw != 3) continue;
    if (overlaps(s.dr[n], bp_len(dr7, n), lin, size)) db_hits |= 1u << n;
  }
}

// I/O breakpoints (R/W = 10) exist only with CR4.DE = 1; DRn holds the
// port (SDM Vol. 3A §17.2.4, §17.2.5).
void Cpu::note_io_access(u16 port, int size) {
  if (!(s.cr4 & kCR4_DE)) return;
  const u64 dr7 = s.dr[7];
  for (int n = 0; n < 4; ++n)
    if (bp_enabled(dr7, n) && bp_rw(dr7, n) == 2 && overlaps(s.dr[n] & 0xffff, bp_len(dr7, n), port, (u64)size))
      db_hits |= 1u << n;
}

void Cpu::step_slow() {
  // A trap due before this instruction: the task-switch trap (TSS T flag)
  // comes after control passes to the new task and before its first
  // instruction (SDM Vol. 3A §17.3.1.5).
  if (db_pending) {
    s.dr[6] = (s.dr[6] & ~0xfull) | db_pending;
    db_pending = 0;
    insn_start = s.rip;
    raise_trap(kExDB);
    finish_fault();
    refresh_attention();
    return;
  }
  // One instruction boundary ends the shadow of the previous instruction.
  const u8 shadow = s.int_shadow;
  s.int_shadow = 0;

  // Maskable interrupts: IF = 1 and no STI / MOV SS shadow (SDM Vol. 3A
  // §6.8.1, §6.8.3). The return address is the next instruction (after a
  // HLT, the one following it).
  if ((attention & kAttnIntr) && (s.rflags & kIF) && !shadow) {
    insn_start = s.rip;
    const u8 vec = bus->intr_ack();
    interrupt(vec, IntKind::External);
    refresh_attention();
    return;
  }
  if (s.halted) {
    refresh_attention();
    return;
  }

  // Instruction breakpoints fault before the instruction unless RF = 1
  // (SDM Vol. 3A §17.3.1.1). Their address is the linear address of the
  // first byte, prefixes included; R/W = 00 needs LEN = 00 (§17.2.5).
  const bool rf = s.rflags & kRF;
  if (!rf && (attention & kAttnDr)) {
    const u64 lin = mode64() ? s.rip : (s.seg[CS].base + s.rip) & 0xffffffffull;
    u32 hit = 0;
    for (int n = 0; n < 4; ++n)
      if (bp_enabled(s.dr[7], n) && bp_rw(s.dr[7], n) == 0 && s.dr[n] == lin) hit |= 1u << n;
    if (hit) {
      s.dr[6] = (s.dr[6] & ~0xfull) | hit;
      insn_start = s.rip;
      raise(kExDB);
      finish_fault();
      refresh_attention();
      return;
    }
  }
  // RF is cleared when the instruction completes (SDM Vol. 3A §17.3.1.1);
  // clearing it first lets IRET and task switches load it. A faulting
  // instruction gets it back (the fault image has RF = 1 anyway, §6.13).
  if (rf) s.rflags &= ~(u64)kRF;
  // Single-step traps after an instruction that began with TF = 1, so TF
  // set by POPF or IRET takes effect one instruction later (§17.3.1.4).
  const bool tf = s.rflags & kTF;
  db_hits = 0;
  event_delivered = false;
  exec_insn();
  if (faulted) {
    if (rf && !fault_is_trap) s.rflags |= kRF;
    db_hits = 0;
    db_held = 0;
    finish_fault();
    refresh_attention();
    return;
  }
  ++icount;
  // An instruction that delivered an event itself (INT n, INT3, INTO,
  // INT1) entered its handler with TF = 0: no single-step trap follows it.
  u32 bits = db_hits | ((tf && !event_delivered) ? (u32)kDr6BS : 0u) | db_held;
  db_hits = 0;
  db_held = 0;
  if (bits && s.int_shadow == kShadowMovSs) {
    // MOV SS / POP SS hold debug traps until after the next instruction
    // (SDM Vol. 3A §6.8.3).
    db_held = bits;
    bits = 0;
  }
  if (bits) {
    s.dr[6] = (s.dr[6] & ~0xfull) | bits;
    raise_trap(kExDB);
    finish_fault();
  }
  refresh_attention();
}

}  // namespace pc64
