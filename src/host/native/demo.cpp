// The built-in demo (see demo.h).
//
// The main program is a sieve of Eratosthenes up to one million: about 18
// million guest instructions of compares, byte loads and stores, adds and
// branches, ending in HLT. Until the interpreter has MOV, Jcc, JMP and INC
// (other groups of issue 2 add them), or if the sieve stops on an
// exception, the demo falls back to a straight-line Fibonacci table built
// only from ADD, which the first interpreter group already has.
#include "demo.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "mnemonics.h"
#include "options.h"
#include "ram_bus.h"

namespace pc64 {
namespace {

constexpr u64 kCodeAt = 0x1000;
constexpr u64 kStackTop = 0x8000;

// ---- the sieve ----
constexpr u64 kSieveAt = 0x100000;   // one byte per number, 1 = composite
constexpr u64 kPrimesAt = 0x200000;  // the primes found, as dwords
constexpr u32 kSieveLimit = 1000000;
constexpr u64 kSieveBudget = 100'000'000;

// rsi = sieve, rdi = prime table (advanced past the last prime), r8 = limit.
constexpr u8 kSieveCode[] = {
    0xB9, 0x02, 0x00, 0x00, 0x00,  //        mov ecx, 2
    0x4C, 0x39, 0xC1,              // outer: cmp rcx, r8
    0x73, 0x25,                    //        jae done
    0x80, 0x3C, 0x0E, 0x00,        //        cmp byte [rsi+rcx], 0
    0x75, 0x1A,                    //        jne next
    0x89, 0x0F,                    //        mov [rdi], ecx
    0x48, 0x83, 0xC7, 0x04,        //        add rdi, 4
    0x48, 0x89, 0xC8,              //        mov rax, rcx
    0x48, 0x01, 0xC8,              //        add rax, rcx
    0x4C, 0x39, 0xC0,              // inner: cmp rax, r8
    0x73, 0x09,                    //        jae next
    0xC6, 0x04, 0x06, 0x01,        //        mov byte [rsi+rax], 1
    0x48, 0x01, 0xC8,              //        add rax, rcx
    0xEB, 0xF2,                    //        jmp inner
    0x48, 0xFF, 0xC1,              // next:  inc rcx
    0xEB, 0xD6,                    //        jmp outer
    0xF4,                          // done:  hlt
};

// ---- the ADD-only fallback ----
constexpr u64 kFibAt = 0x3000;
constexpr int kFibTerms = 94;  // F(93) is the last that fits in 64 bits

struct Guest {
  RamBus bus;
  std::unique_ptr<Cpu> cpu;  // made by reset()
};

struct RunStats {
  u64 insns = 0;
  double seconds = 0;
  ExitReason exit = ExitReason::None;
};

std::string grouped(u64 v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void reset(Guest& g, u64 code_at) {
  g.cpu = std::make_unique<Cpu>();  // power-on state, then flat long mode
  Cpu& c = *g.cpu;
  c.bus = &g.bus;
  c.set_flat_mode(8, 0);
  c.stop_on_exception = true;
  c.s.rip = code_at;
  c.s.gpr[RSP] = kStackTop;
}

RunStats run(Guest& g, u64 budget) {
  Cpu& c = *g.cpu;
  const u64 before = c.icount;
  const auto t0 = std::chrono::steady_clock::now();
  c.run(budget);
  const auto t1 = std::chrono::steady_clock::now();
  return {c.icount - before, std::chrono::duration<double>(t1 - t0).count(), c.exit};
}

void print_speed(std::FILE* out, const RunStats& r) {
  const double mips = r.seconds > 0 ? (double)r.insns / r.seconds / 1e6 : 0;
  std::fprintf(out, "%s guest instructions in %.3f s: %.1f MIPS (interpreter)\n",
               grouped(r.insns).c_str(), r.seconds, mips);
}

std::string exception_text(const Cpu& c) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "exception %u at rip 0x%llx", c.fault_vec,
                (unsigned long long)c.s.rip);
  return buf;
}

// Returns 0 on success, 1 on a wrong result, -1 when the guest could not run
// (so the caller falls back).
int sieve(std::string_view prog, Guest& g, std::FILE* out) {
  std::fprintf(out, "pc64 demo: a 64-bit guest sieves the primes below %s in its RAM\n",
               grouped(kSieveLimit).c_str());
  __builtin_memcpy(g.bus.ram + kCodeAt, kSieveCode, sizeof kSieveCode);
  reset(g, kCodeAt);
  Cpu& c = *g.cpu;
  c.s.gpr[RSI] = kSieveAt;
  c.s.gpr[RDI] = kPrimesAt;
  c.s.gpr[R8] = kSieveLimit;
  const RunStats r = run(g, kSieveBudget);
  // Until HLT has a handler, reaching it raises #UD there: that also means
  // the sieve finished.
  const u64 hlt_at = kCodeAt + sizeof kSieveCode - 1;
  const bool done = r.exit == ExitReason::Halt ||
                    (r.exit == ExitReason::Exception && c.fault_vec == kExUD && c.s.rip == hlt_at);
  if (!done) {
    std::fprintf(out, "pc64 demo: the sieve stopped early (%s after %s instructions)\n",
                 r.exit == ExitReason::Exception ? exception_text(c).c_str() : "budget spent",
                 grouped(r.insns).c_str());
    return -1;
  }
  // Read the table back and check it against the host's own sieve.
  const u64 count = (c.s.gpr[RDI] - kPrimesAt) / 4;
  std::vector<bool> composite(kSieveLimit, false);
  std::vector<u32> want;
  for (u32 i = 2; i < kSieveLimit; ++i) {
    if (composite[i]) continue;
    want.push_back(i);
    for (u64 j = (u64)i * i; j < kSieveLimit; j += i) composite[j] = true;
  }
  std::vector<u32> got(count);
  for (u64 i = 0; i < count && kPrimesAt + 4 * i + 4 <= g.bus.ram_size; ++i)
    got[i] = load_le<u32>(g.bus.ram + kPrimesAt + 4 * i);
  std::fprintf(out, "guest found %s primes; the first 20:", grouped(count).c_str());
  for (u64 i = 0; i < count && i < 20; ++i) std::fprintf(out, " %u", got[i]);
  std::fprintf(out, "; the largest: %u\n", count ? got[count - 1] : 0);
  if (got != want) {
    cli::error(prog, "--demo: the guest's primes differ from the host's (" +
                         std::to_string(count) + " vs " + std::to_string(want.size()) + ")");
    return 1;
  }
  std::fprintf(out, "checked against the host: all %s primes agree\n", grouped(count).c_str());
  print_speed(out, r);
  return 0;
}

int fibonacci(std::string_view prog, Guest& g, std::FILE* out) {
  std::fprintf(out, "pc64 demo: a 64-bit guest builds a Fibonacci table in its RAM (ADD only)\n");
  // rax = F(k), rdx = F(k+1); the two registers take turns holding the newer
  // term, and each term is stored with `add [rbx+8k], reg` into zeroed RAM.
  std::vector<u8> code;
  u64 insns = 0;
  auto store = [&](int k, bool from_rdx) {  // add [rbx+disp32], rax/rdx
    const u32 disp = (u32)(8 * k);
    code.insert(code.end(), {0x48, 0x01, (u8)(from_rdx ? 0x93 : 0x83), (u8)disp,
                             (u8)(disp >> 8), (u8)(disp >> 16), (u8)(disp >> 24)});
    ++insns;
  };
  store(0, false);
  store(1, true);
  for (int k = 2; k < kFibTerms; ++k) {
    const bool into_rdx = (k & 1) != 0;  // even k: rax += rdx; odd k: rdx += rax
    code.insert(code.end(), {0x48, 0x01, (u8)(into_rdx ? 0xC2 : 0xD0)});
    ++insns;
    store(k, into_rdx);
  }
  __builtin_memcpy(g.bus.ram + kCodeAt, code.data(), code.size());
  reset(g, kCodeAt);
  Cpu& c = *g.cpu;
  c.s.gpr[RAX] = 0;
  c.s.gpr[RDX] = 1;
  c.s.gpr[RBX] = kFibAt;
  const RunStats r = run(g, insns);
  if (r.exit != ExitReason::Budget || r.insns != insns) {
    cli::error(prog, "--demo: the guest stopped early (" +
                         (r.exit == ExitReason::Exception ? exception_text(c) : "halted") +
                         " after " + std::to_string(r.insns) + " instructions)");
    return 1;
  }
  u64 a = 0, b = 1;
  bool ok = true;
  std::fprintf(out, "guest wrote F(0..%d); F(0..15):", kFibTerms - 1);
  for (int k = 0; k < kFibTerms; ++k) {
    const u64 got = load_le<u64>(g.bus.ram + kFibAt + 8 * k);
    if (k < 16) std::fprintf(out, " %llu", (unsigned long long)got);
    ok = ok && got == a;
    const u64 next = a + b;
    a = b;
    b = next;
  }
  std::fprintf(out, "; F(%d) = %llu\n", kFibTerms - 1,
               (unsigned long long)load_le<u64>(g.bus.ram + kFibAt + 8 * (kFibTerms - 1)));
  if (!ok) {
    cli::error(prog, "--demo: the guest's Fibonacci table differs from the host's");
    return 1;
  }
  std::fprintf(out, "checked against the host: all %d terms agree\n", kFibTerms);
  print_speed(out, r);
  return 0;
}

}  // namespace

int run_demo(std::string_view prog, const DemoOptions& opt) {
  if (opt.ram_bytes < kDemoMinRam) {
    cli::error(prog, "--demo needs at least " + cli::format_size(kDemoMinRam) + " of guest RAM (-m)");
    return cli::kExitUsage;
  }
  Guest g;
  if (!g.bus.allocate(opt.ram_bytes)) {
    cli::error(prog, "cannot allocate " + cli::format_size(opt.ram_bytes) + " of guest RAM (-m)");
    return cli::kExitFailure;
  }
  const std::string missing = missing_mnemonics({"MOV", "CMP", "ADD", "INC", "Jcc", "JMP"});
  if (missing.empty()) {
    const int rc = sieve(prog, g, opt.out);
    if (rc >= 0) return rc;
    std::fprintf(opt.out, "pc64 demo: falling back to the ADD-only program\n");
  } else {
    std::fprintf(opt.out, "pc64 demo: the interpreter has no %s yet, so the sieve waits; "
                          "running the ADD-only program\n", missing.c_str());
  }
  return fibonacci(prog, g, opt.out) == 0 ? cli::kExitOk : cli::kExitFailure;
}

}  // namespace pc64
