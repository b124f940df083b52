// Fuzz-style checks of the multiboot loader: thousands of random and
// mutated ELF32 / a.out images, command lines and module lists. Whatever the
// input, load_multiboot must either succeed with everything inside guest RAM
// (and the boot information consistent with what it was given) or fail with
// a message and RAM untouched. Guest RAM and the image sit against
// PROT_NONE pages, so a write past RAM or a read past the image ends the
// test with a crash instead of passing silently.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "machine/multiboot.h"

namespace pc64 {
namespace {

constexpr u64 kPage = 4096;

u64 page_up(u64 n) { return (n + kPage - 1) & ~(kPage - 1); }

// `bytes` usable bytes that end exactly at a PROT_NONE page, with another
// PROT_NONE page before them.
class Guarded {
 public:
  explicit Guarded(u64 bytes) : bytes_(bytes) {
    span_ = page_up(bytes) + 2 * kPage;
    base_ = static_cast<u8*>(mmap(nullptr, span_, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (base_ == MAP_FAILED) {
      base_ = nullptr;
      return;
    }
    mprotect(base_, kPage, PROT_NONE);
    mprotect(base_ + span_ - kPage, kPage, PROT_NONE);
  }
  ~Guarded() {
    if (base_) munmap(base_, span_);
  }
  Guarded(const Guarded&) = delete;
  Guarded& operator=(const Guarded&) = delete;
  u8* data() const { return base_ + span_ - kPage - bytes_; }
  u64 size() const { return bytes_; }
  bool ok() const { return base_ != nullptr; }

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

void put32(std::vector<u8>& v, size_t at, u32 x) {
  if (at + 4 <= v.size()) std::memcpy(&v[at], &x, 4);
}
void put16(std::vector<u8>& v, size_t at, u16 x) {
  if (at + 2 <= v.size()) std::memcpy(&v[at], &x, 2);
}
u32 get32(const u8* p) {
  u32 x;
  std::memcpy(&x, p, 4);
  return x;
}

constexpr u64 kRam = 0x180000;  // 1.5 MiB: room above 1 MiB for kernels and modules

// Values that sit on the edges the loader has to check.
u32 interesting(Rng& r) {
  static const u32 kValues[] = {0,          1,          0xfff,      0x1000,     0x9fc00,
                                0xa0000,    0x100000,   0x100110,   0x17f000,   0x17ffff,
                                (u32)kRam,  kRam + 1,   0x7fffffff, 0x80000000, 0xfffff000,
                                0xffffffff, 0xfffffffc, 0x200,      0x34,       0x20};
  return r.chance(3) ? (u32)r.next() : kValues[r.below(sizeof kValues / sizeof kValues[0])];
}

// A well-formed ELF32 multiboot kernel with 1-4 segments above 1 MiB.
std::vector<u8> seed_elf(Rng& r) {
  const u32 nph = 1 + r.below(4);
  std::vector<u8> img(0x200 + r.below(0x2000));
  const u8 ident[] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  std::memcpy(img.data(), ident, sizeof ident);
  put16(img, 16, 2);
  put16(img, 18, 3);
  put32(img, 20, 1);
  put32(img, 24, 0x100110);
  put32(img, 28, 52);
  put16(img, 40, 52);
  put16(img, 42, 32);
  put16(img, 44, (u16)nph);
  u32 at = 0x100000;
  for (u32 i = 0; i < nph; ++i) {
    const size_t p = 52 + i * 32;
    const u32 filesz = i == 0 ? 0x200 : r.below(0x200);
    const u32 memsz = filesz + r.below(0x3000);
    put32(img, p, 1);
    put32(img, p + 4, i == 0 ? 0 : r.below((u32)img.size() - filesz + 1));
    put32(img, p + 8, at);
    put32(img, p + 12, at);
    put32(img, p + 16, filesz);
    put32(img, p + 20, memsz);
    at = (u32)page_up(at + memsz);
  }
  put32(img, 0x100, 0x1BADB002);
  put32(img, 0x104, 3);
  put32(img, 0x108, (u32)-(0x1BADB002 + 3));
  return img;
}

// A flat image with the a.out address fields (header flag 16).
std::vector<u8> seed_aout(Rng& r) {
  std::vector<u8> img(0x40 + r.below(0x1000));
  const u32 off = 4 * r.below(8);
  const u32 flags = 0x10003;
  put32(img, off, 0x1BADB002);
  put32(img, off + 4, flags);
  put32(img, off + 8, (u32)-(0x1BADB002 + flags));
  put32(img, off + 12, 0x100000 + off);                                // header_addr
  put32(img, off + 16, 0x100000);                                      // load_addr
  put32(img, off + 20, r.chance(2) ? 0 : 0x100000 + (u32)img.size());  // load_end_addr
  put32(img, off + 24, r.chance(2) ? 0 : 0x100000 + (u32)img.size() + r.below(0x8000));
  put32(img, off + 28, 0x100000 + off + 32);                           // entry_addr
  return img;
}

// Header and program header fields are where the checks are; aim there.
void mutate(Rng& r, std::vector<u8>& img) {
  const u32 rounds = 1 + r.below(4);
  for (u32 k = 0; k < rounds; ++k) {
    switch (r.below(7)) {
      case 0:  // one field of the ELF header or the first program headers
        put32(img, 4 * r.below(52 / 4 + 4 * 8), interesting(r));
        break;
      case 1:  // a multiboot header field (ELF seed at 0x100, a.out near 0)
        put32(img, (r.chance(2) ? 0x100 : 0) + 4 * r.below(8), interesting(r));
        break;
      case 2:  // a random byte
        if (!img.empty()) img[r.below((u32)img.size())] ^= (u8)(1 + r.below(255));
        break;
      case 3:  // truncate
        img.resize(r.below((u32)img.size() + 1));
        break;
      case 4:  // phnum, phentsize
        put16(img, 42 + 2 * r.below(2), (u16)interesting(r));
        break;
      case 5:  // move a segment next to (or into) another one
        if (img.size() >= 52 + 32 * 4) {
          const size_t a = 52 + 32 * r.below(4), b = 52 + 32 * r.below(4);
          const u32 to = get32(&img[b + 12]) + get32(&img[b + 20]) - r.below(0x40);
          put32(img, a + 8, to);
          put32(img, a + 12, to);
        }
        break;
      default:  // a segment's fields, then keep the checksum valid half the time
        put32(img, 52 + 32 * r.below(4) + 4 * r.below(8), interesting(r));
        if (r.chance(2) && img.size() >= 0x10c) put32(img, 0x108, (u32)-(0x1BADB002 + get32(&img[0x104])));
        break;
    }
  }
}

bool all_zero(const u8* p, u64 n) {
  static const u8 kZero[65536] = {};
  for (u64 at = 0; at < n; at += sizeof kZero) {
    const u64 len = n - at < sizeof kZero ? n - at : sizeof kZero;
    if (std::memcmp(p + at, kZero, len) != 0) return false;
  }
  return true;
}

TEST(MultibootFuzz, NeverWritesOutsideRamAndAlwaysExplains) {
  auto m = std::make_unique<Machine>();
  Rng r{0x6d625f66757a7aull};
  int loaded = 0, refused = 0;
  std::vector<std::vector<u8>> mod_data;
  std::vector<std::string> mod_str;
  // One mapping; each run's RAM is its last ram_size bytes, so RAM always
  // ends at the guard page, and the bytes before it must stay zero too.
  Guarded buf(kRam);
  ASSERT_TRUE(buf.ok());
  for (int iter = 0; iter < 5000; ++iter) {
    // RAM: usually 1.5 MiB, sometimes only just over 1 MiB or tiny.
    const u64 ram_size = r.chance(4)   ? 0x100000 + kPage * r.below(64)
                         : r.chance(8) ? kPage * (1 + r.below(16))
                                       : kRam;
    struct {
      u8* d;
      u64 n;
      u8* data() const { return d; }
      u64 size() const { return n; }
    } ram{buf.data() + (kRam - ram_size), ram_size};
    std::vector<u8> img = r.chance(3) ? seed_aout(r) : seed_elf(r);
    if (!r.chance(8)) mutate(r, img);
    Guarded image(img.size());
    ASSERT_TRUE(image.ok());
    if (!img.empty()) std::memcpy(image.data(), img.data(), img.size());

    const u32 nmods = r.chance(2) ? 0 : r.below(5);
    mod_data.assign(nmods, {});
    mod_str.assign(nmods, {});
    std::vector<MultibootModule> mods(nmods);
    for (u32 i = 0; i < nmods; ++i) {
      mod_data[i].resize(r.chance(6) ? ram_size - r.below((u32)(ram_size < 0x3000 ? ram_size : 0x3000))
                                     : r.below(0x3000));
      std::memset(mod_data[i].data(), (int)(1 + r.below(255)), mod_data[i].size());
      for (size_t b = 0; b < mod_data[i].size(); b += 1 + r.below(512)) mod_data[i][b] = (u8)r.next();
      mod_str[i] = std::string(r.below(40), 'm');
      mods[i] = MultibootModule{mod_data[i].data(), mod_data[i].size(),
                                r.chance(8) ? nullptr : mod_str[i].c_str()};
    }
    const std::string cmdline = "k " + std::string(r.chance(10) ? r.below(0x3000) : r.below(20), 'c');

    const MultibootResult res = load_multiboot(m->cpu, ram.data(), ram.size(), image.data(),
                                               img.size(), cmdline.c_str(), mods.data(), nmods);
    if (!res.ok) {
      ++refused;
      ASSERT_NE(res.error[0], 0) << "iteration " << iter << ": refused without a message";
      ASSERT_LT(std::strlen(res.error), sizeof res.error);
      ASSERT_EQ(std::strchr(res.error, '\n'), nullptr) << res.error;
      ASSERT_TRUE(all_zero(buf.data(), kRam))
          << "iteration " << iter << ": refused (" << res.error << ") but wrote to RAM";
      continue;
    }
    struct Clear {  // RAM back to zero for the next run, however this one ends
      u8* d;
      ~Clear() { std::memset(d, 0, kRam); }
    } clear{buf.data()};
    ASSERT_TRUE(all_zero(buf.data(), kRam - ram_size)) << "iteration " << iter << ": wrote below RAM";
    ++loaded;
    const u8* p = ram.data();
    ASSERT_LT(res.entry, ram_size) << "iteration " << iter;
    ASSERT_LE((u64)res.info + 88, ram_size) << "iteration " << iter;
    ASSERT_EQ(m->cpu.s.gpr[RBX], res.info);
    const u8* info = p + res.info;
    const u32 cmd = get32(info + 16), count = get32(info + 20), list = get32(info + 24);
    const u32 mmap_len = get32(info + 44), mmap = get32(info + 48);
    ASSERT_LT((u64)cmd + cmdline.size(), ram_size);
    ASSERT_EQ(std::memcmp(p + cmd, cmdline.c_str(), cmdline.size() + 1), 0);
    ASSERT_LE((u64)mmap + mmap_len, ram_size);
    ASSERT_EQ(count, nmods);
    ASSERT_LE((u64)list + 16ull * nmods, ram_size);
    u64 prev_end = res.kernel_end;
    for (u32 i = 0; i < nmods; ++i) {
      const u32 start = get32(p + list + 16 * i), end = get32(p + list + 16 * i + 4);
      const u32 str = get32(p + list + 16 * i + 8);
      ASSERT_EQ((u64)end - start, mod_data[i].size()) << "iteration " << iter << " module " << i;
      ASSERT_LE((u64)end, ram_size);
      ASSERT_GE(start, prev_end);
      ASSERT_GE(start, res.info + 88u);
      ASSERT_EQ((start - list) % kPage, 0u);  // pages counted from the image's lowest byte
      ASSERT_EQ(std::memcmp(p + start, mod_data[i].data(), mod_data[i].size()), 0);
      const std::string want = mods[i].string ? mod_str[i] : "";
      ASSERT_LT((u64)str + want.size(), ram_size);
      ASSERT_EQ(std::memcmp(p + str, want.c_str(), want.size() + 1), 0);
      prev_end = end;
    }
  }
  std::printf("multiboot fuzz: %d images loaded, %d refused\n", loaded, refused);
  // Both outcomes must have been exercised, or the generator is broken.
  EXPECT_GT(loaded, 300);
  EXPECT_GT(refused, 1000);
}

}  // namespace
}  // namespace pc64
