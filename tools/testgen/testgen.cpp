// The random instruction encoder (see testgen.h).
//
// Encoding follows SDM Vol. 2A ch. 2: legacy prefixes (§2.1.1), REX (§2.2.1),
// VEX (§2.3), ModRM/SIB/displacement (§2.1.5, Tables 2-1..2-3) and
// immediates. A draft encoding is built from random choices the row permits,
// then decoded with pc64's decoder; a draft that selects another row (a
// sibling sharing the opcode) is discarded and another one is drawn.
#include "testgen.h"

#include "cpu/decoder.h"

namespace pc64::testgen {

Rng::Rng(u64 seed) : s(seed) {}

u64 Rng::next() {
  u64 z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

u64 Rng::below(u64 n) { return n ? next() % n : 0; }

u64 random_value(Rng& rng, int bytes) {
  const u64 m = width_mask(bytes), sb = sign_bit(bytes);
  switch (rng.below(10)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return m;                  // -1
    case 3: return sb;                 // most negative
    case 4: return sb - 1;             // most positive
    case 5: return rng.below(16);      // small
    case 6: return (m - rng.below(16)) & m;  // small negative
    case 7: return (sb + rng.below(5) - 2) & m;  // around the sign boundary
    default: return rng.next() & m;
  }
}

bool row_valid_in_mode(const Row& row, int mode) {
  if ((row.attr & I64) && mode == 64) return false;
  if ((row.attr & O64) && mode != 64) return false;
  if ((row.attr & REXB) && mode != 64) return false;  // 41 90: REX.B exists only in 64-bit mode
  return true;
}

namespace {

// The decoder reads a ModRM byte if any row of the opcode slot needs one.
// Answered from a table built on first use (every draft asks).
bool slot_needs_modrm(const Row& row, int opcode) {
  static bool built = false;
  static bool table[2][4][256];
  if (!built) {
    for (u32 i = 0; i < kNumRows; ++i) {
      const Row& r = kRows[i];
      if (!row_has_modrm(r)) continue;
      for (int k = 0; k < r.span; ++k) table[(r.attr & VEX) ? 1 : 0][(int)r.map][r.opcode + k] = true;
    }
    built = true;
  }
  return table[(row.attr & VEX) ? 1 : 0][(int)row.map][opcode];
}

bool has_kind(const Row& r, OpKind k) {
  for (int i = 0; i < r.ops.count; ++i)
    if (r.ops.op[i].kind == k) return true;
  return false;
}

class Bytes {
 public:
  u8 b[32];
  int n = 0;
  void put(u8 v) { b[n++] = v; }
  void le(u64 v, int k) {
    for (int i = 0; i < k; ++i) put((u8)(v >> (8 * i)));
  }
};

struct Draft {
  bool p66 = false, p67 = false, lock = false;
  u8 rep = 0, seg = 0;
  bool has_rex = false;
  u8 rex = 0;  // low four bits W R X B
  int opsize = 4, asize = 4;
};

int opsize_of(const Row& row, const Draft& d, int mode) {
  const bool p66 = d.p66 && row.pfx != Pfx::P66;
  if (row.attr & VEX) return (mode == 64 && (d.rex & 8)) ? 8 : 4;
  if (mode == 64) {
    if (d.rex & 8) return 8;
    if (row.attr & F64) return 8;
    if (row.attr & D64) return p66 ? 2 : 8;
    return p66 ? 2 : 4;
  }
  return ((mode == 32) != p66) ? 4 : 2;
}

int asize_of(const Draft& d, int mode) {
  if (mode == 64) return d.p67 ? 4 : 8;
  return ((mode == 32) != d.p67) ? 4 : 2;
}

u64 pick_address(Rng& rng, const EncodeOptions& opt) {
  if (opt.mem_hi <= opt.mem_lo) return rng.next();
  return opt.mem_lo + rng.below(opt.mem_hi - opt.mem_lo);
}

// Legacy prefixes of one draft (SDM Vol. 2A §2.1.1), in random order.
void choose_prefixes(const Row& row, Rng& rng, const EncodeOptions& opt, bool mem, Draft* d) {
  const bool vex = row.attr & VEX;
  const bool rnd = opt.prefixes;
  // Mandatory prefixes; VEX rows carry theirs in VEX.pp instead.
  if (!vex && row.pfx == Pfx::P66) d->p66 = true;
  if (!vex && row.pfx == Pfx::PF3) d->rep = 0xF3;
  if (!vex && row.pfx == Pfx::PF2) d->rep = 0xF2;
  if (!rnd) return;
  if (!vex && (row.pfx == Pfx::ANY || row.pfx == Pfx::PF3 || row.pfx == Pfx::PF2) && rng.below(4) == 0)
    d->p66 = true;
  if (!vex && row.pfx == Pfx::ANY && (row.attr & (REP | REPCC)) && rng.below(3) == 0)
    d->rep = (row.attr & REPCC) && rng.below(2) ? 0xF2 : 0xF3;
  if (!vex && (row.attr & LOCK) && mem && row.ops.count > 0 &&
      (row.ops.op[0].kind == OpKind::E || row.ops.op[0].kind == OpKind::M) && rng.below(3) == 0)
    d->lock = true;
  if (rng.below(4) == 0) {
    static const u8 kSeg[6] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};
    d->seg = kSeg[rng.below(6)];
  }
  if (rng.below(5) == 0) d->p67 = true;
  if (!vex && opt.mode == 64 && rng.below(2) == 0) {
    d->has_rex = true;
    d->rex = (u8)rng.below(16);
  }
}

void emit_legacy(const Draft& d, Rng& rng, Bytes* o) {
  u8 p[5];
  int n = 0;
  if (d.p66) p[n++] = 0x66;
  if (d.p67) p[n++] = 0x67;
  if (d.lock) p[n++] = 0xF0;
  if (d.rep) p[n++] = d.rep;
  if (d.seg) p[n++] = d.seg;
  for (int i = n - 1; i > 0; --i) {  // Fisher-Yates
    int j = (int)rng.below((u64)i + 1);
    u8 t = p[i]; p[i] = p[j]; p[j] = t;
  }
  // A mandatory F2/F3 must be the last of F2/F3 (the decoder keeps the last);
  // only one is ever emitted, so any order is fine.
  for (int i = 0; i < n; ++i) o->put(p[i]);
}

// VEX prefix (SDM Vol. 2A §2.3.5): C5 when no X/B/W/map bits are needed.
void emit_vex(const Row& row, Rng& rng, const EncodeOptions& opt, u8 rexbits, int vvvv, Bytes* o) {
  static const u8 kPP[5] = {0, 0, 1, 2, 3};  // ANY NP P66 PF3 PF2
  const int pp = kPP[(int)row.pfx];
  const int w = (rexbits >> 3) & 1;
  const int r = (rexbits >> 2) & 1, x = (rexbits >> 1) & 1, b = rexbits & 1;
  const u8 vbits = (u8)((~vvvv & 15) << 3);
  // VEX.L: as the row says (L0/L1), else either (VEX.256 packed forms and
  // the VEX.LIG scalar ones, whose L is ignored).
  const u8 lbit = (row.attr & L1) ? 4 : (row.attr & L0) ? 0 : (u8)(rng.below(2) * 4);
  if (row.map == Map::M0F && !w && !x && !b && rng.below(2)) {
    o->put(0xC5);
    o->put((u8)((r ? 0 : 0x80) | vbits | lbit | pp));
    return;
  }
  const int mmmmm = row.map == Map::M0F ? 1 : row.map == Map::M0F38 ? 2 : 3;
  o->put(0xC4);
  o->put((u8)((r ? 0 : 0x80) | (x ? 0 : 0x40) | (b ? 0 : 0x20) | mmmmm));
  o->put((u8)((w << 7) | vbits | lbit | pp));
  (void)opt;
}

// Memory ModRM form (and SIB/displacement) for the address size.
// Returns the position of a RIP-relative disp32 in `o` (or -1).
int emit_mem(Rng& rng, const EncodeOptions& opt, int asize, int mod_in, u8 regf, u8* rexbits,
             Bytes* o) {
  int mod = mod_in;
  if (asize == 2) {  // SDM Vol. 2A Table 2-1
    const int rm = (int)rng.below(8);
    o->put((u8)((mod << 6) | (regf << 3) | rm));
    if (mod == 0 && rm == 6) o->le(opt.mem_hi > opt.mem_lo ? pick_address(rng, opt) : rng.next(), 2);
    else if (mod == 1) o->le(random_value(rng, 1), 1);
    else if (mod == 2) o->le(random_value(rng, 2), 2);
    return -1;
  }
  int rm = (int)rng.below(8);
  o->put((u8)((mod << 6) | (regf << 3) | rm));
  bool absolute = false;
  int riprel_pos = -1;
  if (rm == 4) {  // SIB (Table 2-3)
    const int base = (int)rng.below(8);
    o->put((u8)((rng.below(4) << 6) | (rng.below(8) << 3) | base));
    if (opt.mode == 64 && rng.below(2)) *rexbits |= 2;  // REX.X
    if (base == 5 && mod == 0) {
      // disp32 with no base; with index 100b and no REX.X it is absolute.
      const u8 sib = o->b[o->n - 1];
      absolute = ((sib >> 3) & 7) == 4 && !(*rexbits & 2);
      const u64 a = absolute ? pick_address(rng, opt) : random_value(rng, 4);
      o->le(a, 4);
      return -1;
    }
  } else if (rm == 5 && mod == 0) {
    if (opt.mode == 64) {
      riprel_pos = o->n;
      o->le(random_value(rng, 4), 4);
    } else {
      o->le(pick_address(rng, opt), 4);
    }
    return riprel_pos;
  }
  if (mod == 1) o->le(random_value(rng, 1), 1);
  if (mod == 2) o->le(rng.below(2) ? rng.below(0x1000) - 0x800 : random_value(rng, 4), 4);
  return -1;
}

// One draft encoding. Returns false if a choice made it too long.
bool build_once(const Row& row, Rng& rng, const EncodeOptions& opt, Bytes* o) {
  const bool vex = row.attr & VEX;
  const int opc = row.opcode + (int)rng.below(row.span);
  const bool modrm = slot_needs_modrm(row, opc);
  // ---- ModRM form ----
  int mod = 3;
  if (modrm) {
    if (row.mod == ModSel::REG || row.rm >= 0 || has_kind(row, OpKind::R)) mod = 3;
    else if (row.mod == ModSel::MEM || has_kind(row, OpKind::M)) mod = (int)rng.below(3);
    else mod = rng.below(2) ? 3 : (int)rng.below(3);
  }
  const bool mem = modrm && mod != 3;
  Draft d;
  choose_prefixes(row, rng, opt, mem, &d);
  u8 rexbits = d.has_rex ? d.rex : 0;
  int vvvv = 0;
  if (vex) {
    if (opt.mode == 64) {
      rexbits = (u8)(rng.below(8) << 0);  // R X B
      if (row.attr & W1) rexbits |= 8;
      else if (!(row.attr & W0) && rng.below(2)) rexbits |= 8;
      vvvv = (int)rng.below(16);
    } else {
      rexbits = (row.attr & W1) ? 8 : 0;
      vvvv = (int)rng.below(8);
    }
    // A row that names no VEX.vvvv register needs it 1111b (register 0
    // here), or the encoding is #UD and never decodes to the row.
    if (!has_kind(row, OpKind::H) && !has_kind(row, OpKind::B)) vvvv = 0;
  }
  if (opt.mode != 64 && !vex) rexbits = 0;
  if (row.attr & REXB) rexbits |= 1;
  d.opsize = opsize_of(row, d, opt.mode);
  d.asize = asize_of(d, opt.mode);

  u8 regf = (u8)rng.below(8);
  if (row.reg >= 0) regf = (u8)row.reg;
  else if (has_kind(row, OpKind::S)) regf = (u8)rng.below(6);

  // ---- body: modrm, displacement, immediates (built first; prefixes go in front) ----
  Bytes body;
  int riprel_pos = -1;
  if (modrm) {
    if (mod == 3) {
      const int rm = row.rm >= 0 ? row.rm : (int)rng.below(8);
      body.put((u8)(0xC0 | (regf << 3) | rm));
    } else {
      riprel_pos = emit_mem(rng, opt, d.asize, mod, regf, &rexbits, &body);
    }
  }
  for (int i = 0; i < row.ops.count; ++i) {
    const OperandSpec& s = row.ops.op[i];
    if (s.kind == OpKind::L) {  // is4: the register in imm8[7:4] (SDM Vol. 2A §2.3.7)
      const u64 reg = opt.mode == 64 ? rng.below(16) : rng.below(8);
      body.put((u8)(reg << 4 | rng.below(16)));
      continue;
    }
    const int n = immediate_bytes(s, d.opsize, d.asize, opt.mode == 64);
    if (!n) continue;
    u64 v;
    if (s.kind == OpKind::O) v = pick_address(rng, opt);
    else if (s.kind == OpKind::J && n > 1 && rng.below(10) < 7) v = rng.below(128) - 64;
    else v = random_value(rng, n > 8 ? 8 : n);
    body.le(v, n);
  }

  // ---- prefixes and opcode ----
  o->n = 0;
  emit_legacy(d, rng, o);
  if (vex) {
    emit_vex(row, rng, opt, rexbits, vvvv, o);
  } else {
    if (opt.mode == 64 && (d.has_rex || rexbits)) o->put((u8)(0x40 | rexbits));
    if (row.map != Map::P) o->put(0x0F);
    if (row.map == Map::M0F38) o->put(0x38);
    if (row.map == Map::M0F3A) o->put(0x3A);
  }
  o->put((u8)opc);
  const int body_at = o->n;
  for (int i = 0; i < body.n; ++i) o->put(body.b[i]);
  if (o->n > 15) return false;
  if (riprel_pos >= 0 && opt.mem_hi > opt.mem_lo) {
    // disp32 = target - next RIP (SDM Vol. 2A §2.2.1.6).
    const u64 target = pick_address(rng, opt);
    const u64 disp = target - (opt.rip + (u64)o->n);
    for (int k = 0; k < 4; ++k) o->b[body_at + riprel_pos + k] = (u8)(disp >> (8 * k));
  }
  return true;
}

}  // namespace

bool encode_random(const Row& row, Rng& rng, const EncodeOptions& opt, Encoded* out) {
  if (!row_valid_in_mode(row, opt.mode)) return false;
  const DecodeMode dm{(u8)(opt.mode / 8), kAllFeatures};
  EncodeOptions o = opt;
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (attempt == 100) o.prefixes = false;  // siblings keep winning: go plain
    Bytes b;
    if (!build_once(row, rng, o, &b)) continue;
    Insn insn;
    if (decode(b.b, (u32)b.n, dm, insn) != DecodeStatus::Ok) continue;
    if (insn.row != &row || insn.len != b.n) continue;
    __builtin_memcpy(out->bytes, b.b, (size_t)b.n);
    out->len = (u8)b.n;
    out->row = &row;
    return true;
  }
  return false;
}

}  // namespace pc64::testgen
