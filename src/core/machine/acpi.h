// ACPI tables of the pc64 board (ACPI Specification 6.5), built by the
// core for a kernel booted without firmware and placed in the BIOS area
// 0xE0000-0xFFFFF (e820 reserved, docs/PLATFORM.md), where Linux also
// scans for the RSDP (§5.2.5.1: on a 16-byte boundary in 0xE0000-0xFFFFF).
//
//   RSDP  revision 2 (ACPI 2.0+ form, §5.2.5.3) -> RSDT and XSDT
//   RSDT, XSDT  -> FADT, MADT, HPET
//   FADT  revision 5 (268 bytes, §5.2.9) -> FACS, DSDT; the PIIX4 PM block
//         (piix4_pm.h) as PM1a_EVT/PM1a_CNT/PM_TMR (24-bit)/GPE0, SCI_INT 9,
//         no SMI_CMD (ACPI mode from the start: SCI_EN is already set),
//         RESET_REG = I/O 0xCF9 byte, value 6 (RESET_REG_SUP), century
//         register 0x32, IAPC_BOOT_ARCH legacy devices (+ 8042, or "CMOS RTC
//         not present", as configured), fixed-feature power button (PWR_BUTTON
//         clear), no sleep button, WBINVD, C1 (PROC_C1); C2/C3 latencies
//         above the limits (not supported)
//   FACS  64 bytes, 64-byte aligned (§5.2.10)
//   MADT  local APIC 0xFEE00000, PCAT_COMPAT; processor 0 = APIC ID 0,
//         IOAPIC ID 0 at 0xFEC00000 GSI base 0, interrupt source overrides
//         IRQ0 -> GSI 2 and IRQ9 (SCI) -> GSI 9 level/active-high, local
//         APIC NMI on LINT1 (§5.2.12)
//   HPET  the event timer block at 0xFED00000 (IA-PC HPET spec 1.0a §3.2.4)
//   DSDT  built in AML by acpi_dsdt.cpp
//
// Every table's checksum makes its bytes sum to 0 (§5.2.6), the RSDP's
// first 20 bytes and all 36 of them too (§5.2.5.3).
#pragma once
#include "base/base.h"

namespace pc64 {

constexpr u64 kAcpiBase = 0xe0000;
constexpr u32 kAcpiSize = 0x20000;

struct AcpiConfig {
  u16 pm_base = 0x600;                 // PIIX4 PMBA
  u8 sci_irq = 9;
  u8 pirq_irq[4] = {10, 10, 11, 11};   // PIRQA-D routing (Machine::kPirqIrq)
  u32 hpet_id = 0x8086a201;            // HPET GCAP_ID bits 31:0
  u16 com_base[4] = {0x3f8, 0, 0, 0};  // COM1-4 present (0: absent)
  u8 com_irq[4] = {4, 3, 4, 3};
  bool rtc = false;                    // an MC146818 RTC at 0x70 (IRQ 8)
  bool i8042 = false;                  // an 8042 keyboard controller at 0x60/0x64
};

// The table signatures and lengths as written (for tests and the DSDT
// decompile script).
struct AcpiLayout {
  u64 rsdp = 0, rsdt = 0, xsdt = 0, fadt = 0, facs = 0, dsdt = 0, madt = 0, hpet = 0;
};

// Writes the tables into `area`, the guest's kAcpiSize bytes at kAcpiBase.
// Returns the RSDP's guest address (kAcpiBase), or 0 if something did not
// fit (nothing then points at the tables).
u64 build_acpi_tables(u8* area, const AcpiConfig& cfg, AcpiLayout* layout = nullptr);

// Writes the DSDT's AML body (after the 36-byte header) into out[0, cap);
// returns its size, or 0 if it did not fit.
u32 build_dsdt_aml(u8* out, u32 cap, const AcpiConfig& cfg);

// The byte that makes p[0, n) sum to 0 mod 256 with it (in place at p[at]).
void acpi_fix_checksum(u8* p, u32 n, u32 at);
u8 acpi_sum(const u8* p, u32 n);

}  // namespace pc64
