// The Linux boot protocol loader (src/core/machine/linux_boot.*): synthetic
// bzImages built field by field (Documentation/arch/x86/boot.rst), checked
// for the boot_params the loader builds, the CPU state at the 64-bit and
// 32-bit entries (also by running a tiny "kernel" that reads boot_params),
// the placement of the kernel and the initrd, the e820 map and the errors.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "machine/e820.h"
#include "machine/linux_boot.h"
#include "machine/machine.h"

namespace pc64 {
namespace {

// Reads the first byte of the command line through boot_params.cmd_line_ptr
// and writes it to isa-debug-exit: mov eax,[rsi+0x228]; mov al,[rax];
// out 0xf4,al; hlt. The same bytes work in 32- and 64-bit code.
constexpr u8 kProbe[] = {0x8b, 0x86, 0x28, 0x02, 0x00, 0x00, 0x8a, 0x00, 0xe6, 0xf4, 0xf4};

struct Image {
  std::vector<u8> d;
  template <typename T> void put(size_t at, T v) { std::memcpy(&d[at], &v, sizeof v); }
};

// A bzImage of protocol 2.15: 4 setup sectors + the boot sector, then
// `kernel_bytes` of protected-mode kernel with kProbe at 0 and at 0x200.
Image make_bzimage(bool kernel64, u32 kernel_bytes = 0x1000) {
  Image im;
  const u32 setup = 5 * 512;
  im.d.assign(setup + kernel_bytes, 0);
  im.d[0x1f1] = 4;
  im.put<u32>(0x1f4, kernel_bytes / 16);
  im.put<u16>(0x1fe, 0xaa55);
  im.d[0x200] = 0xeb;
  im.d[0x201] = 0x6a;  // header ends at 0x26c
  std::memcpy(&im.d[0x202], "HdrS", 4);
  im.put<u16>(0x206, 0x020f);
  im.d[0x211] = 0x01;  // LOADED_HIGH
  im.put<u32>(0x214, 0x100000);
  im.put<u32>(0x22c, 0x7fffffff);
  im.put<u32>(0x230, 0x200000);
  im.d[0x234] = 1;
  im.put<u16>(0x236, kernel64 ? 0x7f : 0x04);
  im.put<u32>(0x238, 2047);
  im.put<u64>(0x258, 0x1000000);
  im.put<u32>(0x260, 0x400000);
  std::memcpy(&im.d[setup], kProbe, sizeof kProbe);
  std::memcpy(&im.d[setup + 0x200], kProbe, sizeof kProbe);
  return im;
}

struct Guest {
  std::vector<u8> ram;
  std::unique_ptr<Machine> m = std::make_unique<Machine>();
  explicit Guest(u64 bytes) : ram(bytes) { m->attach_ram(ram.data(), bytes); }
  LinuxBootResult load(const Image& im, const char* cmdline, const std::vector<u8>& initrd = {}) {
    return load_linux(m->cpu, ram.data(), ram.size(), 0, im.d.data(), im.d.size(), cmdline,
                      initrd.empty() ? nullptr : initrd.data(), initrd.size());
  }
  template <typename T> T at(u64 a) const {
    T v;
    std::memcpy(&v, &ram[a], sizeof v);
    return v;
  }
  bool all_zero() const {
    for (u8 b : ram)
      if (b) return false;
    return true;
  }
};

TEST(LinuxBoot, Detects) {
  Image im = make_bzimage(true);
  EXPECT_TRUE(is_bzimage(im.d.data(), im.d.size()));
  EXPECT_FALSE(is_bzimage(im.d.data(), 0x205));
  im.d[0x202] = 'h';
  EXPECT_FALSE(is_bzimage(im.d.data(), im.d.size()));
}

TEST(LinuxBoot, Entry64State) {
  Guest g(64 << 20);
  const std::vector<u8> initrd(0x2345, 0x5a);
  const LinuxBootResult r = g.load(make_bzimage(true), "A console=ttyS0", initrd);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.entry64);
  EXPECT_EQ(r.load_addr, 0x1000000u);  // pref_address
  EXPECT_EQ(r.entry, 0x1000200u);
  const Cpu& c = g.m->cpu;
  EXPECT_EQ(c.s.rip, 0x1000200u);
  EXPECT_EQ(c.s.gpr[RSI], kBootParams);
  EXPECT_EQ(c.s.seg[CS].sel, 0x10);
  EXPECT_TRUE(c.s.seg[CS].attr & kSegL);
  for (int s : {DS, ES, SS}) EXPECT_EQ(c.s.seg[s].sel, 0x18);
  EXPECT_EQ(c.rflags() & kIF, 0u);
  EXPECT_TRUE(c.s.cr0 & 0x80000000u);
  EXPECT_TRUE(c.s.efer & (1u << 10));  // LMA
  EXPECT_EQ(c.s.cr3, kBootPageTables);
  EXPECT_EQ(c.s.gdtr.base, kBootGdt);
  // The GDT's __BOOT_CS is a 64-bit code segment; __BOOT_DS flat data.
  EXPECT_EQ(g.at<u64>(kBootGdt + 0x10), 0x00af9b000000ffffull);
  EXPECT_EQ(g.at<u64>(kBootGdt + 0x18), 0x00cf93000000ffffull);
  // Identity map: the last 2 MiB page below 4 GiB.
  EXPECT_EQ(g.at<u64>(kBootPageTables + 5 * 0x1000 + 511 * 8), 0xffe00083ull);
  // boot_params.
  const u64 bp = kBootParams;
  EXPECT_EQ(g.at<u32>(bp + 0x202), 0x53726448u);  // the header was copied
  EXPECT_EQ(g.at<u8>(bp + 0x210), 0xff);           // type_of_loader
  EXPECT_EQ(g.at<u8>(bp + 0x211), 0x81);           // LOADED_HIGH | CAN_USE_HEAP
  EXPECT_EQ(g.at<u32>(bp + 0x228), kBootCmdline);
  EXPECT_EQ(std::string((const char*)&g.ram[kBootCmdline]), "A console=ttyS0");
  // The initrd: as high as it goes, page-aligned, below RAM's end.
  EXPECT_EQ(r.initrd_addr, ((64u << 20) - 0x2345) & ~0xfffu);
  EXPECT_EQ(g.at<u32>(bp + 0x218), r.initrd_addr);
  EXPECT_EQ(g.at<u32>(bp + 0x21c), 0x2345u);
  EXPECT_EQ(g.ram[r.initrd_addr], 0x5a);
  EXPECT_EQ(g.ram[r.initrd_addr + 0x2344], 0x5a);
  // e820: RAM below the EBDA, reserved to 1 MiB, RAM to the end.
  ASSERT_EQ(g.at<u8>(bp + 0x1e8), 3);
  EXPECT_EQ(g.at<u64>(bp + 0x2d0 + 8), 0x9fc00u);
  EXPECT_EQ(g.at<u32>(bp + 0x2d0 + 20 + 16), kE820Reserved);
  EXPECT_EQ(g.at<u64>(bp + 0x2d0 + 40), 0x100000u);
  EXPECT_EQ(g.at<u64>(bp + 0x2d0 + 48), (64u << 20) - 0x100000u);
  EXPECT_EQ(g.at<u16>(0x413), 639);
  // The kernel itself runs: it reads 'A' through cmd_line_ptr.
  EXPECT_EQ(g.m->run(1000), MachineStop::DebugExit);
  EXPECT_EQ(g.m->exit_status(), ('A' << 1) | 1);
}

TEST(LinuxBoot, Entry32State) {
  Guest g(64 << 20);
  const LinuxBootResult r = g.load(make_bzimage(false), "B");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_FALSE(r.entry64);
  const Cpu& c = g.m->cpu;
  EXPECT_EQ(c.s.rip, 0x1000000u);
  EXPECT_EQ(g.at<u32>(kBootParams + 0x214), 0x1000000u);  // code32_start follows the load address
  EXPECT_EQ(c.s.cr0 & 0x80000001u, 1u);                     // PE, no paging
  EXPECT_EQ(c.s.efer & (1u << 10), 0u);
  EXPECT_EQ(c.s.seg[CS].sel, 0x10);
  EXPECT_TRUE(c.s.seg[CS].attr & kSegDB);
  EXPECT_EQ(c.s.gpr[RSI], kBootParams);
  EXPECT_EQ(c.s.gpr[RBX] | c.s.gpr[RBP] | c.s.gpr[RDI], 0u);
  EXPECT_EQ(g.at<u64>(kBootGdt + 0x10), 0x00cf9b000000ffffull);
  EXPECT_EQ(r.initrd_size, 0u);
  EXPECT_EQ(g.at<u32>(kBootParams + 0x218), 0u);
  EXPECT_EQ(g.m->run(1000), MachineStop::DebugExit);
  EXPECT_EQ(g.m->exit_status(), ('B' << 1) | 1);
}

TEST(LinuxBoot, LoadAddress) {
  // Not relocatable: 0x100000, whatever pref_address says.
  Image im = make_bzimage(true);
  im.d[0x234] = 0;
  Guest g(64 << 20);
  LinuxBootResult r = g.load(im, "");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.load_addr, 0x100000u);
  EXPECT_EQ(g.m->cpu.s.rip, 0x100200u);
  EXPECT_EQ(0, std::memcmp(&g.ram[0x100000], kProbe, sizeof kProbe));
  // pref_address not aligned to kernel_alignment: rounded up.
  im = make_bzimage(true);
  im.put<u64>(0x258, 0x1000001);
  Guest g2(64 << 20);
  r = g2.load(im, "");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.load_addr, 0x1200000u);
  // pref_address + init_size past RAM, but 0x100000 + init_size fits...
  // except that the kernel then still runs from pref_address: refused.
  Guest g3(16 << 20);
  r = g3.load(make_bzimage(true), "");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(g3.all_zero());
  // A relocatable kernel with pref_address below 1 MiB runs at 0x100000
  // aligned up (0x200000).
  im = make_bzimage(true);
  im.put<u64>(0x258, 0);
  Guest g4(16 << 20);
  r = g4.load(im, "");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.load_addr, 0x100000u);
}

