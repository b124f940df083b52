// The built-in demo of `pc64 --demo`: a small 64-bit flat-mode guest that
// runs in guest RAM on the interpreter, whose results the host reads back,
// checks and prints, with the instruction count and MIPS.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace pc64 {

struct DemoOptions {
  uint64_t ram_bytes = 16ull << 20;  // guest RAM; at least kDemoMinRam
  std::FILE* out = stdout;
};

inline constexpr uint64_t kDemoMinRam = 4ull << 20;

// Runs the demo and returns the process exit status (0 on success). Errors
// are one line on stderr prefixed with `prog`.
int run_demo(std::string_view prog, const DemoOptions& opt);

}  // namespace pc64
