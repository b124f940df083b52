// bench-interp: the interpreter's speed on a fixed instruction mix, in
// millions of guest instructions per second (MIPS), natively.
//
// The "loop" mix is a 64-bit loop of loads and stores, ALU ops, a compare
// with a data-dependent branch, and a call/return: 13-14 instructions per
// iteration, the shape of ordinary compiled integer code. It needs MOV, Jcc,
// CALL and RET; while those handlers are still being written the benchmark
// falls back to the "alu" mix: a straight-line block of 1000 ALU
// instructions (register and memory operands), which the host re-enters at
// the top until the instruction count is reached. The mix used is printed,
// because the two figures are not comparable.
//
// Each run executes a fixed number of instructions; the reported figure is
// the median of several runs. The last line is machine-readable for
// scripts/bench.sh:  "bench-interp: mix=loop insns=N runs=R median_mips=X".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "mnemonics.h"
#include "options.h"
#include "ram_bus.h"

using namespace pc64;

namespace {

constexpr std::string_view kProg = "bench-interp";
constexpr u64 kCodeAt = 0x1000;
constexpr u64 kDataAt = 0x8000;
constexpr u64 kStackTop = 0x7000;

constexpr u8 kLoopMix[] = {
    0x48, 0x8B, 0x03,              // top:  mov rax, [rbx]
    0x48, 0x01, 0xC8,              //       add rax, rcx
    0x48, 0x31, 0xC2,              //       xor rdx, rax
    0x48, 0x89, 0x53, 0x08,        //       mov [rbx+8], rdx
    0x48, 0x83, 0xEE, 0x03,        //       sub rsi, 3
    0x48, 0x21, 0xF7,              //       and rdi, rsi
    0x48, 0x39, 0xD0,              //       cmp rax, rdx
    0x72, 0x03,                    //       jb skip
    0x49, 0xFF, 0xC0,              //       inc r8
    0xE8, 0x06, 0x00, 0x00, 0x00,  // skip: call func
    0x48, 0xFF, 0xC9,              //       dec rcx
    0x75, 0xDA,                    //       jnz top
    0xF4,                          //       hlt
    0x49, 0x01, 0xC1,              // func: add r9, rax
    0xC3,                          //       ret
};

// Ten instructions, repeated to fill the straight-line block.
constexpr u8 kAluGroup[] = {
    0x48, 0x01, 0xC8,        // add rax, rcx
    0x48, 0x31, 0xC2,        // xor rdx, rax
    0x48, 0x01, 0x53, 0x08,  // add [rbx+8], rdx
    0x48, 0x83, 0xEE, 0x03,  // sub rsi, 3
    0x48, 0x21, 0xF7,        // and rdi, rsi
    0x48, 0x3B, 0x03,        // cmp rax, [rbx]
    0x49, 0x09, 0xC1,        // or r9, rax
    0x48, 0x85, 0xCA,        // test rdx, rcx
    0x49, 0xFF, 0xC0,        // inc r8
    0x49, 0xFF, 0xCA,        // dec r10
};
constexpr u64 kAluGroupInsns = 10;
constexpr u64 kAluBlockGroups = 100;

constexpr cli::OptionSpec kOptions[] = {
    {"insns", "N", "guest instructions per run (default 30000000)"},
    {"runs", "N", "number of runs; the median is reported (default 5)"},
    {"mix", "NAME", "loop or alu (default: loop when its handlers exist)"},
    {"h", "", "print this help and exit", "help"},
};

struct Bench {
  RamBus bus;
  std::unique_ptr<Cpu> cpu;
  bool loop = true;
  u64 block_insns = 0;  // alu mix: instructions in the block

  void reset() {
    cpu = std::make_unique<Cpu>();
    cpu->bus = &bus;
    cpu->set_flat_mode(8, 0);
    cpu->stop_on_exception = true;
    cpu->s.rip = kCodeAt;
    cpu->s.gpr[RSP] = kStackTop;
    cpu->s.gpr[RBX] = kDataAt;
    cpu->s.gpr[RCX] = 1ull << 40;  // the loop never ends within a run
    cpu->s.gpr[RSI] = 0x123456789abcdefull;
    cpu->s.gpr[RDI] = ~0ull;
  }

