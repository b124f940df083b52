// `pc64 -kernel FILE`: boots a Linux bzImage (boot protocol >= 2.12, with
// -initrd FILE and -append CMDLINE) or a multiboot v1 image (-initrd is its
// module list), with COM1 on stdout and the exit status from
// isa-debug-exit (port 0xf4). A file with the "HdrS" setup header is a
// bzImage; anything else must be multiboot.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pc64 {

struct KernelOptions {
  std::string kernel;
  std::string append;
  std::string initrd;       // -initrd: a bzImage's initrd, or multiboot modules (split_modules)
  bool has_initrd = false;  // (an empty -initrd "" is an error, not "none")
  uint64_t ram_bytes = 512ull << 20;
  bool serial_null = false;  // -serial null|none
  // -icount shift=N: deterministic virtual time, 2^N ns per instruction;
  // -1 (no -icount): guest time follows the host's monotonic clock.
  int icount_shift = -1;
  std::string serial_file;   // -serial file:PATH (output only), or empty
  uint32_t trace_mask = 0;     // -d items (machine/trace.h Trace::k*)
  std::string trace_file;      // -D FILE, or empty for stderr
};

// The RTC's start in deterministic mode: 2020-01-01 00:00:00 UTC.
inline constexpr uint64_t kFixedEpoch = 1577836800;

// One multiboot module from -initrd: `text` is the whole entry (its
// module string), `file` the part before the first space.
struct ModuleSpec {
  std::string file, text;
};

// Splits -initrd the way QEMU does for multiboot kernels: entries are
// separated by ',' and ",," stands for a literal comma, so
// "a.bin x=1,b.bin" is two modules, "a.bin x=1" and "b.bin". An empty
// entry (or one without a file name) sets `error` and returns nothing.
std::vector<ModuleSpec> split_modules(const std::string& spec, std::string* error);

// Returns the process exit status: (C << 1) | 1 after the guest writes C to
// port 0xf4; 1 if the image is bad or the guest stops any other way (one
// line on stderr says which).
int run_kernel(std::string_view prog, const KernelOptions& opt);

}  // namespace pc64
