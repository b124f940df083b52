// The table-driven decoder (SDM Vol. 2A ch. 2: instruction format, prefixes,
// REX, VEX, ModRM/SIB addressing).
//
// At first use the rows of the opcode table are indexed by (legacy|VEX, map,
// opcode byte). Decoding reads prefixes, the opcode and (if any candidate row
// needs it) ModRM, then picks the most specific candidate row that matches
// the mandatory prefix, ModRM.reg/mod/rm, VEX.W/L, the mode and the enabled
// CPUID features. A row whose feature is disabled is skipped, so on a CPU
// without BMI1 "F3 0F BC" falls back to BSF exactly as hardware does.
#include "cpu/decoder.h"

#include "cpu/state.h"

namespace pc64 {
namespace {

struct Slot {
  u16 first;
  u8 count;
  u8 has_modrm;
};

constexpr int kSlots = 2 * 4 * 256;
Slot g_slots[kSlots];
u16* g_cands;  // row indices, grouped by slot

int slot_of(bool vex, Map map, int opc) { return ((vex ? 4 : 0) + (int)map) * 256 + opc; }

// Builds the index once. Not thread-safe; the first decode happens during
// single-threaded start-up (decoder_init is called from Cpu construction).
u16 g_cand_storage[8192];

void build_index() {
  static bool built = false;
  if (built) return;
  built = true;
  // count per slot
  u16 counts[kSlots] = {};
  for (u32 i = 0; i < kNumRows; ++i) {
    const Row& r = kRows[i];
    for (int k = 0; k < r.span; ++k) counts[slot_of(r.attr & VEX, r.map, r.opcode + k)]++;
  }
  u32 pos = 0;
  for (int s = 0; s < kSlots; ++s) {
    g_slots[s].first = (u16)pos;
    g_slots[s].count = 0;
    pos += counts[s];
  }
  if (pos > sizeof(g_cand_storage) / sizeof(g_cand_storage[0])) __builtin_trap();
  g_cands = g_cand_storage;
  for (u32 i = 0; i < kNumRows; ++i) {
    const Row& r = kRows[i];
    for (int k = 0; k < r.span; ++k) {
      Slot& s = g_slots[slot_of(r.attr & VEX, r.map, r.opcode + k)];
      g_cands[s.first + s.count++] = (u16)i;
      if (row_has_modrm(r)) s.has_modrm = 1;
    }
  }
}

struct Prefixes {
  u8 p66 = 0, p67 = 0, lock = 0, rep = 0;  // rep: last of F2/F3
  u8 seg = kNoSeg;
  u8 rex = 0;
};

class Reader {
 public:
  Reader(const u8* b, u32 avail) : b_(b), avail_(avail) {}
  bool ok(u32 n) const { return pos_ + n <= avail_ && pos_ + n <= 15; }
  bool more(u32 n) const { return pos_ + n <= avail_; }
  u8 u8_() { return b_[pos_++]; }
  u64 le(int n) {
    u64 v = 0;
    for (int i = 0; i < n; ++i) v |= (u64)b_[pos_ + i] << (8 * i);
    pos_ += n;
    return v;
  }
  u32 pos() const { return pos_; }

