// Kernel runner: Linux bzImages and multiboot v1 images (see kernel_run.h).
#include "kernel_run.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ctime>
#include <sys/stat.h>
#include <vector>

#include "machine/e820.h"
#include "machine/linux_boot.h"
#include "machine/machine.h"
#include "machine/multiboot.h"
#include "options.h"
#include "terminal.h"

namespace pc64 {
namespace {

constexpr u64 kChunk = 1u << 20;  // instructions between output flushes

const char* vector_name(u8 v) {
  static const char* const kNames[] = {"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO",
                                       "TS", "NP", "SS", "GP", "PF", "15", "MF", "AC", "MC", "XM"};
  return v < 20 ? kNames[v] : "??";
}

// The whole file, or false after one error line, refusing files larger
// than `limit` bytes (checked while reading, so /dev/zero or a pipe cannot
// exhaust host memory). `what` ends the refusal: "... bytes: <what>".
bool read_file(std::string_view prog, std::string_view opt, const std::string& path,
               uint64_t limit, std::string_view what, std::vector<u8>* out) {
  if (!cli::check_readable_file(prog, opt, path)) return false;
  const std::string where = std::string(opt) + ": '" + path + "': ";
  struct stat st;
  const bool regular = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (regular && (uint64_t)st.st_size > limit) {
    cli::error(prog, where + std::to_string((uint64_t)st.st_size) + " bytes: " + std::string(what));
    return false;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    cli::error(prog, where + "cannot open");
    return false;
  }
  out->clear();
  if (regular) out->reserve((size_t)st.st_size);
  u8 chunk[1 << 16];
  for (;;) {
    const size_t n = std::fread(chunk, 1, sizeof chunk, f);
    if (out->size() + n > limit) {
      std::fclose(f);
      cli::error(prog, where + "more than " + std::to_string(limit) + " bytes: " + std::string(what));
      return false;
    }
    out->insert(out->end(), chunk, chunk + n);
    if (n < sizeof chunk) break;
  }
  const bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) {
    cli::error(prog, where + "read error");
    return false;
  }
  return true;
}

u64 host_ns(void*) {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

// The clock -icount asks for (kernel_run.h).
void choose_clock(Machine& m, const KernelOptions& opt) {
  m.host_clock = host_ns;
  if (opt.icount_shift >= 0) m.set_clock(ClockMode::Virtual, opt.icount_shift);
  else m.set_clock(ClockMode::Host);
}

// Where COM1's output and the trace go for one run; closes its files.
struct HostIo {
  std::FILE* serial = nullptr;  // nullptr: -serial null
  std::FILE* trace = nullptr;
  bool own_serial = false, own_trace = false;
  ~HostIo() {
    if (own_serial) std::fclose(serial);
    if (own_trace) std::fclose(trace);
  }
};

// `fallback`, or the file `path` opened for writing when one is given
// (then *own is set). False after one error line naming `what`.
bool open_output(std::string_view prog, const std::string& path, std::FILE* fallback,
                 const std::string& what, std::FILE** f, bool* own) {
  *f = fallback;
  if (path.empty()) return true;
  *f = std::fopen(path.c_str(), "wb");
  if (!*f) {
    cli::error(prog, what + ": '" + path + "': cannot open for writing");
    return false;
  }
  *own = true;
  return true;
}

// Connects COM1, the wall clock and the -d trace. False after one error line.
bool setup_host(std::string_view prog, const KernelOptions& opt, Machine& m, HostIo& io) {
  if (!opt.serial_null) {
    if (!open_output(prog, opt.serial_file, stdout, "-serial: file", &io.serial, &io.own_serial))
      return false;
    m.com1.out.put = [](void* f, u8 b) { std::fputc(b, (std::FILE*)f); };
    m.com1.out.ctx = io.serial;
  }
  // The core never reads the host's clock: the RTC gets it here, once.
  m.set_wall_clock(opt.icount_shift >= 0 ? kFixedEpoch : (u64)std::time(nullptr));
  if (opt.trace_mask) {
    if (!open_output(prog, opt.trace_file, stderr, "-D", &io.trace, &io.own_trace)) return false;
    m.trace.mask = opt.trace_mask;
    m.trace.ctx = io.trace;
    m.trace.line = [](void* f, const char* text) { std::fprintf((std::FILE*)f, "%s\n", text); };
    m.apply_trace();
  }
  return true;
}

// Runs the guest until it stops; returns the process exit status. Stdin
// feeds COM1 (when it is COM1's terminal), polled once per slice.
int run_machine(std::string_view prog, Machine& mach, const KernelOptions& opt, HostIo& io) {
  Machine* m = &mach;
  int status = cli::kExitFailure;
  HostTerminal term(!opt.serial_null && opt.serial_file.empty());
  // PC64_STATS=1: every 5 s of host time, one stderr line with the guest
  // instructions retired so far and the rate over the interval.
  const bool stats = std::getenv("PC64_STATS") != nullptr;
  using clk = std::chrono::steady_clock;
  auto last_t = clk::now();
  u64 last_n = 0;
  for (;;) {
    term.pump(m->com1);
    if (term.quit_requested()) {
      status = cli::kExitOk;
      break;
    }
    MachineStop stop = m->run(kChunk);
    if (io.serial) std::fflush(io.serial);
    if (io.trace) std::fflush(io.trace);
    if (stats && clk::now() - last_t >= std::chrono::seconds(5)) {
      const double dt = std::chrono::duration<double>(clk::now() - last_t).count();
      std::fprintf(stderr, "pc64: stats: %llu instructions, %.1f MIPS, rip %#llx\n",
                   (unsigned long long)m->cpu.icount, (double)(m->cpu.icount - last_n) / dt / 1e6,
                   (unsigned long long)m->cpu.s.rip);
      last_t = clk::now();
      last_n = m->cpu.icount;
    }
    if (stop == MachineStop::Budget) continue;
    if (stop == MachineStop::Idle) {
      const u64 until = m->idle_until_ns();
      if (until != Lapic::kNever) {
        // Host clock: wait for the next timer event (at most 10 ms, so
        // stdin stays responsive), or for input, whichever comes first.
        const u64 now = m->now_ns();
        const u64 d = until > now ? until - now : 0;
        term.pump(m->com1, (int)((d < 10000000 ? d : 10000000) / 1000000) + (d ? 1 : 0));
        continue;
      }
      // Halted until host input interrupts: wait for stdin, if it can
      // still deliver anything; otherwise nothing will ever wake the guest.
      if (term.live() || m->com1.host_queued()) {
        term.pump(m->com1, m->com1.host_queued() ? 0 : -1);
        continue;
      }
      stop = MachineStop::Halt;
    }
    if (stop == MachineStop::Reset) {
      status = cli::kExitOk;  // no firmware to reboot into: a reset ends the run
      break;
    }
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
      // ACPI soft off (S5), and a reset through 0xCF9 or port 0x92: a
      // direct boot has no firmware to reboot through, so both end the run
      // with status 0 (docs/PLATFORM.md).
      case MachineStop::PowerOff: status = 0; break;
      case MachineStop::Reset: status = 0; break;
      default: break;
    }
    break;
  }
  return status;
}

u8* alloc_ram(std::string_view prog, uint64_t bytes) {
  u8* ram = static_cast<u8*>(std::calloc(1, bytes));
  if (!ram) cli::error(prog, "-m: cannot allocate " + cli::format_size(bytes) + " of guest RAM");
  return ram;
}

// A Linux bzImage (Documentation/arch/x86/boot.rst): -initrd is one
// initramfs file, -append the whole command line.
int run_linux(std::string_view prog, const KernelOptions& opt, const std::vector<u8>& image) {
  std::vector<u8> initrd;
  const uint64_t low = low_ram_bytes(opt.ram_bytes);
  if (opt.has_initrd &&
      !read_file(prog, "-initrd", opt.initrd, low,
                 "initrd too big for the " + cli::format_size(low) +
                     " of guest RAM below 4 GiB (try a larger -m)",
                 &initrd))
    return cli::kExitFailure;
  u8* ram = alloc_ram(prog, opt.ram_bytes);
  if (!ram) return cli::kExitFailure;
  auto m = std::make_unique<Machine>();
  m->attach_ram(ram, opt.ram_bytes);
  HostIo io;
  if (!setup_host(prog, opt, *m, io)) {
    std::free(ram);
    return cli::kExitFailure;
  }
  const u64 rsdp = m->install_acpi_tables();
  const LinuxBootResult r =
      load_linux(m->cpu, ram, m->ram_size, m->ram_hi_size, image.data(), image.size(),
                 opt.append.c_str(), initrd.empty() ? nullptr : initrd.data(), initrd.size(), rsdp);
  if (!r.ok) {
    cli::error(prog, "bzImage: '" + opt.kernel + "': " + r.error);
    std::free(ram);
    return cli::kExitFailure;
  }
  // PC64_BOOT_DEBUG=1 says where things went; =2 also stops at the guest's
  // first exception (reported with its vector and RIP) instead of
  // delivering it: the way to see why an early kernel triple-faults.
  const char* debug = std::getenv("PC64_BOOT_DEBUG");
  if (debug && *debug == '2') m->cpu.stop_on_exception = true;
  if (debug) {
    std::fprintf(stderr,
                 "pc64: bzImage protocol %d.%02d, %d-bit entry at %#llx, loaded at %#llx, "
                 "initrd %#llx (%llu bytes)\n",
                 r.version >> 8, r.version & 0xff, r.entry64 ? 64 : 32, (unsigned long long)r.entry,
                 (unsigned long long)r.load_addr, (unsigned long long)r.initrd_addr,
                 (unsigned long long)r.initrd_size);
  }
  choose_clock(*m, opt);
  const int status = run_machine(prog, *m, opt, io);
  if (debug) {
    // The code at RIP, when paging is off or identity-maps it (the
    // decompressor and the kernel's earliest code).
    const u64 rip = m->cpu.s.rip;
    if (const u8* p = m->ram_at(rip, 16)) {
      std::fprintf(stderr, "pc64: code at %#llx:", (unsigned long long)rip);
      for (int i = 0; i < 16; ++i) std::fprintf(stderr, " %02x", p[i]);
      std::fprintf(stderr, "\n");
    }
  }
  m.reset();
  std::free(ram);
  return status;
}

}  // namespace