// A file up to 15 bytes shorter than setup + syssize*16 (syssize rounds up
// to a paragraph; memtest86+ 6.10 is such a file) loads, the missing tail
// as zeros; 16 bytes short is truncated (Errors below).
TEST(LinuxBoot, SyssizeRoundingShortFile) {
  Image im = make_bzimage(true);
  im.d.back() = 0x5a;
  im.d.resize(im.d.size() - 15);
  im.d.back() = 0x77;
  Guest g(64 << 20);
  for (u64 a = 0x1000000 + 0x1000 - 16; a < 0x1000000 + 0x1000; ++a) g.ram[a] = 0xcc;
  LinuxBootResult r = g.load(im, "");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(g.ram[r.load_addr + 0x1000 - 16], 0x77);
  for (u64 i = 0x1000 - 15; i < 0x1000; ++i) EXPECT_EQ(g.ram[r.load_addr + i], 0) << i;
}

TEST(LinuxBoot, InitrdBelowAddrMax) {
  Image im = make_bzimage(true);
  im.put<u32>(0x22c, 0x1ffffff);  // initrd_addr_max 32 MiB - 1
  Guest g(64 << 20);
  const std::vector<u8> initrd(0x1000, 1);
  LinuxBootResult r = g.load(im, "", initrd);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.initrd_addr, 0x1fff000u);
  // It may not overlap the kernel's init_size area (16 MiB + 4 MiB).
  Guest g2(64 << 20);
  const std::vector<u8> big(0x1000000, 1);
  r = g2.load(im, "", big);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(std::string(r.error).find("initrd too big"), std::string::npos) << r.error;
  EXPECT_TRUE(g2.all_zero());
}

