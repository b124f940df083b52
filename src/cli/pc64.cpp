// pc64: the command-line front end.
//
// Options follow QEMU where a user would expect them. Every option the
// machine will need is parsed and its value checked now (sizes, files,
// device specs), so scripts written today keep working; options whose
// machinery has not landed yet stop with one line naming the issue that
// brings it, and exit status 2. Today pc64 runs Linux bzImages (boot
// protocol 2.12+) and multiboot v1 kernels (-kernel, on the machine of
// src/core/machine) and --demo.
#include <cstdio>
#include <string>
#include <string_view>

#include "demo.h"
#include "kernel_run.h"
#include "machine/trace.h"
#include "options.h"
#include "version.h"

using namespace pc64;
using cli::kExitOk;
using cli::kExitUsage;

namespace {

constexpr std::string_view kProg = "pc64";

constexpr cli::OptionSpec kOptions[] = {
    {"m", "SIZE", "guest RAM, e.g. 512M or 4G (a bare number is MiB; default 512M)"},
    {"smp", "N", "number of CPUs (only 1 so far)"},
    {"kernel", "FILE", "Linux bzImage or multiboot image to boot"},
    {"initrd", "FILES", "initial ramdisk for -kernel; multiboot modules: \"FILE ARGS,FILE2\""},
    {"append", "STR", "kernel command line for -kernel"},
    {"bios", "FILE", "firmware image (e.g. SeaBIOS bios.bin)"},
    {"drive", "SPEC", "disk: file=FILE[,format=raw][,if=ide|virtio][,media=disk|cdrom]"},
    {"cdrom", "FILE", "CD-ROM image"},
    {"snapshot", "", "write disk changes to a temporary overlay, not the image"},
    {"nographic", "", "no display window; serial on the terminal (the only mode so far)"},
    {"serial", "DEV", "first serial port: stdio (default), null, none or file:PATH"},
    {"d", "ITEMS", "trace items, comma-separated (-d help lists them)"},
    {"D", "FILE", "write the -d trace to FILE instead of stderr"},
    {"s", "", "shorthand for -gdb tcp::1234"},
    {"gdb", "DEV", "wait for a gdb connection on DEV (tcp::PORT)"},
    {"icount", "SPEC", "deterministic mode, 2^N ns per instruction (the RTC starts at a fixed date): shift=N|auto"},
    {"demo", "", "run the built-in demo program on the CPU and exit"},
    {"version", "", "print the version and exit"},
    {"h", "", "print this help and exit", "help"},
};

// -d items and their Trace bits (0: accepted by QEMU, not traced yet).
constexpr struct {
  std::string_view name;
  uint32_t bit;
  std::string_view help;
} kTraceItems[] = {
    {"in_asm", pc64::Trace::kInAsm, "each instruction executed: address, bytes, disassembly"},
    {"exec", pc64::Trace::kExec, "each instruction executed: its address"},
    {"cpu", pc64::Trace::kCpu, "the registers before each instruction"},
    {"int", pc64::Trace::kInt, "interrupts and exceptions as they are delivered"},
    {"mmio", pc64::Trace::kMmio, "MMIO accesses: address, size, value"},
    {"ioport", pc64::Trace::kIoport, "port I/O: port, size, value"},
    {"unimp", 0, "(not traced yet)"},
    {"guest_errors", 0, "(not traced yet)"},
};

constexpr std::string_view kPlatformLater = "the PC platform lands with issue #5";
constexpr std::string_view kDisksLater = "firmware and disks come after issue #5";

void print_help() {
  std::printf(
      "usage: pc64 [options]\n"
      "A full-system x86 PC emulator. Runs Linux bzImages and multiboot v1 kernels (-kernel)\n"
      "and --demo.\n\n"
      "options:\n%s\n"
      "exit status: 0 ok, 1 the run failed, 2 bad command line or not supported yet\n",
      cli::usage(kOptions).c_str());
}

int fail(std::string_view message) {
  cli::error(kProg, message);
  return kExitUsage;
}

// "a=1,b=2" -> calls f(key, value) for each pair; false stops.
template <typename F> bool for_each_pair(std::string_view spec, F f) {
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    const size_t eq = item.find('=');
    if (!f(item.substr(0, eq), eq == std::string_view::npos ? "" : item.substr(eq + 1)))
      return false;
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
  }
  return true;
}