std::vector<ModuleSpec> split_modules(const std::string& spec, std::string* error) {
  std::vector<ModuleSpec> mods;
  std::string text;
  for (size_t i = 0;; ++i) {
    if (i < spec.size() && spec[i] == ',' && i + 1 < spec.size() && spec[i + 1] == ',') {
      text += ',';
      ++i;
      continue;
    }
    if (i < spec.size() && spec[i] != ',') {
      text += spec[i];
      continue;
    }
    const std::string file = text.substr(0, text.find(' '));
    if (file.empty()) {
      *error = "-initrd: module " + std::to_string(mods.size() + 1) + " of '" + spec + "' " +
               (text.empty() ? "is empty" : "names no file (it starts with a space)");
      return {};
    }
    mods.push_back({file, text});
    text.clear();
    if (i >= spec.size()) break;
  }
  return mods;
}

int run_kernel(std::string_view prog, const KernelOptions& opt) {
  std::vector<u8> image;
  // A kernel file may be larger than RAM (debug sections, say): only its
  // segments are loaded. Multiboot v1 addresses are 32-bit, so 4 GiB; a
  // bzImage is loaded below 3 GiB, so the same bound serves both.
  if (!read_file(prog, "-kernel", opt.kernel, 1ull << 32, "too large for a kernel image", &image))
    return cli::kExitFailure;
  if (is_bzimage(image.data(), image.size())) return run_linux(prog, opt, image);
  std::vector<ModuleSpec> specs;
  if (opt.has_initrd) {
    std::string err;
    specs = split_modules(opt.initrd, &err);
    if (specs.empty()) {
      cli::error(prog, err);
      return cli::kExitFailure;
    }
    if (specs.size() > kMultibootMaxModules) {
      cli::error(prog, "-initrd: " + std::to_string(specs.size()) + " modules (at most " +
                           std::to_string(kMultibootMaxModules) + ")");
      return cli::kExitFailure;
    }
  }
  // Modules are copied whole, so together they must fit in RAM; the
  // loader checks where each one goes.
  std::vector<std::vector<u8>> contents(specs.size());
  std::vector<MultibootModule> mods(specs.size());
  uint64_t total = 0;
  for (size_t i = 0; i < specs.size(); ++i) {
    const uint64_t left = opt.ram_bytes - total;
    const std::string what = "the modules do not fit in " + cli::format_size(opt.ram_bytes) +
                             " of guest RAM (try a larger -m)";
    if (!read_file(prog, "-initrd", specs[i].file, left, what, &contents[i]))
      return cli::kExitFailure;
    total += contents[i].size();
    mods[i] = MultibootModule{contents[i].data(), contents[i].size(), specs[i].text.c_str()};
  }
  u8* ram = alloc_ram(prog, opt.ram_bytes);
  if (!ram) return cli::kExitFailure;
  auto m = std::make_unique<Machine>();
  m->attach_ram(ram, opt.ram_bytes);
  HostIo io;
  if (!setup_host(prog, opt, *m, io)) {
    std::free(ram);
    return cli::kExitFailure;
  }
  // Like QEMU (and GRUB), the command line starts with the kernel's name;
  // QEMU always adds the space, so "NAME " with no -append.
  const std::string cmdline = opt.kernel + " " + opt.append;
  const MultibootResult r = load_multiboot(m->cpu, ram, m->ram_size, image.data(), image.size(),
                                           cmdline.c_str(), mods.data(), (u32)mods.size());
  if (!r.ok) {
    std::string what = r.error;
    // The core numbers modules from 1; name the file too.
    if (what.starts_with("module ")) {
      const size_t n = std::strtoul(what.c_str() + 7, nullptr, 10);
      if (n >= 1 && n <= specs.size()) {
        cli::error(prog, "-initrd: '" + specs[n - 1].file + "': " + what);
        std::free(ram);
        return cli::kExitFailure;
      }
    }
    if (what.starts_with("not a multiboot image"))
      what = "not a kernel: no bzImage setup header (\"HdrS\" at 0x202) and no multiboot header "
             "in the first 8 KiB";
    cli::error(prog, "-kernel: '" + opt.kernel + "': " + what);
    std::free(ram);
    return cli::kExitFailure;
  }
  choose_clock(*m, opt);
  const int status = run_machine(prog, *m, opt, io);
  m.reset();
  std::free(ram);
  return status;
}

}  // namespace pc64