TEST(LinuxBoot, Errors) {
  struct Case {
    const char* what;
    void (*mutate)(Image&);
    const char* want;
  };
  const Case cases[] = {
      {"no HdrS", [](Image& im) { im.d[0x205] = 0; }, "not a bzImage"},
      {"2.11", [](Image& im) { im.put<u16>(0x206, 0x020b); }, "kernel too old: boot protocol 2.11"},
      {"truncated", [](Image& im) { im.d.resize(im.d.size() - 16); }, "truncated"},
      {"tiny", [](Image& im) { im.d.resize(0x210); }, "truncated"},
      {"zImage", [](Image& im) { im.d[0x211] = 0; }, "zImage"},
      {"no kernel", [](Image& im) { im.put<u32>(0x1f4, 0); }, "syssize is 0"},
      {"short header", [](Image& im) { im.d[0x201] = 0x20; }, "before init_size"},
      {"huge init_size", [](Image& im) { im.put<u32>(0x260, 0xfffff000); }, "init_size"},
      {"cmdline_size", [](Image& im) { im.put<u32>(0x238, 3); }, "cmdline_size"},
  };
  for (const Case& c : cases) {
    Image im = make_bzimage(true);
    c.mutate(im);
    Guest g(24 << 20);
    const LinuxBootResult r = g.load(im, "four");
    EXPECT_FALSE(r.ok) << c.what;
    EXPECT_NE(std::string(r.error).find(c.want), std::string::npos) << c.what << ": " << r.error;
    EXPECT_EQ(std::string(r.error).find('\n'), std::string::npos) << c.what;
    EXPECT_TRUE(g.all_zero()) << c.what;
  }
}

