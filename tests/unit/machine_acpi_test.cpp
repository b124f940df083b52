// The AML builder (PkgLength encodings decoded back), the ACPI tables'
// checksums and fields, and, when Debian's acpica-tools is installed,
// iasl's disassembly of every table without errors or warnings.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "machine/acpi.h"
#include "machine/aml.h"
#include "machine/machine.h"

namespace pc64 {
namespace {

TEST(Aml, PkgLengthEncodingsRoundTrip) {
  // Bodies around every encoding boundary: 1 byte up to 63 in all, 2 up
  // to 0xFFF, 3 up to 0xFFFFF, 4 beyond (ACPI 6.5 §20.2.4).
  std::vector<u8> buf(0x200000);
  for (u32 body : {0u, 1u, 61u, 62u, 63u, 64u, 0xffdu, 0xffeu, 0xfffu, 0x1000u, 0xffffcu, 0xffffdu,
                   0xffffeu, 0x100000u}) {
    Aml a(buf.data(), (u32)buf.size());
    const u32 m = a.scope("\\");  // ScopeOp, PkgLength, RootChar + NullName
    const u32 name_bytes = a.size() - 5;
    for (u32 i = 0; i < body; ++i) a.byte(0xa3);  // NoopOp
    a.close(m);
    ASSERT_TRUE(a.ok());
    u32 value = 0, n = 0;
    ASSERT_TRUE(Aml::decode_pkg_length(buf.data() + 1, a.size() - 1, &value, &n));
    const u32 total = body + name_bytes + n;
    const u32 want_n = total <= 0x3f ? 1 : total <= 0xfff ? 2 : total <= 0xfffff ? 3 : 4;
    EXPECT_EQ(n, want_n) << body;
    EXPECT_EQ(value, total) << body;
    EXPECT_EQ(a.size(), 1 + total) << body;  // the opcode byte plus the package
    EXPECT_EQ(buf[1 + n], '\\');
    if (body) EXPECT_EQ(buf[a.size() - 1], 0xa3);
  }
}

TEST(Aml, NestedPackagesAndBuffersDecodeBack) {
  u8 buf[4096];
  Aml a(buf, sizeof buf);
  const u32 dev = a.device("\\_SB.PCI0.ISA.COM1");
  a.name("_HID").eisa_id("PNP0501");
  a.name("X").integer(0x12345678abull);
  const u32 b = a.buffer();
  for (int i = 0; i < 100; ++i) a.byte((u8)i);
  a.close_buffer(b);
  a.close(dev);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(buf[0], 0x5b);
  ASSERT_EQ(buf[1], 0x82);
  u32 len = 0, n = 0;
  ASSERT_TRUE(Aml::decode_pkg_length(buf + 2, a.size() - 2, &len, &n));
  EXPECT_EQ(2 + len, a.size());
  const u8* p = buf + 2 + n;
  EXPECT_EQ(p[0], '\\');
  EXPECT_EQ(p[1], 0x2f);  // MultiNamePrefix, 4 segments
  EXPECT_EQ(p[2], 4);
  EXPECT_EQ(std::memcmp(p + 3, "_SB_PCI0ISA_COM1", 16), 0);
  p += 19;
  // Name (_HID, 0x0105D041): EISAID("PNP0501").
  const u8 hid[] = {0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01};
  EXPECT_EQ(std::memcmp(p, hid, sizeof hid), 0);
  p += sizeof hid;
  const u8 x[] = {0x08, 'X', '_', '_', '_', 0x0e, 0xab, 0x78, 0x56, 0x34, 0x12, 0, 0, 0};
  EXPECT_EQ(std::memcmp(p, x, sizeof x), 0);
  p += sizeof x;
  ASSERT_EQ(p[0], 0x11);  // BufferOp PkgLength BufferSize(ByteConst 100) bytes
  ASSERT_TRUE(Aml::decode_pkg_length(p + 1, 200, &len, &n));
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(len, 2u + 2u + 100u);
  EXPECT_EQ(p[1 + n], 0x0a);
  EXPECT_EQ(p[2 + n], 100);
  EXPECT_EQ(p[3 + n + 99], 99);
  EXPECT_EQ(Aml::eisa_id_value("PNP0A03"), 0x030ad041u);
}

TEST(Aml, OverflowIsReportedNotWritten) {
  u8 buf[16] = {};
  u8 guard = 0x77;
  Aml a(buf, 8);
  a.name("_HID").eisa_id("PNP0A03");
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(buf[8], 0);
  EXPECT_EQ(guard, 0x77);
  u8 t[4];
  ResTemplate r(t, sizeof t);
  r.io(0x60, 0x60, 1, 1);
  EXPECT_FALSE(r.ok());
  u32 v, n;
  const u8 bad[] = {0x70, 0, 0};  // bits 5:4 set in a multi-byte lead
  EXPECT_FALSE(Aml::decode_pkg_length(bad, 3, &v, &n));
  const u8 cut[] = {0xc0, 0};
  EXPECT_FALSE(Aml::decode_pkg_length(cut, 2, &v, &n));
}

struct Tables {
  std::vector<u8> area = std::vector<u8>(kAcpiSize);
  AcpiLayout l;
  u64 rsdp = 0;
  explicit Tables(const AcpiConfig& c = AcpiConfig{}) { rsdp = build_acpi_tables(area.data(), c, &l); }
  const u8* at(u64 pa) const { return area.data() + (pa - kAcpiBase); }
  u32 len(u64 pa) const { return load_le<u32>(at(pa) + 4); }
};

TEST(Acpi, ChecksumsAndPointers) {
  Tables t;
  ASSERT_EQ(t.rsdp, kAcpiBase);
  const u8* r = t.at(t.rsdp);
  EXPECT_EQ(std::memcmp(r, "RSD PTR ", 8), 0);
  EXPECT_EQ(acpi_sum(r, 20), 0);
  EXPECT_EQ(acpi_sum(r, 36), 0);
  EXPECT_EQ(r[15], 2);
  EXPECT_EQ(t.rsdp % 16, 0u);
  EXPECT_EQ(load_le<u32>(r + 16), t.l.rsdt);
  EXPECT_EQ(load_le<u64>(r + 24), t.l.xsdt);
  for (u64 pa : {t.l.rsdt, t.l.xsdt, t.l.fadt, t.l.madt, t.l.hpet, t.l.dsdt}) {
    EXPECT_EQ(acpi_sum(t.at(pa), t.len(pa)), 0) << std::string((const char*)t.at(pa), 4);
    EXPECT_GE(pa, kAcpiBase);
    EXPECT_LE(pa + t.len(pa), kAcpiBase + kAcpiSize);
  }
  EXPECT_EQ(t.l.facs % 64, 0u);
  EXPECT_EQ(std::memcmp(t.at(t.l.facs), "FACS", 4), 0);
  const u8* x = t.at(t.l.xsdt);
  ASSERT_EQ(t.len(t.l.xsdt), 36u + 24u);
  EXPECT_EQ(load_le<u64>(x + 36), t.l.fadt);
  EXPECT_EQ(load_le<u64>(x + 44), t.l.madt);
  EXPECT_EQ(load_le<u64>(x + 52), t.l.hpet);
  const u8* f = t.at(t.l.fadt);
  EXPECT_EQ(std::memcmp(f, "FACP", 4), 0);
  EXPECT_EQ(t.len(t.l.fadt), 268u);
  EXPECT_EQ(load_le<u32>(f + 36), t.l.facs);
  EXPECT_EQ(load_le<u64>(f + 140), t.l.dsdt);
}

TEST(Acpi, FadtDescribesThePiix4Block) {
  Tables t;
  const u8* f = t.at(t.l.fadt);
  EXPECT_EQ(load_le<u16>(f + 46), 9);        // SCI_INT
  EXPECT_EQ(load_le<u32>(f + 48), 0u);       // no SMI_CMD
  EXPECT_EQ(load_le<u32>(f + 56), 0x600u);   // PM1a_EVT_BLK
  EXPECT_EQ(load_le<u32>(f + 64), 0x604u);   // PM1a_CNT_BLK
  EXPECT_EQ(load_le<u32>(f + 76), 0x608u);   // PM_TMR_BLK
  EXPECT_EQ(load_le<u32>(f + 80), 0x60cu);   // GPE0_BLK
  EXPECT_EQ(f[116], 1);                      // RESET_REG: I/O
  EXPECT_EQ(load_le<u64>(f + 120), 0xcf9u);
  EXPECT_EQ(f[128], 6);
  const u32 flags = load_le<u32>(f + 112);
  EXPECT_NE(flags & (1u << 10), 0u);  // RESET_REG_SUP
  EXPECT_EQ(flags & (1u << 4), 0u);   // fixed-feature power button
  EXPECT_EQ(flags & (1u << 8), 0u);   // 24-bit timer
  AcpiConfig c;
  c.i8042 = c.rtc = true;
  Tables t2(c);
  EXPECT_EQ(load_le<u16>(t2.at(t2.l.fadt) + 109), 0x0007);
  EXPECT_EQ(load_le<u16>(f + 109), 0x0025);
}

TEST(Acpi, MadtHasTheApicsAndOverrides) {
  Tables t;
  const u8* m = t.at(t.l.madt);
  const u32 n = t.len(t.l.madt);
  EXPECT_EQ(load_le<u32>(m + 36), 0xfee00000u);
  int lapics = 0, ioapics = 0, isos = 0;
  bool irq0 = false, sci = false;
  for (u32 o = 44; o < n; o += m[o + 1]) {
    ASSERT_GE(m[o + 1], 2);
    if (m[o] == 0) ++lapics;
    if (m[o] == 1) {
      ++ioapics;
      EXPECT_EQ(load_le<u32>(m + o + 4), 0xfec00000u);
      EXPECT_EQ(load_le<u32>(m + o + 8), 0u);
    }
    if (m[o] == 2) {
      ++isos;
      if (m[o + 3] == 0) irq0 = load_le<u32>(m + o + 4) == 2;
      if (m[o + 3] == 9) sci = load_le<u32>(m + o + 4) == 9 && load_le<u16>(m + o + 8) == 0x0d;
    }
  }
  EXPECT_EQ(lapics, 1);
  EXPECT_EQ(ioapics, 1);
  EXPECT_EQ(isos, 2);
  EXPECT_TRUE(irq0);
  EXPECT_TRUE(sci);
}

TEST(Acpi, MachineInstallsTablesAndLinuxGetsTheRsdp) {
  std::vector<u8> ram(4 << 20);
  Machine m;
  m.attach_ram(ram.data(), ram.size());
  EXPECT_EQ(m.install_acpi_tables(), kAcpiBase);
  EXPECT_EQ(std::memcmp(ram.data() + kAcpiBase, "RSD PTR ", 8), 0);
  const u8* h = ram.data() + load_le<u32>(ram.data() + kAcpiBase + 16);
  const u8* hpet = ram.data() + load_le<u32>(h + 44);
  EXPECT_EQ(std::memcmp(hpet, "HPET", 4), 0);
  EXPECT_EQ(load_le<u32>(hpet + 36), (u32)m.hpet.mmio_read(0, 4));
  std::vector<u8> small(512 << 10);
  Machine m2;
  m2.attach_ram(small.data(), small.size());
  EXPECT_EQ(m2.install_acpi_tables(), 0u);
}

// iasl (Debian acpica-tools) disassembles each table; any error or warning
// fails the test. Skipped when iasl is not installed.
TEST(Acpi, IaslDisassemblesEveryTableCleanly) {
  if (std::system("iasl -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "iasl not installed";
  AcpiConfig c;
  c.i8042 = c.rtc = true;
  Tables t(c);
  char dir[] = "/tmp/pc64-acpi-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::pair<const char*, u64> tabs[] = {{"dsdt", t.l.dsdt}, {"facp", t.l.fadt},
                                              {"apic", t.l.madt}, {"hpet", t.l.hpet},
                                              {"rsdt", t.l.rsdt}, {"xsdt", t.l.xsdt}};
  for (auto& [name, pa] : tabs) {
    const std::string path = std::string(dir) + "/" + name + ".dat";
    std::ofstream(path, std::ios::binary).write((const char*)t.at(pa), t.len(pa));
    const std::string cmd = "cd " + std::string(dir) + " && iasl -d " + name + ".dat > " + name +
                            ".log 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << name;
    std::ifstream log(std::string(dir) + "/" + name + ".log");
    std::stringstream ss;
    ss << log.rdbuf();
    std::ifstream dsl(std::string(dir) + "/" + name + ".dsl");
    std::stringstream ds;
    ds << dsl.rdbuf();
    for (const char* bad : {"Error", "Warning", "Invalid", "mismatch"}) {
      EXPECT_EQ(ss.str().find(bad), std::string::npos) << name << ": " << ss.str();
      EXPECT_EQ(ds.str().find(bad), std::string::npos) << name;
    }
    if (std::string(name) == "dsdt") {
      for (const char* want : {"Device (PCI0)", "PNP0A03", "Name (_PRT, Package (0x80)", "PNP0501",
                               "PNP0B00", "PNP0303", "PNP0103", "ACPI0007", "Name (\\_S5"})
        EXPECT_NE(ds.str().find(want), std::string::npos) << want;
      // Recompiling the disassembly must succeed too.
      const std::string cc = "cd " + std::string(dir) + " && iasl dsdt.dsl > cc.log 2>&1";
      EXPECT_EQ(std::system(cc.c_str()), 0);
    }
  }
  std::system(("rm -rf " + std::string(dir)).c_str());
}

}  // namespace
}  // namespace pc64
