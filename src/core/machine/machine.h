// Machine: the PC that bare-metal tests and multiboot kernels need: guest
// RAM at physical 0 (allocated by the host), the port-I/O dispatch table,
// the MMIO region table above RAM, COM1-COM4 (16550A at 0x3f8, 0x2f8,
// 0x3e8, 0x2e8 on IRQ 4, 3, 4, 3), the two 8259A PICs, the 8254 PIT with
// the port 0x61 gate/speaker bits, the RTC/CMOS (0x70/0x71, IRQ8), the
// i8042 keyboard controller (0x60/0x64, IRQ1/IRQ12), isa-debug-exit at
// 0xf4, the local APIC (at IA32_APIC_BASE), the IOAPIC (0xFEC00000) and
// the HPET (0xFED00000), PCI bus 0 with the i440FX host bridge (00:00.0),
// the PIIX3 ISA bridge (00:01.0: PIRQ routing, reset control at 0xCF9,
// fast A20 at port 0x92) and the PIIX4 ACPI PM function (00:01.3, its I/O
// block at PMBA, 0x600 after set-up). docs/PLATFORM.md has the device table.
//
// Interrupt wiring: each ISA IRQ line goes to the PICs (slave on master
// IR2) and to an IOAPIC pin (IRQ0 -> pin 2, as the MADT's interrupt source
// override says on a PC; IRQ n -> pin n otherwise). PIT counter 0 drives
// IRQ0 unless the HPET's legacy replacement route has taken it. The
// master PIC's output reaches the CPU's INTR through the local APIC's
// LINT0 in ExtINT mode (virtual wire, or directly when the APIC is
// globally disabled); the local APIC's own vectors win over it (lapic.h).
//
// Unmapped ports read as all ones and ignore writes, as on an ISA bus with
// nothing decoding the address; unmapped physical addresses above RAM too.
#pragma once
#include "cpu/cpu.h"
#include "machine/debug_exit.h"
#include "machine/hpet.h"
#include "machine/i8042.h"
#include "machine/ioapic.h"
#include "machine/e820.h"
#include "machine/i440fx.h"
#include "machine/io_device.h"
#include "machine/lapic.h"
#include "machine/pci.h"
#include "machine/pic8259.h"
#include "machine/piix3.h"
#include "machine/piix4_pm.h"
#include "machine/pit8254.h"
#include "machine/rtc_cmos.h"
#include "machine/trace.h"
#include "machine/uart16550.h"

namespace pc64 {

enum class MachineStop : u8 {
  Budget,     // the instruction budget ran out; call run() again
  DebugExit,  // the guest wrote to isa-debug-exit: see exit_status()
  Halt,       // HLT with nothing that could wake the CPU
  Exception,  // an exception the CPU could not deliver (see cpu.fault_vec)
  Shutdown,   // triple fault
  PowerOff,   // ACPI soft off: S5 through PM1_CNT (SLP_TYP 0 with SLP_EN)
  // A system reset: 0xCF9 RCPU, port 0x92 FAST_INIT, or the i8042 (output
  // port bit 0, command 0xFE).
  Reset,
  // HLT: the host waits, then calls run() again. idle_until_ns() is the
  // guest time of the next timer event (host clock), or Lapic::kNever when
  // only host input (serial, keyboard) can end the wait.
  Idle,
};

// Where guest time comes from (docs/PLATFORM.md "Time").
enum class ClockMode : u8 {
  // Deterministic: each retired instruction is 2^shift ns and HLT skips to
  // the next timer event, so a run depends only on its inputs (-icount).
  Virtual,
  // The host's monotonic clock (Machine::host_clock): guest time follows
  // wall time, and HLT waits for it (MachineStop::Idle).
  Host,
};

class Machine : public Bus {
 public:
  Cpu cpu;
  Uart16550 com1{0x3f8, 4}, com2{0x2f8, 3}, com3{0x3e8, 4}, com4{0x2e8, 3};
  Uart16550* const uarts[4] = {&com1, &com2, &com3, &com4};
  Pic8259 pic_master{0x20, true};
  Pic8259 pic_slave{0xa0, false};
  Pit8254 pit;
  DebugExit debug_exit;
  Lapic lapic;
  Ioapic ioapic;
  Hpet hpet;
  RtcCmos rtc;
  // kbc.a20_changed drives the A20 gate with port 0x92 (set_a20);
  // kbc.reset ends run() with MachineStop::Reset.
  I8042 kbc;
  // -d tracing (trace.h); off by default.
  Trace trace;
  PciBus pci;
  PciHost pci_host{pci};
  I440fx host_bridge;
  Piix3 isa_bridge;
  Piix4Pm pm;
  // Where the firmware set-up puts the PM block, and the ISA IRQs it routes
  // PIRQA-D to (the ACPI tables in acpi.cpp describe the same).
  static constexpr u16 kPmBase = 0x600;
  static constexpr u8 kPirqIrq[4] = {10, 10, 11, 11};

  Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Guest RAM: `bytes` of zeroed host memory that outlives the machine.
  // Up to 3 GiB of it is at physical 0; the rest (host memory right after
  // it) is at physical 4 GiB, above the PCI hole (e820.h, docs/PLATFORM.md).
  void attach_ram(u8* host, u64 bytes) {
    ram = host;
    ram_size = low_ram_bytes(bytes);
    ram_hi = host + ram_size;
    ram_hi_size = high_ram_bytes(bytes);
    cpu.flush_tlb();
    rtc.setup_pc_layout(ram_size, ram_hi_size);
  }
  // Starts the RTC at `epoch_seconds` (the host's wall clock, or a fixed
  // date in deterministic mode): the core never reads the host's clock.
  void set_wall_clock(u64 epoch_seconds) { rtc.set_time(epoch_seconds); }
  // Turns the -d items in `trace.mask` on (call after setting it).
  void apply_trace();

