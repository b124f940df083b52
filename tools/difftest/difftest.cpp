// pc64-difftest: runs random instructions of every testable opcode-table row
// on the host CPU (through the native runner child) and on pc64, and
// compares registers, RIP, flags (minus the row's undefined ones), the data
// area, the fault and, for rows that can touch it, the x87/MMX/SSE/AVX state
// (README.md).
//
//   pc64-difftest [--cases N] [--seed S] [--mode 64|32|16] [--filter REGEX]
//                 [--per-row-min M] [--fp-only] [--quiet-table]
//                 [--verbose] [--max-fail K]
//
// Prints a reproducer for each mismatch (up to K), a per-row coverage table,
// an "FP/SIMD:" summary line and, as the last line, "N passed, M failed".
// Exit status 0 iff M == 0 (and, with --per-row-min, every tested row got M).
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "options.h"
#include "cpu/interp/interp.h"
#include "difftest.h"

using namespace pc64;
using namespace pc64::difftest;

namespace {

struct Options {
  u64 cases = 10000;
  u64 seed = 1;
  int mode = 64;
  std::string filter;
  bool verbose = false;
  u64 max_fail = 20;
  u64 per_row_min = 0;
  bool fp_only = false;
  bool quiet_table = false;
};

[[noreturn]] void usage_error(const std::string& msg) {
  cli::error("pc64-difftest", msg);
  exit(cli::kExitUsage);
}

constexpr cli::OptionSpec kOptions[] = {
    {"cases", "N", "number of cases (default 10000)"},
    {"seed", "S", "random seed (default 1)"},
    {"mode", "64|32|16", "code size of the tested code (default 64)"},
    {"filter", "REGEX", "only rows whose name matches"},
    {"max-fail", "K", "reproducers to print at most (default 20)"},
    {"per-row-min", "M", "after --cases, top up every tested row to at least M cases"},
    {"fp-only", "", "only the x87/MMX/SSE*/AES/PCLMUL/SHA/AVX/FMA/F16C rows"},
    {"quiet-table", "", "list only skipped and failing rows in the table"},
    {"verbose", "", "print every case"},
    {"help", "", "print this help and exit", "h"},
};

Options parse_args(int argc, char** argv) {
  Options o;
  auto args = cli::parse("pc64-difftest", kOptions, argc, argv);
  if (!args) exit(cli::kExitUsage);
  if (!args->positional.empty()) usage_error("unexpected argument '" + args->positional[0] + "'");
  for (const cli::ParsedOption& opt : args->options) {
    const std::string_view name = opt.spec->name;
    auto number = [&](u64 min, u64 max) {
      auto v = cli::parse_uint(opt.value, min, max);
      if (!v) usage_error("bad value for " + opt.spelled + ": '" + opt.value + "'");
      return *v;
    };
    if (name == "cases") o.cases = number(0, ~0ull);
    else if (name == "seed") o.seed = number(0, ~0ull);
    else if (name == "mode") {
      o.mode = (int)number(16, 64);
      if (o.mode != 64 && o.mode != 32 && o.mode != 16)
        usage_error("bad value for --mode: '" + opt.value + "' (64, 32 or 16)");
    } else if (name == "filter") o.filter = opt.value;
    else if (name == "max-fail") o.max_fail = number(0, ~0ull);
    else if (name == "per-row-min") o.per_row_min = number(0, ~0ull);
    else if (name == "fp-only") o.fp_only = true;
    else if (name == "quiet-table") o.quiet_table = true;
    else if (name == "verbose") o.verbose = true;
    else if (name == "help") {
      printf("usage: pc64-difftest [options]\n%s", cli::usage(kOptions).c_str());
      exit(0);
    }
  }
  return o;
}

// ---- host CPUID features ----

struct Cpuid {
  u32 a, b, c, d;
};
Cpuid cpuid(u32 leaf, u32 sub = 0) {
  Cpuid r{};
  __cpuid_count(leaf, sub, r.a, r.b, r.c, r.d);
  return r;
}

// The OS has enabled the SSE and AVX state components (SDM Vol. 1 §13.3):
// CPUID.1:ECX.OSXSAVE and XCR0 bits 1 and 2.
bool os_avx() {
  u32 a, b, c, d;
  __cpuid(1, a, b, c, d);
  if (!(c >> 27 & 1)) return false;
  u32 lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (lo & 6) == 6;
}

bool host_has(Feature f) {
  static const Cpuid l1 = cpuid(1), l7 = cpuid(7), e1 = cpuid(0x80000001);
  auto bit = [](u32 v, int n) { return (v >> n & 1) != 0; };
  switch (f) {
    case Feature::BASE: return true;
    case Feature::LM: return bit(e1.d, 29);
    case Feature::CMOV: return bit(l1.d, 15);
    case Feature::CX8: return bit(l1.d, 8);
    case Feature::CX16: return bit(l1.c, 13);
    case Feature::MOVBE: return bit(l1.c, 22);
    case Feature::POPCNT: return bit(l1.c, 23);
    case Feature::LZCNT: return bit(e1.c, 5);
    case Feature::BMI1: return bit(l7.b, 3);
    case Feature::BMI2: return bit(l7.b, 8);
    case Feature::ADX: return bit(l7.b, 19);
    case Feature::SSE42: return bit(l1.c, 20);
    case Feature::RDRAND: return bit(l1.c, 30);
    case Feature::RDSEED: return bit(l7.b, 18);
    case Feature::RDTSCP: return bit(e1.d, 27);
    case Feature::LAHF64: return bit(e1.c, 0);
    case Feature::FSGSBASE: return bit(l7.b, 0) && (getauxval(AT_HWCAP2) & 2);  // and enabled by the OS
    case Feature::CLFLUSH: return bit(l1.d, 19);
    case Feature::CLFLUSHOPT: return bit(l7.b, 23);
    case Feature::CLWB: return bit(l7.b, 24);
    case Feature::INVPCID: return bit(l7.b, 10);
    case Feature::MONITOR: return bit(l1.c, 3);
    case Feature::XSAVE: return bit(l1.c, 26) && bit(l1.c, 27);  // and OSXSAVE
    case Feature::PKU: return bit(l7.c, 3) && bit(l7.c, 4);      // and OSPKE
    case Feature::SMAP: return bit(l7.b, 20);
    case Feature::SYSCALL: return bit(e1.d, 11);
    case Feature::SEP: return bit(l1.d, 11);
    case Feature::RDPID: return bit(l7.c, 22);
    case Feature::FPU: return bit(l1.d, 0);
    case Feature::SSE: return bit(l1.d, 25);
    case Feature::SSE2: return bit(l1.d, 26);
    case Feature::MMX: return bit(l1.d, 23);
    case Feature::FXSR: return bit(l1.d, 24);
    case Feature::SSE3: return bit(l1.c, 0);
    case Feature::SSSE3: return bit(l1.c, 9);
    case Feature::SSE41: return bit(l1.c, 19);
    // The VEX features also need the OS to enable the YMM state (OSXSAVE
    // and XCR0 bits 1 and 2), checked once in os_avx().
    case Feature::AVX: return bit(l1.c, 28) && os_avx();
    case Feature::AVX2: return bit(l7.b, 5) && os_avx();
    case Feature::FMA: return bit(l1.c, 12) && os_avx();
    case Feature::F16C: return bit(l1.c, 29) && os_avx();
    case Feature::AES: return bit(l1.c, 25);
    case Feature::PCLMUL: return bit(l1.c, 1);
    case Feature::SHA: return bit(l7.b, 29);
    case Feature::XSAVEOPT: return bit(cpuid(0xd, 1).a, 0) && bit(l1.c, 27);
    case Feature::XSAVEC: return bit(cpuid(0xd, 1).a, 1) && bit(l1.c, 27);
    case Feature::XSAVES: return false;  // supervisor-only: never runs at CPL 3
    default: return false;
  }
}

const char* feature_name(Feature f) {
  static const char* const kNames[] = {
      "BASE", "LM", "CMOV", "CX8", "CX16", "MOVBE", "POPCNT", "LZCNT", "BMI1", "BMI2", "ADX",
      "SSE42", "RDRAND", "RDSEED", "RDTSCP", "LAHF64", "FSGSBASE", "CLFLUSH", "CLFLUSHOPT",
      "CLWB", "INVPCID", "MONITOR", "XSAVE", "PKU", "SMAP", "SYSCALL", "SEP", "RDPID", "FPU",
      "SSE", "SSE2", "MMX", "FXSR", "SSE3", "SSSE3", "SSE41", "AVX", "AVX2", "FMA", "F16C",
      "AES", "PCLMUL", "SHA", "XSAVEOPT", "XSAVEC", "XSAVES"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == (size_t)Feature::kCount);
  const u32 i = (u32)f;
  return i < sizeof(kNames) / sizeof(kNames[0]) ? kNames[i] : "?";
}

u64 host_features() {
  u64 m = 0;
  for (int f = 0; f < (int)Feature::kCount && f < 64; ++f)
    if (host_has((Feature)f)) m |= 1ull << f;
  return m;
}

// ---- rows ----

// The FP/SIMD rows counted in the "FP/SIMD:" summary (issue 4): x87, MMX,
// SSE..SSE4.2, AES, PCLMUL, SHA and the AVX family.
bool fp_simd_feature(Feature f) {
  switch (f) {
    case Feature::FPU: case Feature::MMX: case Feature::SSE: case Feature::SSE2:
    case Feature::SSE3: case Feature::SSSE3: case Feature::SSE41: case Feature::SSE42:
    case Feature::AES: case Feature::PCLMUL: case Feature::SHA: case Feature::AVX:
    case Feature::AVX2: case Feature::FMA: case Feature::F16C:
      return true;
    default:
      return false;
  }
}

struct RowStat {
  std::string name;
  std::string skip;  // non-empty: why the row is not tested
  u64 cases = 0, failures = 0, ungenerated = 0, timeouts = 0;
  u64 queued = 0;  // generated, in the batch being run
};

std::string skip_reason(const Row& r, int mode) {
  if (r.attr & (SYS | NOTEST | PRIV)) return "not tested (SYS/NOTEST/PRIV)";
  if (!testgen::row_valid_in_mode(r, mode)) return "not in " + std::to_string(mode) + "-bit mode";
  if (!has_handler(r.mn)) return "skipped: no handler";
  if (!host_has(r.feature)) return std::string("skipped: host lacks feature ") + feature_name(r.feature);
  if (native_unsafe(r)) return "skipped: unsafe to run natively";
  return "";
}

std::string self_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  buf[n] = 0;
  std::string s = buf;
  return s.substr(0, s.rfind('/'));
}

