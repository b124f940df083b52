// i8042 command processing and the output buffer (see i8042.h).
#include "machine/i8042.h"

namespace pc64 {

void I8042::update_irq() {
  const bool k = obf_ && !obuf_aux_ && (ram_[0] & kCbKbdInt);
  const bool a = obf_ && obuf_aux_ && (ram_[0] & kCbAuxInt);
  if (k != irq1_) {
    irq1_ = k;
    if (irq) irq(ctx, 1, k);
  }
  if (a != irq12_) {
    irq12_ = a;
    if (irq) irq(ctx, 12, a);
  }
}

void I8042::refill() {
  while (!obf_) {
    if (!ctrl_.empty()) {
      obuf_aux_ = (ctrl_aux_ >> ctrl_.head) & 1;
      obuf_ = ctrl_.pop();
      obf_ = true;
    } else if (!kbd.out.empty() && !(ram_[0] & kCbKbdOff)) {
      u8 b = kbd.out.pop();
      if (ram_[0] & kCbXlate) {
        // Set 2 -> set 1: F0 is swallowed and marks the next code a break.
        if (b == 0xf0) {
          xlate_f0_ = true;
          continue;
        }
        b = set2_to_set1(b);
        if (xlate_f0_) b |= 0x80;
        xlate_f0_ = false;
      }
      obuf_ = b;
      obuf_aux_ = false;
      obf_ = true;
    } else if (!mouse.out.empty() && !(ram_[0] & kCbAuxOff)) {
      obuf_ = mouse.out.pop();
      obuf_aux_ = true;
      obf_ = true;
    } else {
      break;
    }
  }
  update_irq();
}

void I8042::write_output_port(u8 v) {
  const u8 old = out_port_;
  out_port_ = v;
  if ((old ^ v) & 2) {
    if (a20_changed) a20_changed(ctx, v & 2);
  }
  if (!(v & 1)) {
    out_port_ |= 1;  // the reset pulse ends; the machine restarts
    if (reset) reset(ctx);
  }
}

void I8042::command(u8 c) {
  if (c >= 0x20 && c <= 0x3f) {
    put(ram_[c & 0x1f], false);
    return;
  }
  if ((c >= 0x60 && c <= 0x7f) || (c >= 0xd1 && c <= 0xd4)) {
    pending_ = c;  // the data byte follows on port 0x60
    return;
  }
  if (c >= 0xf0) {
    // Pulse the output port bits whose command bit is 0 (bits 0-3); only
    // bit 0, the reset line, has an effect.
    if (!(c & 1) && reset) reset(ctx);
    return;
  }
  switch (c) {
    case 0xa7: ram_[0] |= kCbAuxOff; break;
    case 0xa8: ram_[0] &= (u8)~kCbAuxOff; break;
    case 0xa9: put(0x00, false); break;  // aux interface: no error
    case 0xaa: put(0x55, false); break;  // controller self test passed
    case 0xab: put(0x00, false); break;  // keyboard interface: no error
    case 0xad: ram_[0] |= kCbKbdOff; break;
    case 0xae: ram_[0] &= (u8)~kCbKbdOff; break;
    case 0xc0: put(0xa0, false); break;  // input port: not inhibited, no jumper
    case 0xd0: {
      // Bits 4 and 5 show the output buffer's keyboard/aux interrupt lines.
      const u8 v = (u8)((out_port_ & 0xcf) | (obf_ && !obuf_aux_ ? 0x10 : 0) |
                        (obf_ && obuf_aux_ ? 0x20 : 0));
      put(v, false);
      break;
    }
    case 0xdd: write_output_port(out_port_ & (u8)~2); break;
    case 0xdf: write_output_port(out_port_ | 2); break;
    case 0xe0: put(0x00, false); break;  // test inputs: clock and data low
    default: break;  // unknown commands are ignored
  }
}

void I8042::data(u8 b) {
  const u8 c = pending_;
  pending_ = 0;
  if (c >= 0x60 && c <= 0x7f) {
    ram_[c & 0x1f] = c == 0x60 ? (u8)(b & 0x7f) : b;  // command byte bit 7 is reserved
    if (c == 0x60) status_ = (u8)((status_ & ~kStSys) | (b & kCbSys));
    return;
  }
  switch (c) {
    case 0xd1: write_output_port(b); return;
    case 0xd2: put(b, false); return;
    case 0xd3: put(b, true); return;
    case 0xd4:
      ram_[0] &= (u8)~kCbAuxOff;  // writing to the mouse enables its interface
      mouse.command(b);
      return;
    default:
      ram_[0] &= (u8)~kCbKbdOff;  // likewise for the keyboard
      kbd.command(b);
      return;
  }
}

u32 I8042::io_read(u16 port, int size) {
  (void)size;
  if (port == kPortStatus) {
    refill();
    return (u32)(status_ | (obf_ ? kStOBF : 0) | (obf_ && obuf_aux_ ? kStAuxB : 0));
  }
  // Reading the data port empties the output buffer (a stale byte reads
  // again when nothing new has arrived).
  const u8 v = obuf_;
  obf_ = false;
  update_irq();  // the line falls, so the next byte is a new edge
  refill();
  return v;
}

void I8042::io_write(u16 port, int size, u32 v) {
  (void)size;
  const u8 b = (u8)v;
  if (port == kPortStatus) {
    status_ |= kStA2;
    pending_ = 0;
    command(b);
  } else {
    status_ &= (u8)~kStA2;
    data(b);
  }
  refill();
}

void I8042::key(u16 code, bool down) {
  kbd.key(code, down);
  refill();
}

void I8042::mouse_move(int dx, int dy, int dz, u8 buttons) {
  mouse.move(dx, dy, dz, buttons);
  refill();
}

}  // namespace pc64
