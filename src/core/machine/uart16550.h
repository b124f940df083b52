// A 16550A UART (National Semiconductor PC16550D datasheet, "Register
// Description"): offset 0 RBR/THR (DLL when LCR.DLAB), 1 IER (DLM), 2 IIR
// on read / FCR on write, 3 LCR, 4 MCR, 5 LSR, 6 MSR, 7 SCR.
//
// Modelled: the divisor latch, 16-byte receive FIFO with trigger levels
// 1/4/8/14 and the character timeout interrupt (4 character times at the
// programmed baud rate and frame format, from virtual time), the 16450
// mode with one holding register when FIFOs are off, overrun, the four
// prioritised interrupt sources of IIR (Table IV), MCR with loopback
// (TX feeds RX; DTR/RTS/OUT1/OUT2 drive DSR/CTS/RI/DCD) and MSR delta bits.
//
// Transmission is instantaneous: a byte written to THR goes to `out` at
// once, so the transmit FIFO is always empty and LSR always reports THRE
// and TEMT. Host input is flow-controlled: bytes queued by the host
// (host_input) move into the receive FIFO as it has room, so they are
// never lost to an overrun; receive() models a byte arriving on the wire
// (it can overrun). Parity, framing and break errors never occur.
//
// On a PC the chip's INTR reaches the PIC only while OUT2 is set (the
// board's gate), and never in loopback, where the OUT pins are forced
// inactive (datasheet "MCR bit 4"); `irq` receives that gated level.
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class Uart16550 : public IoDevice {
 public:
  static constexpr u64 kNever = ~0ull;
  static constexpr u32 kHostQueue = 4096;

  Uart16550(u16 base, u8 irq_line) : base_(base), irq_line_(irq_line) {}
  explicit Uart16550(u16 base) : Uart16550(base, 4) {}
  u16 base() const { return base_; }
  u8 irq_line() const { return irq_line_; }
  ByteSink out;
  u64 (*clock)(void* ctx) = nullptr;  // virtual ns (the timeout interrupt)
  void (*irq)(void* ctx, bool level) = nullptr;
  void* ctx = nullptr;

  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;

  // Host side. host_input queues up to the free space and returns how
  // many bytes it took; receive() puts one byte on the wire now.
  u32 host_input(const u8* bytes, u32 n);
  u32 host_queued() const { return hq_len_; }
  void receive(u8 b);
  // The modem lines the host drives outside loopback (MSR bits 7-4:
  // DCD, RI, DSR, CTS); default all but RI asserted.
  void set_modem_lines(u8 msr_high);

  // Moves host input into the FIFO and drives `irq`; the virtual ns of the
  // next character timeout (kNever if none is due).
  void poll();
  u64 next_event_ns() const;
  bool irq_level() const { return line_; }
  // Received data would interrupt (IER bit 0, OUT2 set, not in loopback).
  bool rx_irq_armed() const { return (ier_ & 1) && (mcr_ & 0x08) && !loop(); }

 private:
  enum : u8 { kLsrDr = 1, kLsrOe = 2, kLsrThre = 0x20, kLsrTemt = 0x40 };
  u64 now() const { return clock ? clock(ctx) : 0; }
  bool dlab() const { return lcr_ & 0x80; }
  bool fifo_on() const { return fcr_ & 1; }
  bool loop() const { return mcr_ & 0x10; }
  u32 capacity() const { return fifo_on() ? 16 : 1; }
  u32 trigger() const;
  u64 char_ns() const;  // one frame at the current divisor and LCR
  void push_rx(u8 b);
  u8 pop_rx();
  void clear_rx();
  void feed();
  // IIR's interrupt identification (bit 0 = none pending) at time `t`.
  u8 ident(u64 t) const;
  void update_irq();
  u8 modem_in() const;  // MSR bits 7-4 now
  void set_msr_lines(u8 high);

  u16 base_;
  u8 irq_line_;
  u8 ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
  u8 dll_ = 0x0c, dlm_ = 0;  // 9600 baud
  u8 lsr_err_ = 0;           // OE (sticky until LSR is read)
  u8 msr_ = 0xb0;            // lines (7-4) as last seen, and delta bits (3-0)
  u8 host_lines_ = 0xb0;     // DCD, DSR, CTS
  bool thr_irq_ = false;     // THRE interrupt pending (cleared by IIR read / THR write)
  bool line_ = false;
  u8 rx_[16] = {};
  u32 rx_head_ = 0, rx_len_ = 0;
  u64 rx_activity_ = 0;  // virtual ns of the last FIFO load or read (timeout)
  u8 hq_[kHostQueue] = {};
  u32 hq_head_ = 0, hq_len_ = 0;
};

}  // namespace pc64
