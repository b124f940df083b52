// I/O APIC register access and delivery (see ioapic.h; 82093AA datasheet
// §3.0 "Register descriptions").
#include "machine/ioapic.h"

namespace pc64 {
namespace {

constexpr u64 kMask = 1ull << 16, kRemoteIrr = 1ull << 14, kLevel = 1ull << 15;
// Writable bits: vector, delivery mode, dest mode, polarity, trigger,
// mask (16:0 less delivery status 12 and remote IRR 14), destination 63:56.
constexpr u64 kWritable = 0x1afffull | (0xffull << 56);
constexpr u32 kVersion = 0x00170011;  // max redirection entry 23, version 11H

}  // namespace

void Ioapic::reset() {
  sel_ = 0;
  id_ = 0;
  lines_ = 0;
  for (u64& r : redir) r = kMask;  // all pins masked after reset
}

u32 Ioapic::read_reg(u8 idx) const {
  if (idx == 0x00 || idx == 0x02) return id_;  // ID; ARB holds the same value
  if (idx == 0x01) return kVersion;
  if (idx >= 0x10 && idx < 0x10 + 2 * kPins) {
    const u64 r = redir[(idx - 0x10) >> 1];
    return (idx & 1) ? (u32)(r >> 32) : (u32)r;
  }
  return 0;  // unimplemented indices read as 0
}

void Ioapic::write_reg(u8 idx, u32 v) {
  if (idx == 0x00) {
    id_ = v & 0x0f000000u;
    return;
  }
  if (idx < 0x10 || idx >= 0x10 + 2 * kPins) return;  // read-only or absent
  const int pin = (idx - 0x10) >> 1;
  u64 r = redir[pin];
  const u64 nv = (idx & 1) ? (r & 0xffffffffull) | (u64)v << 32 : (r & ~0xffffffffull) | v;
  r = (r & ~kWritable) | (nv & kWritable);
  if (!(r & kLevel)) r &= ~kRemoteIrr;  // remote IRR is defined for level pins only
  redir[pin] = r;
  service(pin);  // unmasking an asserted level pin delivers it
}

u64 Ioapic::mmio_read(u64 off, int size) {
  off &= 0xfff;
  u32 v;
  if (off < 4) v = (u32)sel_ >> (8 * off);
  else if (off >= 0x10 && off < 0x14) v = read_reg(sel_) >> (8 * (off - 0x10));
  else return 0;
  return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

void Ioapic::mmio_write(u64 off, int size, u64 v) {
  off &= 0xfff;
  if (off == 0) sel_ = (u8)v;  // IOREGSEL bits 7:0
  else if (off == 0x10 && size >= 4) write_reg(sel_, (u32)v);
  // Other offsets and partial IOWIN writes are ignored.
}

void Ioapic::service(int pin) {
  const u64 r = redir[pin];
  if ((r & kMask) || !(lines_ & (1u << pin))) return;
  if (!(r & kLevel)) return;  // edge pins deliver only on an edge (set_pin)
  if (r & kRemoteIrr) return;
  const u8 mode = (u8)((r >> 8) & 7);
  const bool ok = deliver && deliver(ctx, (u8)(r >> 56), r & (1u << 11), mode, (u8)r, true);
  // Remote IRR tracks fixed/lowest-priority messages awaiting their EOI.
  if (ok && (mode == 0 || mode == 1)) redir[pin] |= kRemoteIrr;
}

void Ioapic::set_pin(int pin, bool asserted) {
  if (pin < 0 || pin >= kPins) return;
  const u32 bit = 1u << pin;
  const bool rising = asserted && !(lines_ & bit);
  if (asserted) lines_ |= bit;
  else lines_ &= ~bit;
  const u64 r = redir[pin];
  if (r & kMask) return;  // a masked edge is lost
  if (r & kLevel) {
    service(pin);
  } else if (rising && deliver) {
    deliver(ctx, (u8)(r >> 56), r & (1u << 11), (u8)((r >> 8) & 7), (u8)r, false);
  }
}

void Ioapic::eoi(u8 vector) {
  for (int pin = 0; pin < kPins; ++pin) {
    const u64 r = redir[pin];
    if ((r & kRemoteIrr) && (u8)r == vector) {
      redir[pin] = r & ~kRemoteIrr;
      service(pin);
    }
  }
}

bool Ioapic::pin_open(int pin) const { return pin >= 0 && pin < kPins && !(redir[pin] & kMask); }

}  // namespace pc64
