// PS/2 keyboard and mouse command handling (see ps2_devices.h).
#include "machine/ps2_devices.h"

namespace pc64 {
namespace {

// {set 2, set 1} make codes of the keys of the 102-key keyboard (IBM PS/2
// Technical Reference, scan code sets 1 and 2). F7's set-2 code is 0x83
// (so the keyboard ID AB 83 reads AB 41 through the translation).
constexpr u8 kSet2Set1[][2] = {
    {0x76, 0x01}, {0x16, 0x02}, {0x1e, 0x03}, {0x26, 0x04}, {0x25, 0x05}, {0x2e, 0x06},
    {0x36, 0x07}, {0x3d, 0x08}, {0x3e, 0x09}, {0x46, 0x0a}, {0x45, 0x0b}, {0x4e, 0x0c},
    {0x55, 0x0d}, {0x66, 0x0e}, {0x0d, 0x0f}, {0x15, 0x10}, {0x1d, 0x11}, {0x24, 0x12},
    {0x2d, 0x13}, {0x2c, 0x14}, {0x35, 0x15}, {0x3c, 0x16}, {0x43, 0x17}, {0x44, 0x18},
    {0x4d, 0x19}, {0x54, 0x1a}, {0x5b, 0x1b}, {0x5a, 0x1c}, {0x14, 0x1d}, {0x1c, 0x1e},
    {0x1b, 0x1f}, {0x23, 0x20}, {0x2b, 0x21}, {0x34, 0x22}, {0x33, 0x23}, {0x3b, 0x24},
    {0x42, 0x25}, {0x4b, 0x26}, {0x4c, 0x27}, {0x52, 0x28}, {0x0e, 0x29}, {0x12, 0x2a},
    {0x5d, 0x2b}, {0x1a, 0x2c}, {0x22, 0x2d}, {0x21, 0x2e}, {0x2a, 0x2f}, {0x32, 0x30},
    {0x31, 0x31}, {0x3a, 0x32}, {0x41, 0x33}, {0x49, 0x34}, {0x4a, 0x35}, {0x59, 0x36},
    {0x7c, 0x37}, {0x11, 0x38}, {0x29, 0x39}, {0x58, 0x3a}, {0x05, 0x3b}, {0x06, 0x3c},
    {0x04, 0x3d}, {0x0c, 0x3e}, {0x03, 0x3f}, {0x0b, 0x40}, {0x83, 0x41}, {0x0a, 0x42},
    {0x01, 0x43}, {0x09, 0x44}, {0x77, 0x45}, {0x7e, 0x46}, {0x6c, 0x47}, {0x75, 0x48},
    {0x7d, 0x49}, {0x7b, 0x4a}, {0x6b, 0x4b}, {0x73, 0x4c}, {0x74, 0x4d}, {0x79, 0x4e},
    {0x69, 0x4f}, {0x72, 0x50}, {0x7a, 0x51}, {0x70, 0x52}, {0x71, 0x53}, {0x84, 0x54},
    {0x61, 0x56}, {0x78, 0x57}, {0x07, 0x58}, {0x1f, 0x5b}, {0x27, 0x5c}, {0x2f, 0x5d},
};

}  // namespace

u8 set2_to_set1(u8 code) {
  for (const auto& k : kSet2Set1)
    if (k[0] == code) return k[1];
  return code;
}

// ---- keyboard ----

void Ps2Keyboard::defaults() {
  typematic_ = 0x2b;  // 10.9 characters/s after 500 ms
  set_ = 2;
}

void Ps2Keyboard::command(u8 b) {
  if (pending_) {
    const u8 cmd = pending_;
    pending_ = 0;
    if (cmd == 0xed) {
      leds_ = b & 7;
      reply(0xfa);
      return;
    }
    if (cmd == 0xf3 && !(b & 0x80)) {
      typematic_ = b;
      reply(0xfa);
      return;
    }
    if (cmd == 0xf0) {
      if (b == 0) {
        reply(0xfa);
        reply(set_);
      } else if (b == 1 || b == 2) {
        set_ = b;
        reply(0xfa);
      } else {
        reply(0xfe);  // set 3 (and anything else) is not supported
      }
      return;
    }
    // A command byte where an argument was expected: run it as a command.
  }
  switch (b) {
    case 0xff:
      out.clear();
      defaults();
      scanning_ = true;
      reply(0xfa);
      reply(0xaa);  // basic assurance test passed
      break;
    case 0xfe: out.push(last_); break;
    case 0xf6:
      defaults();
      scanning_ = true;
      reply(0xfa);
      break;
    case 0xf5:
      defaults();
      scanning_ = false;
      reply(0xfa);
      break;
    case 0xf4:
      out.clear();
      scanning_ = true;
      reply(0xfa);
      break;
    case 0xf2:
      reply(0xfa);
      reply(0xab);
      reply(0x83);  // MF2 keyboard
      break;
    case 0xf0:
    case 0xf3:
    case 0xed:
      pending_ = b;
      reply(0xfa);
      break;
    case 0xee: reply(0xee); break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
      reply(0xfa);  // set-3 key attributes: acknowledged, no effect in sets 1 and 2
      break;
    default: reply(0xfe); break;
  }
}

void Ps2Keyboard::key(u16 code, bool down) {
  if (!scanning_) return;
  const u8 c = (u8)code;
  const bool ext = code & kExtended;
  u8 bytes[3];
  u32 n = 0;
  if (ext) bytes[n++] = 0xe0;
  if (set_ == 1) {
    bytes[n++] = (u8)(set2_to_set1(c) | (down ? 0 : 0x80));
  } else {
    if (!down) bytes[n++] = 0xf0;
    bytes[n++] = c;
  }
  if (out.len + n > 16) return;  // no room for the whole sequence
  for (u32 i = 0; i < n; ++i) out.push(bytes[i]);
}

void Ps2Keyboard::raw(const u8* bytes, u32 n) {
  if (!scanning_ || set_ != 2 || out.len + n > 16) return;
  for (u32 i = 0; i < n; ++i) out.push(bytes[i]);
}

// ---- mouse ----

void Ps2Mouse::defaults() {
  rate_ = 100;
  resolution_ = 2;  // 4 counts/mm
  scaling21_ = false;
  reporting_ = false;
  dx_ = dy_ = dz_ = 0;
}

void Ps2Mouse::packet() {
  int dx = dx_, dy = dy_, dz = dz_;
  dx_ = dy_ = dz_ = 0;
  const bool ox = dx < -256 || dx > 255, oy = dy < -256 || dy > 255;
  if (dx < -256) dx = -256;
  if (dx > 255) dx = 255;
  if (dy < -256) dy = -256;
  if (dy > 255) dy = 255;
  if (dz < -8) dz = -8;
  if (dz > 7) dz = 7;
  // Byte 0: buttons (bit 0 left, 1 right, 2 middle), bit 3 always 1, X/Y
  // sign bits 4/5, overflow bits 6/7.
  reply((u8)((buttons_ & 7) | 0x08 | (dx < 0 ? 0x10 : 0) | (dy < 0 ? 0x20 : 0) | (ox ? 0x40 : 0) |
             (oy ? 0x80 : 0)));
  reply((u8)dx);
  reply((u8)dy);
  if (wheel_) reply((u8)(dz & 0x0f));
}

void Ps2Mouse::command(u8 b) {
  if (wrap_ && b != 0xec && b != 0xff) {
    reply(b);  // wrap mode echoes every byte
    return;
  }
  if (pending_) {
    const u8 cmd = pending_;
    pending_ = 0;
    if (cmd == 0xf3) {
      rate_ = b;
      rates_[0] = rates_[1];
      rates_[1] = rates_[2];
      rates_[2] = b;
      if (rates_[0] == 200 && rates_[1] == 100 && rates_[2] == 80) wheel_ = true;
      reply(0xfa);
      return;
    }
    if (cmd == 0xe8 && b <= 3) {
      resolution_ = b;
      reply(0xfa);
      return;
    }
    if (cmd == 0xe8) {
      reply(0xfe);
      return;
    }
  }
  switch (b) {
    case 0xff:
      out.clear();
      defaults();
      wrap_ = remote_ = wheel_ = false;
      reply(0xfa);
      reply(0xaa);
      reply(0x00);
      break;
    case 0xfe: out.push(last_); break;
    case 0xf6:
      defaults();
      reply(0xfa);
      break;
    case 0xf5:
      reporting_ = false;
      reply(0xfa);
      break;
    case 0xf4:
      reporting_ = true;
      reply(0xfa);
      break;
    case 0xf3:
    case 0xe8:
      pending_ = b;
      reply(0xfa);
      break;
    case 0xf2:
      reply(0xfa);
      reply(id());
      break;
    case 0xf0:
      remote_ = true;
      reply(0xfa);
      break;
    case 0xea:
      remote_ = false;
      reply(0xfa);
      break;
    case 0xee:
      wrap_ = true;
      reply(0xfa);
      break;
    case 0xec:
      wrap_ = false;
      reply(0xfa);
      break;
    case 0xeb:
      reply(0xfa);
      packet();
      break;
    case 0xe9:
      reply(0xfa);
      // Status: bit 6 remote mode, 5 reporting, 4 scaling 2:1, 2 left,
      // 1 middle, 0 right button.
      reply((u8)((remote_ ? 0x40 : 0) | (reporting_ ? 0x20 : 0) | (scaling21_ ? 0x10 : 0) |
                 ((buttons_ & 1) << 2) | ((buttons_ & 4) >> 1) | ((buttons_ & 2) >> 1)));
      reply(resolution_);
      reply(rate_);
      break;
    case 0xe7:
    case 0xe6:
      scaling21_ = b == 0xe7;
      reply(0xfa);
      break;
    default: reply(0xfe); break;
  }
}

void Ps2Mouse::move(int dx, int dy, int dz, u8 buttons) {
  // Stream mode with reporting off (or wrap mode) drops motion; otherwise
  // it accumulates (bounded), so remote mode and a full buffer lose none.
  buttons_ = buttons & 7;
  if (!remote_ && (!reporting_ || wrap_)) return;
  auto add = [](int a, int d) {
    const long v = (long)a + d;
    return v > 4096 ? 4096 : v < -4096 ? -4096 : (int)v;
  };
  dx_ = add(dx_, dx);
  dy_ = add(dy_, dy);
  dz_ = add(dz_, dz);
  if (remote_) return;
  if (out.len + 4 > 32) return;  // keep the motion for the next event
  packet();
}

}  // namespace pc64