 private:
  const u8* b_;
  u32 avail_;
  u32 pos_ = 0;
};

// Needs n more bytes: distinguishes "past 15" from "past the buffer".
#define NEED(n)                                                      \
  do {                                                               \
    if (rd.pos() + (n) > 15) return DecodeStatus::TooLong;           \
    if (!rd.more(n)) return DecodeStatus::NeedMore;                  \
  } while (0)

bool pfx_matches(const Row& r, const Prefixes& p, bool vex, int vex_pp, int* score) {
  if (vex) {
    static const Pfx kPP[4] = {Pfx::NP, Pfx::P66, Pfx::PF3, Pfx::PF2};
    Pfx want = kPP[vex_pp];
    if (r.pfx != want && !(r.pfx == Pfx::ANY && want == Pfx::NP)) return false;
    *score = 0;
    return true;
  }
  switch (r.pfx) {
    case Pfx::ANY: *score = 0; return true;
    case Pfx::NP: *score = 1; return !p.p66 && !p.rep;
    case Pfx::P66: *score = 2; return p.p66 && !p.rep;
    case Pfx::PF3: *score = 3; return p.rep == 0xF3;
    case Pfx::PF2: *score = 3; return p.rep == 0xF2;
  }
  return false;
}

const Row* choose(const Slot& s, const Prefixes& p, u8 modrm, bool vex, int vex_pp, int vex_w,
                  int vex_l, const DecodeMode& m) {
  const bool mode64 = m.code_size == 8;
  const Row* best = nullptr;
  int best_score = -1;
  const int mod = modrm >> 6, reg = (modrm >> 3) & 7, rm = modrm & 7;
  for (int i = 0; i < s.count; ++i) {
    const Row& r = kRows[g_cands[s.first + i]];
    int score;
    if (!pfx_matches(r, p, vex, vex_pp, &score)) continue;
    if (r.reg >= 0) {
      if (r.reg != reg) continue;
      score += 4;
    }
    if (r.mod == ModSel::MEM) {
      if (mod == 3) continue;
      score += 4;
    } else if (r.mod == ModSel::REG) {
      if (mod != 3) continue;
      score += 4;
    }
    if (r.rm >= 0) {
      if (r.rm != rm) continue;
      score += 4;
    }
    if ((r.attr & I64) && mode64) continue;
    if ((r.attr & O64) && !mode64) continue;
    if (r.attr & (W0 | W1)) {
      // VEX.W0/W1 rows use VEX.W as an opcode extension, in every mode
      // (FMA's PS/PD, VPERMQ: SDM Vol. 2A §2.3.5.1); REX.W for legacy rows
      // (CMPXCHG8B / CMPXCHG16B).
      int w = vex ? vex_w : (p.rex >> 3) & 1;
      if ((r.attr & W0) && w) continue;
      if ((r.attr & W1) && !w) continue;
    }
    // VEX.L constraints (L0/L1) pick between rows of one opcode (0F 77).
    if (vex && (r.attr & L0) && vex_l) continue;
    if (vex && (r.attr & L1) && !vex_l) continue;
    if (r.attr & REXB) {
      if (!(p.rex & 1)) continue;
      score += 4;
    }
    if (!(m.features & (1ull << (int)r.feature))) continue;
    if (score > best_score) {
      best = &r;
      best_score = score;
    }
  }
  return best;
}

u8 default_seg_for(u8 base) { return (base == RSP || base == RBP) ? SS : DS; }

}  // namespace

DecodeStatus decode(const u8* bytes, u32 avail, const DecodeMode& m, Insn& out) {
  build_index();
  Reader rd(bytes, avail);
  Prefixes p;
  const bool mode64 = m.code_size == 8;
  out = Insn{};
  out.base = out.index = kNoReg;
  out.seg_override = kNoSeg;

  // ---- legacy prefixes and REX (SDM Vol. 2A §2.1.1, §2.2.1) ----
  u8 b;
  for (;;) {
    NEED(1);
    b = rd.u8_();
    switch (b) {
      case 0x66: p.p66 = 1; p.rex = 0; continue;
      case 0x67: p.p67 = 1; p.rex = 0; continue;
      case 0xF0: p.lock = 1; p.rex = 0; continue;
      case 0xF2: case 0xF3: p.rep = b; p.rex = 0; continue;
      case 0x26: p.seg = ES; p.rex = 0; continue;
      case 0x2E: p.seg = mode64 ? p.seg : (u8)CS; p.rex = 0; continue;
      case 0x36: p.seg = mode64 ? p.seg : (u8)SS; p.rex = 0; continue;
      case 0x3E: p.seg = mode64 ? p.seg : (u8)DS; p.rex = 0; continue;
      case 0x64: p.seg = FS; p.rex = 0; continue;
      case 0x65: p.seg = GS; p.rex = 0; continue;
      default: break;
    }
    // A REX prefix counts only if it immediately precedes the opcode; a REX
    // followed by another prefix is ignored (SDM Vol. 2A §2.2.1).
    if (mode64 && (b & 0xF0) == 0x40) {
      p.rex = b;
      continue;
    }
    break;
  }
  // In 64-bit mode ES/CS/SS/DS overrides are ignored (SDM Vol. 1 §3.3.7.1).
  if (mode64 && p.seg != FS && p.seg != GS) p.seg = kNoSeg;

  // ---- opcode: legacy maps or VEX (SDM Vol. 2A §2.3) ----
  Map map = Map::P;
  bool vex = false;
  int vex_pp = 0, vex_w = 0, vex_l = 0, vex_v = 0;
  u8 rex = p.rex;
  if ((b == 0xC4 || b == 0xC5) && (mode64 || (rd.more(1) && (bytes[rd.pos()] & 0xC0) == 0xC0))) {
    if (p.p66 || p.rep || p.lock || p.rex) return DecodeStatus::Invalid;
    vex = true;
    NEED(1);
    u8 v1 = rd.u8_();
    if (b == 0xC5) {
      rex = (v1 & 0x80) ? 0 : 0x44;  // R
      vex_v = (~v1 >> 3) & 15;
      vex_l = (v1 >> 2) & 1;
      vex_pp = v1 & 3;
      map = Map::M0F;
    } else {
      NEED(1);
      u8 v2 = rd.u8_();
      rex = 0x40 | ((v1 & 0x80) ? 0 : 4) | ((v1 & 0x40) ? 0 : 2) | ((v1 & 0x20) ? 0 : 1);
      vex_w = v2 >> 7;
      if (vex_w) rex |= 8;
      vex_v = (~v2 >> 3) & 15;
      vex_l = (v2 >> 2) & 1;
      vex_pp = v2 & 3;
      switch (v1 & 31) {
        case 1: map = Map::M0F; break;
        case 2: map = Map::M0F38; break;
        case 3: map = Map::M0F3A; break;
        default: return DecodeStatus::Invalid;
      }
    }
    if (!mode64) {
      // VEX.R/X/B and vvvv[3] have no effect outside 64-bit mode, nor does
      // VEX.W as an operand size (BMI); W0/W1 rows still see VEX.W.
      rex = 0;
      vex_v &= 7;
    }
    NEED(1);
    b = rd.u8_();
  } else if (b == 0x0F) {
    NEED(1);
    b = rd.u8_();
    map = Map::M0F;
    if (b == 0x38 || b == 0x3A) {
      map = b == 0x38 ? Map::M0F38 : Map::M0F3A;
      NEED(1);
      b = rd.u8_();
    }
  }
  const Slot& slot = g_slots[slot_of(vex, map, b)];
  if (slot.count == 0) return DecodeStatus::Invalid;

  u8 modrm = 0;
  if (slot.has_modrm) {
    NEED(1);
    modrm = rd.u8_();
  }
  const Row* row = choose(slot, p, modrm, vex, vex_pp, vex_w, vex_l, m);
  if (!row) return DecodeStatus::Invalid;
  if (vex && (row->attr & L0) && vex_l) return DecodeStatus::Invalid;
  if (vex && vex_v) {  // an unused VEX.vvvv must be 1111b, else #UD (SDM Vol. 2A §2.3.6)
    bool uses_v = false;
    for (int i = 0; i < row->ops.count; ++i)
      uses_v |= row->ops.op[i].kind == OpKind::B || row->ops.op[i].kind == OpKind::H;
    if (!uses_v) return DecodeStatus::Invalid;
  }

  // ---- operand and address size (SDM Vol. 1 §3.6, Vol. 2A §2.2.1.2) ----
  const bool p66_is_opsize = p.p66 && row->pfx != Pfx::P66;
  int opsize;
  if (vex) {
    opsize = (rex & 8) ? 8 : 4;
  } else if (mode64) {
    if (rex & 8) opsize = 8;
    else if (row->attr & F64) opsize = 8;
    else if (row->attr & D64) opsize = p66_is_opsize ? 2 : 8;
    else opsize = p66_is_opsize ? 2 : 4;
  } else {
    opsize = (m.code_size == 4) != p66_is_opsize ? 4 : 2;
  }
  int asize = mode64 ? (p.p67 ? 4 : 8) : ((m.code_size == 4) != (bool)p.p67 ? 4 : 2);

  out.row = row;
  out.opcode = b;
  out.modrm = modrm;
  out.rex = rex;
  out.opsize = (u8)opsize;
  out.asize = (u8)asize;
  out.lock = p.lock;
  out.rep = (row->attr & (REP | REPCC)) ? p.rep : 0;
  out.seg_override = p.seg;
  out.vex = vex;
  out.vex_v = (u8)vex_v;
  out.vex_l = (u8)vex_l;
  out.vex_w = (u8)vex_w;
  out.code_size = m.code_size;

  // ---- ModRM memory operand (SDM Vol. 2A §2.1.5, Tables 2-1..2-3) ----
  // MOV to/from control and debug registers ignore the mod bits: the r/m
  // operand is always a register (SDM Vol. 2B "MOV—Move to/from Control Registers").
  bool crdr = false;
  for (int i = 0; i < row->ops.count; ++i)
    crdr |= row->ops.op[i].kind == OpKind::C || row->ops.op[i].kind == OpKind::D;
  const int mod = crdr ? 3 : modrm >> 6, rm = modrm & 7;
  bool has_mem = slot.has_modrm && mod != 3;
  u8 dseg = DS;
  if (has_mem) {
    if (asize == 2) {
      static const u8 kBase[8] = {RBX, RBX, RBP, RBP, RSI, RDI, RBP, RBX};
      static const u8 kIndex[8] = {RSI, RDI, RSI, RDI, kNoReg, kNoReg, kNoReg, kNoReg};
      if (mod == 0 && rm == 6) {
        NEED(2);
        out.disp = (i16)rd.le(2);
      } else {
        out.base = kBase[rm];
        out.index = kIndex[rm];
        if (mod == 1) { NEED(1); out.disp = (i8)rd.u8_(); }
        if (mod == 2) { NEED(2); out.disp = (i16)rd.le(2); }
        dseg = (rm == 2 || rm == 3 || rm == 6) ? SS : DS;
      }
    } else {
      int base_field = rm;
      if (rm == 4) {
        NEED(1);
        u8 sib = rd.u8_();
        out.scale = sib >> 6;
        int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
        out.index = idx == 4 ? (u8)kNoReg : (u8)idx;  // SIB.index 100 without REX.X: none
        base_field = sib & 7;
        if (base_field == 5 && mod == 0) {
          out.base = kNoReg;
          NEED(4);
          out.disp = (i32)rd.le(4);
        } else {
          out.base = (u8)(base_field | ((rex & 1) << 3));
        }
      } else if (rm == 5 && mod == 0) {
        NEED(4);
        out.disp = (i32)rd.le(4);
        out.riprel = mode64;  // 64-bit mode: RIP-relative; else absolute disp32
      } else {
        out.base = (u8)(rm | ((rex & 1) << 3));
      }
      if (mod == 1) { NEED(1); out.disp = (i8)rd.u8_(); }
      if (mod == 2) { NEED(4); out.disp = (i32)rd.le(4); }
      if (out.base != kNoReg) dseg = default_seg_for(out.base);
    }
  }
  out.seg = p.seg != kNoSeg ? p.seg : dseg;

  // ---- operands and immediates ----
  bool first_imm = true;
  out.nops = row->ops.count;
  out.width = 0;
  for (int i = 0; i < row->ops.count; ++i) {
    const OperandSpec& s = row->ops.op[i];
    DecodedOp& d = out.op[i];
    d.size = (u8)operand_bytes(s.size, opsize, mode64, vex_l);
    // The width is the first sized operand's, but never an immediate's or
    // the DX port number's (OUT DX,AL is a byte operation), nor a vector or
    // x87 operand's: handlers are bound by GPR width 1, 2, 4 or 8 only.
    const bool port_dx = s.kind == OpKind::FixedReg && s.size == OpSize::w && s.reg == RDX;
    if (!out.width && d.size && d.size <= 8 && s.size != OpSize::m && s.kind != OpKind::I &&
        s.kind != OpKind::J && !port_dx && !kind_is_xmm(s.kind) && !kind_is_mmx(s.kind) &&
        s.kind != OpKind::St0 && s.kind != OpKind::Sti)
      out.width = d.size;
    const int regf = ((modrm >> 3) & 7) | ((rex & 4) << 1);
    // A vector register operand is the whole register: 16 bytes, or 32 with
    // VEX.L (scalar sizes describe only memory operands).
    auto xmm = [&](int r) {
      d.type = OpType::Xmm;
      d.reg = (u8)r;
      const bool by_l = s.size == OpSize::x || s.size == OpSize::ps || s.size == OpSize::pd;
      d.size = (u8)(((by_l && vex_l) || s.size == OpSize::qq) ? 32 : 16);
    };
    auto gpr = [&](int r) {
      d.type = OpType::Reg;
      if (d.size == 1 && !rex && r >= 4 && r < 8) {
        d.reg = (u8)(r - 4);
        d.hi8 = 1;
      } else {
        d.reg = (u8)r;
      }
    };
    switch (s.kind) {
      case OpKind::E:
      case OpKind::M:
      case OpKind::R:
        if (mod == 3) {
          if (s.kind == OpKind::M) return DecodeStatus::Invalid;
          gpr(rm | ((rex & 1) << 3));
        } else {
          if (s.kind == OpKind::R) return DecodeStatus::Invalid;
          d.type = OpType::Mem;
        }
        break;
      case OpKind::G: gpr(regf); break;
      case OpKind::Z: gpr((b & 7) | ((rex & 1) << 3)); break;
      case OpKind::B: gpr(vex_v); break;
      case OpKind::FixedReg:
        d.type = OpType::Reg;
        if (d.size == 1 && s.reg >= 4) {
          d.reg = (u8)(s.reg - 4);
          d.hi8 = 1;
        } else {
          d.reg = s.reg;
        }
        break;
      case OpKind::S:
        if (((modrm >> 3) & 7) > 5) return DecodeStatus::Invalid;
        d.type = OpType::Seg;
        d.reg = (modrm >> 3) & 7;
        break;
      case OpKind::FixedSeg: d.type = OpType::Seg; d.reg = s.reg; break;
      case OpKind::C: d.type = OpType::Cr; d.reg = (u8)regf; break;
      case OpKind::D: d.type = OpType::Dr; d.reg = (u8)regf; break;
      case OpKind::One: d.type = OpType::Imm; d.reg = 1; break;
      // ---- SIMD registers (SDM Vol. 2D App. A.2.1) ----
      case OpKind::V: xmm(regf); break;
      case OpKind::H: xmm(vex_v); break;
      case OpKind::W:
      case OpKind::U:
        if (mod == 3) xmm(rm | ((rex & 1) << 3));
        else if (s.kind == OpKind::U) return DecodeStatus::Invalid;
        else d.type = OpType::Mem;
        break;
      case OpKind::P: d.type = OpType::Mmx; d.reg = (modrm >> 3) & 7; break;  // REX.R ignored
      case OpKind::Q:
      case OpKind::N:
        if (mod == 3) {
          d.type = OpType::Mmx;
          d.reg = (u8)rm;  // REX.B ignored for MMX registers
        } else if (s.kind == OpKind::N) {
          return DecodeStatus::Invalid;
        } else {
          d.type = OpType::Mem;
        }
        break;
      case OpKind::St0: d.type = OpType::St; d.reg = 0; break;
      case OpKind::Sti: d.type = OpType::St; d.reg = (u8)rm; break;
      case OpKind::L: {  // is4: register in imm8[7:4] (bit 7 ignored outside 64-bit mode)
        NEED(1);
        out.imm = rd.u8_();
        first_imm = false;
        xmm((int)(out.imm >> 4) & (mode64 ? 15 : 7));
        break;
      }
      case OpKind::X: d.type = OpType::Mem; d.reg = RSI; break;
      case OpKind::Y: d.type = OpType::Mem; d.reg = RDI; break;
      case OpKind::O: {
        NEED(asize);
        out.disp = (i64)rd.le(asize);
        d.type = OpType::Mem;
        has_mem = true;
        break;
      }
      case OpKind::I:
      case OpKind::J:
      case OpKind::A: {
        const int n = immediate_bytes(s, opsize, asize, mode64);
        NEED(n);
        u64 v;
        if (s.kind == OpKind::A) {
          int off = n - 2;
          v = rd.le(off);
          out.imm2 = rd.le(2);
        } else {
          v = (u64)sign_extend(rd.le(n), n);
        }
        d.type = OpType::Imm;
        if (first_imm) {
          out.imm = v;
          first_imm = false;
        } else {
          out.imm2 = v;
          d.reg = 2;  // second immediate
        }
        break;
      }
      case OpKind::None: break;
    }
  }
  if (!out.width) out.width = (u8)opsize;

  // LOCK is legal only on lockable rows with a memory destination (SDM Vol. 2A "LOCK").
  if (p.lock && !((row->attr & LOCK) && out.nops > 0 && out.op[0].type == OpType::Mem))
    return DecodeStatus::Invalid;

  out.len = (u8)rd.pos();
  return DecodeStatus::Ok;
}

}  // namespace pc64