void print_table(const std::vector<RowStat>& stats, const std::vector<u32>& shown, bool quiet, u64 min) {
  printf("\n%-28s %9s %9s  %s\n", "row", "cases", "failures", "note");
  for (u32 i : shown) {
    const RowStat& s = stats[i];
    if (quiet && s.skip.empty() && !s.failures && s.cases >= min) continue;
    if (!s.skip.empty()) {
      printf("%-28s %9s %9s  %s\n", s.name.c_str(), "-", "-", s.skip.c_str());
      continue;
    }
    std::string note = s.failures ? "FAIL" : "";
    if (s.timeouts) note += (note.empty() ? "" : "; ") + std::to_string(s.timeouts) + " looped";
    if (s.cases < min) note += (note.empty() ? "" : "; ") + std::string("below --per-row-min");
    if (s.ungenerated) note += (note.empty() ? "" : "; ") + std::to_string(s.ungenerated) + " cases not generated";
    printf("%-28s %9llu %9llu  %s\n", s.name.c_str(), (unsigned long long)s.cases,
           (unsigned long long)s.failures, note.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse_args(argc, argv);
  std::regex re;
  try {
    re = std::regex(opt.filter.empty() ? ".*" : opt.filter);
  } catch (const std::regex_error&) {
    usage_error("bad regular expression for --filter: '" + opt.filter + "'");
  }

  Env env;
  env.bits = opt.mode;
  env.features = host_features();
  {
    const Cpuid v = cpuid(0);
    env.amd = v.b == 0x68747541 && v.d == 0x69746e65 && v.c == 0x444d4163;  // "AuthenticAMD"
  }
  NativeRunner runner;
  std::string err;
  const std::string path = self_dir() + (opt.mode == 64 ? "/pc64-difftest-native64" : "/pc64-difftest-native32");
  // 16-bit code runs in the -m32 runner, in LDT segments it installs.
  if (!runner.start(path, opt.mode == 16 ? "--mode16" : "", &err)) {
    fprintf(stderr, "pc64-difftest: %s\n", err.c_str());
    return 1;
  }
  env.hello = runner.hello();
  if (!fp_selfcheck(env, runner, &err)) {
    fprintf(stderr, "pc64-difftest: x87/SIMD state self-check failed (%d-bit): %s\n", opt.mode, err.c_str());
    return 1;
  }
  Guest guest;
  guest.init(env);

  const std::vector<std::string> names = row_names();
  std::vector<RowStat> stats(kNumRows);
  std::vector<u32> shown, eligible;
  for (u32 i = 0; i < kNumRows; ++i) {
    stats[i].name = names[i];
    if (!std::regex_search(names[i], re)) continue;
    if (opt.fp_only && !fp_simd_feature(kRows[i].feature)) continue;
    shown.push_back(i);
    stats[i].skip = skip_reason(kRows[i], opt.mode);
    if (stats[i].skip.empty()) eligible.push_back(i);
  }
  printf("pc64-difftest: %d-bit mode, seed %llu, %llu cases over %zu rows\n", opt.mode,
         (unsigned long long)opt.seed, (unsigned long long)opt.cases, eligible.size());
  fflush(stdout);

  const auto t0 = std::chrono::steady_clock::now();
  testgen::Rng rng(opt.seed);
  u64 passed = 0, failed = 0, printed = 0;
  constexpr u64 kBatch = 1024;
  std::vector<GenCase> batch;
  std::vector<Outcome> nat, emu;
  double t_gen = 0, t_emu = 0, t_all = 0;
  auto now = [] { return std::chrono::steady_clock::now(); };
  // Rows are drawn round-robin for --cases; then, with --per-row-min, the
  // rows still short of M cases (some draws are not generated) are drawn
  // round-robin among themselves until each has M, or until a row has
  // failed to generate 64 * M times (it is then reported below the minimum).
  std::vector<u32> topup;
  size_t topup_at = 0;
  bool topped = false;
  const u64 give_up = 64 * opt.per_row_min + 64;
  u64 done = 0;
  auto next_row = [&](u32* row) {
    if (done < opt.cases) {
      *row = eligible[done++ % eligible.size()];
      return true;
    }
    if (!topped) {  // --cases used up: queue the rows short of M
      topped = true;
      for (u32 r : eligible)
        if (stats[r].cases + stats[r].queued < opt.per_row_min) topup.push_back(r);
    }
    while (!topup.empty()) {
      if (topup_at >= topup.size()) topup_at = 0;
      const u32 r = topup[topup_at];
      if (stats[r].cases + stats[r].queued >= opt.per_row_min || stats[r].ungenerated >= give_up) {
        topup.erase(topup.begin() + (long)topup_at);
        continue;
      }
      ++topup_at;
      *row = r;
      return true;
    }
    return false;
  };
  for (bool more = !eligible.empty(); more;) {
    const auto tb = now();
    batch.clear();
    while (batch.size() < kBatch) {
      u32 row;
      if (!next_row(&row)) {
        more = false;
        break;
      }
      GenCase g;
      if (!make_case(env, row, rng, &g)) {
        stats[row].ungenerated++;
        continue;
      }
      stats[row].queued++;
      batch.push_back(g);
    }
    if (batch.empty()) continue;
    emu.assign(batch.size(), Outcome{});
    const auto tg = now();
    t_gen += std::chrono::duration<double>(tg - tb).count();
    auto run_emu = [&] {
      for (size_t i = 0; i < batch.size(); ++i) guest.run(batch[i], &emu[i]);
      t_emu += std::chrono::duration<double>(now() - tg).count();
    };
    if (!runner.run_batch(batch, &nat, run_emu)) runner.run_singly(batch, &nat);
    t_all += std::chrono::duration<double>(now() - tb).count();
    for (size_t i = 0; i < batch.size(); ++i) {
      const GenCase& g = batch[i];
      RowStat& st = stats[g.row];
      st.cases++;
      st.queued--;
      if (nat[i].r.end == kEndTimeout && !nat[i].crashed) st.timeouts++;
      const std::string d = compare(env, g, nat[i], emu[i]);
      if (opt.verbose) {
        printf("%-24s", st.name.c_str());
        for (int k = 0; k < g.c.code_len; ++k) printf(" %02x", g.c.code[k]);
        printf("  -> vec %u rip %llx rax %llx flags %llx: %s\n", nat[i].r.trapno,
               (unsigned long long)nat[i].r.rip, (unsigned long long)nat[i].r.gpr[0],
               (unsigned long long)nat[i].r.rflags, d.empty() ? "ok" : "FAIL");
      }
      if (d.empty()) {
        ++passed;
        continue;
      }
      ++failed;
      st.failures++;
      if (printed < opt.max_fail) {
        ++printed;
        printf("\nMISMATCH %llu: %s\n%s", (unsigned long long)failed, st.name.c_str(),
               reproducer(env, g, nat[i], emu[i], d).c_str());
      }
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  print_table(stats, shown, opt.quiet_table, opt.per_row_min);
  // The FP/SIMD summary (issue 4) and the --per-row-min check over all rows.
  u64 fp_rows = 0, fp_cases = 0, fp_fail = 0, fp_min = ~0ull, short_rows = 0;
  std::string lacking;
  for (u32 i : shown) {
    const RowStat& s = stats[i];
    const bool fp = fp_simd_feature(kRows[i].feature);
    if (!s.skip.empty()) {
      if (fp && s.skip.find("host lacks") != std::string::npos) lacking += " " + s.name;
      continue;
    }
    if (s.cases < opt.per_row_min) ++short_rows;
    if (!fp) continue;
    ++fp_rows;
    fp_cases += s.cases;
    fp_fail += s.failures;
    if (s.cases < fp_min) fp_min = s.cases;
  }
  if (!lacking.empty()) printf("notice: FP/SIMD rows skipped, the host lacks their extension:%s\n", lacking.c_str());
  printf("FP/SIMD: %llu rows, %llu cases, min %llu per row, %llu failures\n", (unsigned long long)fp_rows,
         (unsigned long long)fp_cases, (unsigned long long)(fp_rows ? fp_min : 0), (unsigned long long)fp_fail);
  if (short_rows)
    printf("%llu tested rows got fewer than --per-row-min %llu cases (not generated)\n",
           (unsigned long long)short_rows, (unsigned long long)opt.per_row_min);
  printf("(%.1f s: generating %.1f s, pc64 %.1f s, total batches %.1f s)\n", secs, t_gen, t_emu, t_all);
  printf("%llu passed, %llu failed\n", (unsigned long long)passed, (unsigned long long)failed);
  return failed == 0 && short_rows == 0 ? 0 : 1;
}
