// Case generation: a random encoding of the row (testgen), random register
// and flag inputs, then the pointer registers fixed up so every memory access
// lands in the data area: the memory operand's base (or index) register is
// solved for a chosen target, string registers, the stack pointer and the
// targets of indirect branches are placed in the data area or the code page.
// A few cases aim deliberately at the guard zones (#PF) or at non-canonical
// addresses (#GP/#SS) so faults are compared too. Whatever the case, no
// access may reach memory the native runner owns: such cases are redrawn.
//
// In 16-bit mode (--mode 16) every segment has limit 0xFFFF and its base on
// the data area (DS ES FS GS SS) or the code page (CS), with guard zones
// beyond both, so any access is either inside them or a limit fault (#GP,
// #SS) that touches nothing. The same placement code then produces offsets:
// targets are linear addresses minus the segment base, and IP is an offset
// from kCodeAddr (code_base()).
#include <string.h>

#include "difftest.h"

namespace pc64::difftest {
namespace {

using testgen::random_value;
using testgen::Rng;

bool is_name(const Row& r, const char* n) { return strcmp(r.name, n) == 0; }

bool canonical(u64 a) { return (u64)((i64)(a << 16) >> 16) == a; }

// Every byte of [lin, lin + size) is in the data area, a reserved guard zone
// or page 0, or the access is non-canonical (64-bit): nothing the native
// runner owns can be touched.
bool access_safe(const Env& env, u64 lin, u64 size) {
  if (env.bits == 16) return true;  // limit 0xFFFF: see the file comment
  if (size == 0) size = 1;
  if (env.bits == 64 && (!canonical(lin) || !canonical(lin + size - 1))) return true;
  if (env.bits == 32) lin &= 0xffffffffull;
  const u64 end = lin + size;
  u64 a = lin;
  while (a < end) {
    u64 next = 0;
    if (a < 0x1000) next = 0x1000;
    if (a >= kDataAddr && a < kDataAddr + kDataSize) next = kDataAddr + kDataSize;
    for (int i = 0; i < kNumGuardZones; ++i)
      if ((env.hello.zones_ok >> i & 1) && a >= kGuardZones[i].lo && a < kGuardZones[i].hi)
        next = kGuardZones[i].hi;
    if (!next) return false;
    a = next;
  }
  return true;
}

// A branch target that is safe natively: INT3s in the code page, mostly.
u64 safe_target(const Env& env, Rng& rng) {
  if (env.bits == 16) {  // an offset in the 16-bit code segment
    switch (rng.below(10)) {
      case 0: return kCodeSize + rng.below(0x10000 - kCodeSize);  // guard zone: #PF
      case 1: return 0x10000 + rng.below(0x10000);                // beyond the limit: #GP (32-bit operand)
      default: {
        const u64 t = rng.below(kCodeSize);
        return t >= kCodeOffset && t < kCodeOffset + 16 ? t + 16 : t;
      }
    }
  }
  switch (rng.below(10)) {
    case 0: return env.bits == 64 ? 0x8000000000000000ull | rng.next() >> 8 : 0x1000 + rng.below(0xf000);
    case 1: return kCodeAddr + kCodeSize + rng.below(0x1000);
    default: {
      // Not inside the instruction's own bytes: re-entering them would run a
      // partial instruction with registers nobody validated.
      const u64 t = kCodeAddr + rng.below(kCodeSize);
      return t >= kCodeAddr + kCodeOffset && t < kCodeAddr + kCodeOffset + 16 ? t + 16 : t;
    }
  }
}

u64 data_target(Rng& rng, u32 size) {
  const u32 span = kDataSize - 0x200 - size;
  return kDataAddr + 0x100 + rng.below(span);
}

// A memory target that faults: guard zones, straddling the end of the data
// area, or non-canonical.
u64 fault_target(const Env& env, Rng& rng, u32 size) {
  switch (rng.below(env.bits == 64 ? 4 : 3)) {
    case 0: return kDataAddr + kDataSize + rng.below(0x100);
    case 1: return kDataAddr + kDataSize - 1 - rng.below(size > 1 ? size - 1 : 1);
    case 2: return kDataAddr - 0x100 + rng.below(0x80);
    default: return 0x0000800000000000ull + rng.below(0x1000) * 0x1000 + rng.below(64);
  }
}

// Size of the memory access of the ModRM/moffs operand (16 if unknown).
u32 mem_access_size(const Insn& in) {
  u32 size = 0;
  for (int i = 0; i < in.nops; ++i) {
    const OpKind k = in.row->ops.op[i].kind;
    if (in.op[i].type == OpType::Mem && k != OpKind::X && k != OpKind::Y && in.op[i].size > size)
      size = in.op[i].size;
  }
  return size ? size : 16;
}

bool has_modrm_mem(const Insn& in) {
  for (int i = 0; i < in.nops; ++i) {
    const OpKind k = in.row->ops.op[i].kind;
    if (in.op[i].type == OpType::Mem && k != OpKind::X && k != OpKind::Y) return true;
  }
  return false;
}

// Inverse of an odd number modulo 2^64 (Newton's iteration).
u64 inverse_odd(u64 f) {
  u64 x = f;
  for (int i = 0; i < 6; ++i) x *= 2 - f * x;
  return x;
}

void set_low(u64* reg, u64 v, u64 mask) { *reg = (*reg & ~mask) | (v & mask); }

// Effective address of the memory operand with the case's registers.
u64 effective(const Insn& in, const u64* gpr, u64 next_rip) {
  u64 a = (u64)in.disp;
  if (in.base != kNoReg) a += gpr[in.base];
  if (in.index != kNoReg) a += gpr[in.index] << in.scale;
  if (in.riprel) a += next_rip;
  return a & width_mask(in.asize);
}

// Solves the base (or index) register so the operand reaches `target`.
void solve_memory(const Env& env, const Insn& in, u64 target, u64* gpr) {
  const u64 amask = width_mask(in.asize);
  const u64 seg_base = env.hello.seg_base[in.seg];
  u64 want = (target - seg_base) & amask;
  const u64 f = 1ull << in.scale;
  if (in.base != kNoReg && in.base == in.index) {
    const u64 mult = 1 + f;  // base + base * 2^scale
    u64 rhs = (want - (u64)in.disp) & amask;
    if (mult % 2 == 0) rhs &= ~1ull;  // base*2: only even sums are reachable
    const u64 v = mult % 2 ? rhs * inverse_odd(mult) : rhs / 2;
    set_low(&gpr[in.base], v, amask);
  } else if (in.base != kNoReg) {
    const u64 idx = in.index != kNoReg ? gpr[in.index] << in.scale : 0;
    set_low(&gpr[in.base], want - (u64)in.disp - idx, amask);
  } else if (in.index != kNoReg) {
    const u64 rhs = (want - (u64)in.disp) & amask & ~(f - 1);
    set_low(&gpr[in.index], rhs >> in.scale, amask >> in.scale);
  }
}

void add_patch(Case* c, u64 lin, u64 value, u32 size) {
  if (lin < kDataAddr || lin + size > kDataAddr + kDataSize || size > 8) return;
  for (Patch& p : c->patch) {
    if (p.len) continue;
    p.off = (u16)(lin - kDataAddr);
    p.len = (u8)size;
    for (u32 k = 0; k < size; ++k) p.bytes[k] = (u8)(k < 8 ? value >> (8 * k) : 0);
    return;
  }
}

void add_patch_bytes(Case* c, u64 lin, const u8* bytes, u32 size) {
  if (lin < kDataAddr || lin + size > kDataAddr + kDataSize || size > sizeof(Patch::bytes)) return;
  for (Patch& p : c->patch) {
    if (p.len) continue;
    p.off = (u16)(lin - kDataAddr);
    p.len = (u8)size;
    memcpy(p.bytes, bytes, size);
    return;
  }
}

bool is_branch_indirect(const Row& r) {
  if (!(r.attr & BRANCH)) return false;
  for (int i = 0; i < r.ops.count; ++i)
    if (r.ops.op[i].kind == OpKind::J) return false;
  return true;
}

// String operands (X = DS:rSI overridable, Y = ES:rDI), LEAVE/ENTER's rBP,
// XLAT's rBX and loop counts. False: the case is unsafe, redraw.
bool fix_implicit_pointers(const Env& env, const Row& row, const Insn& in, Rng& rng, Case* c) {
  const u64 amask = width_mask(in.asize);
  bool str = false;
  int outside = 0, operands = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < row.ops.count; ++i) {
      const OpKind k = row.ops.op[i].kind;
      if (k != OpKind::X && k != OpKind::Y) continue;
      str = true;
      const u64 sb = k == OpKind::X ? env.hello.seg_base[in.seg] : env.hello.seg_base[ES];
      u64* reg = &c->gpr[k == OpKind::X ? RSI : RDI];
      if (pass == 0) {
        set_low(reg, kDataAddr + 0x4000 + rng.below(0x8000) - sb, amask);
        continue;
      }
      const u64 lin = sb + (*reg & amask);
      if (!access_safe(env, lin - 0x100, 0x200)) return false;
      ++operands;
      if (lin - 0x100 < kDataAddr || lin + 0x100 > kDataAddr + kDataSize) ++outside;
    }
  }
  // CMPS and MOVS with both pointers outside the data area: which of the
  // two faults is reported depends on the order the CPU accesses them, which
  // the SDM does not define (Intel parts fault on DS:rSI first, AMD Zen on
  // ES:rDI). Keep cases where at most one of them can fault.
  if (operands == 2 && outside == 2) return false;
  if (str && in.rep) set_low(&c->gpr[RCX], rng.below(12), amask);
  if (is_name(row, "LEAVE") || is_name(row, "ENTER"))
    set_low(&c->gpr[RBP], kDataAddr + 0x2000 + rng.below(0xc000) - env.hello.seg_base[SS],
            env.bits == 16 ? 0xffff : ~0ull);
  if (is_name(row, "XLAT")) {  // DS:[rBX + AL] (segment overridable)
    const u64 sb = env.hello.seg_base[in.seg];
    set_low(&c->gpr[RBX], kDataAddr + 0x4000 + rng.below(0x8000) - sb, amask);
    if (!access_safe(env, sb + ((c->gpr[RBX] + (c->gpr[RAX] & 0xff)) & amask), 1)) return false;
  }
  // MASKMOVQ/MASKMOVDQU store to DS:rDI, which no operand names.
  if (is_name(row, "MASKMOVQ") || is_name(row, "MASKMOVDQU") || is_name(row, "VMASKMOVDQU")) {
    const u64 sb = env.hello.seg_base[in.seg];
    set_low(&c->gpr[RDI], kDataAddr + 0x4000 + rng.below(0x8000) - sb, amask);
    if (!access_safe(env, sb + (c->gpr[RDI] & amask), 16)) return false;
  }
  // LOOPcc / JrCXZ: a count the host finishes at once, or one neither side
  // can finish (both report a loop).
  if (strncmp(row.name, "LOOP", 4) == 0 || strstr(row.name, "CXZ"))
    set_low(&c->gpr[RCX], rng.below(8) == 0 && in.asize > 2 ? ~0ull : rng.below(64), amask);
  return true;
}

