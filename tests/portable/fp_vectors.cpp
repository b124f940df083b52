// Deterministic x87/SSE test vectors (fp_vectors.h). Each case draws one
// instruction (prefixes, opcode, ModRM with a register operand or [rbx],
// imm8), a random x87/MMX/SSE state full of special values (zeros,
// denormals, pseudo-denormals, unnormals, infinities, NaNs, rounding
// boundaries), random FCW/MXCSR (rounding, precision, DAZ/FTZ, unmasked
// exceptions now and then) and a memory operand of the same kind, runs it
// for one instruction at CPL 3 in 64-bit mode, and hashes the result: the
// GPRs, RIP, RFLAGS, the exception, the whole x87/SSE state and the memory
// the instruction can reach. Only pc64 code runs, so the digests compare
// the native build with the wasm64 one (the soft-float in cpu/fpu and the
// interpreter's handlers), not pc64 with a host CPU (pc64-difftest does that).
#include "fp_vectors.h"

#include "cpu/cpu.h"
#include "cpu/interp/x87_tag.h"
#include "cpu/system/control_regs.h"

namespace pc64::fpvec {
namespace {

constexpr u64 kRam = 0x10000, kCode = 0x1000, kData = 0x4000, kDataLen = 0x800, kStack = 0x8000;

struct Rng {
  u64 s;
  u64 next() {  // xorshift64*
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1Dull;
  }
  u32 below(u32 n) { return (u32)(next() % n); }
};

struct Hash {
  u64 h = 0xcbf29ce484222325ull;
  void bytes(const void* p, u64 n) {
    const u8* b = (const u8*)p;
    for (u64 i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3ull;
  }
  void u(u64 v) { bytes(&v, 8); }
};

u32 f32_special(Rng& r) {
  static const u32 k[] = {0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x7f800000,
                          0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001, 0x7fa00000, 0x3f800000, 0xbf800000,
                          0x3f000000, 0x4b000000, 0x3fffffff, 0x33800000, 0x4f000000, 0xcf000000, 0x5f000000};
  if (r.below(4) == 0) return (u32)r.next();
  if (r.below(4) == 0) return (r.below(2) << 31) | ((r.below(60) + 97) << 23) | (u32)(r.next() & 0x7fffff);
  return k[r.below(sizeof k / sizeof k[0])];
}

u64 f64_special(Rng& r) {
  static const u64 k[] = {0, 1ull << 63, 1, 0x800fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull,
                          0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
                          0xfff8000000000001ull, 0x7ff0000000000001ull, 0x3ff0000000000000ull,
                          0xbff0000000000000ull, 0x3fe0000000000000ull, 0x4330000000000000ull,
                          0x3ff0000000000001ull, 0x3ca0000000000000ull, 0x41e0000000000000ull,
                          0xc3e0000000000000ull, 0x47efffffe0000000ull, 0x36a0000000000000ull};
  if (r.below(4) == 0) return r.next();
  if (r.below(4) == 0) return ((u64)r.below(2) << 63) | ((u64)(r.below(200) + 923) << 52) | (r.next() >> 12);
  return k[r.below(sizeof k / sizeof k[0])];
}

u64 int_special(Rng& r) {
  static const u64 k[] = {0, 1, ~0ull, 0x7fffffff, 0x80000000, 0x7fffffffffffffffull, 1ull << 63, 0xffff, 0x8000,
                          0x7f, 0x80, 0xff};
  return r.below(2) ? r.next() : k[r.below(sizeof k / sizeof k[0])];
}

// 16 bytes of one lane kind: f32, f64 or integers.
void fill16(Rng& r, u8* p) {
  const u32 kind = r.below(3);
  for (int k = 0; k < 16;) {
    if (kind == 0) {
      const u32 v = f32_special(r);
      __builtin_memcpy(p + k, &v, 4);
      k += 4;
    } else {
      const u64 v = kind == 1 ? f64_special(r) : int_special(r);
      __builtin_memcpy(p + k, &v, 8);
      k += 8;
    }
  }
}

void x87_special(Rng& r, X87Reg* x) {
  static const u16 se[] = {0x0000, 0x8000, 0x7fff, 0xffff, 0x3fff, 0xbfff, 0x0001, 0x7ffe, 0x403e, 0x401d, 0x3ffe};
  static const u64 m[] = {0, 1ull << 63, 0xc000000000000000ull, 0xffffffffffffffffull, 1, 0x4000000000000000ull,
                          0x8000000000000001ull, 0xfffffffffffff800ull, 0x8000000000000400ull};
  x->se = r.below(3) == 0 ? (u16)((r.below(2) << 15) | (0x3f00 + r.below(0x200))) : se[r.below(sizeof se / 2)];
  x->mant = r.below(3) == 0 ? (r.next() | 1ull << 63) : m[r.below(sizeof m / 8)];
}

// Opcodes of the 0F map that are MMX/SSE instructions (SDM Vol. 2D
// Table A-3); 0F AE is LDMXCSR/STMXCSR/FXSAVE/FXRSTOR (reg 0..3, memory).
const u8 k0F[] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
                  0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
                  0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
                  0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x7c, 0x7d, 0x7e, 0x7f, 0xae, 0xc2, 0xc3, 0xc4,
                  0xc5, 0xc6, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
                  0xde, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed,
                  0xee, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
                  0xfe};

// The instruction bytes of one case; returns the length.
int encode(Rng& r, Kind kind, u8* code) {
  int n = 0;
  const bool mem = r.below(2) == 0;
  u8 reg = (u8)r.below(8);
  if (kind == kX87) {
    if (r.below(8) == 0) code[n++] = 0x66;  // 16-bit operand size: FLDENV/FSAVE image sizes
    code[n++] = (u8)(0xd8 + r.below(8));
  } else {
    static const u8 pf[] = {0, 0x66, 0xf2, 0xf3};
    const u8 p = pf[r.below(4)];
    if (p) code[n++] = p;
    if (r.below(2)) code[n++] = (u8)(0x40 | (r.below(16) & (mem ? 0xe : 0xf)));  // no REX.B on [rbx]
    code[n++] = 0x0f;
    if (kind == kMap0F) {
      code[n++] = k0F[r.below(sizeof k0F)];
      if (code[n - 1] == 0xae) {
        if (!mem) return 0;  // the register forms are fences and FS/GS base accesses
        reg &= 3;
      }
    } else {
      // The populated parts of the maps (SDM Vol. 2D Tables ):
      // 0F 38 00..41 and C8..F1 (SHA, AES, MOVBE/CRC32); 0F 3A 08..63 and
      // CC, DF (SHA1RNDS4, AESKEYGENASSIST).
      const bool map38 = kind == kMap0F38;
      code[n++] = map38 ? 0x38 : 0x3a;
      if (map38) code[n++] = (u8)(r.below(2) ? r.below(0x42) : 0xc8 + r.below(0x2a));
      else code[n++] = (u8)(r.below(8) == 0 ? (r.below(2) ? 0xcc : 0xdf) : 0x08 + r.below(0x5c));
    }
  }
  code[n++] = mem ? (u8)(reg << 3 | 3) : (u8)(0xc0 | reg << 3 | r.below(8));
  code[n++] = (u8)r.next();  // imm8 (or the next instruction's first byte, never run)
  return n;
}

}  // namespace

void run(u64 seed, u32 count, Stats* out) {
  static u8 ram[kRam];
  static Bus bus;
  static Cpu cpu;
  __builtin_memset(out, 0, sizeof *out);
  Hash all;
  Hash per[kKinds];
  Rng r{seed * 0x9E3779B97F4A7C15ull + 1};
  bus.ram = ram;
  bus.ram_size = sizeof ram;
  cpu.bus = &bus;
  for (u32 i = 0; i < count; ++i) {
    const Kind kind = (Kind)r.below(kKinds);
    u8 code[16];
    const int len = encode(r, kind, code);
    if (!len) continue;
    __builtin_memset(ram, 0, sizeof ram);
    __builtin_memset(ram + kCode, 0xcc, 0x100);
    __builtin_memcpy(ram + kCode, code, len);
    for (u64 a = kData; a < kData + kDataLen; a += 16) fill16(r, ram + a);

    cpu.s = CpuState{};
    cpu.features = ~0ull;
    cpu.stop_on_exception = true;
    cpu.s.cr0 = kCR0_MP | kCR0_NE | kCR0_ET;
    cpu.s.cr4 = kCR4_OSFXSR | kCR4_OSXMMEXCPT;
    cpu.set_flat_mode(8, 3);
    for (int g = 0; g < 16; ++g) cpu.s.gpr[g] = int_special(r);
    cpu.s.gpr[RBX] = kData + 16 * r.below(64) + (r.below(8) == 0 ? r.below(16) : 0);
    cpu.s.gpr[RSP] = kStack;
    cpu.s.rip = kCode;
    cpu.set_rflags(0x202 | (r.next() & 0x8d5));
    for (int x = 0; x < 16; ++x) {
      fill16(r, cpu.s.ymm[x].b);
      if (kind != kX87 && r.below(4) == 0) __builtin_memcpy(cpu.s.ymm[x].b, ram + kData + 16 * r.below(64), 16);
    }
    const u32 rc = r.below(4) << 13;
    cpu.s.mxcsr = 0x1f80 | rc | (r.below(4) == 0 ? 0x8040 & (u32)r.next() : 0) | (r.below(4) == 0 ? r.below(64) : 0);
    if (r.below(8) == 0) cpu.s.mxcsr &= ~(r.below(64) << 7);
    FpuState& f = cpu.s.fpu;
    for (int k = 0; k < 8; ++k) x87_special(r, &f.r[k]);
    static const u16 pc[] = {0x000, 0x200, 0x300};
    f.fcw = (u16)(0x1040 | (r.below(4) << 10) | pc[r.below(3)] | (r.below(8) == 0 ? r.below(64) : 0x3f));
    const int top = (int)r.below(8), depth = (int)r.below(9);
    f.fsw = (u16)(top << 11 | (r.next() & 0x4700));
    if (r.below(8) == 0) f.fsw |= 0x8080 | (u16)(1u << r.below(6));  // an exception pending: #MF
    f.ftw = 0xffff;
    for (int k = 0; k < depth; ++k) {
      const int p = (top + k) & 7;
      const u8 tag = x87_tag_of(f.r[p].se, f.r[p].mant);
      f.ftw = (u16)((f.ftw & ~(3u << (2 * p))) | ((u32)tag << (2 * p)));
    }
    cpu.faulted = false;
    cpu.update_mode();
    cpu.flush_tlb();
    const ExitReason why = cpu.run(1);

    Hash h;
    h.u(kind);
    h.bytes(code, len);
    h.u(why == ExitReason::Exception ? 0x100u + cpu.fault_vec : 0);
    h.u(cpu.fault_has_err ? cpu.fault_err : 0);
    h.bytes(cpu.s.gpr, sizeof cpu.s.gpr);
    h.u(cpu.s.rip);
    h.u(cpu.rflags());
    for (int k = 0; k < 8; ++k) {
      h.u(f.r[k].mant);
      h.u(f.r[k].se);
    }
    h.u(f.fcw);
    h.u(f.fsw);
    h.u(f.ftw);
    h.u(f.fop);
    h.u(f.fip);
    h.u(f.fdp);
    for (int x = 0; x < 16; ++x) h.bytes(cpu.s.ymm[x].b, 32);
    h.u(cpu.s.mxcsr);
    h.bytes(ram + kData, kDataLen + 0x200);
    all.u(h.h);
    per[kind].u(h.h);
    out->cases[kind]++;
    if (why != ExitReason::Exception) out->completed[kind]++;
    else if (cpu.fault_vec == kExUD) out->ud[kind]++;
    else out->faults[kind]++;
  }
  out->all = all.h;
  for (int k = 0; k < kKinds; ++k) out->digest[k] = per[k].h;
}

}  // namespace pc64::fpvec
