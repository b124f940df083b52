// Machine: port dispatch and the run loop (see machine.h).
#include "machine/machine.h"

#include "machine/acpi.h"

namespace pc64 {

Machine::Machine() {
  cpu.bus = this;
  map_ports(com1.base(), 8, &com1);
  map_ports(0x20, 2, &pic_master);
  map_ports(0xa0, 2, &pic_slave);
  map_ports(0x40, 4, &pit);
  map_ports(0x61, 1, &port_b_);
  map_ports(0x80, 1, &post_);
  // QEMU's -device isa-debug-exit,iobase=0xf4,iosize=0x04 decodes four
  // ports and takes the access whole.
  map_ports(DebugExit::kPort, 4, &debug_exit, false);
  pit.clock = [](void* ctx) { return ((Machine*)ctx)->now_ns(); };
  pit.clock_ctx = this;

  auto clock = [](void* ctx) { return ((Machine*)ctx)->now_ns(); };
  lapic.cpu = &cpu;
  lapic.clock = clock;
  lapic.ctx = this;
  // An APIC change can move INTR or the timer's next event: recompute INTR
  // and end the CPU's slice so run() reschedules.
  lapic.changed = [](void* ctx) {
    Machine* m = (Machine*)ctx;
    m->update_intr();
    m->cpu.exit = ExitReason::Stop;
  };
  lapic.eoi = [](void* ctx, u8 vector) { ((Machine*)ctx)->ioapic.eoi(vector); };
  lapic.reset();
  cpu.apic = &lapic;

  ioapic.reset();
  ioapic.ctx = this;
  ioapic.deliver = [](void* ctx, u8 dest, bool logical, u8 mode, u8 vector, bool level) {
    Machine* m = (Machine*)ctx;
    if (!m->lapic.match_dest(dest, logical)) return false;
    if (mode == Lapic::kModeExtInt) {
      m->extint_ioapic_ = true;  // INTA then reads the 8259 (82093AA §3.2.4)
      m->update_intr();
      return true;
    }
    m->lapic.deliver(mode, vector, level);
    return mode == Lapic::kModeFixed || mode == Lapic::kModeLowest;
  };
  map_mmio(Ioapic::kBase, 0x1000, &ioapic);

  hpet.reset();
  hpet.clock = clock;
  hpet.ctx = this;
  hpet.irq = [](void* ctx, int line, bool legacy, bool level) {
    Machine* m = (Machine*)ctx;
    if (legacy) m->set_isa_irq(line, level);
    else m->ioapic.set_pin(line, level);
    m->update_intr();
  };
  map_mmio(Hpet::kBase, 0x400, &hpet);
  setup_pci();
}

// PCI bus 0 and the chipset functions, then what firmware would program
// before a kernel runs: PIRQA-D -> IRQ 10, 10, 11, 11, the PM block at
// kPmBase with SCI_EN set (the FADT has no SMI_CMD: ACPI mode from the
// start), A20 on.
void Machine::setup_pci() {
  map_ports(PciHost::kAddrPort, 8, &pci_host, false);
  pci_host.reset_control = &isa_bridge;
  map_ports(Piix3::kPort92, 1, &isa_bridge);
  pci.attach(0, 0, &host_bridge);
  pci.attach(1, 0, &isa_bridge);
  pci.attach(1, 3, &pm);
  pci.ctx = this;
  pci.pirq = [](void* ctx, int n, bool level) { ((Machine*)ctx)->isa_bridge.set_pirq(n, level); };
  isa_bridge.ctx = this;
  isa_bridge.isa_irq = [](void* ctx, int irq, bool level) {
    Machine* m = (Machine*)ctx;
    m->set_isa_irq(irq, level);
    m->update_intr();
  };
  isa_bridge.reset_request = [](void* ctx) { ((Machine*)ctx)->request_stop(MachineStop::Reset); };
  isa_bridge.a20 = [](void* ctx, bool on) { ((Machine*)ctx)->set_a20(on); };
  for (int i = 0; i < 4; ++i) isa_bridge.config_write((u8)(0x60 + i), 1, kPirqIrq[i]);
  pm.ctx = this;
  pm.clock = [](void* ctx) { return ((Machine*)ctx)->now_ns(); };
  pm.sci = [](void* ctx, bool level) {
    Machine* m = (Machine*)ctx;
    m->set_isa_irq(9, level);
    m->update_intr();
  };
  pm.sleep = [](void* ctx, int type) {
    if (type == Piix4Pm::kSlpTypS5) ((Machine*)ctx)->request_stop(MachineStop::PowerOff);
  };
  pm.io_moved = [](void* ctx, u16 old_base, u16 new_base) {
    Machine* m = (Machine*)ctx;
    if (old_base) m->unmap_ports(old_base, Piix4Pm::kBlockSize, &m->pm);
    if (new_base) m->map_ports(new_base, Piix4Pm::kBlockSize, &m->pm);
  };
  pm.firmware_init(kPmBase);
  set_a20(true);
}

u64 Machine::install_acpi_tables() {
  if (!ram || ram_size < kAcpiBase + kAcpiSize) return 0;
  AcpiConfig c;
  c.pm_base = kPmBase;
  c.sci_irq = 9;
  for (int i = 0; i < 4; ++i) c.pirq_irq[i] = kPirqIrq[i];
  c.hpet_id = (u32)hpet.mmio_read(0, 4);
  c.com_base[0] = com1.base();
  return build_acpi_tables(ram + kAcpiBase, c);
}

void Machine::request_stop(MachineStop why) {
  if (stop_request_ == MachineStop::Budget) stop_request_ = why;
  cpu.exit = ExitReason::Stop;
}

void Machine::set_a20(bool enabled) {
  const u64 mask = enabled ? ~0ull : ~(1ull << 20);
  if (a20_mask == mask) return;
  a20_mask = mask;
  cpu.flush_tlb();
}

void Machine::map_mmio(u64 base, u64 size, MmioDevice* dev) {
  if (nmmio_ == kMaxMmio) return;
  mmio_[nmmio_++] = MmioRegion{base, size, dev};
}

// Physical accesses that missed RAM (cpu.cpp sends them here whole when
// they are 1, 2, 4 or 8 bytes within a page).
u64 Machine::mmio_read(u64 pa, int size) {
  const u64 ones = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
  if (lapic.mmio_hit(pa)) return lapic.mmio_read(pa, size) & ones;
  for (int i = 0; i < nmmio_; ++i)
    if (pa - mmio_[i].base < mmio_[i].size) return mmio_[i].dev->mmio_read(pa - mmio_[i].base, size) & ones;
  return ones;
}

void Machine::mmio_write(u64 pa, int size, u64 v) {
  if (lapic.mmio_hit(pa)) {
    lapic.mmio_write(pa, size, v);
    return;
  }
  for (int i = 0; i < nmmio_; ++i) {
    if (pa - mmio_[i].base < mmio_[i].size) {
      mmio_[i].dev->mmio_write(pa - mmio_[i].base, size, v);
      // The HPET may have a new next event; the IOAPIC may have delivered.
      update_intr();
      cpu.exit = ExitReason::Stop;
      return;
    }
  }
}

void Machine::set_isa_irq(int irq, bool level) {
  if (irq < 0 || irq >= 16) return;
  if (irq < 8) pic_master.set_irq(irq, level);
  else pic_slave.set_irq(irq - 8, level);
  ioapic.set_pin(irq == 0 ? 2 : irq, level);
}

void Machine::unmap_ports(u16 first, u32 count, IoDevice* dev) {
  for (int i = 0; i < ndevices_; ++i) {
    if (devices_[i] != dev) continue;
    for (u32 p = first; p < (u32)first + count && p < 65536; ++p)
      if (port_map_[p] == i + 1) port_map_[p] = 0;
  }
}

void Machine::map_ports(u16 first, u32 count, IoDevice* dev, bool byte_wide) {
  int idx = -1;
  for (int i = 0; i < ndevices_; ++i)
    if (devices_[i] == dev) idx = i;
  if (idx < 0) {
    if (ndevices_ == kMaxDevices) return;
    idx = ndevices_++;
    devices_[idx] = dev;
    byte_wide_[idx] = byte_wide;
  }
  for (u32 p = first; p < (u32)first + count && p < 65536; ++p) port_map_[p] = (u8)(idx + 1);
}

u32 Machine::port_read1(u16 port) {
  const u8 d = port_map_[port];
  return d ? devices_[d - 1]->io_read(port, 1) & 0xff : 0xff;
}

void Machine::port_write1(u16 port, u8 v) {
  const u8 d = port_map_[port];
  if (d) devices_[d - 1]->io_write(port, 1, v);
}

u32 Machine::io_in(u16 port, int size) {
  const u8 d = port_map_[port];
  if (d && !byte_wide_[d - 1]) return devices_[d - 1]->io_read(port, size) & (u32)width_mask(size);
  u32 v = 0;
  for (int i = 0; i < size; ++i) v |= port_read1((u16)(port + i)) << (8 * i);
  return v;
}

void Machine::io_out(u16 port, int size, u32 v) {
  const u8 d = port_map_[port];
  if (d && !byte_wide_[d - 1]) {
    devices_[d - 1]->io_write(port, size, v & (u32)width_mask(size));
  } else {
    for (int i = 0; i < size; ++i) port_write1((u16)(port + i), (u8)(v >> (8 * i)));
  }
  // Stop the CPU's run loop right after the instruction that asked to exit.
  if (debug_exit.requested) cpu.exit = ExitReason::Stop;
  if (port >= 0x40 && port <= 0x43) {
    // A new count moves the next IRQ0: end the CPU's slice so run() reschedules.
    poll_timer();
    cpu.exit = ExitReason::Stop;
  }
  if ((port & ~1) == 0x20 || (port & ~1) == 0xa0) update_intr();  // EOI, IMR, ICWs
}

void Machine::update_intr() {
  pic_master.set_irq(2, pic_slave.pending() >= 0);
  const bool pic = pic_master.pending() >= 0 && (lapic.extint_open() || extint_ioapic_);
  cpu.set_intr(lapic.pending_vector() >= 0 || pic);
}

u8 Machine::intr_ack() {
  if (lapic.pending_vector() >= 0) {
    const u8 v = lapic.acknowledge();
    update_intr();
    return v;
  }
  extint_ioapic_ = false;
  u8 vec;
  if (pic_master.pending() == 2) {
    pic_master.acknowledge();
    vec = pic_slave.acknowledge();
    // The slave's INT falls during the acknowledge, so a later request
    // makes a new edge on IR2.
    pic_master.set_irq(2, false);
  } else {
    vec = pic_master.acknowledge();
  }
  update_intr();
  return vec;
}

void Machine::poll_timer() {
  const u64 t = pit.ticks();
  // OUT0 is IRQ0 unless the HPET's legacy replacement route took the line
  // (IA-PC HPET spec 1.0a §2.3.7).
  if (irq0_tick_ != Pit8254::kNever && t >= irq0_tick_ && !hpet.legacy()) {
    set_isa_irq(0, true);  // an edge: the PIC latches it in IRR
    set_isa_irq(0, false);
  }
  irq0_tick_ = pit.next_rise(0, t);
  update_intr();
}

u64 Machine::poll_devices() {
  poll_timer();
  lapic.poll();
  hpet.poll();
  pm.poll();
  update_intr();
  u64 due = irq0_tick_ != Pit8254::kNever ? Pit8254::tick_ns(irq0_tick_) : Lapic::kNever;
  const u64 l = lapic.next_event_ns(), h = hpet.next_event_ns(), p = pm.next_event_ns();
  if (l < due) due = l;
  if (h < due) due = h;
  if (p < due) due = p;
  return due;
}

// HLT with IF = 1 can end only by an interrupt: IRQ0 from the PIT through
// an open PIC path or IOAPIC pin 2, the LAPIC timer, an HPET timer, or the
// PM timer's SCI (IRQ 9 through the slave PIC or IOAPIC pin 9).
bool Machine::can_wake() const {
  if (!(cpu.s.rflags & kIF)) return false;
  const bool pit_path = !hpet.legacy() && ((pic_master.could_raise(0) && lapic.extint_open()) ||
                                           ioapic.pin_open(2));
  const bool sci_path = (pic_slave.could_raise(1) && pic_master.could_raise(2) &&
                         lapic.extint_open()) || ioapic.pin_open(9);
  return (irq0_tick_ != Pit8254::kNever && pit_path) || lapic.timer_can_interrupt() ||
         hpet.can_interrupt() || (pm.can_interrupt() && sci_path);
}

// Runs the CPU in slices that end at the next timer edge, so IRQ0 is
// latched at the virtual time OUT0 rises; between slices the PICs' output
// is the CPU's INTR pin, which the CPU samples between instructions.
MachineStop Machine::run(u64 budget) {
  if (debug_exit.requested) return MachineStop::DebugExit;
  if (stop_request_ != MachineStop::Budget) return stop_request_;
  u64 left = budget;
  while (left > 0) {
    // Each slice ends at the next timer event of any device.
    const u64 next = poll_devices();
    u64 slice = left;
    if (next != Lapic::kNever) {
      const u64 now = now_ns();
      const u64 wait = next > now ? next - now : 1;
      if (wait < slice) slice = wait;
    }
    const u64 before = cpu.icount;
    const ExitReason r = cpu.run(slice);
    if (debug_exit.requested) return MachineStop::DebugExit;
    if (stop_request_ != MachineStop::Budget) return stop_request_;
    const u64 ran = cpu.icount - before;
    switch (r) {
      case ExitReason::Halt:
        // Nothing delivers NMIs yet: a halted CPU wakes only for a timer
        // interrupt. Skip the idle time to the next timer event; the TSC
        // follows virtual time (lapic.h), so it moves on too.
        if (!can_wake()) return MachineStop::Halt;
        {
          const u64 due = poll_devices(), now = now_ns();
          if (due != Lapic::kNever && due > now) {
            idle_ns_ += due - now;
            cpu.s.tsc_offset += due - now;
          }
        }
        // An event that wakes nothing still costs one unit of budget, so a
        // guest halted behind a masked line cannot spin here forever.
        left -= ran == 0 ? 1 : (ran < left ? ran : left);
        if (left == 0) return MachineStop::Budget;
        continue;
      case ExitReason::Exception: return MachineStop::Exception;
      case ExitReason::Shutdown: return MachineStop::Shutdown;
      case ExitReason::Stop: left -= ran == 0 ? 1 : (ran < left ? ran : left); break;
      default: left -= slice; break;
    }
  }
  return MachineStop::Budget;
}

// System control port B (IBM PC/AT Technical Reference, port 0x61): bit 0
// timer 2 gate, bit 1 speaker data; reads add bit 4 (refresh request,
// toggling every 15 us) and bit 5 (timer 2 output).
u32 Machine::PortB::io_read(u16 port, int size) {
  (void)port;
  (void)size;
  const u64 t = m_.now_ns();
  u32 v = value_ & 0x0f;
  if ((t / 15000) & 1) v |= 0x10;
  if (m_.pit.out(2)) v |= 0x20;
  return v;
}

void Machine::PortB::io_write(u16 port, int size, u32 v) {
  (void)port;
  (void)size;
  value_ = (u8)(v & 0x0f);
  m_.pit.set_gate2(v & 1);
}

}  // namespace pc64
