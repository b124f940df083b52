// Multiboot v1 loading (see multiboot.h). References: Multiboot
// Specification 0.6.96 §3.1 (OS image format), §3.2 (machine state), §3.3
// (boot information format); System V ABI ELF32 (Elf32_Ehdr, Elf32_Phdr).
#include "machine/multiboot.h"

#include "cpu/cpu.h"
#include "machine/msg.h"

namespace pc64 {
namespace {

constexpr u32 kHeaderMagic = 0x1BADB002;
constexpr u32 kBootMagic = 0x2BADB002;
// §3.1.1: "The Multiboot header must be contained completely within the
// first 8192 bytes of the OS image, and must be longword (32-bit) aligned."
// The header is 12 bytes, 32 with the address fields (flag 16), 48 with
// the video fields (flag 2). QEMU 7.2 looks only at offsets below
// 8192 - 48 whatever the flags; the specification's bound is used here.
constexpr u32 kSearchBytes = 8192;
constexpr u32 kFlagAoutKludge = 1u << 16;
constexpr u32 kSupportedRequired = 0x7;  // bits 0-2 (page-align, mem info, video: best effort)
constexpr int kMaxSegments = 64;

struct LoadSeg {
  u64 file_off, filesz, paddr, memsz;
};

u32 rd32(const u8* p) { return load_le<u32>(p); }
u16 rd16(const u8* p) { return load_le<u16>(p); }

bool fail(MultibootResult& r, Msg& m) {
  (void)m;
  r.ok = false;
  return false;
}

// Checks the segments against the file, RAM and each other.
bool check_segments(MultibootResult& r, const LoadSeg* seg, int n, u64 file_size, u64 ram_size) {
  Msg m(r.error, sizeof r.error);
  for (int i = 0; i < n; ++i) {
    const LoadSeg& a = seg[i];
    // With p_filesz 0 nothing is read, wherever p_offset points (QEMU
    // accepts that too; linkers may leave it past the end for pure bss).
    if (a.filesz && (a.file_off + a.filesz > file_size || a.file_off + a.filesz < a.file_off))
      return fail(r, m.s("truncated image: segment ").dec(i).s(" needs file bytes up to ")
                         .hex(a.file_off + a.filesz).s(" but the file has ").hex(file_size));
    if (a.paddr + a.memsz > ram_size || a.paddr + a.memsz > 0x100000000ull)
      return fail(r, m.s("segment ").dec(i).s(" at ").hex(a.paddr).s("-").hex(a.paddr + a.memsz - 1)
                         .s(" is outside guest RAM (").hex(ram_size).s(" bytes; try a larger -m)"));
    for (int j = 0; j < i; ++j) {
      const LoadSeg& b = seg[j];
      if (a.paddr < b.paddr + b.memsz && b.paddr < a.paddr + a.memsz)
        return fail(r, m.s("segments ").dec(j).s(" (").hex(b.paddr).s("-").hex(b.paddr + b.memsz - 1)
                           .s(") and ").dec(i).s(" (").hex(a.paddr).s("-").hex(a.paddr + a.memsz - 1)
                           .s(") overlap"));
    }
  }
  return true;
}

// ELF32 program headers -> segments; the entry is translated from its
// virtual address to the physical one when the segment says they differ.
bool parse_elf(MultibootResult& r, const u8* img, u64 size, LoadSeg* seg, int* nseg, u32* entry) {
  Msg m(r.error, sizeof r.error);
  if (size < 52) return fail(r, m.s("truncated ELF header (").dec(size).s(" bytes)"));
  if (img[4] == 2)
    return fail(r, m.s("64-bit ELF: multiboot v1 needs an ELF32 image (or the a.out kludge)"));
  if (img[4] != 1 || img[5] != 1) return fail(r, m.s("not a little-endian ELF32 image"));
  if (rd16(img + 16) != 2) return fail(r, m.s("ELF type ").dec(rd16(img + 16)).s(" is not an executable (ET_EXEC)"));
  if (rd16(img + 18) != 3) return fail(r, m.s("ELF machine ").dec(rd16(img + 18)).s(" is not i386 (EM_386)"));
  const u32 phoff = rd32(img + 28);
  const u16 phentsize = rd16(img + 42), phnum = rd16(img + 44);
  if (phentsize < 32) return fail(r, m.s("bad ELF program header size ").dec(phentsize));
  if ((u64)phoff + (u64)phnum * phentsize > size)
    return fail(r, m.s("truncated image: program headers end past the file's ").dec(size).s(" bytes"));
  const u32 e_entry = rd32(img + 24);
  *nseg = 0;
  bool entry_found = false;
  for (u32 k = 0; k < phnum; ++k) {
    const u8* ph = img + phoff + (u64)k * phentsize;
    if (rd32(ph) != 1) continue;  // PT_LOAD only
    const u32 off = rd32(ph + 4), vaddr = rd32(ph + 8), paddr = rd32(ph + 12);
    const u32 filesz = rd32(ph + 16), memsz = rd32(ph + 20);
    if (filesz > memsz)
      return fail(r, m.s("ELF segment ").dec(k).s(" has p_filesz > p_memsz"));
    if (memsz == 0) continue;
    if (*nseg == kMaxSegments) return fail(r, m.s("more than ").dec(kMaxSegments).s(" loadable segments"));
    seg[(*nseg)++] = LoadSeg{off, filesz, paddr, memsz};
    if (!entry_found && e_entry >= vaddr && e_entry - vaddr < memsz) {
      *entry = paddr + (e_entry - vaddr);
      entry_found = true;
    }
  }
  if (*nseg == 0) return fail(r, m.s("ELF image has no loadable segment"));
  if (!entry_found) return fail(r, m.s("entry point ").hex(e_entry).s(" is outside every loadable segment"));
  return true;
}

// §3.1.3 address fields (flag 16): the image is loaded as a flat blob.
bool parse_aout(MultibootResult& r, const u8* hdr, u64 hdr_off, u64 size, LoadSeg* seg, int* nseg,
                u32* entry) {
  Msg m(r.error, sizeof r.error);
  if (hdr_off + 32 > size) return fail(r, m.s("truncated multiboot header"));
  const u32 header_addr = rd32(hdr + 12), load_addr = rd32(hdr + 16);
  const u32 load_end = rd32(hdr + 20), bss_end = rd32(hdr + 24);
  *entry = rd32(hdr + 28);
  if (load_addr > header_addr || header_addr - load_addr > hdr_off)
    return fail(r, m.s("multiboot a.out fields: load_addr ").hex(load_addr).s(" does not fit header_addr ")
                       .hex(header_addr));
  const u64 file_off = hdr_off - (header_addr - load_addr);
  const u64 filesz = load_end ? (u64)load_end - load_addr : size - file_off;
  if (load_end && load_end < load_addr) return fail(r, m.s("multiboot a.out fields: load_end_addr below load_addr"));
  const u64 end = bss_end ? (u64)bss_end : load_addr + filesz;
  if (end < load_addr + filesz) return fail(r, m.s("multiboot a.out fields: bss_end_addr below load_end_addr"));
  seg[0] = LoadSeg{file_off, filesz, load_addr, end - load_addr};
  *nseg = 1;
  if (*entry < load_addr || *entry >= end)
    return fail(r, m.s("entry point ").hex(*entry).s(" is outside the loaded image ").hex(load_addr).s("-").hex(end - 1));
  return true;
}

u64 str_len(const char* t) {
  u64 n = 0;
  while (t && t[n]) ++n;
  return n;
}

// Where everything after the kernel goes (see multiboot.h for the order).
constexpr u32 kInfoBytes = 128;  // the 88-byte §3.3 structure, then the GDT
constexpr u32 kGdtOffset = 96;
constexpr u32 kMmapEntries = 2;
constexpr char kLoaderName[] = "pc64";

struct Layout {
  u64 kernel_end = 0;
  u64 mods_list = 0;               // 16-byte §3.3 module entries
  u64 mod_string[kMultibootMaxModules] = {};
  u64 cmdline = 0, loader_name = 0;
  u64 info = 0, mmap = 0, info_end = 0;
  u64 mod_start[kMultibootMaxModules] = {};
};

// Plans the layout and checks that all of it fits in RAM (and below 4 GiB,
// since every §3.3 pointer is 32 bits) before anything is written.
bool plan_layout(MultibootResult& r, const LoadSeg* seg, int nseg, const char* cmdline,
                 const MultibootModule* mods, u32 n, u64 ram_size, Layout* l) {
  Msg m(r.error, sizeof r.error);
  const u64 limit = ram_size < 0x100000000ull ? ram_size : 0x100000000ull;
  u64 lo = ~0ull, end = 0;
  for (int i = 0; i < nseg; ++i) {
    if (seg[i].paddr < lo) lo = seg[i].paddr;
    if (seg[i].paddr + seg[i].memsz > end) end = seg[i].paddr + seg[i].memsz;
  }
  // Pages are counted from the lowest loaded byte, as QEMU does.
  auto page_up = [lo](u64 a) { return lo + ((a - lo + 0xfff) & ~0xfffull); };
  l->kernel_end = end;
  l->mods_list = page_up(end);
  u64 p = l->mods_list + 16ull * n;
  for (u32 i = 0; i < n; ++i) {
    l->mod_string[i] = p;
    p += str_len(mods[i].string) + 1;
  }
  l->cmdline = p;
  p += str_len(cmdline) + 1;
  l->loader_name = p;
  p += sizeof kLoaderName;
  l->info = (p + 7) & ~7ull;
  l->mmap = l->info + kInfoBytes;
  l->info_end = l->mmap + 24 * kMmapEntries;
  if (l->info_end > limit) {
    m.s("no room for the multiboot information after the image (it ends at ").hex(l->info_end)
        .s(", guest RAM is ").hex(ram_size).s(" bytes)");
    return false;
  }
  u64 at = page_up(l->info_end);
  for (u32 i = 0; i < n; ++i) {
    if (mods[i].size > limit || at > limit - mods[i].size) {
      m.s("module ").dec(i + 1).s(" (").dec(mods[i].size).s(" bytes at ").hex(at)
          .s(") does not fit in guest RAM (").hex(ram_size).s(" bytes; try a larger -m)");
      return false;
    }
    l->mod_start[i] = at;
    at = page_up(at + mods[i].size);
  }
  return true;
}

// §3.3 boot information: flags mem_* (bit 0), cmdline (2), mods (3), mmap
// (6) and boot_loader_name (9). Not boot_device (1): the image was not read
// from a BIOS disk, and §3.3 says the field must then be absent (QEMU
// claims 0x8000ffff regardless).
void write_info(u8* ram, u64 ram_size, const Layout& l, const char* cmdline,
                const MultibootModule* mods, u32 n) {
  __builtin_memset(ram + l.mods_list, 0, l.info_end - l.mods_list);
  for (u32 i = 0; i < n; ++i) {
    u8* e = ram + l.mods_list + 16ull * i;
    store_le<u32>(e + 0, (u32)l.mod_start[i]);
    store_le<u32>(e + 4, (u32)(l.mod_start[i] + mods[i].size));  // first byte after, as QEMU and GRUB
    store_le<u32>(e + 8, (u32)l.mod_string[i]);
    const u64 len = str_len(mods[i].string);
    if (len) __builtin_memcpy(ram + l.mod_string[i], mods[i].string, len);
  }
  const u64 cmd_len = str_len(cmdline);
  if (cmd_len) __builtin_memcpy(ram + l.cmdline, cmdline, cmd_len);
  __builtin_memcpy(ram + l.loader_name, kLoaderName, sizeof kLoaderName);

  u8* p = ram + l.info;
  store_le<u32>(p + 0, (1u << 0) | (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9));
  const u64 upper_end = ram_size < 0xffc00000ull ? ram_size : 0xffc00000ull;
  store_le<u32>(p + 4, ram_size >= 0xa0000 ? 639 : (u32)(ram_size / 1024));  // mem_lower, KiB
  store_le<u32>(p + 8, upper_end > 0x100000 ? (u32)((upper_end - 0x100000) / 1024) : 0);
  store_le<u32>(p + 16, (u32)l.cmdline);
  store_le<u32>(p + 20, n);  // mods_count
  store_le<u32>(p + 24, (u32)l.mods_list);
  store_le<u32>(p + 44, 24 * kMmapEntries);  // mmap_length
  store_le<u32>(p + 48, (u32)l.mmap);
  store_le<u32>(p + 64, (u32)l.loader_name);
  // §3.3 memory map entries: size (of the rest, 20), base, length, type 1 =
  // RAM: conventional memory below the EBDA, and everything from 1 MiB.
  u8* e = ram + l.mmap;
  store_le<u32>(e + 0, 20);
  store_le<u64>(e + 4, 0);
  store_le<u64>(e + 12, ram_size < 0x9fc00 ? ram_size : 0x9fc00);
  store_le<u32>(e + 20, 1);
  store_le<u32>(e + 24, 20);
  store_le<u64>(e + 28, 0x100000);
  store_le<u64>(e + 36, ram_size > 0x100000 ? ram_size - 0x100000 : 0);
  store_le<u32>(e + 44, 1);
  // A flat GDT (null, code 0x08, data 0x10) inside the information block,
  // as QEMU's loader provides: the spec leaves GDTR undefined, but guests
  // that reload a selector before their own LGDT still work.
  store_le<u64>(p + kGdtOffset + 8, 0x00cf9a000000ffffull);
  store_le<u64>(p + kGdtOffset + 16, 0x00cf92000000ffffull);
}

}  // namespace

MultibootResult load_multiboot(Cpu& cpu, u8* ram, u64 ram_size, const u8* img, u64 size,
                               const char* cmdline, const MultibootModule* mods, u32 num_mods) {
  MultibootResult r;
  Msg m(r.error, sizeof r.error);
  // §3.1.1: magic, flags and checksum summing to zero, 32-bit aligned.
  u64 hdr_off = ~0ull;
  for (u64 off = 0; off + 12 <= size && off + 12 <= kSearchBytes; off += 4) {
    if (rd32(img + off) == kHeaderMagic && (u32)(kHeaderMagic + rd32(img + off + 4) + rd32(img + off + 8)) == 0) {
      hdr_off = off;
      break;
    }
  }
  const bool elf = size >= 4 && img[0] == 0x7f && img[1] == 'E' && img[2] == 'L' && img[3] == 'F';
  if (hdr_off == ~0ull) {
    m.s(elf ? "ELF image without a multiboot header in its first 8 KiB: not a multiboot kernel"
            : "not a multiboot image (no multiboot header in the first 8 KiB)");
    return r;
  }
  const u32 flags = rd32(img + hdr_off + 4);
  const u64 hdr_len = (flags & 4) ? 48 : (flags & kFlagAoutKludge) ? 32 : 12;
  if (hdr_off + hdr_len > kSearchBytes) {
    m.s("the multiboot header at ").hex(hdr_off).s(" (").dec(hdr_len)
        .s(" bytes with its flags) does not fit in the first 8 KiB");
    return r;
  }
  if (flags & 0xffff & ~kSupportedRequired) {
    m.s("multiboot header requires unsupported features (flags ").hex(flags).s(")");
    return r;
  }
  LoadSeg seg[kMaxSegments];
  int nseg = 0;
  u32 entry = 0;
  if (flags & kFlagAoutKludge) {
    if (!parse_aout(r, img + hdr_off, hdr_off, size, seg, &nseg, &entry)) return r;
  } else if (!elf) {
    m.s("multiboot header without address fields (flag 16), and the image is not ELF");
    return r;
  } else if (!parse_elf(r, img, size, seg, &nseg, &entry)) {
    return r;
  }
  if (!check_segments(r, seg, nseg, size, ram_size)) return r;

  if (num_mods > kMultibootMaxModules) {
    m.s("more than ").dec(kMultibootMaxModules).s(" modules");
    return r;
  }
  Layout lay;
  if (!plan_layout(r, seg, nseg, cmdline, mods, num_mods, ram_size, &lay)) return r;
  for (int i = 0; i < nseg; ++i) {
    __builtin_memset(ram + seg[i].paddr, 0, seg[i].memsz);
    if (seg[i].filesz) __builtin_memcpy(ram + seg[i].paddr, img + seg[i].file_off, seg[i].filesz);
  }
  write_info(ram, ram_size, lay, cmdline, mods, num_mods);
  for (u32 i = 0; i < num_mods; ++i)
    if (mods[i].size) __builtin_memcpy(ram + lay.mod_start[i], mods[i].data, mods[i].size);

  // §3.2 machine state.
  cpu.set_flat_mode(4, 0);
  cpu.s.cr0 = 0x11;  // PE | ET; paging off, caches on
  for (int i = 0; i < kNumSegs; ++i) cpu.s.seg[i].sel = 0x10;
  cpu.s.seg[CS].sel = 0x08;
  cpu.s.gdtr.base = lay.info + kGdtOffset;
  cpu.s.gdtr.limit = 23;
  cpu.set_rflags(0x2);
  for (int i = 0; i < 16; ++i) cpu.s.gpr[i] = 0;
  cpu.s.gpr[RAX] = kBootMagic;
  cpu.s.gpr[RBX] = (u32)lay.info;
  cpu.s.rip = entry;
  cpu.s.halted = 0;
  cpu.update_mode();
  cpu.flush_tlb();
  r.ok = true;
  r.entry = entry;
  r.info = (u32)lay.info;
  r.kernel_end = (u32)lay.kernel_end;
  return r;
}

}  // namespace pc64
