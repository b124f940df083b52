// The Intel 8042 keyboard controller of the PC/AT and PS/2 (IBM PS/2
// Technical Reference, "Keyboard/Auxiliary Device Controller"): port 0x60
// data, port 0x64 status (read) / command (write); the keyboard interrupt
// is IRQ1, the auxiliary (mouse) interrupt IRQ12.
//
// One output buffer: controller replies come first, then keyboard bytes
// (while the keyboard interface is enabled, command byte bit 4 = 0), then
// mouse bytes (bit 5 = 0). IRQ1/IRQ12 follow OBF for keyboard/mouse data
// when command byte bits 0/1 enable them. With XLATE (bit 6) keyboard
// bytes are translated from set 2 to set 1 (an F0 prefix sets bit 7 of
// the next code). Bytes the guest writes with D2 and D3 are not translated.
//
// Status: OBF, IBF (always 0: input is taken at once), SYS (command byte
// bit 2), A2 (last write was a command), INH (1: not inhibited), AUXB.
// Commands: 20-3F / 60-7F read/write the controller RAM (byte 0 is the
// command byte), A7/A8 aux disable/enable, A9 aux test (00), AA self test
// (55), AB keyboard test (00), AD/AE keyboard disable/enable, C0 input
// port, D0/D1 output port, D2/D3 write the keyboard/aux output buffer, D4
// write to the mouse, DD/DF A20 off/on, E0 test inputs, F0-FF pulse
// output port bits 0-3 (FE: reset). Output port bit 0 low resets the
// machine (`reset`); bit 1 is the A20 gate (`a20_changed`).
#pragma once
#include "machine/io_device.h"
#include "machine/ps2_devices.h"

namespace pc64 {

class I8042 : public IoDevice {
 public:
  static constexpr u16 kPortData = 0x60, kPortStatus = 0x64;
  enum : u8 { kStOBF = 1, kStIBF = 2, kStSys = 4, kStA2 = 8, kStInh = 0x10, kStAuxB = 0x20 };
  enum : u8 { kCbKbdInt = 1, kCbAuxInt = 2, kCbSys = 4, kCbKbdOff = 0x10, kCbAuxOff = 0x20,
              kCbXlate = 0x40 };

  Ps2Keyboard kbd;
  Ps2Mouse mouse;

  // Drives ISA IRQ 1 or 12.
  void (*irq)(void* ctx, int line, bool level) = nullptr;
  // Output port bit 0 went low: the CPU reset line (a machine stop).
  void (*reset)(void* ctx) = nullptr;
  void (*a20_changed)(void* ctx, bool on) = nullptr;
  void* ctx = nullptr;

  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;

  // Host input: a set-2 make code (| Ps2Keyboard::kExtended) and a mouse
  // event; they reach the guest through the output buffer.
  void key(u16 code, bool down);
  void mouse_move(int dx, int dy, int dz, u8 buttons);

  u8 command_byte() const { return ram_[0]; }
  u8 output_port() const { return out_port_; }
  bool a20() const { return out_port_ & 2; }

 private:
  void command(u8 c);
  void data(u8 b);
  void write_output_port(u8 v);
  // Loads the output buffer from the queues if it is free; drives the IRQs.
  void refill();
  void update_irq();
  void put(u8 b, bool aux) {
    const u32 slot = (ctrl_.head + ctrl_.len) % 8;
    if (!ctrl_.push(b)) return;
    ctrl_aux_ = (u8)((ctrl_aux_ & ~(1u << slot)) | ((aux ? 1u : 0u) << slot));
  }

  u8 ram_[32] = {kCbXlate | kCbSys | kCbAuxInt | kCbKbdInt};  // what a BIOS leaves
  u8 status_ = kStInh | kStSys;
  u8 out_port_ = 0xcf;  // bit 0: not in reset, bit 1: A20 on
  u8 obuf_ = 0;
  bool obf_ = false, obuf_aux_ = false;
  bool xlate_f0_ = false;  // an F0 prefix waits for the next translated code
  u8 pending_ = 0;         // a command waiting for its data byte
  ByteQueue<8> ctrl_;      // controller replies and D2/D3 bytes
  u8 ctrl_aux_ = 0;        // per ctrl_ slot: the byte is aux data (D3)
  bool irq1_ = false, irq12_ = false;
};

}  // namespace pc64
