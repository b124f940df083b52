// The PIIX3 ISA bridge: PIRQ routing, reset control, port 92h (piix3.h).
#include "machine/piix3.h"

namespace pc64 {

void Piix3::reset() {
  __builtin_memset(cfg, 0, sizeof cfg);
  __builtin_memset(wmask, 0, sizeof wmask);
  __builtin_memset(w1cmask, 0, sizeof w1cmask);
  set_ids(0x8086, kDeviceId, 0x00, 0x060100, 0x80);
  // PCICMD 0007h: I/O, memory and bus master hardwired on; bit 3 (special
  // cycles) writable. PCISTS 0200h (DEVSEL medium), bits 13:11 RW1C.
  store_le<u16>(cfg + kCommand, 0x0007);
  set_wmask(kCommand, 2, 0x0008);
  store_le<u16>(cfg + kStatus, 0x0200);
  set_w1c(kStatus, 2, 0x3800);
  cfg[0x4c] = 0x4d;
  set_wmask(0x4c, 1, 0xff);
  store_le<u16>(cfg + 0x4e, 0x0003);
  set_wmask(0x4e, 2, 0x07ff);
  for (int i = 0; i < 4; ++i) {
    cfg[0x60 + i] = 0x80;
    set_wmask((u8)(0x60 + i), 1, 0x8f);
  }
  cfg[0x69] = 0x02;
  set_wmask(0x69, 1, 0xff);
  set_wmask(0x6a, 2, 0x0077);
  cfg[0x70] = cfg[0x71] = 0x80;
  set_wmask(0x70, 2, 0xefef);
  for (bool& p : pirq_) p = false;
  rc_ = 0;
  port92_ = 2;
  update_irqs();
}

int Piix3::pirq_route(int n) const {
  if (n < 0 || n > 3) return -1;
  const u8 r = cfg[0x60 + n];
  const int irq = r & 15;
  // Valid targets: IRQ 3-7, 9-12, 14, 15 (PIIX3 PIRQRC bits 3:0).
  constexpr u16 kValid = 0xdef8;
  if ((r & 0x80) || !((kValid >> irq) & 1)) return -1;
  return irq;
}

void Piix3::set_pirq(int n, bool level) {
  if (n < 0 || n > 3 || pirq_[n] == level) return;
  pirq_[n] = level;
  update_irqs();
}

void Piix3::update_irqs() {
  u16 want = 0;
  for (int n = 0; n < 4; ++n) {
    const int irq = pirq_route(n);
    if (pirq_[n] && irq >= 0) want = (u16)(want | (1u << irq));
  }
  const u16 changed = want ^ driven_;
  driven_ = want;
  for (int irq = 0; irq < 16; ++irq)
    if (((changed >> irq) & 1) && isa_irq) isa_irq(ctx, irq, (want >> irq) & 1);
}

void Piix3::config_written(u8 off, int size) {
  if (off < 0x64 && off + size > 0x60) update_irqs();
}

u32 Piix3::io_read(u16 port, int size) {
  (void)size;
  if (port == kPort92) return port92_;
  return rc_;  // 0CF9h
}

void Piix3::io_write(u16 port, int size, u32 v) {
  (void)size;
  if (port == kPort92) {
    const u8 old = port92_;
    port92_ = (u8)(v & 3);
    if (((old ^ port92_) & 2) && a20) a20(ctx, port92_ & 2);
    if ((port92_ & 1) && !(old & 1) && reset_request) reset_request(ctx);
    return;
  }
  const u8 old = rc_;
  rc_ = (u8)(v & 6);
  if ((rc_ & 4) && !(old & 4) && reset_request) reset_request(ctx);
  rc_ &= 2;  // RCPU is self-clearing: the reset ends the pulse
}

}  // namespace pc64
