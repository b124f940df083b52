// i8042 keyboard controller with the PS/2 keyboard and mouse
// (machine/i8042.h, machine/ps2_devices.h): command sequences as a BIOS or
// Linux sends them, translation, IRQs, reset and A20, hostile writes.
#include <gtest/gtest.h>

#include <vector>

#include "machine/i8042.h"

namespace pc64 {
namespace {

struct KbcRig {
  I8042 k;
  bool irq1 = false, irq12 = false;
  int resets = 0;
  std::vector<bool> a20;
  KbcRig() {
    k.ctx = this;
    k.irq = [](void* c, int line, bool l) { (line == 1 ? ((KbcRig*)c)->irq1 : ((KbcRig*)c)->irq12) = l; };
    k.reset = [](void* c) { ++((KbcRig*)c)->resets; };
    k.a20_changed = [](void* c, bool on) { ((KbcRig*)c)->a20.push_back(on); };
  }
  void cmd(u8 c) { k.io_write(0x64, 1, c); }
  void data(u8 b) { k.io_write(0x60, 1, b); }
  u8 status() { return (u8)k.io_read(0x64, 1); }
  std::vector<u8> drain() {
    std::vector<u8> v;
    while (status() & 1) v.push_back((u8)k.io_read(0x60, 1));
    return v;
  }
};
using Bytes = std::vector<u8>;

TEST(I8042, ControllerCommands) {
  KbcRig r;
  EXPECT_EQ(r.status() & 0x14, 0x14);  // SYS, not inhibited
  r.cmd(0xaa);
  EXPECT_EQ(r.status() & 0x09, 0x09);  // OBF, A2 (last write a command)
  EXPECT_EQ(r.drain(), Bytes{0x55});
  EXPECT_TRUE(r.irq1 == false);
  r.cmd(0xab);
  r.cmd(0xa9);
  EXPECT_EQ(r.drain(), (Bytes{0x00, 0x00}));
  r.cmd(0x20);
  EXPECT_EQ(r.drain(), Bytes{0x47});
  r.cmd(0x60);
  r.data(0x65);  // XLATE SYS AUX-off... kbd int
  EXPECT_EQ(r.status() & 0x08, 0);
  r.cmd(0x20);
  EXPECT_EQ(r.drain(), Bytes{0x65});
  r.cmd(0xa8);
  r.cmd(0xad);
  r.cmd(0x20);
  EXPECT_EQ(r.drain(), Bytes{0x55});
  r.cmd(0xae);
  r.cmd(0xa7);
  r.cmd(0x20);
  EXPECT_EQ(r.drain(), Bytes{0x65});
  r.cmd(0x7f);  // controller RAM byte 31
  r.data(0x9c);
  r.cmd(0x3f);
  EXPECT_EQ(r.drain(), Bytes{0x9c});
  r.cmd(0xc0);
  EXPECT_EQ(r.drain().size(), 1u);
}

TEST(I8042, OutputPortA20AndReset) {
  KbcRig r;
  r.cmd(0xd0);
  EXPECT_EQ(r.drain(), Bytes{0xcf});
  r.cmd(0xd1);
  r.data(0xcd);  // A20 off
  EXPECT_EQ(r.a20, std::vector<bool>{false});
  EXPECT_FALSE(r.k.a20());
  r.cmd(0xdf);
  EXPECT_EQ(r.a20, (std::vector<bool>{false, true}));
  EXPECT_EQ(r.resets, 0);
  r.cmd(0xfe);
  EXPECT_EQ(r.resets, 1);
  r.cmd(0xff);  // pulses nothing
  r.cmd(0xfd);  // pulses bit 1 only
  EXPECT_EQ(r.resets, 1);
  r.cmd(0xd1);
  r.data(0xce);  // bit 0 low: reset
  EXPECT_EQ(r.resets, 2);
}

TEST(I8042, KeyboardCommandsThroughTranslation) {
  KbcRig r;  // XLATE on (command byte 0x47)
  r.data(0xff);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xaa}));
  r.data(0xf2);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xab, 0x41}));  // AB 83 translated
  r.cmd(0x60);
  r.data(0x07);  // no translation
  r.data(0xf2);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xab, 0x83}));
  r.data(0xee);
  EXPECT_EQ(r.drain(), Bytes{0xee});
  r.data(0xed);
  r.data(0x07);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xfa}));
  EXPECT_EQ(r.k.kbd.leds(), 7);
  r.data(0xf3);
  r.data(0x20);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xfa}));
  EXPECT_EQ(r.k.kbd.typematic(), 0x20);
  r.data(0xf0);
  r.data(0x00);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xfa, 0x02}));
  r.data(0xf0);
  r.data(0x03);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xfe}));  // set 3 refused
  r.data(0x42);
  EXPECT_EQ(r.drain(), Bytes{0xfe});  // not a command
  r.data(0xf5);
  r.k.key(0x1c, true);
  EXPECT_EQ(r.drain(), Bytes{0xfa});  // scanning off: the key is dropped
  r.data(0xf4);
  EXPECT_EQ(r.drain(), Bytes{0xfa});
}