// BT/BTS/BTR/BTC Ev,Gv address memory at ea + (signed bit offset / 8)
// (SDM Vol. 2A "BT": bit-string addressing).
bool is_bit_string(const Row& row) {
  return row.ops.count == 2 && row.ops.op[1].kind == OpKind::G &&
         (is_name(row, "BT") || is_name(row, "BTS") || is_name(row, "BTR") || is_name(row, "BTC"));
}

// The state image a loading row reads (protocol.h kImg*), by mnemonic; the
// operand size picks the 14/94- or 28/108-byte x87 formats (SDM Vol. 2A
// "FLDENV", "FRSTOR").
u8 image_kind(const Row& row, const Insn& in) {
  const bool o16 = in.opsize == 2;
  if (is_name(row, "FLDENV")) return o16 ? kImgEnv16 : kImgEnv32;
  if (is_name(row, "FRSTOR")) return o16 ? kImgSave16 : kImgSave32;
  if (strncmp(row.name, "FXRSTOR", 7) == 0) return kImgFxsave;
  if (strncmp(row.name, "XRSTOR", 6) == 0) return kImgXsave;
  return kImgNone;
}

// The image's control fields: mostly valid (MXCSR within MXCSR_MASK, the
// XSAVE header's XSTATE_BV within XCR0, XCOMP_BV 0), one in sixteen not
// (#GP(0) natively: SDM Vol. 2A "FXRSTOR", Vol. 2C "XRSTOR").
void fill_image(const Env& env, const Insn& in, Rng& rng, u64 lin, u8 kind, Case* c) {
  ImageSpec& m = c->img;
  m.off = (u16)(lin - kDataAddr);
  m.kind = kind;
  m.rot = (u8)rng.below(8);
  m.ymm_off = (u16)env.hello.ymm_off;
  FpState t;
  random_fp_state(env, in, rng, &t);
  m.fcw = t.fcw;
  m.fsw = t.fsw;
  m.mxcsr = t.mxcsr;
  // A reserved bit, never bit 17: AMD hosts accept it (MXCSR_MASK 0002FFFFh,
  // SDM Vol. 1 §11.6.6), Intel and pc64 (0000FFFFh) raise #GP(0).
  if (rng.below(16) == 0) {
    const u32 bit = 16 + rng.below(15);
    m.mxcsr |= 1u << (bit >= 17 ? bit + 1 : bit);
  }
  if (kind == kImgFxsave || kind == kImgXsave) {
    m.ftw = (u16)rng.below(256);  // abridged
  } else {
    // Full tag word: mostly as FSTENV would write it for these contents,
    // sometimes arbitrary (only "empty" matters when it is loaded).
    u8 regs[8][10];
    for (int i = 0; i < 8; ++i) memcpy(regs[i], c->fp.st[(i + m.rot) & 7], 10);
    m.ftw = rng.below(4) ? x87_full_tag((u8)rng.next(), regs) : (u16)rng.next();
  }
  m.ip = (u32)rng.next();
  m.dp = (u32)rng.next();
  m.xstate_bv = env.hello.xcr0 & rng.next();
  m.xcomp_bv = 0;
  if (rng.below(16) == 0) {
    if (rng.below(2)) m.xstate_bv |= 1ull << (3 + rng.below(61));
    else m.xcomp_bv = 1ull << 63 | (rng.next() & env.hello.xcr0);
  }
}

