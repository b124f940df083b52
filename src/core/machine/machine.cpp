// Machine: port dispatch and the run loop (see machine.h).
#include "machine/machine.h"

#include "machine/acpi.h"

namespace pc64 {

Machine::Machine() {
  cpu.bus = this;
  for (Uart16550* u : uarts) map_ports(u->base(), 8, u);
  map_ports(RtcCmos::kPortIndex, 2, &rtc);
  map_ports(I8042::kPortData, 1, &kbc);
  map_ports(I8042::kPortStatus, 1, &kbc);
  map_ports(0x20, 2, &pic_master);
  map_ports(0xa0, 2, &pic_slave);
  map_ports(0x40, 4, &pit);
  map_ports(0x61, 1, &port_b_);
  map_ports(0x80, 1, &post_);
  // QEMU's -device isa-debug-exit,iobase=0xf4,iosize=0x04 decodes four
  // ports and takes the access whole.
  map_ports(DebugExit::kPort, 4, &debug_exit, false);
  cpu.clock_ns = [](void* ctx) { return ((Machine*)ctx)->now_ns(); };
  cpu.clock_ctx = this;
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

  for (Uart16550* u : uarts) {
    u->clock = clock;
    u->ctx = this;
    u->irq = [](void* ctx, bool) { ((Machine*)ctx)->uart_irqs(); };
  }
  rtc.clock = clock;
  rtc.ctx = this;
  rtc.irq = [](void* ctx, bool level) {
    Machine* m = (Machine*)ctx;
    // The HPET's legacy replacement route takes IRQ8 from the RTC (IA-PC
    // HPET spec 1.0a §2.3.7), as it takes IRQ0 from the PIT.
    if (m->hpet.legacy()) return;
    m->set_isa_irq(8, level);
    m->update_intr();
  };
  rtc.set_time(0);
  kbc.ctx = this;
  kbc.irq = [](void* ctx, int line, bool level) {
    Machine* m = (Machine*)ctx;
    m->set_isa_irq(line, level);
    m->update_intr();
  };
  kbc.reset = [](void* ctx) { ((Machine*)ctx)->request_stop(MachineStop::Reset); };
  // The 8042's output port bit 1 gates A20 together with port 0x92.
  kbc.a20_changed = [](void* ctx, bool on) { ((Machine*)ctx)->set_a20(on); };
  setup_pci();
}

void Machine::uart_irqs() {
  const bool irq4 = com1.irq_level() || com3.irq_level();
  const bool irq3 = com2.irq_level() || com4.irq_level();
  set_isa_irq(4, irq4);
  set_isa_irq(3, irq3);
  update_intr();
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
  for (int i = 0; i < 4; ++i) c.com_base[i] = uarts[i]->base();
  c.rtc = true;
  c.i8042 = true;
  return build_acpi_tables(ram + kAcpiBase, c);
}

// A reset request is reported once: the host decides what follows (pc64
// exits; a host with firmware could reset the machine and run on). A
// machine that powered off stays off.
MachineStop Machine::take_stop() {
  const MachineStop why = stop_request_;
  if (why != MachineStop::PowerOff) stop_request_ = MachineStop::Budget;
  return why;
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

void Machine::set_clock(ClockMode mode, int shift) {
  const u64 now = now_ns();
  clock_mode_ = mode == ClockMode::Host && host_clock ? ClockMode::Host : ClockMode::Virtual;
  shift_ = shift < 0 ? 0 : shift > 10 ? 10 : shift;
  // Guest time goes on from where it is: the new source starts at `now`.
  if (clock_mode_ == ClockMode::Host) {
    host_base_ = host_clock(host_ctx);
    idle_ns_ = now;
  } else {
    const u64 run = cpu.icount << shift_;
    idle_ns_ = now > run ? now - run : 0;
  }
}

void Machine::map_mmio(u64 base, u64 size, MmioDevice* dev) {
  if (nmmio_ == kMaxMmio) return;
  mmio_[nmmio_++] = MmioRegion{base, size, dev};
}

// Physical accesses that missed RAM (cpu.cpp sends them here whole when
// they are 1, 2, 4 or 8 bytes within a page).
u64 Machine::mmio_read(u64 pa, int size) {
  const u64 ones = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
  u64 v = ones;
  if (lapic.mmio_hit(pa)) {
    v = lapic.mmio_read(pa, size) & ones;
  } else {
    for (int i = 0; i < nmmio_; ++i) {
      if (pa - mmio_[i].base < mmio_[i].size) {
        v = mmio_[i].dev->mmio_read(pa - mmio_[i].base, size) & ones;
        break;
      }
    }
  }
  if (PC64_UNLIKELY(trace.on(Trace::kMmio))) trace_io("mmio read ", pa, size, v);
  return v;
}

void Machine::mmio_write(u64 pa, int size, u64 v) {
  if (PC64_UNLIKELY(trace.on(Trace::kMmio))) trace_io("mmio write", pa, size, v);
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
  u32 v = 0;
  if (d && !byte_wide_[d - 1]) {
    v = devices_[d - 1]->io_read(port, size) & (u32)width_mask(size);
  } else {
    for (int i = 0; i < size; ++i) v |= port_read1((u16)(port + i)) << (8 * i);
  }
  if (PC64_UNLIKELY(trace.on(Trace::kIoport))) trace_io("io in    ", port, size, v);
  // Reading RTC register C re-arms IRQ8: the next RTC event may be sooner
  // than the slice's end.
  if (port == RtcCmos::kPortData) cpu.exit = ExitReason::Stop;
  return v;
}

void Machine::io_out(u16 port, int size, u32 v) {
  if (PC64_UNLIKELY(trace.on(Trace::kIoport))) trace_io("io out   ", port, size, v);
  const u8 d = port_map_[port];
  if (d && !byte_wide_[d - 1]) {
    devices_[d - 1]->io_write(port, size, v & (u32)width_mask(size));
  } else {
    for (int i = 0; i < size; ++i) port_write1((u16)(port + i), (u8)(v >> (8 * i)));
  }
  // Stop the CPU's run loop right after the instruction that asked to exit.
  if (debug_exit.requested) cpu.exit = ExitReason::Stop;
  // RTC and UART control writes can move the device's next event: end
  // the slice so run() reschedules.
  const u16 com = port & ~7;
  if (port == RtcCmos::kPortData ||
      ((com == 0x3f8 || com == 0x2f8 || com == 0x3e8 || com == 0x2e8) && (port & 7) >= 1 &&
       (port & 7) <= 4))
    cpu.exit = ExitReason::Stop;
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
  // One host-clock reading serves every device of this poll (each asks
  // now_ns() through its clock callback): one instant, and one clock read.
  poll_now_ = now_ns();
  polling_ = true;
  poll_timer();
  lapic.poll();
  hpet.poll();
  rtc.poll();
  for (Uart16550* u : uarts) u->poll();
  pm.poll();
  update_intr();
  u64 due = irq0_tick_ != Pit8254::kNever ? Pit8254::tick_ns(irq0_tick_) : Lapic::kNever;
  const u64 next[] = {lapic.next_event_ns(), hpet.next_event_ns(), rtc.next_event_ns(),
                      pm.next_event_ns(),    com1.next_event_ns(), com2.next_event_ns(),
                      com3.next_event_ns(),  com4.next_event_ns()};
  for (u64 n : next)
    if (n < due) due = n;
  polling_ = false;
  return due;
}

// HLT with IF = 1 can end only by an interrupt: IRQ0 from the PIT through
// an open PIC path or IOAPIC pin 2, the LAPIC timer, an HPET timer, the
// RTC on IRQ8, a UART's character timeout on an open path, or the PM
// timer's SCI (IRQ 9).
bool Machine::can_wake() const {
  if (!(cpu.s.rflags & kIF)) return false;
  const bool pit_path = !hpet.legacy() && ((pic_master.could_raise(0) && lapic.extint_open()) ||
                                           ioapic.pin_open(2));
  if (rtc.can_interrupt() && !hpet.legacy() && isa_path_open(8)) return true;
  for (const Uart16550* u : uarts)
    if (u->next_event_ns() != Uart16550::kNever && isa_path_open(u->irq_line())) return true;
  const bool sci_path = isa_path_open(9);
  return (irq0_tick_ != Pit8254::kNever && pit_path) || lapic.timer_can_interrupt() ||
         hpet.can_interrupt() || (pm.can_interrupt() && sci_path);
}

bool Machine::isa_path_open(int irq) const {
  if (ioapic.pin_open(irq == 0 ? 2 : irq)) return true;
  if (!lapic.extint_open()) return false;
  if (irq < 8) return pic_master.could_raise(irq);
  return pic_slave.could_raise(irq - 8) && pic_master.could_raise(2);
}

bool Machine::input_can_wake() const {
  if (!(cpu.s.rflags & kIF)) return false;
  for (const Uart16550* u : uarts)
    if (u->rx_irq_armed() && isa_path_open(u->irq_line())) return true;
  return (kbc.command_byte() & I8042::kCbKbdInt) && isa_path_open(1);
}

// Runs the CPU in slices that end at the next timer edge, so IRQ0 is
// latched at the virtual time OUT0 rises; between slices the PICs' output
// is the CPU's INTR pin, which the CPU samples between instructions.
MachineStop Machine::run(u64 budget) {
  if (debug_exit.requested) return MachineStop::DebugExit;
  if (stop_request_ != MachineStop::Budget) return take_stop();
  u64 left = budget;
  while (left > 0) {
    // Each slice ends at the next timer event of any device.
    const u64 next = poll_devices();
    u64 slice = left;
    if (PC64_UNLIKELY(trace.on(Trace::kStep))) {
      trace_step();
      slice = 1;
    }
    if (next != Lapic::kNever) {
      const u64 now = now_ns();
      const u64 wait = next > now ? next - now : 1;
      // Instructions until the event: exact in virtual time; with the host
      // clock a guess (at most 1 instruction per 8 ns, i.e. <= 125 MIPS),
      // so the slice ends early rather than late and the loop polls again.
      // At least kMinHostSlice there: a device whose event is already due
      // (a timer catching up on host time the guest spent elsewhere) must
      // not shrink every slice to one instruction; the interrupt is then at
      // most a few microseconds late.
      constexpr u64 kMinHostSlice = 256;
      const u64 n = clock_mode_ == ClockMode::Host ? (wait / 8 + 1 < kMinHostSlice ? kMinHostSlice : wait / 8 + 1)
                                                   : ((wait + (1ull << shift_) - 1) >> shift_);
      if (n < slice) slice = n;
    }
    const u64 before = cpu.icount;
    const ExitReason r = cpu.run(slice);
    if (debug_exit.requested) return MachineStop::DebugExit;
    if (stop_request_ != MachineStop::Budget) return take_stop();
    const u64 ran = cpu.icount - before;
    switch (r) {
      case ExitReason::Halt:
        // Nothing delivers NMIs yet: a halted CPU wakes for a timer or
        // device event (PIT, LAPIC, HPET, RTC, UART timeout), or for host
        // input (Idle with idle_until_ns() = kNever: the host feeds it and
        // calls run() again). Virtual time skips to the next event (the TSC
        // follows, Cpu::tsc); the host clock waits for it (Idle).
        if (!can_wake()) {
          idle_until_ = Lapic::kNever;
          return input_can_wake() ? MachineStop::Idle : MachineStop::Halt;
        }
        {
          const u64 due = poll_devices(), now = now_ns();
          if (due != Lapic::kNever && due > now) {
            if (clock_mode_ == ClockMode::Host) {
              idle_until_ = due;
              return MachineStop::Idle;
            }
            idle_ns_ += due - now;  // the TSC follows (Cpu::tsc)
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
