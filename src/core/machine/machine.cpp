// Machine: port dispatch and the run loop (see machine.h).
#include "machine/machine.h"

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
  cpu.set_intr(pic_master.pending() >= 0);
}

u8 Machine::intr_ack() {
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
  if (irq0_tick_ != Pit8254::kNever && t >= irq0_tick_) {
    pic_master.set_irq(0, true);  // an edge: the PIC latches it in IRR
    pic_master.set_irq(0, false);
  }
  irq0_tick_ = pit.next_rise(0, t);
  update_intr();
}

// HLT with IF = 1 can end only by an interrupt: IRQ0 from the PIT, if it is
// unmasked and would get through the master's priority logic.
bool Machine::can_wake() const {
  return (cpu.s.rflags & kIF) && irq0_tick_ != Pit8254::kNever && pic_master.could_raise(0);
}

// Runs the CPU in slices that end at the next timer edge, so IRQ0 is
// latched at the virtual time OUT0 rises; between slices the PICs' output
// is the CPU's INTR pin, which the CPU samples between instructions.
MachineStop Machine::run(u64 budget) {
  if (debug_exit.requested) return MachineStop::DebugExit;
  u64 left = budget;
  while (left > 0) {
    poll_timer();
    u64 slice = left;
    if (irq0_tick_ != Pit8254::kNever) {
      const u64 due = Pit8254::tick_ns(irq0_tick_), now = now_ns();
      const u64 wait = due > now ? due - now : 1;
      if (wait < slice) slice = wait;
    }
    const u64 before = cpu.icount;
    const ExitReason r = cpu.run(slice);
    if (debug_exit.requested) return MachineStop::DebugExit;
    const u64 ran = cpu.icount - before;
    switch (r) {
      case ExitReason::Halt:
        // Nothing delivers NMIs or other devices' interrupts yet: a halted
        // CPU wakes only for IRQ0. Skip the idle time to its next edge.
        if (!can_wake()) return MachineStop::Halt;
        {
          const u64 due = Pit8254::tick_ns(irq0_tick_), now = now_ns();
          if (due > now) idle_ns_ += due - now;
        }
        left -= ran < left ? ran : left;
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