// Places the ModRM / moffs memory operand; returns its linear address in
// *lin (0 if none). False: unsafe, redraw.
bool fix_memory_operand(const Env& env, const Row& row, const Insn& in, Rng& rng, Case* c, u64* lin) {
  *lin = 0;
  const bool bit_string = is_bit_string(row);
  if (bit_string) c->gpr[in.op[1].reg] = (u64)((i64)rng.below(1024) - 512);  // small bit offset
  if (!has_modrm_mem(in)) return true;
  const u8 ik = image_kind(row, in);
  const u32 size = ik ? fp_image_size(ik, (u16)env.hello.ymm_off) : mem_access_size(in);
  const bool fault = rng.below(25) == 0;
  u64 target = fault ? fault_target(env, rng, size) : data_target(rng, size);
  // FXRSTOR needs a 16-byte aligned image, XRSTOR a 64-byte aligned one:
  // mostly give it that, else #GP(0).
  const u64 align = ik == kImgFxsave ? 16 : ik == kImgXsave ? 64 : 1;
  if (!fault && rng.below(8)) target &= ~(align - 1);
  solve_memory(env, in, target, c->gpr);
  const u64 off = effective(in, c->gpr, kCodeAddr + kCodeOffset + in.len);
  // An x87 operand that runs past offset FFFFh with 16-bit addressing: AMD
  // Zen splits it into parts whose offsets wrap (no #GP), which the SDM does
  // not describe; pc64 checks the whole operand against the limit (SDM Vol.
  // 3A §5.3). Vendor-specific either way: redraw.
  if (in.asize == 2 && row_fp_class(row) == FpClass::X87 && (off & 0xffff) + size > 0x10000) return false;
  u64 a = env.hello.seg_base[in.seg] + off;
  if (env.bits != 64) a &= 0xffffffffull;
  if (!access_safe(env, a, size)) return false;
  // The SHA instructions are exception type 4 in the SDM (16-byte operands
  // must be aligned), but AMD Zen runs them at any address: the outcome of a
  // misaligned one is vendor-specific, so such a case is redrawn. pc64
  // follows the SDM (crypto.def).
  if (row.feature == Feature::SHA && (a & 15)) return false;
  // x87/FXSAVE state images that cross a page boundary into a faulting page:
  // the SDM does not say in which order the image's bytes are accessed, and
  // the host's CR2 is not consistent (the image's last byte for some, the
  // first byte of the second page for others, seen with pc64-difftest on
  // FNSTENV). Such images are kept within one page: redraw.
  const bool x87_image = ik || is_name(row, "FNSTENV") || is_name(row, "FNSAVE") ||
                         strncmp(row.name, "FXSAVE", 6) == 0;
  const u32 img_size = ik ? size : is_name(row, "FNSTENV") ? 28 : is_name(row, "FNSAVE") ? 108 : 512;
  const bool in_data = a >= kDataAddr && a + img_size <= kDataAddr + kDataSize;
  if (x87_image && ((a & 0xfff) + img_size > 0x1000) && !in_data) return false;
  if (bit_string) {
    const i64 off = sign_extend(c->gpr[in.op[1].reg] & width_mask(in.opsize), in.opsize);
    if (!access_safe(env, a + (u64)((off >> 3) & ~(i64)(in.opsize - 1)), size)) return false;
  }
  int mem_op = -1;
  for (int i = 0; i < in.nops; ++i)
    if (in.op[i].type == OpType::Mem) mem_op = i;
  if (ik) {
    if (a >= kDataAddr && a + size <= kDataAddr + kDataSize) fill_image(env, in, rng, a, ik, c);
  } else if (row_fp_class(row) != FpClass::None && mem_op >= 0 && size <= sizeof(Patch::bytes)) {
    // An FP/SIMD memory operand gets the same special values as registers.
    if (a >= kDataAddr && a + size <= kDataAddr + kDataSize) {
      u8 bytes[sizeof(Patch::bytes)];
      random_fp_memory(in, mem_op, rng, bytes, size);
      // MXCSR bit 17 is AMD's MM (misaligned SSE mode, AMD APM Vol. 4): the
      // host's VLDMXCSR takes it, pc64 has Intel's reserved bit (#GP(0),
      // SDM Vol. 2C "VLDMXCSR"). Vendor-specific: redraw.
      if (is_name(row, "VLDMXCSR") && (load_le<u32>(bytes) & 0xfffe0000u) == 0x20000u) return false;
      add_patch_bytes(c, a, bytes, size);
    }
  } else if (rng.below(2)) {
    add_patch(c, a, random_value(rng, size > 8 ? 8 : size), size > 8 ? 8 : size);
  }
  *lin = a;
  return true;
}

