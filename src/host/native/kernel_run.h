// `pc64 -kernel FILE`: boots a multiboot v1 image on the minimal machine,
// with COM1 on stdout and the exit status from isa-debug-exit (port 0xf4).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace pc64 {

struct KernelOptions {
  std::string kernel;
  std::string append;
  uint64_t ram_bytes = 512ull << 20;
  bool serial_null = false;  // -serial null|none
};

// Returns the process exit status: (C << 1) | 1 after the guest writes C to
// port 0xf4; 1 if the image is bad or the guest stops any other way (one
// line on stderr says which).
int run_kernel(std::string_view prog, const KernelOptions& opt);

}  // namespace pc64