TEST(LinuxBoot, E820WithHighRam) {
  E820Entry e[4];
  int n = build_e820(low_ram_bytes(16ull << 30), high_ram_bytes(16ull << 30), e);
  ASSERT_EQ(n, 4);
  EXPECT_EQ(e[2].addr + e[2].size, 0xc0000000ull);
  EXPECT_EQ(e[3].addr, 0x100000000ull);
  EXPECT_EQ(e[3].size, (16ull << 30) - 0xc0000000ull);
  EXPECT_EQ(e[3].type, kE820Ram);
  n = build_e820(512u << 20, 0, e);
  ASSERT_EQ(n, 3);
  EXPECT_EQ(e[2].size, (512u << 20) - 0x100000u);
}

// RAM above 4 GiB: the Bus maps physical 4 GiB + x to ram_hi + x, and the
// PCI hole between the low RAM's end and 4 GiB is not RAM.
TEST(LinuxBoot, HighRamMapping) {
  std::vector<u8> lo(1 << 20), hi(1 << 16);
  Bus b;
  b.ram = lo.data();
  b.ram_size = lo.size();
  b.ram_hi = hi.data();
  b.ram_hi_size = hi.size();
  EXPECT_EQ(b.ram_at(0x1000, 0x1000), lo.data() + 0x1000);
  EXPECT_EQ(b.ram_at(lo.size() - 8, 8), lo.data() + lo.size() - 8);
  EXPECT_EQ(b.ram_at(lo.size() - 4, 8), nullptr);
  EXPECT_EQ(b.ram_at(0xfffff000ull, 0x1000), nullptr);
  EXPECT_EQ(b.ram_at(0x100000000ull, 0x1000), hi.data());
  EXPECT_EQ(b.ram_at(0x10000f000ull, 0x1000), hi.data() + 0xf000);
  EXPECT_EQ(b.ram_at(0x100010000ull, 1), nullptr);
  // A 64-bit guest reads high RAM through an identity-mapped 1 GiB page... via
  // a 2 MiB page at 4 GiB: PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000.
  Cpu c;
  c.bus = &b;
  c.stop_on_exception = true;
  c.s.cr4 = 1u << 5;
  c.s.cr3 = 0x1000;
  c.s.cr0 = 0x80000011u;
  c.set_flat_mode(8, 0);
  std::memcpy(&lo[0x1000], "\x03\x20\0\0\0\0\0\0", 8);
  const u64 pdpte4 = 0x3003;
  std::memcpy(&lo[0x2000 + 4 * 8], &pdpte4, 8);
  const u64 pde = 0x100000083ull;
  std::memcpy(&lo[0x3000], &pde, 8);
  hi[0x10] = 0x77;
  // mov al, [0x100000010] (movabs al, moffs64); hlt
  const u8 code[] = {0xa0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0xf4};
  std::memcpy(&lo[0x8000], code, sizeof code);
  // Code runs from identity-mapped low memory: PDPTE 0 -> PD 0x4000.
  std::memcpy(&lo[0x2000], "\x03\x40\0\0\0\0\0\0", 8);
  const u64 pde0 = 0x83;
  std::memcpy(&lo[0x4000], &pde0, 8);
  c.s.rip = 0x8000;
  c.run(2);
  EXPECT_EQ(c.s.gpr[RAX] & 0xff, 0x77u);
}

}  // namespace
}  // namespace pc64
