// The DSDT's AML (see acpi.h), written with the builder of aml.h. In ASL:
//
//   Name (\_S5, Package (4) { 0, 0, 0, 0 })     // SLP_TYP for S5 (piix4_pm.h)
//   Scope (\_SB) {
//     Device (PCI0) {                            // ACPI 6.5 §6.1.5, PCI Firmware spec
//       Name (_HID, EisaId ("PNP0A03"))  Name (_UID, 0)  Name (_BBN, 0)
//       Name (_CRS, ResourceTemplate () {
//         WordBusNumber 0-0xFF, IO 0xCF8 (8 ports, consumed),
//         WordIO 0-0xCF7, WordIO 0xD00-0xFFFF,
//         DWordMemory 0xA0000-0xBFFFF (VGA window, cacheable),
//         DWordMemory 0xC0000000-0xFEBFFFFF (the PCI hole below the IOAPIC)
//       })
//       Name (_PRT, Package () {                 // §6.2.13, static GSIs
//         Package (4) { 0xSSSSFFFF, pin, Zero, GSI } for slots 0-31, pins 0-3
//       })
//       Device (ISA) {
//         Name (_ADR, 0x00010000)
//         Device (PIC), Device (TMR), Device (COMn), [Device (RTC)], [KBD, MOU]
//       }
//     }
//     Device (HPET) { _HID PNP0103, _CRS Memory32Fixed (0xFED00000, 0x400) }
//     Device (CPU0) { _HID "ACPI0007", _UID 0 }
//   }
//
// The _PRT uses the GSI form (source Zero): PCI slot s pin INTx reaches
// PIRQ (s + x - 1) mod 4 (pci.h), which the firmware set-up routes to a
// fixed ISA IRQ (AcpiConfig::pirq_irq); with the IOAPIC's pins 0-15 being
// the ISA IRQs, that IRQ is the GSI, and the same number serves the 8259
// in PIC mode. The OS cannot re-route (there are no link devices).
#include "machine/acpi.h"
#include "machine/aml.h"
#include "machine/pci.h"

namespace pc64 {
namespace {

// Name (name, ResourceTemplate) from a filled template.
void name_buffer(Aml& a, const char* name, const ResTemplate& r) {
  a.name(name);
  const u32 b = a.buffer();
  a.bytes(r.data(), r.size());
  a.close_buffer(b);
}

// Device (name) { Name (_HID, EisaId (hid)) [Name (_UID, uid)] Name (_CRS, crs) }
void isa_device(Aml& a, const char* name, const char* hid, int uid, const ResTemplate& crs) {
  const u32 d = a.device(name);
  a.name("_HID").eisa_id(hid);
  if (uid >= 0) a.name("_UID").integer((u64)uid);
  name_buffer(a, "_CRS", crs);
  a.close(d);
}

void pci0_crs(Aml& a) {
  u8 buf[160];
  ResTemplate r(buf, sizeof buf);
  r.word_space(2, 0x00, 0x0000, 0x00ff);
  r.io(0x0cf8, 0x0cf8, 1, 8);
  r.word_space(1, 0x03, 0x0000, 0x0cf7);  // _RNG = entire range
  r.word_space(1, 0x03, 0x0d00, 0xffff);
  r.dword_space(0, 0x03, 0x000a0000, 0x000bffff);  // read-write, cacheable
  r.dword_space(0, 0x01, 0xc0000000, 0xfebfffff);  // read-write, non-cacheable
  r.end();
  name_buffer(a, "_CRS", r);
}

void pci0_prt(Aml& a, const AcpiConfig& c) {
  a.name("_PRT");
  const u32 p = a.package(PciBus::kSlots * 4);
  for (int slot = 0; slot < PciBus::kSlots; ++slot) {
    for (int pin = 0; pin < 4; ++pin) {
      const u32 e = a.package(4);
      a.integer(((u64)slot << 16) | 0xffff);  // _ADR: slot, any function
      a.integer((u64)pin);
      a.integer(0);  // Source: none, the next field is a GSI
      a.integer(c.pirq_irq[PciBus::pirq_of(slot, pin + 1)]);
      a.close(e);
    }
  }
  a.close(p);
}

void isa_bus(Aml& a, const AcpiConfig& c) {
  const u32 isa = a.device("ISA");
  a.name("_ADR").integer(0x00010000);  // 00:01.0
  u8 buf[32];
  {
    ResTemplate r(buf, sizeof buf);
    r.io(0x20, 0x20, 1, 2).io(0xa0, 0xa0, 1, 2).irq(1u << 2).end();
    isa_device(a, "PIC", "PNP0000", -1, r);
  }
  {
    ResTemplate r(buf, sizeof buf);
    r.io(0x40, 0x40, 1, 4).irq(1u << 0).end();
    isa_device(a, "TMR", "PNP0100", -1, r);
  }
  const char* const com_names[4] = {"COM1", "COM2", "COM3", "COM4"};
  for (int i = 0; i < 4; ++i) {
    if (!c.com_base[i]) continue;
    ResTemplate r(buf, sizeof buf);
    r.io(c.com_base[i], c.com_base[i], 1, 8).irq((u16)(1u << (c.com_irq[i] & 15))).end();
    isa_device(a, com_names[i], "PNP0501", i + 1, r);
  }
  if (c.rtc) {
    ResTemplate r(buf, sizeof buf);
    r.io(0x70, 0x70, 1, 2).irq(1u << 8).end();
    isa_device(a, "RTC", "PNP0B00", -1, r);
  }
  if (c.i8042) {
    ResTemplate r(buf, sizeof buf);
    r.io(0x60, 0x60, 1, 1).io(0x64, 0x64, 1, 1).irq(1u << 1).end();
    isa_device(a, "KBD", "PNP0303", -1, r);
    ResTemplate m(buf, sizeof buf);
    m.irq(1u << 12).end();
    isa_device(a, "MOU", "PNP0F13", -1, m);
  }
  a.close(isa);
}

}  // namespace

u32 build_dsdt_aml(u8* out, u32 cap, const AcpiConfig& c) {
  Aml a(out, cap);
  a.name("\\_S5");
  const u32 s5 = a.package(4);
  for (int i = 0; i < 4; ++i) a.integer(0);  // SLP_TYPa = SLP_TYPb = 0 (PIIX4 soft off)
  a.close(s5);

  const u32 sb = a.scope("\\_SB");
  const u32 pci0 = a.device("PCI0");
  a.name("_HID").eisa_id("PNP0A03");
  a.name("_UID").integer(0);
  a.name("_BBN").integer(0);
  pci0_crs(a);
  pci0_prt(a, c);
  isa_bus(a, c);
  a.close(pci0);

  u8 buf[16];
  ResTemplate r(buf, sizeof buf);
  r.mem32_fixed(0xfed00000, 0x400, false).end();
  isa_device(a, "HPET", "PNP0103", 0, r);

  const u32 cpu = a.device("CPU0");
  a.name("_HID").string("ACPI0007");
  a.name("_UID").integer(0);
  a.close(cpu);
  a.close(sb);
  return a.ok() ? a.size() : 0;
}

}  // namespace pc64
