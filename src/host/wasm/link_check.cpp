// Link check of the core for wasm64: decodes and runs a few instructions
// so the decoder, the table and the interpreter are all linked in.
#include "cpu/cpu.h"

using namespace pc64;

extern "C" __attribute__((visibility("default"))) uint64_t pc64_selftest() {
  static u8 ram[0x2000];
  static Bus bus;
  bus.ram = ram;
  bus.ram_size = sizeof(ram);
  static Cpu cpu;
  cpu.bus = &bus;
  cpu.set_flat_mode(8, 0);
  // add rax, 5 ; add rax, rax ; int3
  const u8 code[] = {0x48, 0x83, 0xC0, 0x05, 0x48, 0x01, 0xC0, 0xCC};
  __builtin_memcpy(ram + 0x1000, code, sizeof(code));
  cpu.s.rip = 0x1000;
  cpu.s.gpr[RAX] = 1;
  cpu.run(2);
  return cpu.s.gpr[RAX];  // 12
}

// The x87/SSE vectors (tests/portable/fp_vectors.h): digest `sel` of the run
// with `seed` and `count`: 0 all cases, 1..4 the kinds; 5..8 the kinds'
// completed-case counts. The run is cached for the same seed and count.
#include "fp_vectors.h"

extern "C" __attribute__((visibility("default"))) uint64_t pc64_fp_vectors(uint64_t seed, uint32_t count,
                                                                           uint32_t sel) {
  static fpvec::Stats st;
  static uint64_t last_seed = ~0ull;
  static uint32_t last_count = ~0u;
  if (seed != last_seed || count != last_count) {
    fpvec::run(seed, count, &st);
    last_seed = seed;
    last_count = count;
  }
  if (sel == 0) return st.all;
  if (sel <= fpvec::kKinds) return st.digest[sel - 1];
  if (sel <= 2 * fpvec::kKinds) return st.completed[sel - 1 - fpvec::kKinds];
  return 0;
}
