// pc64-difftest internals: the pieces shared by difftest.cpp (CLI, loop,
// report), cases.cpp (case generation), guest.cpp (the pc64 side),
// runner.cpp (the native child) and compare.cpp (comparison and masks).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "protocol.h"
#include "testgen.h"

namespace pc64::difftest {

// What both sides share about the environment.
struct Env {
  int bits = 64;       // 64, 32 or 16 (code size of the tested code)
  Hello hello{};       // from the native runner
  u64 features = 0;    // host CPUID features (bit per Feature)
  bool amd = false;    // host vendor is AMD (see cases.cpp for what differs)
};

// One generated test case.
struct GenCase {
  Case c{};
  u32 row = 0;         // index into kRows
  Insn insn{};         // the case's instruction as pc64 decodes it
};

// One side's result.
struct Outcome {
  Result r{};
  std::vector<DirtyByte> dirty;
  bool crashed = false;   // native child died on this case
  bool halted = false;    // pc64 stopped on HLT
};

// ---- cases.cpp ----
// Builds a case for `row`; false if no safe case could be made (rare).
bool make_case(const Env& env, u32 row, testgen::Rng& rng, GenCase* out);
// Rows that may read or write the x87/MMX/SSE/AVX state (FP class, an FP/
// SIMD/FXSR/XSAVE feature, WAIT): only their cases carry and compare it.
bool uses_fp_state(const Row& row);
// Mnemonics that must never run natively (system calls, FS/GS base writes).
bool native_unsafe(const Row& row);

// ---- fpgen.cpp ----
// Random x87/SSE/AVX register state for a case of instruction `in`.
void random_fp_state(const Env& env, const Insn& in, testgen::Rng& rng, FpState* f);
// ST(0)/ST(1) for the x87 transcendental rows (fptrans.cpp).
void transcendental_operands(const Insn& in, testgen::Rng& rng, FpState* f);
// `bytes` bytes of special values for FP/SIMD memory operand n of `in`.
void random_fp_memory(const Insn& in, int n, testgen::Rng& rng, u8* out, u32 bytes);

// ---- guest.cpp ----
class Guest {
 public:
  bool init(const Env& env);
  void run(const GenCase& g, Outcome* out);

 private:
  void load_fp(const FpState& f);
  void save_fp(FpState* f) const;
  int nxmm_ = 16;
  bool avx_ = false;
  u32 mxcsr_mask_ = 0xffbf;
  std::vector<u8> ram_;
  Bus bus_;
  Cpu cpu_;
  CpuState base_{};
  int bits_ = 64;
  u64 code_base_ = 0;  // CS base: kCodeAddr in 16-bit mode (RIP is an offset)
  std::vector<u8> pristine_;
};

// ---- runner.cpp ----
class NativeRunner {
 public:
  ~NativeRunner();
  // `arg`: the runner's one argument ("--mode16"), or empty.
  bool start(const std::string& path, const std::string& arg, std::string* err);
  const Hello& hello() const { return hello_; }
  // Runs the cases, calling `meanwhile` while the child works; false if the
  // child died (it is restarted; `out` is unset).
  bool run_batch(const std::vector<GenCase>& cases, std::vector<Outcome>* out,
                 const std::function<void()>& meanwhile);
  // Runs each case alone so a crash is pinned on its case.
  void run_singly(const std::vector<GenCase>& cases, std::vector<Outcome>* out);

 private:
  bool send(const std::vector<GenCase>& cases, size_t from, size_t n);
  bool receive(const std::vector<GenCase>& cases, size_t n, std::vector<Outcome>* out, size_t at);
  void stop();
  std::string path_, arg_;
  int pid_ = -1, to_ = -1, from_ = -1;
  Hello hello_{}, first_hello_{};
  bool have_first_ = false;
  std::vector<u8> rbuf_;
  size_t rpos_ = 0, rlen_ = 0;
  bool fill(void* p, size_t n);
};

// ---- selfcheck.cpp ----
// Runs a few FP cases with known native outcomes (#XM, #MF, flags, tags,
// YMM) to check the state transport; false with a message if it is broken.
bool fp_selfcheck(const Env& env, NativeRunner& runner, std::string* err);

// ---- compare.cpp ----
// RFLAGS bits to ignore for this case: the row's undefined flags refined by
// the actual operands (shift counts), plus documented host differences.
u64 undefined_flags(const Env& env, const GenCase& g);
// Compares the two outcomes; returns a report (empty when they agree).
std::string compare(const Env& env, const GenCase& g, const Outcome& native, const Outcome& emu);
// The reproducer text for a failing case.
std::string reproducer(const Env& env, const GenCase& g, const Outcome& native, const Outcome& emu,
                       const std::string& diff);

// The data-area offset of the case's ModRM memory operand; false when it is
// not in the data area.
bool mem_offset(const Env& env, const GenCase& g, u64* off);

// ---- approx.cpp ----
// RCPPS/RCPSS/RSQRTPS/RSQRTSS: destination lanes judged against the SDM's
// bound instead of bit equality.
bool approx_row(const Row& row);
// Checks each destination lane of both sides (reporting into `d`) and then
// copies the native lane into `emu` so the exact comparison skips it.
void compare_approx(const Env& env, const GenCase& g, const FpState& native, FpState* emu, std::string* d);

// The CS base the case's RIP is relative to: 0 (flat) or, in 16-bit mode,
// kCodeAddr (IP is an offset in the 16-bit code segment).
inline u64 code_base(const Env& env) { return env.bits == 16 ? kCodeAddr : 0; }

// Row names: "ADD_Ev_Gv", with "_2", "_3" for later rows sharing a name.
std::vector<std::string> row_names();

}  // namespace pc64::difftest