  void load() {
    std::vector<u8> code;
    if (loop) {
      code.assign(std::begin(kLoopMix), std::end(kLoopMix));
    } else {
      for (u64 i = 0; i < kAluBlockGroups; ++i) code.insert(code.end(), std::begin(kAluGroup), std::end(kAluGroup));
      block_insns = kAluBlockGroups * kAluGroupInsns;
    }
    __builtin_memcpy(bus.ram + kCodeAt, code.data(), code.size());
  }

  // Runs `insns` instructions; false (with a message) if the guest stopped.
  bool run(u64 insns) {
    reset();
    Cpu& c = *cpu;
    if (loop) {
      c.run(insns);
    } else {
      for (u64 done = 0; done < insns && c.exit != ExitReason::Exception;) {
        const u64 n = std::min(block_insns, insns - done);
        c.s.rip = kCodeAt;
        c.run(n);
        done += n;
      }
    }
    if (c.exit == ExitReason::Exception || c.icount != insns) {
      std::fprintf(stderr, "%s: the %s mix stopped after %llu instructions (exception %u at rip 0x%llx)\n",
                   kProg.data(), loop ? "loop" : "alu", (unsigned long long)c.icount, c.fault_vec,
                   (unsigned long long)c.s.rip);
      return false;
    }
    return true;
  }
};

}  // namespace

int main(int argc, char** argv) {
  auto args = cli::parse(kProg, kOptions, argc, argv);
  if (!args) return cli::kExitUsage;
  if (args->has("h")) {
    std::printf("usage: bench-interp [options]\n%s", cli::usage(kOptions).c_str());
    return cli::kExitOk;
  }
  if (!args->positional.empty()) {
    cli::error(kProg, "unexpected argument '" + args->positional[0] + "'");
    return cli::kExitUsage;
  }
  u64 insns = 30'000'000, runs = 5;
  if (auto o = args->last("insns")) {
    auto v = cli::parse_uint(o->value, 1000, 1ull << 40);
    if (!v) return cli::error(kProg, o->spelled + ": bad count '" + o->value + "'"), cli::kExitUsage;
    insns = *v;
  }
  if (auto o = args->last("runs")) {
    auto v = cli::parse_uint(o->value, 1, 1000);
    if (!v) return cli::error(kProg, o->spelled + ": bad count '" + o->value + "'"), cli::kExitUsage;
    runs = *v;
  }

  Bench b;
  if (!b.bus.allocate(1 << 20)) return cli::error(kProg, "out of memory"), cli::kExitFailure;
  const std::string missing = missing_mnemonics({"MOV", "ADD", "XOR", "SUB", "AND", "CMP", "Jcc",
                                                 "INC", "DEC", "CALL", "RET|RETN"});
  b.loop = missing.empty();
  if (auto o = args->last("mix")) {
    if (o->value == "alu") {
      b.loop = false;
    } else if (o->value != "loop") {
      return cli::error(kProg, o->spelled + ": unknown mix '" + o->value + "' (loop, alu)"), cli::kExitUsage;
    } else if (!missing.empty()) {
      return cli::error(kProg, "the loop mix needs " + missing + " in the interpreter"), cli::kExitFailure;
    }
  } else if (!b.loop) {
    std::printf("bench-interp: the interpreter has no %s yet; using the alu mix\n", missing.c_str());
  }
  b.load();
  // A short warm-up run also proves the mix runs to its count.
  if (!b.run(std::min<u64>(insns, 100'000))) {
    if (!b.loop) return cli::kExitFailure;
    std::printf("bench-interp: falling back to the alu mix\n");
    b.loop = false;
    b.load();
    if (!b.run(std::min<u64>(insns, 100'000))) return cli::kExitFailure;
  }

  std::vector<double> mips;
  for (u64 r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!b.run(insns)) return cli::kExitFailure;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    mips.push_back((double)insns / s / 1e6);
    std::printf("run %llu: %.3f s, %.1f MIPS\n", (unsigned long long)r + 1, s, mips.back());
  }
  std::vector<double> sorted = mips;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                          : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
  std::printf("bench-interp: mix=%s insns=%llu runs=%llu median_mips=%.1f\n", b.loop ? "loop" : "alu",
              (unsigned long long)insns, (unsigned long long)runs, median);
  return cli::kExitOk;
}
