// The multiboot v1 loader and the IN/OUT protection checks, on the minimal
// machine.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kernel_run.h"
#include "machine/machine.h"
#include "machine/multiboot.h"

namespace pc64 {
namespace {

void put32(std::vector<u8>& v, size_t at, u32 x) { std::memcpy(&v[at], &x, 4); }
void put16(std::vector<u8>& v, size_t at, u16 x) { std::memcpy(&v[at], &x, 2); }

struct Ph {
  u32 off, paddr, filesz, memsz;
};

// An ELF32 image: headers, the multiboot header at 0x100 and `code` at 0x110.
std::vector<u8> make_elf(std::vector<Ph> phs, std::vector<u8> code, u32 entry = 0x100110) {
  std::vector<u8> img(0x200);
  const u8 ident[] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  std::memcpy(img.data(), ident, sizeof ident);
  put16(img, 16, 2);
  put16(img, 18, 3);
  put32(img, 20, 1);
  put32(img, 24, entry);
  put32(img, 28, 52);
  put16(img, 40, 52);
  put16(img, 42, 32);
  put16(img, 44, (u16)phs.size());
  for (size_t i = 0; i < phs.size(); ++i) {
    const size_t p = 52 + i * 32;
    put32(img, p, 1);
    put32(img, p + 4, phs[i].off);
    put32(img, p + 8, phs[i].paddr);
    put32(img, p + 12, phs[i].paddr);
    put32(img, p + 16, phs[i].filesz);
    put32(img, p + 20, phs[i].memsz);
  }
  put32(img, 0x100, 0x1BADB002);
  put32(img, 0x104, 0);
  put32(img, 0x108, (u32)-(0x1BADB002));
  std::memcpy(&img[0x110], code.data(), code.size());
  return img;
}

struct Rig {
  std::vector<u8> ram = std::vector<u8>(4 << 20);
  std::unique_ptr<Machine> m = std::make_unique<Machine>();
  std::string serial;
  Rig() {
    m->attach_ram(ram.data(), ram.size());
    m->com1.out.put = [](void* ctx, u8 b) { static_cast<std::string*>(ctx)->push_back((char)b); };
    m->com1.out.ctx = &serial;
  }
  MultibootResult load(const std::vector<u8>& img, const char* cmd = "k") {
    return load_multiboot(m->cpu, ram.data(), ram.size(), img.data(), img.size(), cmd);
  }
};

// mov dx, 0x3f8; mov al, 'A'; out dx, al; mov al, 5; out 0xf4, al; hlt
const std::vector<u8> kHello = {0x66, 0xba, 0xf8, 0x03, 0xb0, 0x41, 0xee, 0xb0, 0x05, 0xe6, 0xf4, 0xf4};

TEST(Multiboot, LoadsElfAndEntersProtectedMode) {
  Rig r;
  auto res = r.load(make_elf({{0, 0x100000, 0x200, 0x1000}}, kHello), "kernel a=1");
  ASSERT_TRUE(res.ok) << res.error;
  const CpuState& s = r.m->cpu.s;
  EXPECT_EQ(s.rip, 0x100110u);
  EXPECT_EQ(s.gpr[RAX], 0x2BADB002u);
  EXPECT_EQ(s.gpr[RBX], res.info);
  EXPECT_EQ(s.mode, (u8)CpuMode::Prot32);
  EXPECT_EQ(s.cpl, 0);
  EXPECT_EQ(s.cr0 & 0x80000001u, 1u);
  EXPECT_EQ(s.seg[CS].sel, 0x08);
  EXPECT_GE(res.info, 0x101000u);
  u32 flags, lower, upper, cmd;
  std::memcpy(&flags, &r.ram[res.info], 4);
  std::memcpy(&lower, &r.ram[res.info + 4], 4);
  std::memcpy(&upper, &r.ram[res.info + 8], 4);
  std::memcpy(&cmd, &r.ram[res.info + 16], 4);
  EXPECT_EQ(flags & 0x5, 0x5u);
  EXPECT_EQ(lower, 639u);
  EXPECT_EQ(upper, 3u * 1024);
  EXPECT_STREQ(reinterpret_cast<const char*>(&r.ram[cmd]), "kernel a=1");
  EXPECT_EQ(r.ram[0x100fff], 0);  // bss zeroed
  EXPECT_EQ(r.m->run(1000), MachineStop::DebugExit);
  EXPECT_EQ(r.serial, "A");
  EXPECT_EQ(r.m->exit_status(), 11);
}

TEST(Multiboot, RejectsBadImages) {
  struct Case {
    const char* what;
    std::vector<u8> img;
    const char* want;
  };
  std::vector<u8> no_header = make_elf({{0, 0x100000, 0x200, 0x200}}, kHello);
  put32(no_header, 0x100, 0);
  std::vector<u8> elf64 = make_elf({{0, 0x100000, 0x200, 0x200}}, kHello);
  elf64[4] = 2;
  const Case cases[] = {
      {"text", std::vector<u8>(100, 'x'), "not a multiboot image"},
      {"no header", no_header, "without a multiboot header"},
      {"elf64", elf64, "64-bit ELF"},
      {"outside", make_elf({{0, 0x3ff000, 0x200, 0x2000}}, kHello, 0x3ff110), "outside guest RAM"},
      {"overlap", make_elf({{0, 0x100000, 0x200, 0x200}, {0, 0x1001f0, 0x10, 0x10}}, kHello), "overlap"},
      {"truncated", make_elf({{0, 0x100000, 0x400, 0x400}}, kHello), "truncated"},
      {"entry", make_elf({{0, 0x100000, 0x200, 0x200}}, kHello, 0x200000), "entry point"},
  };
  for (const Case& c : cases) {
    Rig r;
    auto res = r.load(c.img);
    EXPECT_FALSE(res.ok) << c.what;
    EXPECT_NE(std::string(res.error).find(c.want), std::string::npos) << c.what << ": " << res.error;
    EXPECT_EQ(r.ram[0x100110], 0) << c.what << ": nothing loaded";
  }
}

u32 ram32(const std::vector<u8>& ram, u32 at) {
  u32 x;
  std::memcpy(&x, &ram[at], 4);
  return x;
}

// Modules go after the information block, each from a page boundary
// counted from the image's lowest byte (QEMU's layout), with their strings.
TEST(Multiboot, LoadsModules) {
  Rig r;
  const std::vector<u8> a(5000, 0xab), b;
  const MultibootModule mods[] = {{a.data(), a.size(), "a.bin x=1"}, {b.data(), 0, nullptr},
                                  {a.data(), 10, "a.bin"}};
  auto res = load_multiboot(r.m->cpu, r.ram.data(), r.ram.size(), make_elf({{0, 0x100000, 0x200, 0x1000}}, kHello).data(),
                            0x200, "k", mods, 3);
  ASSERT_TRUE(res.ok) << res.error;
  EXPECT_EQ(ram32(r.ram, res.info + 20), 3u);
  const u32 list = ram32(r.ram, res.info + 24);
  EXPECT_EQ(list, 0x101000u);
  const u32 want_start[] = {0x102000, 0x104000, 0x104000};
  const u32 want_len[] = {5000, 0, 10};
  const char* want_str[] = {"a.bin x=1", "", "a.bin"};
  for (int i = 0; i < 3; ++i) {
    const u32 start = ram32(r.ram, list + 16 * i), end = ram32(r.ram, list + 16 * i + 4);
    EXPECT_EQ(start, want_start[i]) << i;
    EXPECT_EQ(end - start, want_len[i]) << i;
    EXPECT_STREQ(reinterpret_cast<const char*>(&r.ram[ram32(r.ram, list + 16 * i + 8)]), want_str[i]);
    EXPECT_EQ(ram32(r.ram, list + 16 * i + 12), 0u);
  }
  EXPECT_EQ(r.ram[0x102000 + 4999], 0xab);
  EXPECT_EQ(r.ram[0x102000 + 5000], 0);
  EXPECT_LT(res.info, 0x102000u);
}

TEST(Multiboot, RefusesModulesThatDoNotFit) {
  Rig r;  // 4 MiB
  const std::vector<u8> big(5 << 19, 1);  // 2.5 MiB fits, 1 MiB more does not
  const MultibootModule mods[] = {{big.data(), big.size(), "big"}, {big.data(), 0x100000, "one more"}};
  const auto img = make_elf({{0, 0x100000, 0x200, 0x1000}}, kHello);
  auto res = load_multiboot(r.m->cpu, r.ram.data(), r.ram.size(), img.data(), img.size(), "k", mods, 2);
  EXPECT_FALSE(res.ok);
  EXPECT_NE(std::string(res.error).find("module 2"), std::string::npos) << res.error;
  EXPECT_EQ(r.ram[0x100110], 0) << "nothing loaded";
}

// A segment with p_filesz 0 reads nothing, so its p_offset may point
// anywhere (as in QEMU); a segment that does read must stay in the file.
TEST(Multiboot, BssOnlySegmentReadsNoFile) {
  Rig r;
  auto res = r.load(make_elf({{0, 0x100000, 0x200, 0x200}, {0x7fff0000, 0x200000, 0, 0x1000}}, kHello));
  ASSERT_TRUE(res.ok) << res.error;
  EXPECT_GE(res.info, 0x201000u);
  Rig r2;
  auto bad = r2.load(make_elf({{0, 0x100000, 0x200, 0x200}, {0x7fff0000, 0x200000, 1, 0x1000}}, kHello));
  EXPECT_FALSE(bad.ok);
}

// §3.1.1: the header must lie completely within the first 8192 bytes.
TEST(Multiboot, HeaderWithinFirst8KiB) {
  for (u32 at : {8180u, 8184u, 8192u}) {
    std::vector<u8> img = make_elf({{0, 0x100000, 0x2400, 0x2400}}, kHello);
    img.resize(0x2400);
    put32(img, 0x100, 0);
    put32(img, at, 0x1BADB002);
    put32(img, at + 4, 0);
    put32(img, at + 8, (u32)-(0x1BADB002));
    Rig r;
    auto res = r.load(img);
    EXPECT_EQ(res.ok, at == 8180u) << at << ": " << res.error;
  }
  // With the address fields the header is 32 bytes: at 8164 it ends at 8196.
  std::vector<u8> img = make_elf({{0, 0x100000, 0x2400, 0x2400}}, kHello);
  img.resize(0x2400);
  put32(img, 0x100, 0);
  put32(img, 8164, 0x1BADB002);
  put32(img, 8168, 0x10000);
  put32(img, 8172, (u32)-(0x1BADB002 + 0x10000));
  Rig r;
  auto res = r.load(img);
  EXPECT_FALSE(res.ok);
  EXPECT_NE(std::string(res.error).find("first 8 KiB"), std::string::npos) << res.error;
}

TEST(KernelRun, SplitsInitrdLikeQemu) {
  std::string err;
  auto m = split_modules("a.bin x=1 y,b.bin,c,,d.bin p,,q", &err);
  ASSERT_EQ(m.size(), 3u) << err;
  EXPECT_EQ(m[0].file, "a.bin");
  EXPECT_EQ(m[0].text, "a.bin x=1 y");
  EXPECT_EQ(m[1].file, "b.bin");
  EXPECT_EQ(m[1].text, "b.bin");
  EXPECT_EQ(m[2].file, "c,d.bin");
  EXPECT_EQ(m[2].text, "c,d.bin p,q");
  for (const char* bad : {"", ",a", "a,", "a,,,", " a", "a, b"}) {
    err.clear();
    EXPECT_TRUE(split_modules(bad, &err).empty()) << bad;
    EXPECT_NE(err, "") << bad;
  }
}

// IN/OUT at CPL 3 with IOPL 0: the TSS I/O permission bitmap decides
// (SDM Vol. 1 §19.5.2).
struct IoRig : Rig {
  IoRig() {
    m->cpu.set_flat_mode(4, 3);
    m->cpu.stop_on_exception = true;
    m->cpu.s.gpr[RSP] = 0x8000;
  }
  void tss(u16 iomap, u32 limit) {
    m->cpu.s.tr = Segment{0x20000, limit, 0x28, (u16)(kSegP | 0x0b)};
    put16v(0x20000 + 0x66, iomap);
  }
  void put16v(u32 at, u16 v) { std::memcpy(&ram[at], &v, 2); }
  ExitReason run(std::vector<u8> code) {
    std::memcpy(&ram[0x1000], code.data(), code.size());
    m->cpu.s.rip = 0x1000;
    return m->cpu.run(1);
  }
};

TEST(MachineIo, CplAboveIoplWithoutTssIsGp) {
  IoRig r;
  r.m->cpu.s.tr = Segment{};
  r.run({0xe6, 0xf4});  // out 0xf4, al
  EXPECT_EQ(r.m->cpu.exit, ExitReason::Exception);
  EXPECT_EQ(r.m->cpu.fault_vec, kExGP);
  EXPECT_FALSE(r.m->debug_exit.requested);
}

TEST(MachineIo, BitmapAllowsAndDenies) {
  IoRig r;
  r.tss(0x68, 0x68 + 0x3ff / 8 + 1);
  std::memset(&r.ram[0x20068], 0xff, 0x81);
  r.ram[0x20068 + 0x3ff / 8] &= (u8)~0x80;  // allow port 0x3ff only
  r.m->cpu.s.gpr[RDX] = 0x3ff;
  r.m->cpu.s.gpr[RAX] = 0x77;
  r.run({0xee});  // out dx, al
  EXPECT_NE(r.m->cpu.exit, ExitReason::Exception);
  EXPECT_EQ(r.m->io_in(0x3ff, 1), 0x77u);
  r.run({0x66, 0xef});  // out dx, ax: also needs port 0x400, past the TSS limit
  EXPECT_EQ(r.m->cpu.exit, ExitReason::Exception);
  EXPECT_EQ(r.m->cpu.fault_vec, kExGP);
  r.m->cpu.s.gpr[RDX] = 0x3fe;
  r.run({0xec});  // in al, dx: port 0x3fe denied
  EXPECT_EQ(r.m->cpu.fault_vec, kExGP);
  r.m->cpu.set_rflags(r.m->cpu.rflags() | kIOPL);  // IOPL 3: no bitmap check
  r.run({0xec});
  EXPECT_NE(r.m->cpu.exit, ExitReason::Exception);
}

TEST(MachineIo, RepOutsbAndInsb) {
  Rig r;
  r.m->cpu.set_flat_mode(4, 0);
  r.m->cpu.stop_on_exception = true;
  std::memcpy(&r.ram[0x3000], "abc", 3);
  r.m->cpu.s.gpr[RSI] = 0x3000;
  r.m->cpu.s.gpr[RCX] = 3;
  r.m->cpu.s.gpr[RDX] = 0x3f8;
  const u8 code[] = {0xf3, 0x6e, 0x66, 0xba, 0xff, 0x03, 0xf3, 0x6c};  // rep outsb; mov dx,0x3ff; rep insb
  std::memcpy(&r.ram[0x1000], code, sizeof code);
  r.m->cpu.s.rip = 0x1000;
  r.m->cpu.run(1);
  EXPECT_EQ(r.serial, "abc");
  EXPECT_EQ(r.m->cpu.s.gpr[RCX], 0u);
  r.m->io_out(0x3ff, 1, 0x5a);
  r.m->cpu.s.gpr[RDI] = 0x4000;
  r.m->cpu.s.gpr[RCX] = 2;
  r.m->cpu.run(2);
  EXPECT_EQ(r.ram[0x4000], 0x5a);
  EXPECT_EQ(r.ram[0x4001], 0x5a);
  EXPECT_EQ(r.m->cpu.s.gpr[RDI], 0x4002u);
}

}  // namespace
}  // namespace pc64