// What the command line asks for, after its values have been checked.
struct Config {
  uint64_t ram_bytes = 512ull << 20;
  bool ram_given = false;
  bool demo = false;
  bool serial_null = false;
  int icount_shift = -1;
  std::string serial_file;
  uint32_t trace_mask = 0;
  std::string trace_file;
  // The first option given whose machinery has not landed yet.
  std::string unsupported;
};

void not_yet(Config& cfg, const cli::ParsedOption& o, std::string_view why) {
  if (cfg.unsupported.empty())
    cfg.unsupported = o.spelled + ": not supported yet (" + std::string(why) + ")";
}

bool check_drive(const cli::ParsedOption& o) {
  std::string file, bad;
  bool ok = for_each_pair(o.value, [&](std::string_view k, std::string_view v) {
    static constexpr std::string_view kKeys[] = {"file", "format", "if", "media", "index",
                                                 "readonly", "snapshot", "cache"};
    bool known = false;
    for (auto key : kKeys) known = known || key == k;
    if (!known || v.empty()) {
      bad = std::string(k);
      return false;
    }
    if (k == "file") file = v;
    return true;
  });
  if (!ok) {
    cli::error(kProg, o.spelled + ": bad item '" + bad + "' in '" + o.value +
                          "' (want key=value with file, format, if, media, index, readonly)");
    return false;
  }
  if (file.empty()) {
    cli::error(kProg, o.spelled + ": '" + o.value + "' names no file= image");
    return false;
  }
  return cli::check_readable_file(kProg, o.spelled, file);
}

