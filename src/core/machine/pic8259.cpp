// 8259A command decoding (8259A datasheet, Figures 7-9: ICW1-ICW4 and
// OCW1-OCW3). The command port is base+0, the data port base+1.
#include "machine/pic8259.h"

namespace pc64 {

int Pic8259::highest_in(u8 bits) const {
  for (int p = 0; p < 8; ++p) {
    const int irq = (lowest_ + 1 + p) & 7;
    if (bits & (1u << irq)) return irq;
  }
  return -1;
}

int Pic8259::pending() const {
  const int req = highest_in(irr & ~imr);
  if (req < 0) return -1;
  const int srv = highest_in(isr);
  if (srv >= 0 && priority_of(srv) <= priority_of(req)) return -1;
  return req;
}

bool Pic8259::could_raise(int irq) const {
  if (imr & (1u << irq)) return false;
  const int srv = highest_in(isr);
  return srv < 0 || priority_of(srv) > priority_of(irq);
}

u8 Pic8259::acknowledge() {
  const int irq = pending();
  if (irq < 0) return (u8)(vector_base | 7);  // spurious IRQ 7 (datasheet "Interrupt Sequence")
  irr &= (u8)~(1u << irq);
  if (aeoi_) {
    if (rotate_aeoi_) lowest_ = (u8)irq;
  } else {
    isr |= (u8)(1u << irq);
  }
  return (u8)(vector_base | irq);
}

void Pic8259::set_irq(int irq, bool level) {
  const u8 bit = (u8)(1u << (irq & 7));
  if (level && !(lines_ & bit)) irr |= bit;
  if (level) lines_ |= bit;
  else lines_ &= (u8)~bit;
}

u32 Pic8259::io_read(u16 port, int size) {
  (void)size;
  if (port == base_ + 1) return imr;
  if (poll_) {
    poll_ = false;
    const int irq = pending();
    if (irq < 0) return 0;
    irr &= (u8)~(1u << irq);
    isr |= (u8)(1u << irq);
    return 0x80 | (u32)irq;
  }
  return read_isr_ ? isr : irr;
}

void Pic8259::io_write(u16 port, int size, u32 v) {
  (void)size;
  const u8 b = (u8)v;
  if (port == base_) {
    if (b & 0x10) {  // ICW1
      init_step_ = 2;
      need_icw3_ = !(b & 0x02);  // not SNGL: cascaded
      need_icw4_ = b & 0x01;
      imr = 0;
      isr = 0;
      irr = 0;
      lines_ = 0;
      lowest_ = 7;
      aeoi_ = read_isr_ = poll_ = rotate_aeoi_ = false;
      return;
    }
    if (b & 0x08) {  // OCW3
      if (b & 0x02) read_isr_ = b & 0x01;
      poll_ = b & 0x04;
      return;
    }
    // OCW2: bits 7:5 = R, SL, EOI; bits 2:0 = level.
    const int level = b & 7;
    switch (b >> 5) {
      case 1: {  // non-specific EOI
        const int irq = highest_in(isr);
        if (irq >= 0) isr &= (u8)~(1u << irq);
        break;
      }
      case 3: isr &= (u8)~(1u << level); break;  // specific EOI
      case 5: {  // rotate on non-specific EOI
        const int irq = highest_in(isr);
        if (irq >= 0) {
          isr &= (u8)~(1u << irq);
          lowest_ = (u8)irq;
        }
        break;
      }
      case 4: rotate_aeoi_ = true; break;
      case 0: rotate_aeoi_ = false; break;
      case 7:  // rotate on specific EOI
        isr &= (u8)~(1u << level);
        lowest_ = (u8)level;
        break;
      case 6: lowest_ = (u8)level; break;  // set priority
      default: break;
    }
    return;
  }
  // Data port: ICW2..ICW4 during initialisation, else OCW1 (the mask).
  switch (init_step_) {
    case 2:
      vector_base = b & 0xf8;
      init_step_ = need_icw3_ ? 3 : (need_icw4_ ? 4 : 0);
      break;
    case 3:  // ICW3: cascade wiring, fixed on the PC (slave on master IR2)
      init_step_ = need_icw4_ ? 4 : 0;
      break;
    case 4:
      aeoi_ = b & 0x02;
      init_step_ = 0;
      break;
    default: imr = b; break;
  }
  (void)master_;
}

}  // namespace pc64
