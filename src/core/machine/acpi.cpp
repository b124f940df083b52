// The static ACPI tables (see acpi.h). Offsets are those of the ACPI 6.5
// tables named at each function.
#include "machine/acpi.h"

namespace pc64 {
namespace {

constexpr u64 kLapicBase = 0xfee00000, kIoapicBase = 0xfec00000, kHpetBase = 0xfed00000;
constexpr u16 kResetPort = 0xcf9;

// Bump allocator over the area; addresses are guest-physical.
struct Area {
  u8* p;
  u32 used = 0;
  bool ok = true;
  u8* alloc(u32 n, u32 align, u64* addr) {
    const u32 at = (used + align - 1) & ~(align - 1);
    if (at + n > kAcpiSize) {
      ok = false;
      return nullptr;
    }
    used = at + n;
    *addr = kAcpiBase + at;
    __builtin_memset(p + at, 0, n);
    return p + at;
  }
};

// The common header (§5.2.6): signature, length, revision, checksum (fixed
// last), OEMID, OEM table ID, OEM revision, creator ID and revision.
void header(u8* t, const char* sig, u32 len, u8 rev) {
  __builtin_memcpy(t, sig, 4);
  store_le<u32>(t + 4, len);
  t[8] = rev;
  __builtin_memcpy(t + 10, "PC64  ", 6);
  __builtin_memcpy(t + 16, "PC64    ", 4);
  __builtin_memcpy(t + 20, sig, 4);  // OEM table ID: "PC64" + signature
  store_le<u32>(t + 24, 1);
  __builtin_memcpy(t + 28, "PC64", 4);
  store_le<u32>(t + 32, 1);
}

// Generic Address Structure (§5.2.3.2): space 0 memory, 1 I/O; access
// size 1 byte, 2 word, 3 dword, 4 qword.
void gas(u8* g, u8 space, u8 bits, u8 access, u64 addr) {
  g[0] = space;
  g[1] = bits;
  g[2] = 0;
  g[3] = access;
  store_le<u64>(g + 4, addr);
}

// FADT (§5.2.9, Table 5.9), revision 5.
void fill_fadt(u8* f, const AcpiConfig& c, u64 facs, u64 dsdt) {
  header(f, "FACP", 268, 5);
  store_le<u32>(f + 36, (u32)facs);  // FIRMWARE_CTRL
  store_le<u32>(f + 40, (u32)dsdt);  // DSDT
  f[45] = 0;                         // Preferred_PM_Profile: unspecified
  store_le<u16>(f + 46, c.sci_irq);  // SCI_INT
  // SMI_CMD (48), ACPI_ENABLE/DISABLE, S4BIOS_REQ, PSTATE_CNT: 0 -- the
  // hardware is in ACPI mode already (§4.8.2.1: SMI_CMD 0 means that).
  const u32 pm = c.pm_base;
  store_le<u32>(f + 56, pm + 0x00);  // PM1a_EVT_BLK
  store_le<u32>(f + 64, pm + 0x04);  // PM1a_CNT_BLK
  store_le<u32>(f + 76, pm + 0x08);  // PM_TMR_BLK
  store_le<u32>(f + 80, pm + 0x0c);  // GPE0_BLK
  f[88] = 4;                         // PM1_EVT_LEN
  f[89] = 2;                         // PM1_CNT_LEN
  f[91] = 4;                         // PM_TMR_LEN
  f[92] = 4;                         // GPE0_BLK_LEN: 2 status + 2 enable bytes
  store_le<u16>(f + 96, 0x0fff);     // P_LVL2_LAT > 100: no C2
  store_le<u16>(f + 98, 0x0fff);     // P_LVL3_LAT > 1000: no C3
  f[108] = 0x32;                     // CENTURY: CMOS register 32h
  // IAPC_BOOT_ARCH (Table 5.10): bit 0 LEGACY_DEVICES, bit 1 8042, bit 2
  // VGA Not Present, bit 5 CMOS RTC Not Present.
  u16 arch = 1 | 4;
  if (c.i8042) arch |= 2;
  if (!c.rtc) arch |= 1u << 5;
  store_le<u16>(f + 109, arch);
  // Flags (Table 5.11): WBINVD 0, PROC_C1 2, SLP_BUTTON 5 (no fixed sleep
  // button; PWR_BUTTON 4 clear: fixed-feature power button), FIX_RTC 6
  // (no RTC wake status), RESET_REG_SUP 10. TMR_VAL_EXT 8 clear: 24 bits.
  store_le<u32>(f + 112, (1u << 0) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 10));
  gas(f + 116, 1, 8, 1, kResetPort);  // RESET_REG
  f[128] = 6;                         // RESET_VALUE: RCPU | SRST (piix3.h)
  store_le<u64>(f + 140, dsdt);       // X_DSDT
  gas(f + 148, 1, 32, 2, pm + 0x00);  // X_PM1a_EVT_BLK
  gas(f + 172, 1, 16, 2, pm + 0x04);  // X_PM1a_CNT_BLK
  gas(f + 208, 1, 32, 3, pm + 0x08);  // X_PM_TMR_BLK
  gas(f + 220, 1, 32, 1, pm + 0x0c);  // X_GPE0_BLK
  acpi_fix_checksum(f, 268, 9);
}

// FACS (§5.2.10, Table 5.14): no checksum; version 2.
void fill_facs(u8* f) {
  __builtin_memcpy(f, "FACS", 4);
  store_le<u32>(f + 4, 64);
  f[32] = 2;
}

// MADT (§5.2.12): the fixed part, then the interrupt controller structures.
u32 fill_madt(u8* m, const AcpiConfig& c) {
  u32 n = 44;
  store_le<u32>(m + 36, (u32)kLapicBase);
  store_le<u32>(m + 40, 1);  // PCAT_COMPAT: dual 8259s present
  // Processor Local APIC (§5.2.12.2): UID 0, APIC ID 0, enabled.
  const u8 lapic[8] = {0, 8, 0, 0, 1, 0, 0, 0};
  __builtin_memcpy(m + n, lapic, 8);
  n += 8;
  // I/O APIC (§5.2.12.3): ID 0, address, GSI base 0.
  u8* io = m + n;
  io[0] = 1;
  io[1] = 12;
  store_le<u32>(io + 4, (u32)kIoapicBase);
  n += 12;
  // Interrupt Source Overrides (§5.2.12.5): bus 0 (ISA), source, GSI,
  // MPS INTI flags (bits 1:0 polarity, 3:2 trigger: 01 = high/edge).
  auto iso = [&](u8 irq, u32 gsi, u16 flags) {
    u8* e = m + n;
    e[0] = 2;
    e[1] = 10;
    e[2] = 0;
    e[3] = irq;
    store_le<u32>(e + 4, gsi);
    store_le<u16>(e + 8, flags);
    n += 10;
  };
  iso(0, 2, 0);                   // PIT: conforms to the bus (edge, high)
  iso(c.sci_irq, c.sci_irq, 0x000d);  // SCI: level (11b), active high (01b)
  // Local APIC NMI (§5.2.12.7): all processors (UID 0xFF), edge/high, LINT1.
  const u8 nmi[6] = {4, 6, 0xff, 0x05, 0x00, 1};
  __builtin_memcpy(m + n, nmi, 6);
  n += 6;
  header(m, "APIC", n, 4);
  acpi_fix_checksum(m, n, 9);
  return n;
}

// HPET description table (IA-PC HPET spec 1.0a §3.2.4, Table 3).
void fill_hpet(u8* h, const AcpiConfig& c) {
  header(h, "HPET", 56, 1);
  store_le<u32>(h + 36, c.hpet_id);
  gas(h + 40, 0, 64, 0, kHpetBase);
  h[52] = 0;                     // HPET number
  store_le<u16>(h + 53, 0x0080);  // main counter minimum clock tick in periodic mode
  h[55] = 0;                     // no page protection
  acpi_fix_checksum(h, 56, 9);
}

}  // namespace