// Branch targets: indirect ones are made safe, relative ones checked.
bool fix_branches(const Env& env, const Row& row, const Insn& in, Rng& rng, u64 lin, Case* c) {
  const u64 wmask = env.bits == 64 ? ~0ull : 0xffffffffull;
  const u64 start = kCodeAddr + kCodeOffset - code_base(env), next_rip = start + in.len;
  const u64 cb = kCodeAddr - code_base(env);  // the code page as RIP values
  if (is_branch_indirect(row)) {
    const u64 t = safe_target(env, rng) & wmask;
    const bool from_operand =
        row.ops.count > 0 && (row.ops.op[0].kind == OpKind::E || row.ops.op[0].kind == OpKind::M);
    if (from_operand && in.op[0].type == OpType::Reg) {
      // CALL rSP: the target is also the stack. Keep it canonical: with both
      // non-canonical, AMD reports the push's #SS where Intel checks the
      // target first (#GP) (SDM Vol. 2A "CALL" operation).
      c->gpr[in.op[0].reg] = in.op[0].reg == RSP ? cb + 0x10 + rng.below(kCodeSize - 0x20) : t;
      if (in.op[0].reg == RSP) c->gpr[RSP] += c->gpr[RSP] - start < 16 ? 16 : 0;
    } else if (from_operand && lin) {
      add_patch(c, lin, t, in.op[0].size > 8 ? 8 : in.op[0].size);
    } else {
      // RET / IRET: the return address.
      const u64 smask = env.bits == 16 ? 0xffff : wmask;  // SS.B = 0: SP
      add_patch(c, env.hello.seg_base[SS] + (c->gpr[RSP] & smask), t, in.opsize);
    }
  }
  for (int i = 0; i < row.ops.count; ++i) {
    if (row.ops.op[i].kind != OpKind::J) continue;
    u64 t = next_rip + in.imm;
    t &= in.opsize == 2 ? 0xffff : wmask;
    // Into the instruction's own bytes would run a partial instruction with
    // registers nobody validated; its first byte is a plain loop.
    if (t > start && t < next_rip) return false;
    const bool code = t >= cb && t < cb + kCodeSize;
    if (!code && !access_safe(env, t, 1)) return false;
  }
  return true;
}

