// Fuzz-style checks of the Linux boot protocol loader: thousands of mutated
// setup headers (every field of boot.rst's "THE REAL-MODE KERNEL HEADER"
// table from 0x1F1 to 0x26B, plus truncation, command lines, initrd sizes
// and RAM sizes). Whatever the input, load_linux must either succeed with
// the kernel, initrd and boot data inside guest RAM, or fail with one
// non-empty line and RAM untouched. Guest RAM and the image sit against
// PROT_NONE pages, so a write past RAM or a read past the image crashes the
// test instead of passing silently.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "machine/e820.h"
#include "machine/linux_boot.h"

namespace pc64 {
namespace {

constexpr u64 kPage = 4096;
u64 page_up(u64 n) { return (n + kPage - 1) & ~(kPage - 1); }

// `bytes` usable bytes ending at a PROT_NONE page, with one before them.
class Guarded {
 public:
  explicit Guarded(u64 bytes) : bytes_(bytes) {
    span_ = page_up(bytes) + 2 * kPage;
    void* p = mmap(nullptr, span_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base_ = p == MAP_FAILED ? nullptr : static_cast<u8*>(p);
    if (!base_) return;
    mprotect(base_, kPage, PROT_NONE);
    mprotect(base_ + span_ - kPage, kPage, PROT_NONE);
  }
  ~Guarded() {
    if (base_) munmap(base_, span_);
  }
  Guarded(const Guarded&) = delete;
  Guarded& operator=(const Guarded&) = delete;
  u8* data() const { return base_ + span_ - kPage - bytes_; }
  bool ok() const { return base_ != nullptr; }
  // Zero again (fresh anonymous pages) after a successful load.
  void clear() { madvise(base_ + kPage, span_ - 2 * kPage, MADV_DONTNEED); }

 private:
  u8* base_ = nullptr;
  u64 span_ = 0, bytes_ = 0;
};

struct Rng {
  u64 s;
  u64 next() {  // splitmix64
    u64 z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  u32 below(u32 n) { return n ? (u32)(next() % n) : 0; }
  bool chance(u32 one_in) { return below(one_in) == 0; }
};

u64 interesting(Rng& r) {
  static const u64 kValues[] = {0,        1,          0xfff,      0x1000,      0x9fc00,
                                0x100000, 0x200000,   0x1000000,  0x1ffffff,   0x2000000,
                                0x7fffffff, 0x80000000, 0xbfffffff, 0xc0000000, 0xfffff000,
                                0xffffffff, 0x100000000ull, ~0ull, 0x20c, 0x20b};
  return r.chance(3) ? r.next() : kValues[r.below(sizeof kValues / sizeof kValues[0])];
}

// A plausible bzImage of protocol 2.12-2.15 with a small kernel.
std::vector<u8> seed(Rng& r) {
  const u32 sects = 1 + r.below(8);
  const u32 kbytes = 16 * (1 + r.below(0x400));
  std::vector<u8> d((sects + 1) * 512 + kbytes + (r.chance(4) ? r.below(64) : 0));
  auto put = [&](size_t at, u64 v, int n) { std::memcpy(&d[at], &v, n); };
  d[0x1f1] = (u8)sects;
  put(0x1f4, kbytes / 16, 4);
  d[0x201] = 0x6a;
  std::memcpy(&d[0x202], "HdrS", 4);
  put(0x206, 0x020c + r.below(4), 2);
  d[0x211] = 1;
  put(0x22c, r.chance(2) ? 0x7fffffff : 0x37ffffff, 4);
  put(0x230, 1ull << (12 + r.below(14)), 4);
  d[0x234] = (u8)r.below(2);
  put(0x236, r.below(2) ? 0x7f : 0x04, 2);
  put(0x238, r.chance(2) ? 2047 : r.below(300), 4);
  put(0x258, r.chance(2) ? 0x1000000 : 0x100000 * r.below(8), 8);
  put(0x260, kbytes + r.below(0x800000), 4);
  return d;
}

void mutate(Rng& r, std::vector<u8>& d) {
  const int n = 1 + (int)r.below(4);
  for (int i = 0; i < n; ++i) {
    switch (r.below(4)) {
      case 0: {  // one header field, set to an edge value
        static const struct { u32 at; int n; } kFields[] = {
            {0x1f1, 1}, {0x1f4, 4}, {0x201, 1}, {0x202, 4}, {0x206, 2}, {0x211, 1},
            {0x214, 4}, {0x22c, 4}, {0x230, 4}, {0x234, 1}, {0x236, 2}, {0x238, 4},
            {0x258, 8}, {0x260, 4}};
        const auto& f = kFields[r.below(sizeof kFields / sizeof kFields[0])];
        const u64 v = interesting(r);
        if (f.at + f.n <= d.size()) std::memcpy(&d[f.at], &v, f.n);
        break;
      }
      case 1:  // a random byte in the header
        if (d.size() > 0x26c) d[0x1f1 + r.below(0x26c - 0x1f1)] = (u8)r.next();
        break;
      case 2:  // truncation
        d.resize(r.below((u32)d.size() + 1));
        break;
      default:  // a random byte anywhere
        if (!d.empty()) d[r.below((u32)d.size())] = (u8)r.next();
        break;
    }
  }
}

TEST(LinuxBootFuzz, NeverWritesOutsideRam) {
  Rng rng{0x5eed1b007ull};
  int ok = 0, failed = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::vector<u8> img = seed(rng);
    if (!rng.chance(8)) mutate(rng, img);
    // RAM from 512 KiB to 40 MiB, often just around the kernel's needs.
    const u64 low = rng.chance(3) ? (u64)(1 + rng.below(80)) << 19
                                  : 0x100000 + 0x1000 * (u64)rng.below(0x2800) + rng.below(16);
    Guarded ram(low), image(img.size()), initrd_buf(0x3000);
    ASSERT_TRUE(ram.ok() && image.ok() && initrd_buf.ok());
    if (!img.empty()) std::memcpy(image.data(), img.data(), img.size());
    const u64 initrd_size = rng.chance(2) ? 0 : 1 + rng.below(0x3000);
    std::string cmdline(rng.chance(2) ? rng.below(64) : rng.below(4000), 'x');
    Cpu cpu;
    const LinuxBootResult r = load_linux(cpu, ram.data(), low, rng.chance(4) ? 1ull << 30 : 0,
                                         image.data(), img.size(), cmdline.c_str(),
                                         initrd_buf.data(), initrd_size);
    if (r.ok) {
      ++ok;
      EXPECT_GE(r.load_addr, 0x100000u) << iter;
      EXPECT_LE(r.load_addr, low) << iter;
      EXPECT_EQ(r.entry, r.load_addr + (r.entry64 ? 0x200 : 0)) << iter;
      if (initrd_size) {
        EXPECT_EQ(r.initrd_addr & 0xfff, 0u) << iter;
        EXPECT_LE(r.initrd_addr + initrd_size, low) << iter;
        EXPECT_GT(r.initrd_addr, r.load_addr) << iter;
      }
      EXPECT_EQ(cpu.s.gpr[RSI], kBootParams);
      ram.clear();
    } else {
      ++failed;
      const std::string e = r.error;
      EXPECT_FALSE(e.empty()) << iter;
      EXPECT_EQ(e.find('\n'), std::string::npos) << iter;
      // Nothing written: the places every successful load writes.
      const u8* m = ram.data();
      for (u64 a : {(u64)0x40e, (u64)0x413, (u64)(kBootParams + 0x210), (u64)kBootCmdline,
                    (u64)(kBootGdt + 0x10), (u64)kBootPageTables}) {
        if (a < low) EXPECT_EQ(m[a], 0) << iter << " at " << a << ": " << e;
      }
    }
  }
  // Both outcomes must be common, or the mutations test nothing.
  EXPECT_GT(ok, 300);
  EXPECT_GT(failed, 300);
}

}  // namespace
}  // namespace pc64
