// The 82441FX host bridge's configuration space (see i440fx.h).
#include "machine/i440fx.h"

namespace pc64 {

void I440fx::reset() {
  __builtin_memset(cfg, 0, sizeof cfg);
  __builtin_memset(wmask, 0, sizeof wmask);
  __builtin_memset(w1cmask, 0, sizeof w1cmask);
  set_ids(0x8086, kDeviceId, 0x02, 0x060000, 0x00);
  // PCICMD default 0006h: memory and bus-master enables hardwired on.
  store_le<u16>(cfg + kCommand, 0x0006);
  set_wmask(kCommand, 2, 0x0100);
  // PCISTS default 0280h: fast back-to-back capable, DEVSEL medium.
  store_le<u16>(cfg + kStatus, 0x0280);
  set_w1c(kStatus, 2, 0x3000);
  set_wmask(0x0d, 1, 0xf8);  // MLT
  set_wmask(0x59, 1, 0x30);  // PAM0: BIOS area F0000h-FFFFFh, bits 5:4 only
  for (int i = 0x5a; i <= 0x5f; ++i) set_wmask((u8)i, 1, 0x33);  // PAM1-6
  for (int i = 0x60; i <= 0x67; ++i) {
    cfg[i] = 0x01;  // DRB default
    set_wmask((u8)i, 1, 0xff);
  }
  cfg[0x72] = 0x02;  // SMRAM: C_BASE_SEG = 010b (A0000h), read-only
  set_wmask(0x72, 1, 0x78);
}

void I440fx::config_written(u8 off, int size) {
  // SMRAM D_LCK (bit 4): once set, D_OPEN (bit 6) reads 0 and only D_CLS
  // (bit 5) stays writable until reset (82441FX SMRAM register).
  if (off <= 0x72 && off + size > 0x72 && (cfg[0x72] & 0x10)) {
    cfg[0x72] = (u8)(cfg[0x72] & ~0x40);
    wmask[0x72] = 0x20;
  }
}

}  // namespace pc64