// Fills registers and flags; fixes the pointer registers. False: redraw.
bool fill_inputs(const Env& env, const Row& row, const Insn& in, Rng& rng, Case* c) {
  const int w = env.bits == 64 ? 8 : 4;
  for (int i = 0; i < 16; ++i) c->gpr[i] = i < 8 || w == 8 ? random_value(rng, w) : 0;
  if (env.bits == 16) {
    // SP is an offset in the data area; ESP[31:16] is random (a 16-bit
    // stack leaves it alone).
    c->gpr[RSP] = (rng.below(2) ? c->gpr[RSP] & 0xffff0000u : 0) | (0x2000 + rng.below(0xc000));
    // Now and then SP at the ends of the segment: pushes wrap from 0 to
    // 0xFFFE, pops and stack reads across 0xFFFF are #SS(0).
    if (rng.below(16) == 0) c->gpr[RSP] = (c->gpr[RSP] & 0xffff0000u) | ((rng.below(8) - 3) & 0xffff);
  } else {
    c->gpr[RSP] = kDataAddr + 0x2000 + rng.below(0xc000);
  }
  if (rng.below(2)) c->gpr[RSP] &= ~7ull;
  c->rflags = (rng.next() & kArithFlags) | (rng.below(4) == 0 ? (u64)kDF : 0) | kFixed1;
  u64 lin;
  if (!fix_implicit_pointers(env, row, in, rng, c)) return false;
  if (!fix_memory_operand(env, row, in, rng, c, &lin)) return false;
  if (!fix_branches(env, row, in, rng, lin, c)) return false;
  for (int i = 0; i < 16; ++i) c->gpr[i] &= width_mask(w);
  // The stack must be in the data area (or somewhere that faults).
  // A 16-bit stack keeps random ESP[31:16]. The kernel tests the full ESP
  // of the interrupted code against the runner's signal stack (on_sig_stack)
  // and, when it falls inside, builds the signal frame there, over the
  // handler's own frame: the child dies. Keep ESP well away from it.
  if (env.bits == 16) {
    const u64 esp = c->gpr[RSP] & 0xffffffffull;
    if (esp + 0x10000 > env.hello.altstack_lo && esp < env.hello.altstack_hi + 0x10000) return false;
  }
  return access_safe(env, c->gpr[RSP] - 0x400, 0x800);
}

