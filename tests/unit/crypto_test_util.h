// Helpers shared by crypto_*_test.cpp and pcmpstr_test.cpp.
#pragma once
#include <cstring>
#include <string>

#include "cpu/interp/crypto.h"
#include "cpu/system/control_regs.h"
#include "test_machine.h"

namespace pc64::test {

// A 128-bit value from its low and high quadwords.
inline v16u8 V(u64 lo, u64 hi) { return (v16u8)(v2u64){lo, hi}; }
inline bool same(v16u8 a, v16u8 b) { return std::memcmp(&a, &b, 16) == 0; }
// Bytes in memory order, as FIPS-197 writes blocks.
inline std::string hex128(v16u8 v) {
  std::string s;
  for (int k = 0; k < 16; ++k) {
    s += "0123456789abcdef"[v[k] >> 4];
    s += "0123456789abcdef"[v[k] & 15];
  }
  return s;
}

// The generator of the host-measured hashes (xorshift64).
struct XorShift {
  u64 s;
  explicit XorShift(u64 seed) : s(seed) {}
  u64 next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  v16u8 v() {
    const u64 lo = next(), hi = next();
    return V(lo, hi);
  }
};

struct Fnv {
  u64 h = 0xcbf29ce484222325ull;
  void add(const void* p, int n) {
    const u8* b = (const u8*)p;
    for (int i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 0x100000001b3ull;
    }
  }
  void add(v16u8 v) { add(&v, 16); }
};

struct SimdMachine : Machine {
  SimdMachine(int code_size = 8) : Machine(code_size) {
    cpu.features = kAllFeatures;
    cpu.s.cr4 |= kCR4_OSFXSR | kCR4_OSXSAVE;
    cpu.s.xcr0 = 7;
  }
  void setx(int n, v16u8 v) { std::memcpy(cpu.s.ymm[n].b, &v, 16); }
  v16u8 x(int n) const { return vload<v16u8>(cpu.s.ymm[n].b); }
};

}  // namespace pc64::test
