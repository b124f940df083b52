// PCI bus 0 of the pc64 board and configuration mechanism #1 (PCI Local
// Bus Specification 3.0 §3.2.2.3.2; i440FX datasheet, CONFADD/CONFDATA).
//
// PciDevice is one function's 256-byte type-0 configuration space: the
// image `cfg`, a write mask `wmask` (which bits a guest may change) and a
// write-1-to-clear mask `w1cmask` (status bits). Everything outside both
// masks is read-only, so a hostile write anywhere changes only what the
// device declared. Base address registers are declared with define_bar():
// the BAR's low bits are read-only (the type bits and the size), so
// writing all ones and reading back gives the size mask (§6.2.5.1).
//
// PciBus holds the functions of bus 0 by device/function number (32 x 8).
// An absent function reads all ones and drops writes (the host bridge ends
// the cycle with master abort, §6.1: "returning all 1's"), as does every
// bus other than 0 (there are no PCI-to-PCI bridges on this board).
//
// PciHost is the I/O side of mechanism #1 at 0xCF8-0xCFF:
//   0xCF8 (dword only) CONFIG_ADDRESS: bit 31 enable, 23:16 bus, 15:11
//     device, 10:8 function, 7:2 register; bits 30:24 and 1:0 are
//     read-only 0 (§3.2.2.3.2). Byte and word accesses to 0xCF8-0xCFB are
//     plain I/O, not CONFIG_ADDRESS: 0xCF9 is the PIIX reset control
//     register (forwarded to `reset_control`), the rest reads all ones.
//   0xCFC-0xCFF CONFIG_DATA: with the enable bit set, a byte, word or
//     dword at 0xCFC + n reaches register (CONFIG_ADDRESS & 0xFC) + n;
//     with it clear, CONFIG_DATA is plain I/O (all ones, writes dropped).
//     The part of an access that runs past 0xCFF (a word at 0xCFF) is not
//     a configuration access and reads all ones.
//
// Interrupts: a function's INTx output (cfg 0x3D: 1 = INTA#) reaches one
// of the four PIRQ lines of the board: slot s, pin INTx (x = 0 for A) ->
// PIRQ (s + x - 1) mod 4, the usual i440FX rotation (the ACPI _PRT in
// acpi.cpp describes the same wiring). The bus ORs the functions sharing a
// PIRQ line and hands the result to `pirq` (the PIIX3's PIRQ router).
#pragma once
#include "machine/io_device.h"

namespace pc64 {

class PciBus;

class PciDevice {
 public:
  static constexpr u32 kNoBar = ~0u;
  // BAR flags for define_bar (the low bits the BAR reads back).
  enum : u32 { kBarIo = 1, kBarMem32 = 0, kBarMem64 = 4, kBarPrefetch = 8 };
  // Standard type-0 header registers (PCI 3.0 §6.1).
  enum : u8 {
    kVendor = 0x00, kDevice = 0x02, kCommand = 0x04, kStatus = 0x06, kRevision = 0x08,
    kClass = 0x09, kHeaderType = 0x0e, kBar0 = 0x10, kIntLine = 0x3c, kIntPin = 0x3d,
  };
  enum : u16 { kCmdIo = 1, kCmdMem = 2, kCmdMaster = 4 };

  u8 cfg[256] = {};
  u8 wmask[256] = {};
  u8 w1cmask[256] = {};

  virtual ~PciDevice() = default;

  // An access of `size` 1, 2 or 4 bytes at `off`, within one dword (the
  // host bridge splits anything else).
  virtual u32 config_read(u8 off, int size);
  virtual void config_write(u8 off, int size, u32 v);

  // The decoded address of BAR `i` (0-5), or kNoBar when the BAR is not
  // declared or its space (I/O or memory) is off in the command register.
  u64 bar_address(int i) const;
  u32 bar_size(int i) const { return i >= 0 && i < 6 ? bar_size_[i] : 0; }

  // Drives this function's INTx# output (does nothing when cfg 0x3D is 0).
  void set_irq(bool level);

  u16 cfg16(u8 off) const { return load_le<u16>(cfg + off); }
  u32 cfg32(u8 off) const { return load_le<u32>(cfg + (off & 0xfc)); }

  // Building a function's header (device models call these at reset):
  // Identity (read-only): vendor/device, revision, 24-bit class code,
  // header type (bit 7: multi-function device).
  void set_ids(u16 vendor, u16 device, u8 revision, u32 class_code, u8 header_type);
  // Declares BAR `i` as `size` bytes (a power of two: >= 16 for memory,
  // >= 4 for I/O) with `flags`; a 64-bit BAR also takes slot i + 1.
  void define_bar(int i, u32 size, u32 flags);
  void set_wmask(u8 off, int size, u32 mask);
  void set_w1c(u8 off, int size, u32 mask);

 protected:
  // Called after a guest write has changed cfg[off, off + size).
  virtual void config_written(u8 off, int size) { (void)off; (void)size; }

 private:
  friend class PciBus;
  PciBus* bus_ = nullptr;
  u8 devfn_ = 0;
  bool irq_level_ = false;
  u32 bar_size_[6] = {};
};

class PciBus {
 public:
  static constexpr int kSlots = 32, kFunctions = 8;

  // Called when PIRQ line `n` (0-3 = PIRQA-D) changes level.
  void (*pirq)(void* ctx, int n, bool level) = nullptr;
  void* ctx = nullptr;

  // Plugs `dev` in at slot `dev_no`, function `fn`; false if that place is
  // out of range or taken.
  bool attach(int dev_no, int fn, PciDevice* dev);
  PciDevice* at(int bus, int dev_no, int fn) const;

  // A configuration access to bus/device/function/register (all ones for
  // an absent function); `off` and `size` as PciDevice::config_read.
  u32 read(int bus, int dev_no, int fn, u8 off, int size);
  void write(int bus, int dev_no, int fn, u8 off, int size, u32 v);

  // The PIRQ line (0-3) that INTx pin `pin` (1-4) of slot `dev_no` drives.
  static int pirq_of(int dev_no, int pin) { return (dev_no + pin - 2) & 3; }
  bool pirq_level(int n) const { return n >= 0 && n < 4 && pirq_[n]; }

 private:
  friend class PciDevice;
  void intx_changed(const PciDevice* dev);
  PciDevice* fn_[kSlots * kFunctions] = {};
  bool pirq_[4] = {};
};

class PciHost : public IoDevice {
 public:
  static constexpr u16 kAddrPort = 0xcf8, kDataPort = 0xcfc, kResetPort = 0xcf9;
  explicit PciHost(PciBus& bus) : bus_(bus) {}
  IoDevice* reset_control = nullptr;  // port 0xCF9 (byte accesses)

  u32 io_read(u16 port, int size) override;
  void io_write(u16 port, int size, u32 v) override;
  u32 config_address() const { return addr_; }

 private:
  u8 legacy_read(u16 port);
  void legacy_write(u16 port, u8 v);
  PciBus& bus_;
  u32 addr_ = 0;
};

}  // namespace pc64
