// The I/O APIC (Intel 82093AA datasheet): 24 interrupt input pins, each
// with a 64-bit redirection table entry, reached indirectly through
// IOREGSEL (base + 00H) and IOWIN (base + 10H) at 0xFEC00000.
//
// Registers: IOAPICID (00H, bits 27:24), IOAPICVER (01H: version 11H,
// maximum redirection entry 17H), IOAPICARB (02H, read-only copy of the
// ID), IOREDTBL0-23 (10H-3FH). Entries: vector, delivery mode (fixed,
// lowest priority, SMI, NMI, INIT, ExtINT), destination mode, delivery
// status (always 0: messages are delivered at once), polarity, remote IRR,
// trigger mode, mask, destination (63:56).
//
// Pins carry the asserted state of their input: the board wires every
// ISA line active-high (what the MADT says), so the polarity bit is kept
// but not applied. Edge-triggered pins deliver on a rising edge that
// arrives while unmasked; level-triggered pins deliver while asserted and
// unmasked with remote IRR clear, set remote IRR, and clear it on an EOI
// for their vector from the local APIC (datasheet §3.2.4).
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class Ioapic : public MmioDevice {
 public:
  static constexpr u64 kBase = 0xfec00000ull;
  static constexpr int kPins = 24;

  // Where an interrupt message goes (set by the machine): destination,
  // logical destination mode, delivery mode, vector, level trigger.
  // Returns whether some local APIC accepted it.
  bool (*deliver)(void* ctx, u8 dest, bool logical, u8 mode, u8 vector, bool level) = nullptr;
  void* ctx = nullptr;

  void reset();
  u64 mmio_read(u64 off, int size) override;
  void mmio_write(u64 off, int size, u64 v) override;

  // The input of `pin` (out-of-range pins are ignored).
  void set_pin(int pin, bool asserted);
  // An EOI for `vector` from a local APIC: clears remote IRR of the
  // level-triggered entries with that vector (and redelivers if still asserted).
  void eoi(u8 vector);
  // An unmasked edge pin would deliver on its next rising edge (HLT wake-up).
  bool pin_open(int pin) const;

  u64 redir[kPins] = {};

 private:
  void service(int pin);
  u32 read_reg(u8 idx) const;
  void write_reg(u8 idx, u32 v);
  u8 sel_ = 0;
  u32 id_ = 0;
  u32 lines_ = 0;  // asserted pins
};

}  // namespace pc64
