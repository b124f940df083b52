// The ACPI power management function at 00:01.3: function 3 of the Intel
// 82371AB PIIX4 (datasheet 290562), vendor 8086h, device 7113h, revision
// 03h, class 068000h, as QEMU's "pc" pairs it with the PIIX3 ISA bridge.
//
// Configuration: PMBA 40h-43h (bit 0 reads 1: I/O space; bits 15:6 the
// base of the 64-byte PM I/O block), PMREGMISC 80h bit 0 (PMIOSE: the
// block decodes only while set), interrupt line 3Ch, interrupt pin 3Dh =
// 01h. Nothing else is writable (the SMBus function, device activity
// monitors and resume controls are not modelled).
//
// The PM I/O block (offsets from PMBA; the fixed-feature registers of
// ACPI 6.5 §4.8, which the FADT points at, acpi.h):
//   00h PMSTS (PM1_STS, RW1C): TMROF_STS 0, BM_STS 4, GBL_STS 5,
//       PWRBTN_STS 8, RTC_STS 10, PWRBTNOR_STS 11, WAK_STS 15
//   02h PMEN (PM1_EN): TMROF_EN 0, GBL_EN 5, PWRBTN_EN 8, RTC_EN 10
//   04h PMCNTRL (PM1_CNT): SCI_EN 0, BRLD_EN_BM 1, GBL_RLS 2 (write-only),
//       SUS_TYP 12:10, SUS_EN 13 (write-only: starts the sleep)
//   08h PMTMR (PM_TMR): the 24-bit ACPI PM timer at 3.579545 MHz
//       (ACPI 6.5 §4.8.3.3), counted from the machine's virtual time;
//       TMROF_STS is set each time bit 23 changes
//   0Ch GPSTS / 0Eh GPEN: the GPE0 block, 16 status (RW1C) and 16 enable
//       bits; raise_gpe() sets a status bit (for devices that signal
//       through a GPE; none does yet)
//   10h-3Fh (processor control, global and device status/control, GPIO):
//       not modelled, read 0 and ignore writes.
// SCI (IRQ 9, the FADT's SCI_INT) is asserted, level, while SCI_EN is set
// and a status bit has its enable set (PM1 or GPE0).
//
// Sleep: SUS_TYP 000b with SUS_EN is soft off (S5; PIIX4 PMCNTRL), which
// the DSDT's \_S5 names; it calls `sleep`. Other types (suspend to RAM,
// POS) are not offered in the DSDT and do nothing.
#pragma once
#include "machine/pci.h"

namespace pc64 {

class Piix4Pm : public PciDevice, public IoDevice {
 public:
  static constexpr u16 kDeviceId = 0x7113;
  static constexpr u32 kBlockSize = 64;
  static constexpr u64 kTimerHz = 3579545;
  static constexpr u64 kNever = ~0ull;
  // PM I/O block offsets.
  enum : u16 { kPm1Sts = 0x00, kPm1En = 0x02, kPm1Cnt = 0x04, kPmTmr = 0x08, kGpe0Sts = 0x0c,
               kGpe0En = 0x0e };
  enum : u16 { kTmrSts = 1u << 0, kGblSts = 1u << 5, kPwrBtnSts = 1u << 8, kRtcSts = 1u << 10,
               kSciEn = 1u << 0, kSlpEn = 1u << 13 };
  static constexpr u8 kSlpTypS5 = 0;

  u64 (*clock)(void* ctx) = nullptr;               // virtual ns
  void (*sci)(void* ctx, bool level) = nullptr;    // the SCI line (IRQ 9)
  void (*sleep)(void* ctx, int type) = nullptr;    // SUS_EN with SUS_TYP
  // The PM block moved: unmap `old_base` (0: was off), map `new_base`.
  void (*io_moved)(void* ctx, u16 old_base, u16 new_base) = nullptr;
  void* ctx = nullptr;

  Piix4Pm() { reset(); }
  void reset();
  // What firmware does before handing over (for a kernel booted without
  // it, as the FADT assumes): PMBA = `base`, PMIOSE on, SCI_EN set.
  void firmware_init(u16 base);

  u16 io_base() const { return mapped_; }  // 0 while the block is off
  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;

  // The 24-bit timer value now (PMTMR).
  u32 timer() const;
  // Latches TMROF_STS and updates the SCI; the virtual ns when the timer
  // can next raise an SCI (kNever if it cannot).
  void poll();
  u64 next_event_ns() const;
  bool can_interrupt() const { return next_event_ns() != kNever; }

  void press_power_button();
  void raise_gpe(int n);
  u16 pm1_status() const { return pm1_sts_; }

  // Virtual ns -> PM timer ticks (unwrapped), and back (rounded up).
  static u64 ticks_at(u64 ns) { return (u64)((u128)ns * kTimerHz / 1000000000u); }
  static u64 ns_of_tick(u64 tick) {
    return (u64)(((u128)tick * 1000000000u + kTimerHz - 1) / kTimerHz);
  }

 protected:
  void config_written(u8 off, int size) override;

 private:
  void latch_overflow();
  void update_sci();
  void remap();
  u64 now() const { return clock ? clock(ctx) : 0; }
  u16 pm1_sts_ = 0, pm1_en_ = 0, pm1_cnt_ = 0, gpe_sts_ = 0, gpe_en_ = 0;
  u64 epoch_ = 0;  // ticks >> 23 when TMROF_STS was last latched
  u16 mapped_ = 0;
  bool sci_ = false;
};

}  // namespace pc64
