// 16550A UART registers (PC16550D datasheet, Table II): offset 0 RBR/THR
// (DLL when LCR.DLAB), 1 IER (DLM), 2 IIR on read / FCR on write, 3 LCR,
// 4 MCR, 5 LSR, 6 MSR, 7 SCR. Transmission is instantaneous, so LSR always
// reports THRE and TEMT.
#include "machine/uart16550.h"

namespace pc64 {

u32 Uart16550::io_read(u16 port, int size) {
  (void)size;
  switch (port - base_) {
    case 0:
      if (dlab()) return dll_;
      rx_ready_ = false;
      return rbr_;
    case 1: return dlab() ? dlm_ : ier_;
    case 2: {
      // IIR: bit 0 = no interrupt pending; bits 7:6 = 11 when FIFOs are on.
      u8 v = (fcr_ & 1) ? 0xc0 : 0x00;
      if (rx_ready_ && (ier_ & 1)) return v | 0x04;
      if (thr_irq_ && (ier_ & 2)) {
        thr_irq_ = false;
        return v | 0x02;
      }
      return v | 0x01;
    }
    case 3: return lcr_;
    case 4: return mcr_;
    case 5: return 0x60 | (rx_ready_ ? 1 : 0);  // THRE | TEMT | DR
    case 6:
      // In loopback, CTS/DSR/RI/DCD follow RTS/DTR/OUT1/OUT2.
      if (mcr_ & 0x10) return (u32)(((mcr_ & 0x02) << 3) | ((mcr_ & 0x01) << 5) | ((mcr_ & 0x04) << 4) | ((mcr_ & 0x08) << 4));
      return 0xb0;  // DCD, DSR, CTS asserted
    default: return scr_;
  }
}

void Uart16550::io_write(u16 port, int size, u32 v) {
  (void)size;
  const u8 b = (u8)v;
  switch (port - base_) {
    case 0:
      if (dlab()) {
        dll_ = b;
      } else if (mcr_ & 0x10) {
        rbr_ = b;  // loopback: the byte comes straight back
        rx_ready_ = true;
      } else {
        out(b);
        thr_irq_ = true;
      }
      break;
    case 1:
      if (dlab()) dlm_ = b;
      else {
        if ((b & 2) && !(ier_ & 2)) thr_irq_ = true;  // enabling THRE interrupt with THR empty
        ier_ = b & 0x0f;
      }
      break;
    case 2: fcr_ = b & 0xc9; break;
    case 3: lcr_ = b; break;
    case 4: mcr_ = b & 0x1f; break;
    case 7: scr_ = b; break;
    default: break;  // LSR and MSR are read-only
  }
}

}  // namespace pc64
