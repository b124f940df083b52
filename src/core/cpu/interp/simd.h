// Shared pieces of every x87, MMX, SSE and AVX handler: the availability
// checks that come first, and vector operand access.
//
// Availability (SDM Vol. 3A §2.5 Table 2-2 for CR0.EM/MP/TS; Vol. 2A §2.5
// and the exception-class tables of Vol. 2A §2.8 for SSE/AVX):
//   x87  #NM if CR0.EM or CR0.TS
//   MMX  #UD if CR0.EM; #NM if CR0.TS
//   SSE  #UD if CR0.EM or CR4.OSFXSR = 0; #NM if CR0.TS
//   AVX  #UD in real/v8086 mode, without CR4.OSXSAVE, or unless XCR0 enables
//        SSE and AVX state (bits 1 and 2); #NM if CR0.TS
// A handler starts with `if (!fp_ok(c, i)) return;` (the class comes from
// the row: row_fp_class in table.h). Pending x87 exceptions (#MF) and the
// x87 tag effects of MMX instructions are the x87/MMX handlers' own.
//
// Vector registers: a legacy SSE write to XMMn leaves YMMn[255:128] alone; a
// VEX.128 write zeroes it, and a VEX.256 write fills all of it (SDM Vol. 1
// §14.1.3). vec_put() does this from Insn::vex and the operand size.
//
// Memory operands: a legacy SSE 16-byte operand must be 16-byte aligned
// unless the row is UNALIGNED; VEX operands only when the row is ALIGNED
// (then to their full size, 16 or 32). Misalignment is #GP(0) (SDM Vol. 2A
// §2.4, Table 2-4/2-5 note on alignment).
#pragma once
#include "cpu/interp/ops.h"
#include "cpu/system/control_regs.h"

namespace pc64 {

constexpr u64 kXcr0X87 = 1, kXcr0Sse = 2, kXcr0Avx = 4;

PC64_ALWAYS_INLINE bool fp_ok(Cpu& c, const Insn& i) {
  const u64 cr0 = c.s.cr0;
  switch (row_fp_class(*i.row)) {
    case FpClass::None: return true;
    case FpClass::X87:
      if (cr0 & (kCR0_EM | kCR0_TS)) return c.raise(kExNM);
      return true;
    case FpClass::Mmx:
      if (cr0 & kCR0_EM) return c.raise(kExUD);
      if (cr0 & kCR0_TS) return c.raise(kExNM);
      return true;
    case FpClass::Sse:
      if ((cr0 & kCR0_EM) || !(c.s.cr4 & kCR4_OSFXSR)) return c.raise(kExUD);
      if (cr0 & kCR0_TS) return c.raise(kExNM);
      return true;
    case FpClass::Avx:
      if (c.s.mode == (u8)CpuMode::Real || c.s.mode == (u8)CpuMode::V86 ||
          !(c.s.cr4 & kCR4_OSXSAVE) || (c.s.xcr0 & (kXcr0Sse | kXcr0Avx)) != (kXcr0Sse | kXcr0Avx))
        return c.raise(kExUD);
      if (cr0 & kCR0_TS) return c.raise(kExNM);
      return true;
  }
  return true;
}

// Alignment rule for the memory operand of row `i` with `bytes` bytes.
PC64_ALWAYS_INLINE bool vec_aligned_ok(Cpu& c, const Insn& i, u64 addr, u32 bytes) {
  const u32 attr = i.row->attr;
  bool need;
  if (i.vex) need = (attr & ALIGNED) != 0;
  else need = bytes >= 16 && !(attr & UNALIGNED);
  if (need && (addr & (bytes - 1))) return c.raise(kExGP, 0);
  return true;
}

// Operand n (XMM/YMM register or memory) into `out`: `bytes` bytes
// (the operand's size unless given), the rest of `out` zeroed.
inline bool vec_get(Cpu& c, const Insn& i, int n, Vec256* out, u32 bytes = 0) {
  const DecodedOp& o = i.op[n];
  if (!bytes) bytes = o.size;
  *out = Vec256{};
  if (o.type == OpType::Xmm) {
    __builtin_memcpy(out->b, c.s.ymm[o.reg].b, bytes);
    return true;
  }
  if (o.type == OpType::Mmx) {
    store_le<u64>(out->b, c.s.fpu.r[o.reg].mant);
    return true;
  }
  const u64 a = ea(c, i);
  if (!vec_aligned_ok(c, i, a, bytes)) return false;
  return c.read_bytes(i.seg, a, out->b, bytes);
}

// Writes `bytes` bytes of `v` to operand n. An XMM destination follows the
// legacy/VEX upper-half rule above; a memory destination is checked for
// alignment like a load.
inline bool vec_put(Cpu& c, const Insn& i, int n, const Vec256& v, u32 bytes = 0) {
  const DecodedOp& o = i.op[n];
  if (!bytes) bytes = o.size;
  if (o.type == OpType::Xmm) {
    Vec256& r = c.s.ymm[o.reg];
    if (i.vex) {
      r = Vec256{};
      __builtin_memcpy(r.b, v.b, bytes);
    } else {
      __builtin_memcpy(r.b, v.b, bytes < 16 ? bytes : 16);
    }
    return true;
  }
  const u64 a = ea(c, i);
  if (!vec_aligned_ok(c, i, a, bytes)) return false;
  return c.write_bytes(i.seg, a, v.b, bytes);
}

// Source operands of a form that is "V,W" legacy and "V,H,W" with VEX (one
// handler for both): the first source is the destination in the legacy
// form and H in the VEX one; the second is W. VEX forms without H ("V,W,Ib":
// VROUNDPS, VPSHUFD) read like the legacy ones. The VEX shifts by imm8
// ("H,U,Ib": VEX.vvvv is the destination, SDM Vol. 2B "PSLLW") read U.
PC64_ALWAYS_INLINE int src1_index(const Insn& i) {
  if (!i.vex) return 0;
  const OperandSpec* o = i.row->ops.op;
  return (o[0].kind == OpKind::H || o[1].kind == OpKind::H) ? 1 : 0;
}
PC64_ALWAYS_INLINE int src2_index(const Insn& i) {
  return i.vex && i.row->ops.op[1].kind == OpKind::H ? 2 : 1;
}

}  // namespace pc64
