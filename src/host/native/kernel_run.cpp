// Multiboot kernel runner (see kernel_run.h).
#include "kernel_run.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "machine/machine.h"
#include "machine/multiboot.h"
#include "options.h"

namespace pc64 {
namespace {

constexpr u64 kChunk = 1u << 20;  // instructions between output flushes

const char* vector_name(u8 v) {
  static const char* const kNames[] = {"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO",
                                       "TS", "NP", "SS", "GP", "PF", "15", "MF", "AC", "MC", "XM"};
  return v < 20 ? kNames[v] : "??";
}

}  // namespace

int run_kernel(std::string_view prog, const KernelOptions& opt) {
  std::ifstream f(opt.kernel, std::ios::binary);
  std::vector<u8> image((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (!f.good() && !f.eof()) {
    cli::error(prog, "-kernel: '" + opt.kernel + "': read error");
    return cli::kExitFailure;
  }
  u8* ram = static_cast<u8*>(std::calloc(1, opt.ram_bytes));
  if (!ram) {
    cli::error(prog, "-m: cannot allocate " + cli::format_size(opt.ram_bytes) + " of guest RAM");
    return cli::kExitFailure;
  }
  auto m = std::make_unique<Machine>();
  m->attach_ram(ram, opt.ram_bytes);
  if (!opt.serial_null) {
    m->com1.out.put = [](void*, u8 b) { std::fputc(b, stdout); };
  }
  // Like QEMU and GRUB, the command line starts with the kernel's name.
  std::string cmdline = opt.kernel;
  if (!opt.append.empty()) cmdline += " " + opt.append;
  const MultibootResult r =
      load_multiboot(m->cpu, ram, opt.ram_bytes, image.data(), image.size(), cmdline.c_str());
  if (!r.ok) {
    cli::error(prog, "-kernel: '" + opt.kernel + "': " + r.error);
    std::free(ram);
    return cli::kExitFailure;
  }
  int status = cli::kExitFailure;
  for (;;) {
    const MachineStop stop = m->run(kChunk);
    std::fflush(stdout);
    if (stop == MachineStop::Budget) continue;
    char where[96];
    std::snprintf(where, sizeof where, "%04x:%08llx", m->cpu.s.seg[CS].sel,
                  (unsigned long long)m->cpu.s.rip);
    switch (stop) {
      case MachineStop::DebugExit: status = m->exit_status(); break;
      case MachineStop::Halt:
        cli::error(prog, std::string("guest halted at ") + where + " with nothing to wake it");
        break;
      case MachineStop::Exception: {
        char msg[128];
        std::snprintf(msg, sizeof msg, "guest exception #%s (vector %d, error code %#x) at %s",
                      vector_name(m->cpu.fault_vec), m->cpu.fault_vec, m->cpu.fault_err, where);
        cli::error(prog, msg);
        break;
      }
      case MachineStop::Shutdown:
        cli::error(prog, std::string("guest triple fault (shutdown) at ") + where);
        break;
      default: break;
    }
    break;
  }
  m.reset();
  std::free(ram);
  return status;
}

}  // namespace pc64
