// MC146818A RTC/CMOS (machine/rtc_cmos.h) with a fake virtual clock.
#include <gtest/gtest.h>

#include "machine/rtc_cmos.h"

namespace pc64 {
namespace {

struct RtcRig {
  RtcCmos rtc;
  u64 t = 0;
  int edges = 0;
  bool level = false;
  RtcRig() {
    rtc.clock = [](void* c) { return ((RtcRig*)c)->t; };
    rtc.irq = [](void* c, bool l) {
      RtcRig* r = (RtcRig*)c;
      if (l && !r->level) ++r->edges;
      r->level = l;
    };
    rtc.ctx = this;
    rtc.set_time(0);
  }
  u8 rd(u8 i) {
    rtc.io_write(0x70, 1, i);
    return (u8)rtc.io_read(0x71, 1);
  }
  void wr(u8 i, u8 v) {
    rtc.io_write(0x70, 1, i);
    rtc.io_write(0x71, 1, v);
  }
  void at(u64 ns) {
    t = ns;
    rtc.poll();
  }
};

constexpr u64 kMs = 1000000, kS = 1000000000;

TEST(Rtc, EpochToBcdDate) {
  RtcRig r;
  r.rtc.set_time(1709164799);  // 2024-02-28 23:59:59 UTC, a Wednesday
  EXPECT_EQ(r.rd(0), 0x59);
  EXPECT_EQ(r.rd(2), 0x59);
  EXPECT_EQ(r.rd(4), 0x23);
  EXPECT_EQ(r.rd(6), 4);  // 1 = Sunday
  EXPECT_EQ(r.rd(7), 0x28);
  EXPECT_EQ(r.rd(8), 0x02);
  EXPECT_EQ(r.rd(9), 0x24);
  EXPECT_EQ(r.rtc.peek(0x32), 0x20);
  r.t = 1 * kS;  // one update later: leap day
  EXPECT_EQ(r.rd(7), 0x29);
  EXPECT_EQ(r.rd(4), 0x00);
  EXPECT_EQ(r.rd(6), 5);
  r.t = 1 * kS + 86400 * kS;
  EXPECT_EQ(r.rd(8), 0x03);
  EXPECT_EQ(r.rd(7), 0x01);
}

TEST(Rtc, BinaryAnd12HourModes) {
  RtcRig r;
  r.rtc.set_time(13 * 3600 + 5 * 60 + 7);  // 1970-01-01 13:05:07
  r.wr(0x0b, RtcCmos::kBDm | RtcCmos::kB24h);
  EXPECT_EQ(r.rd(4), 13);
  EXPECT_EQ(r.rd(0), 7);
  EXPECT_EQ(r.rd(9), 70);
  r.wr(0x0b, 0);  // BCD, 12-hour: 1 PM
  EXPECT_EQ(r.rd(4), 0x81);
  r.wr(4, 0x12);  // 12 AM = midnight
  r.wr(0x0b, RtcCmos::kB24h);
  EXPECT_EQ(r.rd(4), 0x00);
  r.wr(0x0b, 0);
  r.wr(4, 0x92);  // 12 PM = noon
  r.wr(0x0b, RtcCmos::kB24h);
  EXPECT_EQ(r.rd(4), 0x12);
}

TEST(Rtc, SetStopsUpdatesAndClearsUie) {
  RtcRig r;
  r.wr(0x0b, RtcCmos::kB24h | RtcCmos::kBUie);
  r.wr(0x0b, RtcCmos::kBSet | RtcCmos::kB24h | RtcCmos::kBUie);
  EXPECT_EQ(r.rd(0x0b) & RtcCmos::kBUie, 0);
  r.wr(0, 0x30);
  r.t = 5 * kS;
  EXPECT_EQ(r.rd(0), 0x30);  // no updates while SET
  r.wr(0x0b, RtcCmos::kB24h);
  r.t = 6 * kS;
  EXPECT_EQ(r.rd(0), 0x31);
}

TEST(Rtc, UipBeforeEachUpdate) {
  RtcRig r;
  r.t = kS - 3 * kMs;
  EXPECT_EQ(r.rd(0x0a), 0x26);
  r.t = kS - 1 * kMs;
  EXPECT_EQ(r.rd(0x0a), 0xa6);
  r.wr(0x0a, 0xff);  // UIP read-only; divider in reset
  EXPECT_EQ(r.rd(0x0a), 0x7f);
  r.t = 10 * kS;
  EXPECT_EQ(r.rd(0), 0x00);  // stopped: no updates in reset
}

TEST(Rtc, DividerReleaseFirstUpdateHalfSecondLater) {
  RtcRig r;
  r.wr(0x0a, 0x70);
  r.t = 3 * kS + 100;
  r.wr(0x0a, 0x26);
  r.t = 3 * kS + 100 + 499 * kMs;
  EXPECT_EQ(r.rd(0), 0x00);
  r.t = 3 * kS + 100 + 500 * kMs;
  EXPECT_EQ(r.rd(0), 0x01);
}

TEST(Rtc, PeriodicInterruptAt1024Hz) {
  RtcRig r;
  r.wr(0x0b, RtcCmos::kB24h | RtcCmos::kBPie);
  const u64 first = r.rtc.next_event_ns();
  EXPECT_EQ(first, 976563u);  // 32 ticks of 32.768 kHz, rounded up to a ns
  r.at(first - 1);
  EXPECT_FALSE(r.level);
  r.at(first);
  EXPECT_TRUE(r.level);
  EXPECT_EQ(r.rtc.next_event_ns(), RtcCmos::kNever);  // the line is up until C is read
  EXPECT_EQ(r.rd(0x0c), RtcCmos::kCIrqf | RtcCmos::kCPf);
  EXPECT_FALSE(r.level);
  EXPECT_EQ(r.rd(0x0c), 0);
  int n = 0;
  for (u64 t = first; t < first + 100 * kMs; t = r.rtc.next_event_ns()) {
    r.at(t);
    if (r.level) {
      ++n;
      r.rd(0x0c);
    }
  }
  EXPECT_EQ(n, 102);  // 1024 Hz over 100 ms, after the first
  r.wr(0x0a, 0x2f);   // 2 Hz
  r.rd(0x0c);
  const u64 p0 = r.rtc.next_event_ns(), t0 = r.t;
  EXPECT_LE(p0 - t0, 500 * kMs);
  r.at(p0);
  r.rd(0x0c);
  EXPECT_EQ(r.rtc.next_event_ns() - p0, 500 * kMs);
}

TEST(Rtc, RateSelectTable) {
  RtcRig r;
  r.wr(0x0b, RtcCmos::kB24h | RtcCmos::kBPie);
  const u64 want[16] = {0, 3906250, 7812500, 122071, 244141, 488282, 976563, 1953125, 3906250,
                        7812500, 15625000, 31250000, 62500000, 125000000, 250000000, 500000000};
  for (int rs = 0; rs < 16; ++rs) {
    r.wr(0x0a, (u8)(0x20 | rs));
    EXPECT_EQ(r.rtc.next_event_ns(), rs ? want[rs] : RtcCmos::kNever) << rs;
  }
}

TEST(Rtc, UpdateEndedInterruptOncePerSecond) {
  RtcRig r;
  r.wr(0x0a, 0x20);  // no periodic flag (PF latches even without PIE)
  r.wr(0x0b, RtcCmos::kB24h | RtcCmos::kBUie);
  EXPECT_EQ(r.rtc.next_event_ns(), kS);
  r.at(kS);
  EXPECT_TRUE(r.level);
  EXPECT_EQ(r.rd(0x0c), RtcCmos::kCIrqf | RtcCmos::kCUf);
  EXPECT_EQ(r.rtc.next_event_ns(), 2 * kS);
  EXPECT_EQ(r.rd(0), 0x01);
}

TEST(Rtc, AlarmWithDontCare) {
  RtcRig r;
  r.wr(0x0a, 0x20);
  r.wr(1, 0x05);
  r.wr(3, 0xc0);  // any minute
  r.wr(5, 0xff);  // any hour
  r.wr(0x0b, RtcCmos::kB24h | RtcCmos::kBAie);
  r.at(4 * kS);
  EXPECT_FALSE(r.level);
  r.at(5 * kS);
  EXPECT_TRUE(r.level);
  EXPECT_EQ(r.rd(0x0c), RtcCmos::kCIrqf | RtcCmos::kCAf | RtcCmos::kCUf);
  // Without AIE the flag still latches, even across a long jump.
  r.wr(0x0b, RtcCmos::kB24h);
  r.t = 200 * kS;
  EXPECT_EQ(r.rd(0x0c), RtcCmos::kCAf | RtcCmos::kCUf);
  r.t = 201 * kS;
  EXPECT_EQ(r.rd(0x0c), RtcCmos::kCUf);
  // An exact alarm: 00:10:00 fires once, ten minutes in.
  r.wr(1, 0);
  r.wr(3, 0x10);
  r.wr(5, 0);
  r.t = 599 * kS;
  EXPECT_EQ(r.rd(0x0c) & RtcCmos::kCAf, 0);
  r.t = 600 * kS;
  EXPECT_EQ(r.rd(0x0c) & RtcCmos::kCAf, RtcCmos::kCAf);
}

TEST(Rtc, LongIdleAdvancesCalendar) {
  RtcRig r;
  r.rtc.set_time(946684799);  // 1999-12-31 23:59:59
  r.t = kS + 366ull * 86400 * kS;  // into 2001-01-01 00:00:00
  EXPECT_EQ(r.rd(9), 0x01);
  EXPECT_EQ(r.rd(8), 0x01);
  EXPECT_EQ(r.rd(7), 0x01);
  EXPECT_EQ(r.rd(6), 2);  // Monday
}

TEST(Rtc, RegisterDAndNmiMask) {
  RtcRig r;
  EXPECT_EQ(r.rd(0x0d), 0x80);
  r.wr(0x0d, 0);
  EXPECT_EQ(r.rd(0x0d), 0x80);
  r.rtc.io_write(0x70, 1, 0x8f);
  EXPECT_TRUE(r.rtc.nmi_masked());
  r.rtc.io_write(0x71, 1, 0xaa);
  EXPECT_EQ(r.rtc.peek(0x0f), 0xaa);
  r.rtc.io_write(0x70, 1, 0x0f);
  EXPECT_FALSE(r.rtc.nmi_masked());
  EXPECT_EQ(r.rtc.io_read(0x70, 1), 0xffu);
}

TEST(Rtc, PcLayoutAndChecksum) {
  RtcRig r;
  r.rtc.setup_pc_layout(3ull << 30, 2ull << 30);  // -m 5G
  EXPECT_EQ(r.rtc.peek(0x15) | r.rtc.peek(0x16) << 8, 640);
  EXPECT_EQ(r.rtc.peek(0x17) | r.rtc.peek(0x18) << 8, 0xffff);
  EXPECT_EQ(r.rtc.peek(0x30) | r.rtc.peek(0x31) << 8, 0xffff);
  EXPECT_EQ(r.rtc.peek(0x34) | r.rtc.peek(0x35) << 8, ((3u << 30) - (16u << 20)) >> 16);
  EXPECT_EQ(r.rtc.peek(0x5b) | r.rtc.peek(0x5c) << 8 | r.rtc.peek(0x5d) << 16, (2u << 30) >> 16);
  EXPECT_EQ(r.rtc.peek(0x14), 0x06);
  u32 sum = 0;
  for (int i = 0x10; i <= 0x2d; ++i) sum += r.rtc.peek((u8)i);
  EXPECT_EQ(r.rtc.peek(0x2e) << 8 | r.rtc.peek(0x2f), sum);
  r.rtc.setup_pc_layout(8u << 20, 0);
  EXPECT_EQ(r.rtc.peek(0x17) | r.rtc.peek(0x18) << 8, 7 * 1024);
  EXPECT_EQ(r.rtc.peek(0x34) | r.rtc.peek(0x35) << 8, 0);
}

TEST(Rtc, HostileWritesStayBounded) {
  RtcRig r;
  for (int idx = 0; idx < 256; ++idx) {
    for (int v = 0; v < 256; v += 7) {
      r.rtc.io_write(0x70, 1, (u32)idx);
      r.rtc.io_write(0x71, 1, (u32)v);
      (void)r.rtc.io_read(0x71, 1);
    }
    r.t += 3 * kS + 12345;
    r.rtc.poll();
  }
  // Garbage time values normalise at the next update.
  r.wr(0x0a, 0x26);
  r.wr(0x0b, RtcCmos::kBDm | RtcCmos::kB24h);
  for (u8 i : {0, 2, 4, 6, 7, 8, 9}) r.wr(i, 0xff);
  r.t += 2 * kS;
  EXPECT_LT(r.rd(0), 60);
  EXPECT_LT(r.rd(2), 60);
  EXPECT_LT(r.rd(4), 24);
  EXPECT_GE(r.rd(8), 1);
  EXPECT_LE(r.rd(8), 12);
  EXPECT_LT(r.rd(9), 100);
  r.rtc.set_time(~0ull);  // clamped to the year 2999
  r.wr(0x0b, RtcCmos::kB24h);
  EXPECT_EQ(r.rd(9), 0x99);
  EXPECT_EQ(r.rtc.peek(0x32), 0x29);
}

}  // namespace
}  // namespace pc64
