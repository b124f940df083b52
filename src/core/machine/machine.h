// Machine: the minimal PC that bare-metal tests and multiboot kernels need:
// guest RAM at physical 0 (allocated by the host), the port-I/O dispatch
// table, COM1 (16550A at 0x3f8), the two 8259A PICs, the 8254 PIT with the
// port 0x61 gate/speaker bits, and isa-debug-exit at 0xf4. PIT counter 0
// drives IRQ0; the slave PIC's output is the master's IR2; the master's
// output is the CPU's INTR pin. The full PC platform (PCI, APIC, RTC, ...)
// grows from here in issue 5.
//
// Unmapped ports read as all ones and ignore writes, as on an ISA bus with
// nothing decoding the address.
#pragma once
#include "cpu/cpu.h"
#include "machine/debug_exit.h"
#include "machine/io_device.h"
#include "machine/pic8259.h"
#include "machine/pit8254.h"
#include "machine/uart16550.h"

namespace pc64 {

enum class MachineStop : u8 {
  Budget,     // the instruction budget ran out; call run() again
  DebugExit,  // the guest wrote to isa-debug-exit: see exit_status()
  Halt,       // HLT with nothing that could wake the CPU
  Exception,  // an exception the CPU could not deliver (see cpu.fault_vec)
  Shutdown,   // triple fault
};

class Machine : public Bus {
 public:
  Cpu cpu;
  Uart16550 com1{0x3f8};
  Pic8259 pic_master{0x20, true};
  Pic8259 pic_slave{0xa0, false};
  Pit8254 pit;
  DebugExit debug_exit;

  Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Guest RAM: `bytes` of zeroed host memory that outlives the machine.
  void attach_ram(u8* host, u64 bytes) {
    ram = host;
    ram_size = bytes;
    cpu.flush_tlb();
  }

  // Maps ports [first, first + count) to `dev`. A byte-wide device sees
  // 16/32-bit accesses as consecutive byte accesses.
  void map_ports(u16 first, u32 count, IoDevice* dev, bool byte_wide = true);

  u32 io_in(u16 port, int size) override;
  void io_out(u16 port, int size, u32 v) override;
  // Interrupt acknowledge: the vector from the master PIC, or from the
  // slave when the master's request is the cascade line IR2.
  u8 intr_ack() override;

  // Runs up to `budget` instructions.
  MachineStop run(u64 budget);
  int exit_status() const { return debug_exit.status; }

  // Virtual time in nanoseconds: the instruction count at a nominal 1 GHz
  // (deterministic; syncing to the host clock comes with the platform).
  // HLT waiting for a timer interrupt skips the idle time (idle_ns_).
  u64 now_ns() const { return cpu.icount + idle_ns_; }

  // Recomputes the cascade line and the CPU's INTR pin from the PICs.
  void update_intr();

 private:
  // Latches the IRQ0 edge if OUT0 has risen since the last poll, and
  // schedules the next one (irq0_tick_, in PIT clocks).
  void poll_timer();
  bool can_wake() const;
  u64 idle_ns_ = 0;
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
