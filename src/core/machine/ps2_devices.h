// The two devices behind the i8042 (i8042.h): a PS/2 (MF2) keyboard and a
// PS/2 mouse. Each takes command bytes from the controller, answers with
// bytes in a small output buffer the controller drains, and gets input
// from the host (key and mouse events).
//
// Keyboard (IBM PS/2 Technical Reference, "Keyboard commands"): reset
// (FF -> FA AA), resend (FE), set defaults (F6), disable/enable scanning
// (F5/F4), typematic rate (F3 xx), identify (F2 -> FA AB 83), scancode set
// (F0 00 reads it, F0 01/02 selects it; set 3 is refused with FE), echo
// (EE -> EE), LEDs (ED xx); the set-3-only commands F7-FD are
// acknowledged. Unknown commands get FE. Host keys are set-2 make codes
// (key()); the keyboard sends them in the selected set.
//
// Mouse (IBM PS/2 mouse commands): reset (FF -> FA AA 00), resend, set
// defaults, disable/enable reporting, sample rate (F3 xx; the rate
// sequence 200, 100, 80 turns on the wheel: ID 03 and 4-byte packets),
// ID (F2 -> FA 00|03), remote/stream mode (F0/EA), read data (EB), wrap
// mode (EE ... EC or FF), status (E9 -> FA status resolution rate),
// resolution (E8 xx), scaling (E6/E7).
#pragma once
#include "base/base.h"

namespace pc64 {

// A bounded byte FIFO: push() drops the byte when full.
template <u32 N> struct ByteQueue {
  u8 b[N] = {};
  u32 head = 0, len = 0;
  bool push(u8 v) {
    if (len == N) return false;
    b[(head + len++) % N] = v;
    return true;
  }
  u8 pop() {
    const u8 v = b[head];
    head = (head + 1) % N;
    --len;
    return v;
  }
  void clear() { head = len = 0; }
  bool empty() const { return len == 0; }
};

// Set-2 make code -> set-1 make code (IBM PS/2 Technical Reference,
// keyboard scan code tables). Codes no key uses map to themselves. The
// i8042 uses the same table when its XLATE bit is set.
u8 set2_to_set1(u8 code);

class Ps2Keyboard {
 public:
  static constexpr u16 kExtended = 0x100;  // key(): E0-prefixed key

  ByteQueue<16> out;  // bytes for the controller

  void command(u8 b);
  // A key event: `code` is a set-2 make code, | kExtended for E0 keys.
  // Dropped while scanning is disabled or when the buffer is full.
  void key(u16 code, bool down);
  // Raw set-2 bytes (Pause, Print Screen), sent only in set 2.
  void raw(const u8* bytes, u32 n);
  u8 scancode_set() const { return set_; }
  bool scanning() const { return scanning_; }
  u8 leds() const { return leds_; }
  u8 typematic() const { return typematic_; }

 private:
  void reply(u8 b) {
    out.push(b);
    last_ = b;
  }
  void defaults();
  u8 pending_ = 0;  // command awaiting its argument (ED, F0, F3), or 0
  u8 set_ = 2, leds_ = 0, typematic_ = 0x2b, last_ = 0;
  bool scanning_ = true;
};

class Ps2Mouse {
 public:
  ByteQueue<32> out;

  void command(u8 b);
  // A movement/button event (buttons: bit 0 left, 1 right, 2 middle; dy is
  // positive upwards, as PS/2 reports it). Sent in stream mode while
  // reporting is enabled; in remote mode kept for READ DATA.
  void move(int dx, int dy, int dz, u8 buttons);
  bool reporting() const { return reporting_; }
  u8 id() const { return wheel_ ? 3 : 0; }
  u8 sample_rate() const { return rate_; }
  u8 resolution() const { return resolution_; }

 private:
  void reply(u8 b) {
    out.push(b);
    last_ = b;
  }
  void defaults();
  void packet();
  u8 pending_ = 0;
  u8 rate_ = 100, resolution_ = 2, last_ = 0, buttons_ = 0;
  u8 rates_[3] = {};  // the last three sample rates (the wheel sequence)
  bool reporting_ = false, remote_ = false, scaling21_ = false, wrap_ = false, wheel_ = false;
  int dx_ = 0, dy_ = 0, dz_ = 0;
};

}  // namespace pc64
