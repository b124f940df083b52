// The local APIC of the single CPU (Intel SDM Vol. 3A ch. 11): xAPIC
// registers in the 4-KByte MMIO page at IA32_APIC_BASE (default
// 0xFEE00000) and, in x2APIC mode, as MSRs 800H-8FFH (§11.12).
//
// Modelled: ID, version (0x14, six LVT entries: timer, thermal, perf,
// LINT0, LINT1, error; no CMCI, no EOI-broadcast suppression), TPR/APR/PPR
// (§11.8.3.1, CR8 = TPR[7:4]), EOI (level-triggered vectors send an EOI to
// the IOAPIC), LDR/DFR (flat and cluster logical destinations), SVR
// (software enable, spurious vector), 256-bit ISR/TMR/IRR, ESR (write to
// latch, §11.5.3), ICR with fixed/lowest-priority self IPIs and the
// shorthands (with one CPU, IPIs to others are dropped), the timer (one-
// shot, periodic, TSC-deadline; §11.5.4) and the x2APIC MSR rules.
// INIT, SIPI, SMI and NMI messages to this CPU are accepted and dropped:
// the core has no NMI/INIT pins yet (see docs/PLATFORM.md).
//
// Time: the timer counts the machine's virtual nanoseconds; its input is
// a 1 GHz "bus clock" (one count per ns before the divider), which the
// TSC also follows (TSC = virtual ns + offset), so TSC-deadline and count
// timers agree.
//
// Reset leaves LINT0 in ExtINT and LINT1 in NMI mode, unmasked, as PC
// firmware programs them for virtual-wire mode (MP spec 1.4 §3.6.2.2):
// the 8259 PIC then reaches INTR through LINT0 even with the APIC software-
// disabled (SVR[8] = 0), which is what a guest that never touches the APIC
// sees.
#pragma once
#include "cpu/apic_port.h"
#include "cpu/cpu.h"

namespace pc64 {

class Lapic : public ApicPort {
 public:
  static constexpr u64 kNever = ~0ull;
  static constexpr u32 kVersion = 0x00050014;  // version 14H, max LVT entry 5
  enum : u8 { kModeFixed = 0, kModeLowest = 1, kModeSmi = 2, kModeNmi = 4, kModeInit = 5,
              kModeStartup = 6, kModeExtInt = 7 };

  // Wiring (set by the machine). `clock` gives virtual ns; `changed` is
  // called whenever the INTR output may have changed; `eoi` receives the
  // vector of an EOI for a level-triggered interrupt (to the IOAPIC).
  Cpu* cpu = nullptr;
  u64 (*clock)(void* ctx) = nullptr;
  void (*changed)(void* ctx) = nullptr;
  void (*eoi)(void* ctx, u8 vector) = nullptr;
  void* ctx = nullptr;

  // Power-up state plus the firmware's virtual-wire LINT0/LINT1.
  void reset();

  bool hw_enabled() const { return cpu && (cpu->s.apic_base & (1u << 11)); }
  bool x2apic() const { return hw_enabled() && (cpu->s.apic_base & (1u << 10)); }
  bool sw_enabled() const { return svr_ & (1u << 8); }
  // The xAPIC MMIO page claims `pa` (xAPIC mode, page at APIC_BASE).
  bool mmio_hit(u64 pa) const;
  u64 mmio_read(u64 pa, int size);
  void mmio_write(u64 pa, int size, u64 v);

  // A message for this CPU (ICR, IOAPIC, LVT): delivery mode and vector;
  // `level` sets TMR so EOI is broadcast.
  void deliver(u8 mode, u8 vector, bool level);
  // Whether a destination (8-bit from the IOAPIC, or 32-bit in x2APIC
  // mode) selects this APIC (§11.6.2).
  bool match_dest(u32 dest, bool logical) const;

  // Highest IRR vector whose priority class beats the PPR, or -1 (§11.8.4).
  int pending_vector() const;
  // INTA: the pending vector moves from IRR to ISR (or the spurious
  // vector if nothing is pending any more, §11.9).
  u8 acknowledge();
  // The 8259's INT reaches the CPU's INTR through LINT0 in ExtINT mode, or
  // directly when the APIC is globally disabled (§11.4.3, virtual wire).
  bool extint_open() const;

  // Timer: fires what is due now; the virtual ns of the next event.
  void poll();
  u64 next_event_ns() const;
  // Whether the next timer event would raise an interrupt (HLT wake-up).
  bool timer_can_interrupt() const;

  // ApicPort (the CPU's side).
  bool apic_msr_read(u32 index, u64* v) override;
  bool apic_msr_write(u32 index, u64 v) override;
  bool apic_base_write(u64 old_value, u64 new_value) override;
  void apic_cr8_write(u8 cr8) override;

  // Register state (public for tests).
  u32 id_ = 0, tpr_ = 0, ldr_ = 0, dfr_ = ~0u, svr_ = 0xff;
  u32 isr_[8] = {}, tmr_[8] = {}, irr_[8] = {};
  u32 esr_ = 0, esr_pending_ = 0;
  u32 icr_lo_ = 0, icr_hi_ = 0;
  u32 lvt_[6] = {};  // timer, thermal, perf, LINT0, LINT1, error
  u32 timer_icr_ = 0, timer_dcr_ = 0;
  u64 tsc_deadline_ = 0;
  enum { kLvtTimer, kLvtThermal, kLvtPerf, kLvtLint0, kLvtLint1, kLvtError };

 private:
  // Register file by index (xAPIC offset >> 4 = x2APIC MSR - 800H).
  bool read_reg(u32 idx, u64* v, bool x2);
  bool write_reg(u32 idx, u64 v, bool x2);
  u32 ppr() const;
  u32 apr() const;
  void accept(u8 vector, bool level);
  void error(u32 bit);
  void do_eoi();
  void send_ipi(u32 lo, u32 dest);
  void notify() {
    if (changed) changed(ctx);
  }
  u64 now() const { return clock ? clock(ctx) : 0; }
  u64 tsc() const { return cpu ? cpu->tsc() : 0; }
  int timer_mode() const { return (lvt_[kLvtTimer] >> 17) & 3; }
  int timer_shift() const { return (int)((((timer_dcr_ & 3) | ((timer_dcr_ >> 1) & 4)) + 1) & 7); }
  void timer_start(u32 count);
  void timer_fire();
  u32 timer_ccr() const;
  // Count timer: counting started at t0_ with cnt0_ counts left; next
  // expiry at next_ (kNever when stopped).
  u64 t0_ = 0, next_ = kNever;
  u32 cnt0_ = 0;
};

}  // namespace pc64
