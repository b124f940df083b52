// PCI configuration space, bus 0 and mechanism #1 (see pci.h).
#include "machine/pci.h"

namespace pc64 {

u32 PciDevice::config_read(u8 off, int size) {
  u32 v = 0;
  for (int i = 0; i < size; ++i) v |= (u32)cfg[(u8)(off + i)] << (8 * i);
  return v;
}

void PciDevice::config_write(u8 off, int size, u32 v) {
  for (int i = 0; i < size; ++i) {
    const u8 o = (u8)(off + i), b = (u8)(v >> (8 * i));
    cfg[o] = (u8)((cfg[o] & ~wmask[o]) | (b & wmask[o]));
    cfg[o] = (u8)(cfg[o] & ~(b & w1cmask[o]));  // RW1C (PCI 3.0 §6.2.3)
  }
  config_written(off, size);
}

void PciDevice::set_ids(u16 vendor, u16 device, u8 revision, u32 class_code, u8 header_type) {
  store_le<u16>(cfg + kVendor, vendor);
  store_le<u16>(cfg + kDevice, device);
  cfg[kRevision] = revision;
  cfg[kClass] = (u8)class_code;
  cfg[kClass + 1] = (u8)(class_code >> 8);
  cfg[kClass + 2] = (u8)(class_code >> 16);
  cfg[kHeaderType] = header_type;
}

void PciDevice::set_wmask(u8 off, int size, u32 mask) {
  for (int i = 0; i < size; ++i) wmask[(u8)(off + i)] = (u8)(mask >> (8 * i));
}

void PciDevice::set_w1c(u8 off, int size, u32 mask) {
  for (int i = 0; i < size; ++i) w1cmask[(u8)(off + i)] = (u8)(mask >> (8 * i));
}

// PCI 3.0 §6.2.5.1: the BAR's read-only low bits give the type (bit 0 I/O;
// bits 2:1 memory type, 10b = 64-bit; bit 3 prefetchable) and, by reading
// back zero, the size; the bits above the size hold the address.
void PciDevice::define_bar(int i, u32 size, u32 flags) {
  const bool io = flags & kBarIo, wide = !io && (flags & kBarMem64);
  if (i < 0 || i > (wide ? 4 : 5) || size == 0 || (size & (size - 1))) return;
  if (size < (io ? 4u : 16u)) size = io ? 4 : 16;
  const u8 off = (u8)(kBar0 + 4 * i);
  const u32 low = io ? (flags & 1) : (flags & 0xe);
  store_le<u32>(cfg + off, low);
  set_wmask(off, 4, ~(size - 1) & (io ? ~3u : ~15u));
  bar_size_[i] = size;
  if (wide) {
    store_le<u32>(cfg + off + 4, 0);
    set_wmask((u8)(off + 4), 4, ~0u);
  }
}

u64 PciDevice::bar_address(int i) const {
  if (i < 0 || i > 5 || !bar_size_[i]) return kNoBar;
  const u32 lo = cfg32((u8)(kBar0 + 4 * i));
  const u16 cmd = cfg16(kCommand);
  if (lo & 1) return (cmd & kCmdIo) ? (lo & ~3u) : kNoBar;
  if (!(cmd & kCmdMem)) return kNoBar;
  u64 a = lo & ~15u;
  if ((lo & 6) == 4 && i < 5) a |= (u64)cfg32((u8)(kBar0 + 4 * i + 4)) << 32;
  return a;
}

void PciDevice::set_irq(bool level) {
  if (!cfg[kIntPin] || cfg[kIntPin] > 4 || irq_level_ == level) return;
  irq_level_ = level;
  if (bus_) bus_->intx_changed(this);
}

bool PciBus::attach(int dev_no, int fn, PciDevice* dev) {
  if (!dev || dev_no < 0 || dev_no >= kSlots || fn < 0 || fn >= kFunctions) return false;
  PciDevice*& slot = fn_[dev_no * kFunctions + fn];
  if (slot) return false;
  slot = dev;
  dev->bus_ = this;
  dev->devfn_ = (u8)(dev_no * kFunctions + fn);
  return true;
}

PciDevice* PciBus::at(int bus, int dev_no, int fn) const {
  if (bus != 0 || dev_no < 0 || dev_no >= kSlots || fn < 0 || fn >= kFunctions) return nullptr;
  return fn_[dev_no * kFunctions + fn];
}

u32 PciBus::read(int bus, int dev_no, int fn, u8 off, int size) {
  PciDevice* d = at(bus, dev_no, fn);
  const u32 ones = (u32)width_mask(size);
  if (!d || (size != 1 && size != 2 && size != 4) || (off & 3) + size > 4) return ones;
  return d->config_read(off, size) & ones;
}

void PciBus::write(int bus, int dev_no, int fn, u8 off, int size, u32 v) {
  PciDevice* d = at(bus, dev_no, fn);
  if (!d || (size != 1 && size != 2 && size != 4) || (off & 3) + size > 4) return;
  d->config_write(off, size, v & (u32)width_mask(size));
}

void PciBus::intx_changed(const PciDevice* dev) {
  const int n = pirq_of(dev->devfn_ / kFunctions, dev->cfg[PciDevice::kIntPin]);
  bool level = false;
  for (int i = 0; i < kSlots * kFunctions; ++i) {
    const PciDevice* d = fn_[i];
    if (d && d->irq_level_ && pirq_of(i / kFunctions, d->cfg[PciDevice::kIntPin]) == n) level = true;
  }
  if (level == pirq_[n]) return;
  pirq_[n] = level;
  if (pirq) pirq(ctx, n, level);
}

u8 PciHost::legacy_read(u16 port) {
  if (port == kResetPort && reset_control) return (u8)reset_control->io_read(port, 1);
  return 0xff;
}

void PciHost::legacy_write(u16 port, u8 v) {
  if (port == kResetPort && reset_control) reset_control->io_write(port, 1, v);
}

u32 PciHost::io_read(u16 port, int size) {
  if (port == kAddrPort && size == 4) return addr_;
  const bool on = addr_ & 0x80000000u;
  const int bus = (addr_ >> 16) & 0xff, dev = (addr_ >> 11) & 31, fn = (addr_ >> 8) & 7;
  const u8 reg = (u8)(addr_ & 0xfc);
  // CONFIG_DATA accesses that stay inside 0xCFC-0xCFF go to the function
  // whole; anything else is taken byte by byte.
  if (on && port >= kDataPort && port + size <= kDataPort + 4)
    return bus_.read(bus, dev, fn, (u8)(reg + (port & 3)), size);
  u32 v = 0;
  for (int i = 0; i < size; ++i) {
    const u32 p = (u32)port + i;
    u8 b = 0xff;
    if (p < kDataPort) b = legacy_read((u16)p);
    else if (p < kDataPort + 4 && on) b = (u8)bus_.read(bus, dev, fn, (u8)(reg + (p & 3)), 1);
    v |= (u32)b << (8 * i);
  }
  return v;
}

void PciHost::io_write(u16 port, int size, u32 v) {
  if (port == kAddrPort && size == 4) {
    addr_ = v & 0x80fffffcu;  // 30:24 and 1:0 read-only 0
    return;
  }
  const bool on = addr_ & 0x80000000u;
  const int bus = (addr_ >> 16) & 0xff, dev = (addr_ >> 11) & 31, fn = (addr_ >> 8) & 7;
  const u8 reg = (u8)(addr_ & 0xfc);
  if (on && port >= kDataPort && port + size <= kDataPort + 4) {
    bus_.write(bus, dev, fn, (u8)(reg + (port & 3)), size, v);
    return;
  }
  for (int i = 0; i < size; ++i) {
    const u32 p = (u32)port + i;
    const u8 b = (u8)(v >> (8 * i));
    if (p < kDataPort) legacy_write((u16)p, b);
    else if (p < kDataPort + 4 && on) bus_.write(bus, dev, fn, (u8)(reg + (p & 3)), 1, b);
  }
}

}  // namespace pc64