TEST(I8042, HostKeysInEachSetAndIrq1) {
  KbcRig r;
  r.k.key(0x1c, true);  // 'A' make, set 2 -> translated set 1
  EXPECT_TRUE(r.irq1);
  EXPECT_EQ(r.drain(), Bytes{0x1e});
  EXPECT_FALSE(r.irq1);
  r.k.key(0x1c, false);
  r.k.key(0x75 | Ps2Keyboard::kExtended, true);   // Up
  r.k.key(0x75 | Ps2Keyboard::kExtended, false);
  EXPECT_EQ(r.drain(), (Bytes{0x9e, 0xe0, 0x48, 0xe0, 0xc8}));
  r.cmd(0x60);
  r.data(0x07);  // raw set 2
  r.k.key(0x1c, true);
  r.k.key(0x1c, false);
  EXPECT_EQ(r.drain(), (Bytes{0x1c, 0xf0, 0x1c}));
  r.data(0xf0);
  r.data(0x01);  // the keyboard itself in set 1
  r.drain();
  r.k.key(0x5a, true);
  r.k.key(0x5a, false);
  EXPECT_EQ(r.drain(), (Bytes{0x1c, 0x9c}));
  r.cmd(0x60);
  r.data(0x06);  // keyboard interrupt off
  r.k.key(0x29, true);
  EXPECT_FALSE(r.irq1);
  EXPECT_EQ(r.status() & 1, 1);
  r.cmd(0xad);  // the disabled interface holds the keyboard's bytes
  r.drain();
  r.k.key(0x29, true);
  EXPECT_EQ(r.status() & 1, 0);
  r.cmd(0xae);
  EXPECT_EQ(r.drain(), Bytes{0x39});
}

TEST(I8042, MouseCommandsAndPackets) {
  KbcRig r;
  auto mouse = [&](u8 b) {
    r.cmd(0xd4);
    r.data(b);
  };
  mouse(0xff);
  EXPECT_EQ(r.status() & 0x21, 0x21);  // AUXB
  EXPECT_TRUE(r.irq12);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xaa, 0x00}));
  mouse(0xf2);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0x00}));
  for (u8 rate : {200, 100, 80}) {
    mouse(0xf3);
    mouse(rate);
  }
  mouse(0xf2);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0x03}));
  mouse(0xe8);
  mouse(0x03);
  mouse(0xe9);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0xfa, 0xfa, 0x00, 0x03, 80}));
  r.k.mouse_move(5, -3, 1, 1);
  EXPECT_EQ(r.status() & 1, 0);  // reporting off
  mouse(0xf4);
  EXPECT_EQ(r.drain(), Bytes{0xfa});
  r.k.mouse_move(5, -3, 1, 1);
  EXPECT_EQ(r.drain(), (Bytes{0x29, 0x05, 0xfd, 0x01}));
  r.k.mouse_move(1000, 0, 0, 0);
  EXPECT_EQ(r.drain(), (Bytes{0x48, 0xff, 0x00, 0x00}));  // X overflow, clamped
  mouse(0xee);  // wrap mode echoes
  mouse(0x12);
  mouse(0xec);
  EXPECT_EQ(r.drain(), (Bytes{0xfa, 0x12, 0xfa}));
  r.cmd(0xd3);
  r.data(0x77);
  EXPECT_TRUE(r.irq12);
  EXPECT_EQ(r.drain(), Bytes{0x77});
  r.cmd(0xd2);
  r.data(0x1c);  // D2 bytes are not translated
  EXPECT_TRUE(r.irq1);
  EXPECT_EQ(r.drain(), Bytes{0x1c});
}

TEST(I8042, HostileWritesStayBounded) {
  KbcRig r;
  for (int c = 0; c < 256; ++c) {
    for (int v = 0; v < 256; v += 5) {
      r.cmd((u8)c);
      r.data((u8)v);
      r.k.key((u16)(v * 3), v & 1);
      r.k.mouse_move(v - 128, 128 - v, v & 3, (u8)v);
      for (int i = 0; i < 4; ++i) (void)r.k.io_read((u16)(i & 1 ? 0x60 : 0x64), 1);
    }
  }
  r.drain();
  EXPECT_EQ(r.status() & 1, 0);
}

}  // namespace
}  // namespace pc64
