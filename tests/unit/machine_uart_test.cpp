// 16550A UART (machine/uart16550.h): FIFO, IIR priorities, loopback, modem
// status, the character timeout, and hostile register writes.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "machine/uart16550.h"

namespace pc64 {
namespace {

struct UartRig {
  Uart16550 u{0x3f8, 4};
  u64 t = 0;
  bool level = false;
  std::string sent;
  UartRig() {
    u.clock = [](void* c) { return ((UartRig*)c)->t; };
    u.irq = [](void* c, bool l) { ((UartRig*)c)->level = l; };
    u.ctx = this;
    u.out.put = [](void* c, u8 b) { ((UartRig*)c)->sent.push_back((char)b); };
    u.out.ctx = this;
  }
  u8 in(int r) { return (u8)u.io_read((u16)(0x3f8 + r), 1); }
  void out(int r, u8 v) { u.io_write((u16)(0x3f8 + r), 1, v); }
  void feed(const char* s) { u.host_input((const u8*)s, (u32)strlen(s)); }
};

TEST(Uart, HostInputWithoutFifo) {
  UartRig r;
  r.feed("ab");
  EXPECT_EQ(r.in(5) & 1, 1);
  EXPECT_EQ(r.u.host_queued(), 1u);  // one holding register in 16450 mode
  EXPECT_EQ(r.in(0), 'a');
  EXPECT_EQ(r.in(0), 'b');
  EXPECT_EQ(r.in(5) & 1, 0);
  EXPECT_EQ(r.in(5) & 0x02, 0);  // flow-controlled host input never overruns
}

TEST(Uart, FifoTriggerLevelAndTimeout) {
  UartRig r;
  r.out(3, 0x80);  // 115200 8N1: divisor 1
  r.out(0, 1);
  r.out(1, 0);
  r.out(3, 0x03);
  r.out(2, 0xc7);  // FIFO on, clear both, trigger 14
  EXPECT_EQ(r.in(2) & 0xc0, 0xc0);
  r.out(4, 0x0b);  // DTR RTS OUT2
  r.out(1, 0x01);  // RX data interrupt
  r.feed("0123456789abcdefXYZ");
  EXPECT_EQ(r.u.host_queued(), 3u);
  EXPECT_EQ(r.in(2) & 0x0f, 0x04);  // 16 >= 14
  EXPECT_TRUE(r.level);
  for (int i = 0; i < 3; ++i) r.in(0);  // reading refills from the host queue
  EXPECT_EQ(r.u.host_queued(), 0u);
  for (int i = 0; i < 10; ++i) r.in(0);  // 3 left, below the trigger
  EXPECT_EQ(r.in(2) & 0x0f, 0x01);
  EXPECT_FALSE(r.level);
  const u64 due = r.u.next_event_ns();
  EXPECT_EQ(due, r.t + 4 * 86805u);  // 4 frames of 10 bits at 115200 baud
  r.t = due - 1;
  r.u.poll();
  EXPECT_FALSE(r.level);
  r.t = due;
  r.u.poll();
  EXPECT_TRUE(r.level);
  EXPECT_EQ(r.in(2) & 0x0f, 0x0c);  // character timeout
  EXPECT_EQ(r.in(0), 'd');          // a read clears it and restarts the timer
  EXPECT_EQ(r.in(2) & 0x0f, 0x01);
  r.out(2, 0x03);  // clear RX FIFO
  EXPECT_EQ(r.in(5) & 1, 0);
}

TEST(Uart, IirPrioritiesAndThre) {
  UartRig r;
  r.out(4, 0x08);
  r.out(1, 0x0f);  // all four sources
  EXPECT_EQ(r.in(2), 0x02);  // THR empty
  EXPECT_EQ(r.in(2), 0x01);  // reading IIR cleared it
  r.out(0, 'x');
  EXPECT_EQ(r.sent, "x");
  r.u.set_modem_lines(0x30);  // DCD drops: DDCD
  EXPECT_EQ(r.in(2), 0x02);   // THRE outranks modem status
  EXPECT_EQ(r.in(2), 0x00);   // modem status
  r.u.receive('a');
  r.u.receive('b');  // overrun in 16450 mode
  EXPECT_EQ(r.in(2), 0x06);  // line status first
  EXPECT_EQ(r.in(5) & 0x03, 0x03);
  EXPECT_EQ(r.in(5) & 0x02, 0);  // OE cleared by the LSR read
  EXPECT_EQ(r.in(2), 0x04);
  EXPECT_EQ(r.in(0), 'b');
  EXPECT_EQ(r.in(2), 0x00);
  EXPECT_EQ(r.in(6), 0x38);  // CTS DSR, DDCD
  EXPECT_EQ(r.in(6), 0x30);
  EXPECT_EQ(r.in(2), 0x01);
}

TEST(Uart, Out2GatesTheIrq) {
  UartRig r;
  r.out(1, 0x02);
  EXPECT_FALSE(r.level);  // OUT2 clear
  r.out(4, 0x08);
  EXPECT_TRUE(r.level);
  r.in(2);
  EXPECT_FALSE(r.level);
}

TEST(Uart, LoopbackFeedsTxAndModemLines) {
  UartRig r;
  r.out(2, 0x01);
  r.out(4, 0x10);  // loop, all outputs low
  EXPECT_EQ(r.in(6) & 0xf0, 0x00);
  r.in(6);
  r.out(4, 0x1f);  // DTR RTS OUT1 OUT2 -> DSR CTS RI DCD
  EXPECT_EQ(r.in(6), 0xfb);  // lines up; DCTS DDSR DDCD (TERI only on a falling RI)
  r.out(4, 0x1b);  // OUT1 off: RI falls
  EXPECT_EQ(r.in(6), 0xb4);
  for (int i = 0; i < 17; ++i) r.out(0, (u8)('A' + i));
  EXPECT_EQ(r.sent, "");
  EXPECT_EQ(r.in(5) & 0x03, 0x03);  // the 17th byte overran the FIFO
  std::string got;
  while (r.in(5) & 1) got.push_back((char)r.in(0));
  EXPECT_EQ(got, "ABCDEFGHIJKLMNOP");
  r.out(1, 0x01);
  r.out(0, 'z');
  EXPECT_FALSE(r.level);  // no IRQ in loopback
  r.feed("h");
  EXPECT_EQ(r.in(0), 'z');  // host input waits while in loopback
  EXPECT_EQ(r.in(5) & 1, 0);
  r.out(4, 0x08);
  EXPECT_EQ(r.in(0), 'h');
}

TEST(Uart, DivisorLatchAndScratch) {
  UartRig r;
  r.out(3, 0x83);
  r.out(0, 0x34);
  r.out(1, 0x12);
  EXPECT_EQ(r.in(0), 0x34);
  EXPECT_EQ(r.in(1), 0x12);
  r.out(3, 0x03);
  EXPECT_EQ(r.in(1), 0x00);  // IER again
  r.out(7, 0x5a);
  EXPECT_EQ(r.in(7), 0x5a);
}

TEST(Uart, HostileWritesStayBounded) {
  UartRig r;
  for (int reg = 0; reg < 8; ++reg)
    for (int v = 0; v < 256; ++v) {
      r.out(reg, (u8)v);
      for (int rr = 0; rr < 8; ++rr) (void)r.in(rr);
      r.t += 1000;
      r.u.poll();
    }
  r.out(3, 0x80);
  r.out(0, 0);
  r.out(1, 0);  // divisor 0: 65536
  r.out(3, 0x07);
  r.out(2, 0x00);
  r.out(2, 0xc1);  // FIFO (emptied), trigger 14
  r.out(4, 0x08);
  r.out(1, 0x01);
  r.u.receive('x');
  EXPECT_EQ(r.u.next_event_ns(), r.t + 4 * (22ull * 65536 * 16 * 1000000000 / 3686400));
  for (int i = 0; i < 10000; ++i) r.u.receive((u8)i);
  u8 big[8192] = {};
  EXPECT_LE(r.u.host_input(big, sizeof big), Uart16550::kHostQueue);
}

}  // namespace
}  // namespace pc64
