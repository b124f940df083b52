// 16550A registers, FIFO and interrupt logic (see uart16550.h; PC16550D
// datasheet Table II for the registers, Table IV for the interrupts).
#include "machine/uart16550.h"

namespace pc64 {

u32 Uart16550::trigger() const {
  static constexpr u8 kLevels[4] = {1, 4, 8, 14};  // FCR bits 7-6
  return kLevels[fcr_ >> 6];
}

// Start bit, 5-8 data bits, optional parity, 1, 1.5 (5-bit words) or 2
// stop bits, at divisor * 16 clocks of 1.8432 MHz per bit. A divisor of 0
// counts as 65536.
u64 Uart16550::char_ns() const {
  const u32 data = 5 + (lcr_ & 3);
  u32 half_bits = 2 * (1 + data + ((lcr_ & 8) ? 1 : 0));
  half_bits += (lcr_ & 4) ? (data == 5 ? 3 : 4) : 2;
  u64 div = (u64)dll_ | ((u64)dlm_ << 8);
  if (div == 0) div = 65536;
  return half_bits * div * 16 * 1000000000ull / (2 * 1843200ull);
}

void Uart16550::push_rx(u8 b) {
  rx_activity_ = now();
  if (rx_len_ == capacity()) {
    // Overrun (LSR bit 1): in FIFO mode the byte in the shift register is
    // lost; in 16450 mode it overwrites the unread RBR.
    lsr_err_ |= kLsrOe;
    if (!fifo_on()) rx_[rx_head_] = b;
    return;
  }
  rx_[(rx_head_ + rx_len_) % 16] = b;
  ++rx_len_;
}

u8 Uart16550::pop_rx() {
  const u8 b = rx_[rx_head_];
  if (rx_len_ > 0) {
    rx_head_ = (rx_head_ + 1) % 16;
    --rx_len_;
  }
  rx_activity_ = now();
  return b;
}

void Uart16550::clear_rx() {
  rx_head_ = 0;
  rx_len_ = 0;
}

// Host bytes reach the receiver only outside loopback, as far as it has room.
void Uart16550::feed() {
  while (!loop() && hq_len_ > 0 && rx_len_ < capacity()) {
    push_rx(hq_[hq_head_]);
    hq_head_ = (hq_head_ + 1) % kHostQueue;
    --hq_len_;
  }
}

u32 Uart16550::host_input(const u8* bytes, u32 n) {
  u32 took = 0;
  while (took < n && hq_len_ < kHostQueue) {
    hq_[(hq_head_ + hq_len_) % kHostQueue] = bytes[took++];
    ++hq_len_;
  }
  feed();
  update_irq();
  return took;
}

void Uart16550::receive(u8 b) {
  if (!loop()) push_rx(b);
  update_irq();
}

u8 Uart16550::modem_in() const {
  if (!loop()) return host_lines_;
  // Loopback: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2.
  return (u8)(((mcr_ & 0x02) << 3) | ((mcr_ & 0x01) << 5) | ((mcr_ & 0x04) << 4) |
              ((mcr_ & 0x08) << 4));
}

// MSR delta bits: DCTS, DDSR and DDCD on any change, TERI when RI falls.
void Uart16550::set_msr_lines(u8 high) {
  const u8 old = msr_ & 0xf0, changed = old ^ high;
  u8 delta = 0;
  if (changed & 0x10) delta |= 0x01;
  if (changed & 0x20) delta |= 0x02;
  if ((old & 0x40) && !(high & 0x40)) delta |= 0x04;
  if (changed & 0x80) delta |= 0x08;
  msr_ = (u8)(high | (msr_ & 0x0f) | delta);
}

void Uart16550::set_modem_lines(u8 msr_high) {
  host_lines_ = msr_high & 0xf0;
  set_msr_lines(modem_in());
  update_irq();
}

// Interrupt priorities (Table IV): receiver line status, received data
// (or character timeout), THR empty, modem status.
u8 Uart16550::ident(u64 t) const {
  if ((ier_ & 4) && lsr_err_) return 0x06;
  if (ier_ & 1) {
    if (fifo_on()) {
      if (rx_len_ >= trigger()) return 0x04;
      if (rx_len_ > 0 && t >= rx_activity_ + 4 * char_ns()) return 0x0c;
    } else if (rx_len_ > 0) {
      return 0x04;
    }
  }
  if ((ier_ & 2) && thr_irq_) return 0x02;
  if ((ier_ & 8) && (msr_ & 0x0f)) return 0x00;
  return 0x01;
}

void Uart16550::update_irq() {
  const bool on = !(ident(now()) & 1) && (mcr_ & 0x08) && !loop();
  if (on != line_) {
    line_ = on;
    if (irq) irq(ctx, on);
  }
}

void Uart16550::poll() {
  feed();
  update_irq();
}

u64 Uart16550::next_event_ns() const {
  if (line_ || !(mcr_ & 0x08) || loop() || !(ier_ & 1) || !fifo_on()) return kNever;
  if (rx_len_ == 0 || rx_len_ >= trigger()) return kNever;
  return rx_activity_ + 4 * char_ns();
}

u32 Uart16550::io_read(u16 port, int size) {
  (void)size;
  u8 v;
  switch ((port - base_) & 7) {
    case 0:
      if (dlab()) return dll_;
      v = pop_rx();
      feed();
      break;
    case 1: return dlab() ? dlm_ : ier_;
    case 2: {
      const u8 id = ident(now());
      if (id == 0x02) thr_irq_ = false;  // reading IIR clears the THRE interrupt it reports
      v = (u8)(id | (fifo_on() ? 0xc0 : 0));
      break;
    }
    case 3: return lcr_;
    case 4: return mcr_;
    case 5:
      v = (u8)((rx_len_ ? kLsrDr : 0) | lsr_err_ | kLsrThre | kLsrTemt);
      lsr_err_ = 0;
      break;
    case 6:
      v = msr_;
      msr_ &= 0xf0;  // reading MSR clears the delta bits
      break;
    default: return scr_;
  }
  update_irq();
  return v;
}

void Uart16550::io_write(u16 port, int size, u32 v) {
  (void)size;
  const u8 b = (u8)v;
  switch ((port - base_) & 7) {
    case 0:
      if (dlab()) {
        dll_ = b;
      } else {
        if (loop()) push_rx(b);  // loopback: the byte comes straight back
        else out(b);
        thr_irq_ = true;  // the THR is empty again at once
      }
      break;
    case 1:
      if (dlab()) {
        dlm_ = b;
      } else {
        if ((b & 2) && !(ier_ & 2)) thr_irq_ = true;  // enabling ETBEI with THR empty
        ier_ = b & 0x0f;
      }
      break;
    case 2:
      // FCR: bit 0 must be 1 for the other bits to be programmed; changing
      // it clears the FIFOs. Bit 1 clears the receive FIFO (bit 2 the
      // transmit FIFO, always empty here).
      if ((b & 1) != (fcr_ & 1)) clear_rx();
      if (!(b & 1)) {
        fcr_ = 0;
      } else {
        if (b & 2) clear_rx();
        fcr_ = b & 0xc9;
      }
      feed();
      break;
    case 3: lcr_ = b; break;
    case 4:
      mcr_ = b & 0x1f;
      set_msr_lines(modem_in());
      feed();
      break;
    case 7: scr_ = b; break;
    default: break;  // LSR and MSR are read-only
  }
  update_irq();
}

}  // namespace pc64