  // Maps ports [first, first + count) to `dev`. A byte-wide device sees
  // 16/32-bit accesses as consecutive byte accesses.
  void map_ports(u16 first, u32 count, IoDevice* dev, bool byte_wide = true);
  // Writes the ACPI tables (acpi.h) for this board into RAM at 0xE0000
  // (what firmware would leave for a kernel); returns the RSDP's address,
  // or 0 when RAM ends below 1 MiB.
  u64 install_acpi_tables();

  // Unmaps the ports of [first, first + count) that `dev` holds.
  void unmap_ports(u16 first, u32 count, IoDevice* dev);

  // The A20 gate (port 0x92 bit 1): when off, physical address bit 20 is
  // forced to 0 on every access (Bus::a20_mask); on at set-up.
  void set_a20(bool enabled);

  // Maps physical [base, base + size) to `dev` (up to kMaxMmio regions;
  // the first match wins, after the local APIC's page).
  void map_mmio(u64 base, u64 size, MmioDevice* dev);
  u64 mmio_read(u64 pa, int size) override;
  void mmio_write(u64 pa, int size, u64 v) override;

  // Drives ISA IRQ line `irq` (0..15): both PICs' inputs and its IOAPIC pin.
  void set_isa_irq(int irq, bool level);

  u32 io_in(u16 port, int size) override;
  void io_out(u16 port, int size, u32 v) override;
  // Interrupt acknowledge: a local APIC vector if one is deliverable, else
  // the vector from the master PIC, or from the slave when the master's
  // request is the cascade line IR2.
  u8 intr_ack() override;

  // Runs up to `budget` instructions.
  MachineStop run(u64 budget);
  int exit_status() const { return debug_exit.status; }

  // Guest time in nanoseconds since the machine started. Virtual: the
  // instruction count (each 2^shift ns) plus the idle time HLT skipped
  // (idle_ns_); Host: host_clock() since set_clock(), plus idle_ns_ (0
  // unless the mode changed).
  u64 now_ns() const {
    if (clock_mode_ == ClockMode::Host)
      return polling_ ? poll_now_ : host_clock(host_ctx) - host_base_ + idle_ns_;
    return (cpu.icount << shift_) + idle_ns_;
  }
  // Chooses the clock; call before run(). Host needs host_clock set.
  void set_clock(ClockMode mode, int shift = 0);
  ClockMode clock_mode() const { return clock_mode_; }
  u64 (*host_clock)(void* ctx) = nullptr;  // monotonic host ns
  void* host_ctx = nullptr;
  // After MachineStop::Idle: the guest time (now_ns) of the next timer
  // event, or Lapic::kNever (only host input can wake the CPU).
  u64 idle_until_ns() const { return idle_until_; }

  // Recomputes the cascade line and the CPU's INTR pin from the PICs and
  // the local APIC.
  void update_intr();

 private:
  // Latches the IRQ0 edge if OUT0 has risen since the last poll, and
  // schedules the next one (irq0_tick_, in PIT clocks).
  void poll_timer();
  // Polls every timer (PIT, LAPIC, HPET); the earliest next event in ns.
  u64 poll_devices();
  bool can_wake() const;
  // ISA IRQ `irq` could interrupt the CPU now (PIC path or IOAPIC pin).
  bool isa_path_open(int irq) const;
  // HLT could end by host input: a UART with its receive interrupt armed,
  // or the keyboard interrupt, on an open path.
  bool input_can_wake() const;
  void uart_irqs();  // IRQ3/IRQ4: the OR of the UARTs sharing each line
  void trace_step();
  void trace_io(const char* what, u64 addr, int size, u64 v);
  bool extint_ioapic_ = false;  // an IOAPIC ExtINT message awaits INTA
  // A device asked to stop the machine (PowerOff or Reset), else Budget.
  MachineStop stop_request_ = MachineStop::Budget;
  MachineStop take_stop();
  void request_stop(MachineStop why);
  void setup_pci();
  struct MmioRegion {
    u64 base, size;
    MmioDevice* dev;
  };
  static constexpr int kMaxMmio = 8;
  MmioRegion mmio_[kMaxMmio] = {};
  int nmmio_ = 0;
  u64 idle_ns_ = 0;
  ClockMode clock_mode_ = ClockMode::Virtual;
  int shift_ = 0;
  u64 host_base_ = 0;
  bool polling_ = false;  // inside poll_devices(): now_ns() is poll_now_
  u64 poll_now_ = 0;
  u64 idle_until_ = 0;
  u64 irq0_tick_ = Pit8254::kNever;
  static constexpr int kMaxDevices = 31;
  IoDevice* devices_[kMaxDevices + 1] = {};
  bool byte_wide_[kMaxDevices + 1] = {};
  int ndevices_ = 0;
  u8 port_map_[65536] = {};  // device index + 1, or 0 for nothing
  u32 port_read1(u16 port);
  void port_write1(u16 port, u8 v);

  // Port 0x61 (system control port B): timer 2 gate, speaker, OUT2.
  class PortB : public IoDevice {
   public:
    explicit PortB(Machine& m) : m_(m) {}
    u32 io_read(u16 port, int size) override;
    void io_write(u16 port, int size, u32 v) override;
   private:
    Machine& m_;
    u8 value_ = 0;
  };
  PortB port_b_{*this};
  // Port 0x80 (POST codes) and friends: decoded but ignored.
  class Sink : public IoDevice {
   public:
    u32 io_read(u16, int) override { return 0xff; }
    void io_write(u16, int, u32) override {}
  };
  Sink post_;
};

}  // namespace pc64