// Checks one option's value and records what it asks for. False after
// printing the error line.
bool apply(Config& cfg, const cli::ParsedOption& o) {
  const std::string_view name = o.spec->name;
  const std::string& v = o.value;
  if (name == "m") {
    std::string_view size = v;
    if (size.starts_with("size=")) size.remove_prefix(5);
    auto bytes = cli::parse_size(size, 1ull << 20);
    if (!bytes || *bytes < (1ull << 20) || *bytes > (1ull << 44)) {
      cli::error(kProg, o.spelled + ": bad size '" + v + "' (want 1M to 16T, e.g. 512M or 4G)");
      return false;
    }
    cfg.ram_bytes = *bytes;
    cfg.ram_given = true;
  } else if (name == "smp") {
    std::string_view n = v;
    if (n.starts_with("cpus=")) n.remove_prefix(5);
    n = n.substr(0, n.find(','));
    auto cpus = cli::parse_uint(n, 1, 255);
    if (!cpus) {
      cli::error(kProg, o.spelled + ": bad CPU count '" + v + "' (want 1 to 255)");
      return false;
    }
    if (*cpus > 1) not_yet(cfg, o, kPlatformLater);
  } else if (name == "kernel") {
    if (!cli::check_readable_file(kProg, o.spelled, v)) return false;
  } else if (name == "initrd") {
    // A bzImage's initrd file, or multiboot modules "FILE ARGS,FILE2,...":
    // the files are checked when they are loaded (kernel_run.cpp), once the
    // kernel's kind is known.
  } else if (name == "append") {
    // Used with -kernel.
  } else if (name == "bios" || name == "cdrom") {
    if (!cli::check_readable_file(kProg, o.spelled, v)) return false;
    not_yet(cfg, o, kDisksLater);
  } else if (name == "drive") {
    if (!check_drive(o)) return false;
    not_yet(cfg, o, kDisksLater);
  } else if (name == "snapshot") {
    not_yet(cfg, o, kDisksLater);
  } else if (name == "nographic") {
    // Nothing to do: there is no display yet.
  } else if (name == "serial") {
    if (v == "stdio") return true;
    if (v == "null" || v == "none") {
      cfg.serial_null = true;
      return true;
    }
    if (!(v.starts_with("file:") && v.size() > 5)) {
      cli::error(kProg, o.spelled + ": unknown backend '" + v + "' (stdio, null, none, file:PATH)");
      return false;
    }
    cfg.serial_file = v.substr(5);
  } else if (name == "d") {
    std::string bad, later;
    for_each_pair(v, [&](std::string_view item, std::string_view) {
      for (const auto& known : kTraceItems) {
        if (item != known.name) continue;
        if (!known.bit && later.empty()) later = std::string(item);
        cfg.trace_mask |= known.bit;
        return true;
      }
      bad = std::string(item);
      return false;
    });
    if (!bad.empty()) {
      cli::error(kProg, o.spelled + ": unknown trace item '" + bad + "' (see -d help)");
      return false;
    }
    if (!later.empty()) not_yet(cfg, o, "nothing traces '" + later + "' yet");
  } else if (name == "D") {
    cfg.trace_file = v;
  } else if (name == "s" || name == "gdb") {
    if (name == "gdb" && !v.starts_with("tcp:")) {
      cli::error(kProg, o.spelled + ": bad device '" + v + "' (want tcp::PORT)");
      return false;
    }
    not_yet(cfg, o, "no gdb stub yet");
  } else if (name == "icount") {
    std::string_view spec = v;
    if (spec.starts_with("shift=")) spec.remove_prefix(6);
    spec = spec.substr(0, spec.find(','));
    auto shift = cli::parse_uint(spec, 0, 10);
    if (spec != "auto" && !shift) {
      cli::error(kProg, o.spelled + ": bad value '" + v + "' (want shift=0..10 or auto)");
      return false;
    }
    // pc64's -icount is always deterministic; "auto" takes shift 0 (1 ns
    // per instruction, the 1 GHz TSC).
    cfg.icount_shift = shift ? (int)*shift : 0;
  } else if (name == "demo") {
    cfg.demo = true;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = cli::parse(kProg, kOptions, argc, argv);
  if (!args) return kExitUsage;
  if (args->has("h")) {
    print_help();
    return kExitOk;
  }
  if (args->has("version")) {
    std::printf("pc64 %s\n", kPc64Version);
    return kExitOk;
  }
  if (auto d = args->last("d"); d && d->value == "help") {
    std::printf("trace items for -d (comma-separated):\n");
    for (const auto& item : kTraceItems)
      std::printf("  %-13.*s %.*s\n", (int)item.name.size(), item.name.data(), (int)item.help.size(),
                  item.help.data());
    return kExitOk;
  }
  if (!args->positional.empty())
    return fail("unexpected argument '" + args->positional[0] +
                "' (disk images go with -drive file=FILE)");

  Config cfg;
  for (const auto& o : args->options)
    if (!apply(cfg, o)) return kExitUsage;
  if (args->has("initrd") && !args->has("kernel")) return fail("-initrd needs -kernel");
  if (args->has("append") && !args->has("kernel")) return fail("-append needs -kernel");
  if (!cfg.unsupported.empty()) return fail(cfg.unsupported);

  if (const cli::ParsedOption* k = args->last("kernel")) {
    KernelOptions ko;
    ko.kernel = k->value;
    if (const cli::ParsedOption* a = args->last("append")) ko.append = a->value;
    if (const cli::ParsedOption* i = args->last("initrd")) {
      ko.initrd = i->value;
      ko.has_initrd = true;
    }
    ko.ram_bytes = cfg.ram_bytes;
    ko.serial_null = cfg.serial_null;
    ko.icount_shift = cfg.icount_shift;
    ko.serial_file = cfg.serial_file;
    ko.trace_mask = cfg.trace_mask;
    ko.trace_file = cfg.trace_file;
    return run_kernel(kProg, ko);
  }
  if (cfg.demo) {
    DemoOptions demo;
    if (cfg.ram_given) demo.ram_bytes = cfg.ram_bytes;
    return run_demo(kProg, demo);
  }
  return fail("nothing to run: give -kernel FILE (a bzImage or multiboot image) or --demo (see pc64 --help)");
}
