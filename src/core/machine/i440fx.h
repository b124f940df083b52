// The host bridge at 00:00.0: the Intel 82441FX PCI and Memory Controller
// of the 440FX chipset (datasheet 290549), vendor 8086h, device 1237h,
// revision 02h, class 060000h (host bridge), single function. pc64 models
// this chip, with the PIIX3/PIIX4 functions (piix3.h, piix4_pm.h), because
// it is the PC that Linux, SeaBIOS, memtest86+ and QEMU's default "pc"
// machine all know, and it needs no PCI Express (docs/PLATFORM.md).
//
// What the guest may write (the rest is read-only): PCICMD bit 8 (SERRE),
// MLT 0Dh bits 7:3, PAM0 59h bits 5:4 and PAM1-6 5Ah-5Fh bits 5:4 and 1:0
// (the read/write enables of each shadow segment), DRB0-7 60h-67h and
// SMRAM 72h bits 6:3 (D_OPEN, D_CLS, D_LCK, G_SMRAME; setting D_LCK clears
// D_OPEN and leaves only D_CLS writable until reset). PCISTS bits 13:12
// (received master/target abort) are write-1-to-clear. The values are
// stored but change nothing: pc64 has no BIOS ROM to shadow, so PAM has no
// effect, DRAM sizing comes from -m, and there is no SMM. Reset control is
// the PIIX's, at I/O 0CF9h (piix3.h).
#pragma once
#include "machine/pci.h"

namespace pc64 {

class I440fx : public PciDevice {
 public:
  static constexpr u16 kDeviceId = 0x1237;
  I440fx() { reset(); }
  void reset();

 protected:
  void config_written(u8 off, int size) override;
};

}  // namespace pc64