// The legacy prefixes of an encoding include 66.
bool has_prefix66(const testgen::Encoded& e) {
  for (int i = 0; i < e.len; ++i) {
    const u8 b = e.bytes[i];
    if (b == 0x66) return true;
    const bool legacy = b == 0x67 || b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x26 || b == 0x2E ||
                        b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65 || (b & 0xF0) == 0x40;
    if (!legacy) return false;
  }
  return false;
}

}  // namespace

bool uses_fp_state(const Row& row) {
  if (row_fp_class(row) != FpClass::None) return true;
  switch (row.feature) {
    case Feature::FPU: case Feature::MMX: case Feature::FXSR: case Feature::SSE: case Feature::SSE2:
    case Feature::SSE3: case Feature::SSSE3: case Feature::SSE41: case Feature::SSE42: case Feature::AVX:
    case Feature::AVX2: case Feature::FMA: case Feature::F16C: case Feature::AES: case Feature::PCLMUL:
    case Feature::SHA: case Feature::XSAVE: case Feature::XSAVEOPT: case Feature::XSAVEC: case Feature::XSAVES:
      return true;
    default:
      // WAIT/FWAIT checks for pending x87 exceptions (SDM Vol. 2B "WAIT/FWAIT").
      return is_name(row, "WAIT") || is_name(row, "FWAIT");
  }
}

