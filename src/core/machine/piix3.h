// The ISA bridge at 00:01.0: function 0 of the Intel 82371SB PIIX3
// (datasheet 290550), vendor 8086h, device 7000h, revision 00h, class
// 060100h (PCI-to-ISA bridge), header type 80h (multi-function: function 3
// is the PIIX4 power management function, piix4_pm.h, as on QEMU's "pc").
//
// PIRQ routing (PIRQRC[A:D], config 60h-63h, default 80h): bit 7 IRQROUTEN
// (1 = not routed), bits 3:0 the ISA IRQ (3-7, 9-12, 14, 15; any other
// value routes nowhere); bits 6:4 are reserved, read 0. PCI interrupt line
// PIRQn (pci.h: the bus ORs the functions sharing it) drives the chosen
// ISA IRQ, ORed with the other PIRQs routed to the same IRQ; re-routing
// releases the old IRQ. (An ISA device and a PIRQ on one IRQ are not
// combined: firmware routes PIRQs to IRQs no ISA device uses.)
// Other stored registers: IORT 4Ch (default 4Dh), XBCS 4Eh-4Fh (default
// 0003h), TOM 69h (default 02h), MSTAT 6Ah-6Bh, MBIRQ0/1 70h-71h (default
// 80h); they configure ISA timing and decode that pc64 does not model.
//
// Two I/O registers of the PIIX3 are here too:
// - Reset control, 0CF9h (RC): bit 1 SRST (hard vs soft reset; stored), bit
//   2 RCPU: a 0 -> 1 transition resets the system. Reads return bit 1.
// - Port 92h (system control port A, PIIX3 "fast A20 and INIT"): bit 1 the
//   fast A20 gate (1 = A20 enabled), bit 0 FAST_INIT: a 0 -> 1 transition
//   resets the CPU. Both bits read back as written; the others read 0.
// pc64 takes either reset as a request to reset the machine (`reset`).
#pragma once
#include "machine/pci.h"

namespace pc64 {

class Piix3 : public PciDevice, public IoDevice {
 public:
  static constexpr u16 kDeviceId = 0x7000;
  static constexpr u16 kPort92 = 0x92;

  void (*isa_irq)(void* ctx, int irq, bool level) = nullptr;
  void (*reset_request)(void* ctx) = nullptr;
  void (*a20)(void* ctx, bool enabled) = nullptr;
  void* ctx = nullptr;

  Piix3() { reset(); }
  // Power-on state, A20 enabled (what the firmware leaves for a kernel).
  void reset();

  // PIRQ line n (0-3) from the PCI bus.
  void set_pirq(int n, bool level);
  // The ISA IRQ PIRQ n is routed to, or -1.
  int pirq_route(int n) const;

  // Ports 0CF9h (through PciHost::reset_control) and 92h.
  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;
  bool a20_enabled() const { return port92_ & 2; }

 protected:
  void config_written(u8 off, int size) override;

 private:
  void update_irqs();
  bool pirq_[4] = {};
  u16 driven_ = 0;  // ISA IRQs this router is asserting
  u8 rc_ = 0, port92_ = 2;
};

}  // namespace pc64