u8 acpi_sum(const u8* p, u32 n) {
  u8 s = 0;
  for (u32 i = 0; i < n; ++i) s = (u8)(s + p[i]);
  return s;
}

void acpi_fix_checksum(u8* p, u32 n, u32 at) {
  p[at] = 0;
  p[at] = (u8)(0 - acpi_sum(p, n));
}

u64 build_acpi_tables(u8* area, const AcpiConfig& cfg, AcpiLayout* layout) {
  Area a{area};
  AcpiLayout l;
  constexpr int kTables = 3;  // FADT, MADT, HPET
  u8* rsdp = a.alloc(36, 16, &l.rsdp);
  u8* rsdt = a.alloc(36 + 4 * kTables, 16, &l.rsdt);
  u8* xsdt = a.alloc(36 + 8 * kTables, 16, &l.xsdt);
  u8* fadt = a.alloc(268, 16, &l.fadt);
  u8* facs = a.alloc(64, 64, &l.facs);
  u8* madt = a.alloc(128, 16, &l.madt);
  u8* hpet = a.alloc(56, 16, &l.hpet);
  u8* dsdt = a.alloc(36, 16, &l.dsdt);
  if (!a.ok) return 0;
  // The DSDT takes the rest of the area.
  const u32 aml = build_dsdt_aml(dsdt + 36, kAcpiSize - a.used, cfg);
  if (!aml) return 0;
  header(dsdt, "DSDT", 36 + aml, 2);  // revision 2: 64-bit integers
  acpi_fix_checksum(dsdt, 36 + aml, 9);

  fill_fadt(fadt, cfg, l.facs, l.dsdt);
  fill_facs(facs);
  const u32 madt_len = fill_madt(madt, cfg);
  (void)madt_len;
  fill_hpet(hpet, cfg);

  const u64 tables[kTables] = {l.fadt, l.madt, l.hpet};
  header(rsdt, "RSDT", 36 + 4 * kTables, 1);
  header(xsdt, "XSDT", 36 + 8 * kTables, 1);
  for (int i = 0; i < kTables; ++i) {
    store_le<u32>(rsdt + 36 + 4 * i, (u32)tables[i]);
    store_le<u64>(xsdt + 36 + 8 * i, tables[i]);
  }
  acpi_fix_checksum(rsdt, 36 + 4 * kTables, 9);
  acpi_fix_checksum(xsdt, 36 + 8 * kTables, 9);

  // RSDP (§5.2.5.3): "RSD PTR ", checksum of bytes 0-19, OEMID, revision
  // 2, RSDT address, length 36, XSDT address, extended checksum of all 36.
  __builtin_memcpy(rsdp, "RSD PTR ", 8);
  __builtin_memcpy(rsdp + 9, "PC64  ", 6);
  rsdp[15] = 2;
  store_le<u32>(rsdp + 16, (u32)l.rsdt);
  store_le<u32>(rsdp + 20, 36);
  store_le<u64>(rsdp + 24, l.xsdt);
  acpi_fix_checksum(rsdp, 20, 8);
  acpi_fix_checksum(rsdp, 36, 32);
  if (layout) *layout = l;
  return l.rsdp;
}

}  // namespace pc64
