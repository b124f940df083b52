// Linux boot protocol loading (see linux_boot.h). Section names below are
// those of Documentation/arch/x86/boot.rst ("THE REAL-MODE KERNEL HEADER",
// "Details of Header Fields", "LOADING THE REST OF THE KERNEL", "32-bit
// BOOT PROTOCOL", "64-bit BOOT PROTOCOL"); boot_params offsets are those
// of Documentation/arch/x86/zero-page.rst.
#include "machine/linux_boot.h"

#include "cpu/cpu.h"
#include "machine/e820.h"
#include "machine/msg.h"

namespace pc64 {
namespace {

// Setup header fields: offsets in the image's first sector = offsets in
// boot_params, since the header is copied to the same place.
enum : u32 {
  kSetupSects = 0x1f1, kSyssize = 0x1f4, kJump = 0x200, kHeader = 0x202, kVersion = 0x206,
  kTypeOfLoader = 0x210, kLoadflags = 0x211, kCode32Start = 0x214, kRamdiskImage = 0x218,
  kRamdiskSize = 0x21c, kHeapEndPtr = 0x224, kCmdLinePtr = 0x228, kInitrdAddrMax = 0x22c,
  kKernelAlignment = 0x230, kRelocatable = 0x234, kXloadflags = 0x236, kCmdlineSize = 0x238,
  kPrefAddress = 0x258, kInitSize = 0x260,
};
// boot_params fields outside the header (zero-page.rst).
enum : u32 {
  kAcpiRsdpAddr = 0x070, kExtRamdiskImage = 0x0c0, kExtRamdiskSize = 0x0c4, kExtCmdLinePtr = 0x0c8,
  kE820Entries = 0x1e8, kE820Table = 0x2d0,
};
constexpr u32 kHdrS = 0x53726448;  // "HdrS"
constexpr u16 kMinVersion = 0x020c;
constexpr u8 kLoadedHigh = 0x01, kCanUseHeap = 0x80;
constexpr u16 kXlfKernel64 = 0x01;
constexpr u64 kKernelLow = 0x100000;
constexpr u64 kPage = 0x1000;

u16 rd16(const u8* p) { return load_le<u16>(p); }
u32 rd32(const u8* p) { return load_le<u32>(p); }
u64 rd64(const u8* p) { return load_le<u64>(p); }

u64 str_len(const char* t) {
  u64 n = 0;
  while (t && t[n]) ++n;
  return n;
}

// What the checks decided; nothing is written until all of them pass.
struct Plan {
  u64 setup_bytes = 0, kernel_bytes = 0, header_end = 0;
  u64 kernel_file_bytes = 0;  // kernel_bytes, less the rounding the file lacks
  u64 load = 0, runtime_end = 0, entry = 0;
  u64 cmdline_len = 0, initrd = 0;
  u16 version = 0;
  bool entry64 = false;
};

bool plan(LinuxBootResult& r, u64 low, const u8* img, u64 size, const char* cmdline,
          u64 initrd_size, Plan* p) {
  Msg m(r.error, sizeof r.error);
  if (size < kHeader + 4 || rd32(img + kHeader) != kHdrS) {
    m.s("not a bzImage (no \"HdrS\" setup header signature at 0x202)");
    return false;
  }
  p->version = rd16(img + kVersion);
  if (p->version < kMinVersion) {
    m.s("kernel too old: boot protocol ").dec(p->version >> 8).s(".").dec(p->version & 0xff)
        .s(", pc64 needs 2.12 or later");
    return false;
  }
  // "THE REAL-MODE KERNEL HEADER": the header ends at 0x202 plus the byte
  // at 0x201 (the jump's displacement). 2.12 puts init_size at 0x260.
  p->header_end = kHeader + img[kJump + 1];
  if (p->header_end < kInitSize + 4) {
    m.s("setup header ends at ").hex(p->header_end).s(", before init_size (0x260) of protocol 2.10+");
    return false;
  }
  if (p->header_end > size) {
    m.s("truncated: the setup header ends at ").hex(p->header_end).s(" but the file has ").dec(size)
        .s(" bytes");
    return false;
  }
  if (!(img[kLoadflags] & kLoadedHigh)) {
    m.s("a zImage (loadflags LOADED_HIGH clear) is not supported; pc64 boots bzImages");
    return false;
  }
  // "setup_sects": 0 means 4; the protected-mode kernel follows the boot
  // sector and the setup sectors, and is syssize 16-byte paragraphs long.
  const u64 sects = img[kSetupSects] ? img[kSetupSects] : 4;
  p->setup_bytes = (sects + 1) * 512;
  p->kernel_bytes = (u64)rd32(img + kSyssize) * 16;
  if (p->kernel_bytes == 0) {
    m.s("no protected-mode kernel (syssize is 0)");
    return false;
  }
  // syssize counts 16-byte paragraphs, so an image whose length is not a
  // multiple of 16 ends up to 15 bytes short of setup + syssize*16
  // (memtest86+ 6.10 is 8 bytes short): that much is the rounding, and the
  // rest of the last paragraph loads as zeros. More is a truncated file.
  if (p->setup_bytes + p->kernel_bytes > size + 15) {
    m.s("truncated: setup (").dec(p->setup_bytes).s(" bytes) + syssize*16 (").dec(p->kernel_bytes)
        .s(" bytes) is more than the file's ").dec(size).s(" bytes");
    return false;
  }
  p->kernel_file_bytes = p->setup_bytes + p->kernel_bytes > size ? size - p->setup_bytes : p->kernel_bytes;
  p->entry64 = (rd16(img + kXloadflags) & kXlfKernel64) != 0;

  // Where the kernel goes ("Details of Header Fields": pref_address,
  // kernel_alignment, relocatable_kernel, init_size). A relocatable kernel
  // is loaded at pref_address when it fits, rounded up to kernel_alignment
  // if that is a power of two; otherwise at 0x100000, the address of
  // every bzImage ("LOADING THE REST OF THE KERNEL"). A relocatable kernel
  // then runs from max(load aligned up, its LOAD_PHYSICAL_ADDR =
  // pref_address) for init_size bytes, which must be RAM.
  const bool reloc = img[kRelocatable] != 0;
  const u64 align = rd32(img + kKernelAlignment);
  const u64 pref = rd64(img + kPrefAddress);
  const u64 init_size = rd32(img + kInitSize);
  const u64 need = init_size > p->kernel_bytes ? init_size : p->kernel_bytes;
  auto align_up = [&](u64 a) {
    if (!reloc || align == 0 || (align & (align - 1)) || align > (1ull << 31)) return a;
    return (a + align - 1) & ~(align - 1);
  };
  auto fits = [&](u64 at) { return at <= low && need <= low - at; };
  u64 load = kKernelLow;
  if (reloc && pref >= kKernelLow && pref < kLowRamMax && fits(align_up(pref))) load = align_up(pref);
  u64 run_at = load;
  if (reloc) {
    run_at = align_up(load);
    if (pref >= kKernelLow && pref < kLowRamMax && pref > run_at) run_at = pref;
  }
  if (!fits(load) || !fits(run_at)) {
    m.s("the kernel needs ").dec(need >> 10).s(" KiB (init_size) from ").hex(run_at)
        .s(", more than the ").dec(low >> 20).s(" MiB of guest RAM below 3 GiB (try a larger -m)");
    return false;
  }
  p->load = load;
  p->runtime_end = run_at + need;
  p->entry = p->entry64 ? load + 0x200 : load;

  // "cmdline_size": the longest command line, without its NUL.
  p->cmdline_len = str_len(cmdline);
  const u64 cmdline_max = rd32(img + kCmdlineSize);
  if (p->cmdline_len > cmdline_max) {
    m.s("the command line is ").dec(p->cmdline_len).s(" bytes, the kernel takes at most ")
        .dec(cmdline_max).s(" (cmdline_size)");
    return false;
  }
  if (kBootCmdline + p->cmdline_len + 1 > kEbdaBase) {
    m.s("the command line is ").dec(p->cmdline_len).s(" bytes, pc64 passes at most ")
        .dec(kEbdaBase - kBootCmdline - 1);
    return false;
  }

  // "initrd_addr_max": the initrd goes as high as it may, page-aligned,
  // below that address and the end of RAM, and above the kernel's
  // init_size area. (XLF_CAN_BE_LOADED_ABOVE_4G kernels could take it
  // above 4 GiB; pc64 keeps it below for every kernel.)
  if (initrd_size) {
    u64 top = (u64)rd32(img + kInitrdAddrMax) + 1;
    if (top == 1) top = 0x38000000;  // "If this field is 0, ... 0x37FFFFFF"
    if (top > low) top = low;
    const u64 bottom = (p->runtime_end + kPage - 1) & ~(kPage - 1);
    if (initrd_size > top || ((top - initrd_size) & ~(kPage - 1)) < bottom) {
      m.s("initrd too big: ").dec(initrd_size).s(" bytes do not fit between the kernel (ending at ")
          .hex(p->runtime_end).s(") and ").hex(top).s(" (initrd_addr_max and guest RAM; try a larger -m)");
      return false;
    }
    p->initrd = (top - initrd_size) & ~(kPage - 1);
  }
  return true;
}

void write_gdt_and_tables(u8* ram, bool entry64) {
  u8* gdt = ram + kBootGdt;
  __builtin_memset(gdt, 0, kPage);
  // __BOOT_CS = 0x10, __BOOT_DS = 0x18: flat 4 GiB, accessed, DPL 0.
  store_le<u64>(gdt + 0x10, entry64 ? 0x00af9b000000ffffull : 0x00cf9b000000ffffull);
  store_le<u64>(gdt + 0x18, 0x00cf93000000ffffull);
  // Identity map of 0..4 GiB with 2 MiB pages (SDM Vol. 3A §4.5, 4-level
  // paging): PML4 -> one PDPT -> four page directories. The kernel's own
  // page tables replace these before it touches memory outside them.
  u8* pt = ram + kBootPageTables;
  __builtin_memset(pt, 0, 6 * kPage);
  const u64 pml4 = kBootPageTables, pdpt = pml4 + kPage, pd = pdpt + kPage;
  store_le<u64>(pt, pdpt | 0x3);  // P | RW
  for (u64 i = 0; i < 4; ++i) {
    store_le<u64>(ram + pdpt + 8 * i, (pd + i * kPage) | 0x3);
    for (u64 j = 0; j < 512; ++j)
      store_le<u64>(ram + pd + i * kPage + 8 * j, ((i << 30) + (j << 21)) | 0x83);  // P | RW | PS
  }
}

}  // namespace

bool is_bzimage(const u8* image, u64 size) {
  return size >= kHeader + 4 && rd32(image + kHeader) == kHdrS;
}

LinuxBootResult load_linux(Cpu& cpu, u8* ram, u64 low, u64 high, const u8* img, u64 size,
                           const char* cmdline, const u8* initrd, u64 initrd_size,
                           u64 acpi_rsdp) {
  LinuxBootResult r;
  if (!initrd) initrd_size = 0;
  if (low > kLowRamMax) low = kLowRamMax;
  Plan p;
  if (!plan(r, low, img, size, cmdline, initrd_size, &p)) return r;
  r.version = p.version;

  // The kernel image.
  __builtin_memcpy(ram + p.load, img + p.setup_bytes, p.kernel_file_bytes);
  for (u64 i = p.kernel_file_bytes; i < p.kernel_bytes; ++i) ram[p.load + i] = 0;
  if (initrd_size) __builtin_memcpy(ram + p.initrd, initrd, initrd_size);
  // BIOS data area words read by the decompressor and the kernel to find
  // the EBDA and the top of conventional memory (IBM PC BIOS data area:
  // 0x40E EBDA segment, 0x413 base memory size in KiB).
  store_le<u16>(ram + 0x40e, (u16)(kEbdaBase >> 4));
  store_le<u16>(ram + 0x413, (u16)(kEbdaBase >> 10));
  // The command line (cmd_line_ptr, protocol 2.02+).
  if (p.cmdline_len) __builtin_memcpy(ram + kBootCmdline, cmdline, p.cmdline_len);
  ram[kBootCmdline + p.cmdline_len] = 0;

  // boot_params: zeroed, then the setup header from the image ("32-bit
  // BOOT PROTOCOL": "the boot loader ... load[s] the setup header ... from
  // the kernel image into struct boot_params"), then what the loader fills.
  u8* bp = ram + kBootParams;
  __builtin_memset(bp, 0, kPage);
  __builtin_memcpy(bp + kSetupSects, img + kSetupSects, p.header_end - kSetupSects);
  bp[kTypeOfLoader] = 0xff;  // "undefined" loader: no assigned ID
  bp[kLoadflags] = (u8)(bp[kLoadflags] | kCanUseHeap);
  store_le<u16>(bp + kHeapEndPtr, 0xfe00 - 0x200);  // meaningful for the real-mode setup only
  store_le<u32>(bp + kCode32Start, (u32)p.load);
  store_le<u32>(bp + kCmdLinePtr, (u32)kBootCmdline);
  store_le<u32>(bp + kExtCmdLinePtr, (u32)(kBootCmdline >> 32));
  store_le<u32>(bp + kRamdiskImage, (u32)p.initrd);
  store_le<u32>(bp + kRamdiskSize, (u32)initrd_size);
  store_le<u32>(bp + kExtRamdiskImage, (u32)(p.initrd >> 32));
  store_le<u32>(bp + kExtRamdiskSize, (u32)(initrd_size >> 32));
  store_le<u64>(bp + kAcpiRsdpAddr, acpi_rsdp);
  E820Entry map[4];
  const int n = build_e820(low, high, map);
  bp[kE820Entries] = (u8)n;
  for (int i = 0; i < n; ++i) {
    u8* e = bp + kE820Table + 20 * i;
    store_le<u64>(e, map[i].addr);
    store_le<u64>(e + 8, map[i].size);
    store_le<u32>(e + 16, map[i].type);
  }
  write_gdt_and_tables(ram, p.entry64);

  // Entry state ("32-bit BOOT PROTOCOL" / "64-bit BOOT PROTOCOL").
  for (int i = 0; i < 16; ++i) cpu.s.gpr[i] = 0;
  cpu.s.cr0 = 0x11;  // PE | ET
  cpu.s.cr4 = 0;
  cpu.s.efer = 0;
  if (p.entry64) {
    cpu.s.cr3 = kBootPageTables;
    cpu.s.cr4 = 1u << 5;             // PAE
    cpu.s.cr0 |= 0x80000000u;        // PG
    cpu.set_flat_mode(8, 0);         // EFER.LME | LMA, 64-bit CS
  } else {
    cpu.set_flat_mode(4, 0);
  }
  for (int i = 0; i < kNumSegs; ++i) cpu.s.seg[i].sel = 0x18;
  cpu.s.seg[CS].sel = 0x10;
  cpu.s.gdtr.base = kBootGdt;
  cpu.s.gdtr.limit = 0x1f;
  cpu.set_rflags(0x2);  // IF = 0
  cpu.s.gpr[RSI] = kBootParams;
  cpu.s.rip = p.entry;
  cpu.s.halted = 0;
  cpu.update_mode();
  cpu.flush_tlb();

  r.ok = true;
  r.entry64 = p.entry64;
  r.load_addr = p.load;
  r.entry = p.entry;
  r.initrd_addr = p.initrd;
  r.initrd_size = initrd_size;
  return r;
}

}  // namespace pc64