bool native_unsafe(const Row& row) {
  static const char* const kUnsafe[] = {"SYSCALL", "SYSENTER", "SYSEXIT", "SYSRET",
                                        "WRFSBASE", "WRGSBASE"};
  for (const char* n : kUnsafe)
    if (is_name(row, n)) return true;
  return false;
}

bool make_case(const Env& env, u32 row_index, Rng& rng, GenCase* out) {
  const Row& row = kRows[row_index];
  testgen::EncodeOptions opt;
  opt.mode = env.bits;
  opt.mem_lo = kDataAddr + 0x100 - (env.bits == 16 ? kDataAddr : 0);  // offsets in 16-bit mode
  opt.mem_hi = kDataAddr + kDataSize - 0x100 - (env.bits == 16 ? kDataAddr : 0);
  opt.rip = kCodeAddr + kCodeOffset;
  const DecodeMode dm{(u8)(env.bits / 8), env.features};
  for (int attempt = 0; attempt < 50; ++attempt) {
    testgen::Encoded e;
    if (!testgen::encode_random(row, rng, opt, &e)) return false;
    GenCase g;
    g.row = row_index;
    if (decode(e.bytes, e.len, dm, g.insn) != DecodeStatus::Ok || g.insn.row != &row) continue;
    // INT 0x80 is a system call on Linux.
    if (is_name(row, "INT") && (u8)g.insn.imm == 0x80) continue;
    // Vendor difference: in 64-bit mode Intel ignores 66 on near branches
    // (SDM Vol. 2A "JMP", "CALL", "RET", "Jcc": operand size fixed at 64),
    // AMD uses a 16-bit operand size (AMD APM Vol. 3: IP truncated to 16
    // bits). pc64 models Intel, so such cases are not run on an AMD host.
    if (env.amd && env.bits == 64 && (row.attr & BRANCH) && has_prefix66(e)) continue;
    memcpy(g.c.code, e.bytes, e.len);
    g.c.code_len = e.len;
    // The FP state first: a state image (fill_image) is built from it.
    g.c.fp_used = uses_fp_state(row);
    if (g.c.fp_used) random_fp_state(env, g.insn, rng, &g.c.fp);
    bool ok = false;
    for (int k = 0; k < 8 && !ok; ++k) {
      memset(g.c.patch, 0, sizeof g.c.patch);
      g.c.img = ImageSpec{};
      ok = fill_inputs(env, row, g.insn, rng, &g.c);
    }
    if (!ok) continue;
    *out = g;
    return true;
  }
  return false;
}

}  // namespace pc64::difftest
