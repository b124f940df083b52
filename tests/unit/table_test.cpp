// Whole-table consistency tests for the opcode table (cpu/table/*.def).
//
//  - Ambiguity: for every (legacy|VEX, map, opcode) slot and every mandatory
//    prefix, ModRM byte, mode, VEX.W/pp and feature set, the decoder's row
//    selection (decoder.cpp choose(): highest score wins, first row on a tie)
//    must have a single best row. The selection is mirrored here and every
//    case is cross-checked against decode(), so the mirror cannot drift.
//  - Reachability: every row (and every opcode of a span) decodes to itself
//    in every mode where it is legal, found by a small deterministic search
//    over prefixes and ModRM bytes; the found encoding's length is checked.
//  - Sanity rules on attributes, operands and flags (see the Sanity tests).
//
// Failures are collected, de-duplicated and reported with the row names.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cpu/decoder.h"
#include "cpu/table/table.h"

using namespace pc64;

namespace {

constexpr int kModes[] = {8, 4, 2};  // code size: 64-, 32-, 16-bit

const char* map_name(Map m) {
  switch (m) {
    case Map::P: return "";
    case Map::M0F: return "0F ";
    case Map::M0F38: return "0F38 ";
    case Map::M0F3A: return "0F3A ";
  }
  return "? ";
}

const char* pfx_name(Pfx p) {
  switch (p) {
    case Pfx::ANY: return "";
    case Pfx::NP: return "NP ";
    case Pfx::P66: return "66 ";
    case Pfx::PF3: return "F3 ";
    case Pfx::PF2: return "F2 ";
  }
  return "? ";
}

// "SLDT Rv [0F 00 /0 mod=3]"
std::string describe(const Row& r) {
  char buf[160];
  char digit[8] = "";
  if (r.reg >= 0) std::snprintf(digit, sizeof digit, " /%d", r.reg);
  const char* mod = r.mod == ModSel::MEM ? " mem" : r.mod == ModSel::REG ? " reg" : "";
  char rm[8] = "";
  if (r.rm >= 0) std::snprintf(rm, sizeof rm, " rm=%d", r.rm);
  std::snprintf(buf, sizeof buf, "%s %s [%s%s%s%02X%s%s%s]", r.name, r.operands,
                (r.attr & VEX) ? "VEX " : "", pfx_name(r.pfx), map_name(r.map), r.opcode, digit,
                mod, rm);
  return buf;
}

int row_index(const Row* r) { return (int)(r - kRows); }

bool has_kind(const Row& r, OpKind k) {
  for (int i = 0; i < r.ops.count; ++i)
    if (r.ops.op[i].kind == k) return true;
  return false;
}

// One decoding context: prefixes (or VEX fields), mode and CPUID features.
struct Ctx {
  bool vex = false;
  int p66 = 0, rep = 0;     // legacy: 66 present, 0/F2/F3
  int rex = 0;              // legacy, 64-bit mode: REX byte or 0
  int pp = 0, w = 0, l = 0; // VEX
  int code_size = 8;
  u64 features = kAllFeatures;
};

std::string describe(const Ctx& c, u8 modrm, bool has_modrm) {
  char buf[96];
  if (c.vex)
    std::snprintf(buf, sizeof buf, "%d-bit, VEX.pp=%d W=%d L=%d", c.code_size * 8, c.pp, c.w, c.l);
  else
    std::snprintf(buf, sizeof buf, "%d-bit, prefixes:%s%s%s", c.code_size * 8, c.p66 ? " 66" : "",
                  c.rep == 0xF3 ? " F3" : c.rep == 0xF2 ? " F2" : "",
                  (c.p66 || c.rep) ? "" : " none");
  std::string s = buf;
  if (c.rex) {
    std::snprintf(buf, sizeof buf, ", REX %02X", c.rex);
    s += buf;
  }
  if (has_modrm) {
    std::snprintf(buf, sizeof buf, ", ModRM %02X", modrm);
    s += buf;
  }
  if (c.features != kAllFeatures) {
    for (int f = 0; f < (int)Feature::kCount; ++f)
      if (!(c.features >> f & 1)) {
        std::snprintf(buf, sizeof buf, ", feature %d off", f);
        s += buf;
      }
  }
  return s;
}

// Mirror of decoder.cpp choose(): the row's score, or -1 if it does not match.
int score_of(const Row& r, const Ctx& c, u8 modrm) {
  const bool mode64 = c.code_size == 8;
  int score = 0;
  if (c.vex) {
    static const Pfx kPP[4] = {Pfx::NP, Pfx::P66, Pfx::PF3, Pfx::PF2};
    Pfx want = kPP[c.pp];
    if (r.pfx != want && !(r.pfx == Pfx::ANY && want == Pfx::NP)) return -1;
  } else {
    switch (r.pfx) {
      case Pfx::ANY: score = 0; break;
      case Pfx::NP: score = 1; if (c.p66 || c.rep) return -1; break;
      case Pfx::P66: score = 2; if (!c.p66 || c.rep) return -1; break;
      case Pfx::PF3: score = 3; if (c.rep != 0xF3) return -1; break;
      case Pfx::PF2: score = 3; if (c.rep != 0xF2) return -1; break;
    }
  }
  const int mod = modrm >> 6, reg = (modrm >> 3) & 7, rm = modrm & 7;
  if (r.reg >= 0) {
    if (r.reg != reg) return -1;
    score += 4;
  }
  if (r.mod == ModSel::MEM) {
    if (mod == 3) return -1;
    score += 4;
  } else if (r.mod == ModSel::REG) {
    if (mod != 3) return -1;
    score += 4;
  }
  if (r.rm >= 0) {
    if (r.rm != rm) return -1;
    score += 4;
  }
  if ((r.attr & I64) && mode64) return -1;
  if ((r.attr & O64) && !mode64) return -1;
  if (r.attr & (W0 | W1)) {  // VEX.W, or REX.W for legacy rows
    int w = c.vex ? (mode64 ? c.w : 0) : (c.rex >> 3) & 1;
    if ((r.attr & W0) && w) return -1;
    if ((r.attr & W1) && !w) return -1;
  }
  if (c.vex && (r.attr & L0) && c.l) return -1;
  if (c.vex && (r.attr & L1) && !c.l) return -1;
  if (r.attr & REXB) {
    if (!(c.rex & 1)) return -1;
    score += 4;
  }
  if (!(c.features >> (int)r.feature & 1)) return -1;
  return score;
}

// Would decode() reject this ModRM for the row's operand forms?
bool form_invalid(const Row& r, u8 modrm) {
  const int mod = modrm >> 6, reg = (modrm >> 3) & 7;
  if (mod == 3 && has_kind(r, OpKind::M)) return true;
  if (mod != 3 && has_kind(r, OpKind::R)) return true;
  if (reg > 5 && has_kind(r, OpKind::S)) return true;
  return false;
}

// The instruction bytes for a context: prefixes, escape, opcode, ModRM, then
// zeros (SIB 0, displacement and immediates 0). Returns the buffer size.
int encode(const Ctx& c, Map map, u8 opc, bool has_modrm, u8 modrm, u8* out) {
  int n = 0;
  if (c.vex) {
    out[n++] = 0xC4;
    out[n++] = (u8)(0xE0 | (int)map);  // R X B inverted = 1: no extension
    out[n++] = (u8)((c.w << 7) | (0xF << 3) | (c.l << 2) | c.pp);  // vvvv = 0
  } else {
    if (c.p66) out[n++] = 0x66;
    if (c.rep) out[n++] = (u8)c.rep;
    if (c.rex) out[n++] = (u8)c.rex;
    if (map != Map::P) out[n++] = 0x0F;
    if (map == Map::M0F38) out[n++] = 0x38;
    if (map == Map::M0F3A) out[n++] = 0x3A;
  }
  out[n++] = opc;
  if (has_modrm) out[n++] = modrm;
  while (n < 32) out[n++] = 0;
  return n;
}

struct SlotRows {
  bool vex;
  Map map;
  u8 opc;
  bool has_modrm = false;
  std::vector<const Row*> rows;
};

std::vector<SlotRows> all_slots() {
  std::map<int, SlotRows> m;
  for (u32 i = 0; i < kNumRows; ++i) {
    const Row& r = kRows[i];
    for (int k = 0; k < r.span; ++k) {
      bool vex = r.attr & VEX;
      int key = ((vex ? 4 : 0) + (int)r.map) * 256 + r.opcode + k;
      SlotRows& s = m[key];
      s.vex = vex;
      s.map = r.map;
      s.opc = (u8)(r.opcode + k);
      s.rows.push_back(&r);
      if (row_has_modrm(r)) s.has_modrm = true;
    }
  }
  std::vector<SlotRows> v;
  for (auto& kv : m) v.push_back(kv.second);
  return v;
}

// Every prefix/VEX context for a slot in one mode.
std::vector<Ctx> contexts(bool vex, int code_size, u64 features) {
  std::vector<Ctx> v;
  Ctx c;
  c.vex = vex;
  c.code_size = code_size;
  c.features = features;
  if (vex) {
    for (int w = 0; w < (code_size == 8 ? 2 : 1); ++w)
      for (int l = 0; l < 2; ++l)
        for (int pp = 0; pp < 4; ++pp) {
          c.pp = pp;
          c.w = w;
          c.l = l;
          v.push_back(c);
        }
  } else {
    for (int rex : {0, 0x41, 0x48, 0x49}) {  // REX.B and REX.W select rows
      if (rex && code_size != 8) break;
      for (int p66 = 0; p66 < 2; ++p66)
        for (int rep : {0, 0xF3, 0xF2}) {
          c.p66 = p66;
          c.rep = rep;
          c.rex = rex;
          v.push_back(c);
        }
    }
  }
  return v;
}

// Feature sets to try: everything, and everything but one feature (a row with
// a disabled feature drops out and may expose a tie among the others).
std::vector<u64> feature_sets(const std::vector<const Row*>& rows) {
  std::vector<u64> v = {kAllFeatures};
  std::set<int> seen;
  for (const Row* r : rows)
    if (r->feature != Feature::BASE && seen.insert((int)r->feature).second)
      v.push_back(kAllFeatures & ~(1ull << (int)r->feature));
  return v;
}

// Collects messages keyed for de-duplication and reports them once.
struct Report {
  std::map<std::string, std::string> items;  // key -> first example
  void add(const std::string& key, const std::string& example) { items.emplace(key, example); }
  void flush(const char* what) {
    int n = 0;
    for (auto& kv : items) {
      if (++n > 60) break;
      ADD_FAILURE() << what << ": " << kv.first << "\n    e.g. " << kv.second;
    }
    if (items.size() > 60) ADD_FAILURE() << what << ": " << items.size() - 60 << " more";
  }
};

TEST(Table, NoAmbiguousRows) {
  Report ambiguous, shadowed, drift;
  u8 buf[32];
  long cases = 0;
  for (const SlotRows& s : all_slots()) {
    const int nmodrm = s.has_modrm ? 256 : 1;
    for (u64 feats : feature_sets(s.rows))
      for (int cs : kModes)
        for (const Ctx& c : contexts(s.vex, cs, feats))
          for (int modrm = 0; modrm < nmodrm; ++modrm) {
            ++cases;
            const Row* best = nullptr;
            int best_score = -1, ties = 0;
            std::vector<const Row*> top;
            for (const Row* r : s.rows) {
              int sc = score_of(*r, c, (u8)modrm);
              if (sc < 0) continue;
              if (sc > best_score) {
                best = r;
                best_score = sc;
                top.assign(1, r);
              } else if (sc == best_score) {
                top.push_back(r);
              }
            }
            ties = (int)top.size();
            const std::string where = describe(c, (u8)modrm, s.has_modrm);
            if (ties > 1)
              for (int k = 1; k < ties; ++k)
                ambiguous.add(describe(*top[0]) + "  vs  " + describe(*top[k]), where);
            // A best row whose operand form is illegal here (M with mod=3 ...)
            // hides a lower-scored row that would have decoded.
            if (best && form_invalid(*best, (u8)modrm)) {
              for (const Row* r : s.rows)
                if (r != best && score_of(*r, c, (u8)modrm) >= 0 && !form_invalid(*r, (u8)modrm))
                  shadowed.add(describe(*best) + "  hides  " + describe(*r), where);
            }
            // Cross-check the mirror against the decoder itself, except where
            // the bytes mean something else: 40..4F are REX in 64-bit mode,
            // C4/C5 with mod=3 are VEX outside it.
            if (!s.vex && s.map == Map::P && cs == 8 && (s.opc & 0xF0) == 0x40) continue;
            if (!s.vex && s.map == Map::P && cs != 8 && (s.opc == 0xC4 || s.opc == 0xC5) &&
                modrm >= 0xC0)
              continue;
            int n = encode(c, s.map, s.opc, s.has_modrm, (u8)modrm, buf);
            Insn insn;
            DecodeStatus st = decode(buf, n, DecodeMode{(u8)cs, feats}, insn);
            if (st == DecodeStatus::TooLong) continue;
            bool ok;
            if (st == DecodeStatus::Ok)
              ok = best && insn.row == best;
            else
              ok = st == DecodeStatus::Invalid && (!best || form_invalid(*best, (u8)modrm));
            if (!ok)
              drift.add(std::string("mirror picks ") + (best ? describe(*best) : "nothing") +
                            ", decode() gives " +
                            (st == DecodeStatus::Ok ? describe(*insn.row) : "no row"),
                        where);
          }
  }
  ambiguous.flush("ambiguous rows (same best score)");
  shadowed.flush("row with an illegal operand form shadows a legal row");
  drift.flush("table_test's mirror of choose() disagrees with decode()");
  std::printf("[ table    ] %ld decoding contexts checked\n", cases);
}

bool legal_in_mode(const Row& r, int cs) {
  if ((r.attr & I64) && cs == 8) return false;
  if ((r.attr & O64) && cs != 8) return false;
  if ((r.attr & W1) && cs != 8) return false;  // VEX.W ignored, no REX.W: W reads 0
  if ((r.attr & REXB) && cs != 8) return false;
  return true;
}

// Searches prefixes and ModRM bytes for an encoding that decodes to `r`.
bool reach(const Row& r, u8 opc, int cs, u64 feats, std::string* err) {
  const bool vex = r.attr & VEX;
  bool has_modrm = false;
  for (u32 i = 0; i < kNumRows; ++i) {
    const Row& o = kRows[i];
    if (((o.attr & VEX) != 0) == vex && o.map == r.map && opc >= o.opcode &&
        opc < o.opcode + o.span && row_has_modrm(o))
      has_modrm = true;
  }
  u8 buf[32];
  for (const Ctx& c : contexts(vex, cs, feats))
    for (int modrm = 0; modrm < (has_modrm ? 256 : 1); ++modrm) {
      int n = encode(c, r.map, opc, has_modrm, (u8)modrm, buf);
      Insn insn;
      if (decode(buf, n, DecodeMode{(u8)cs, feats}, insn) != DecodeStatus::Ok) continue;
      if (insn.row != &r) continue;
      // The found encoding must decode identically from exactly len bytes
      // and ask for more with one byte less.
      for (int k = 0; k < r.ops.count; ++k) {
        const OperandSpec& o = r.ops.op[k];
        if (o.size != OpSize::m && o.size != OpSize::None && insn.op[k].size == 0)
          *err = "operand " + std::to_string(k) + " decoded with size 0";
      }
      Insn again;
      if (decode(buf, insn.len, DecodeMode{(u8)cs, feats}, again) != DecodeStatus::Ok ||
          again.row != &r || again.len != insn.len ||
          decode(buf, insn.len - 1, DecodeMode{(u8)cs, feats}, again) != DecodeStatus::NeedMore)
        *err = "length check failed for " + describe(c, (u8)modrm, has_modrm);
      return true;
    }
  return false;
}

TEST(Table, EveryRowReachable) {
  Report unreachable, length;
  for (u32 i = 0; i < kNumRows; ++i) {
    const Row& r = kRows[i];
    for (int cs : kModes) {
      if (!legal_in_mode(r, cs)) continue;
      for (int k = 0; k < r.span; ++k) {
        std::string err;
        bool ok = reach(r, (u8)(r.opcode + k), cs, kAllFeatures, &err);
        for (int f = 1; !ok && f < (int)Feature::kCount; ++f)
          if (f != (int)r.feature)
            ok = reach(r, (u8)(r.opcode + k), cs, kAllFeatures & ~(1ull << f), &err);
        char where[64];
        std::snprintf(where, sizeof where, "%d-bit mode, opcode %02X", cs * 8, r.opcode + k);
        if (!ok) unreachable.add(describe(r), where);
        if (!err.empty()) length.add(describe(r), std::string(where) + ": " + err);
      }
    }
  }
  unreachable.flush("row never decodes to itself");
  length.flush("decoded length inconsistent");
}

// ---- sanity rules ----

// Runs `rule` on every row; it returns an error text or nullptr.
template <class F>
void each_row(const char* what, F rule) {
  Report rep;
  for (u32 i = 0; i < kNumRows; ++i)
    if (const char* e = rule(kRows[i])) rep.add(describe(kRows[i]), e);
  rep.flush(what);
}

int count_kinds(const Row& r, std::initializer_list<OpKind> ks) {
  int n = 0;
  for (int i = 0; i < r.ops.count; ++i)
    for (OpKind k : ks) n += r.ops.op[i].kind == k;
  return n;
}

TEST(TableSanity, Flags) {
  each_row("flags", [](const Row& r) -> const char* {
    if (r.flags_undef & ~r.flags_written) return "undefined flag not written";
    return nullptr;
  });
}

TEST(TableSanity, VexRows) {
  each_row("VEX", [](const Row& r) -> const char* {
    const bool vex = r.attr & VEX;
    if (vex && r.map == Map::P) return "VEX row in the one-byte map";
    if (!vex && has_kind(r, OpKind::B)) return "operand B (VEX.vvvv) on a non-VEX row";
    if (!vex && (r.attr & (L0 | L1))) return "L0/L1 on a non-VEX row";
    if ((r.attr & L0) && (r.attr & L1)) return "both L0 and L1";
    if (vex && (r.attr & REXB)) return "REXB on a VEX row";
    if ((r.attr & W0) && (r.attr & W1)) return "both W0 and W1";
    if (vex && r.feature == Feature::BASE) return "VEX row without a CPUID feature";
    if (vex && (r.attr & (LOCK | REP | REPCC))) return "LOCK/REP on a VEX row";
    return nullptr;
  });
}

TEST(TableSanity, LockAndRep) {
  each_row("LOCK/REP", [](const Row& r) -> const char* {
    const OpKind k0 = r.ops.count ? r.ops.op[0].kind : OpKind::None;
    if ((r.attr & LOCK) && k0 != OpKind::E && k0 != OpKind::M)
      return "LOCK on a row whose first operand cannot be memory";
    if ((r.attr & XCHG_LOCK) && !count_kinds(r, {OpKind::E, OpKind::M}))
      return "XCHG_LOCK without a memory operand";
    const bool str = count_kinds(r, {OpKind::X, OpKind::Y}) > 0;
    if ((r.attr & (REP | REPCC)) && !str) return "REP/REPCC on a non-string row";
    if (str && !(r.attr & (REP | REPCC))) return "string row without REP or REPCC";
    if ((r.attr & REP) && (r.attr & REPCC)) return "both REP and REPCC";
    if ((r.attr & (REP | REPCC)) && r.pfx != Pfx::ANY)
      return "REP row with a mandatory prefix (F3 would not be REP)";
    return nullptr;
  });
}

TEST(TableSanity, Attributes) {
  each_row("attributes", [](const Row& r) -> const char* {
    if ((r.attr & I64) && (r.attr & O64)) return "both I64 and O64";
    if ((r.attr & D64) && (r.attr & F64)) return "both D64 and F64";
    if ((r.attr & (D64 | F64)) && (r.attr & I64)) return "D64/F64 on an I64 row";
    if ((r.attr & PRIV) && !(r.attr & SYS)) return "PRIV without SYS";
    if (count_kinds(r, {OpKind::J, OpKind::A}) && !(r.attr & BRANCH))
      return "relative or far-pointer operand without BRANCH";
    return nullptr;
  });
}

TEST(TableSanity, Operands) {
  each_row("operands", [](const Row& r) -> const char* {
    if (r.rm >= 0 && r.mod != ModSel::REG) return "fixed rm without mod=3";
    if (r.rm >= 0 && count_kinds(r, {OpKind::E, OpKind::M, OpKind::R}))
      return "fixed rm with an r/m operand";
    if ((r.attr & LOCK) && r.mod == ModSel::REG) return "LOCK on a register-only row";
    if (count_kinds(r, {OpKind::C, OpKind::D}) && !(r.attr & PRIV))
      return "control/debug register move not PRIV";
    if (has_kind(r, OpKind::M) && r.mod == ModSel::REG) return "M operand on a mod=3 row";
    if (has_kind(r, OpKind::R) && r.mod == ModSel::MEM) return "R operand on a memory row";
    if (count_kinds(r, {OpKind::E, OpKind::M, OpKind::R}) > 1) return "two ModRM.rm operands";
    if (count_kinds(r, {OpKind::G, OpKind::S, OpKind::C, OpKind::D}) > 1)
      return "two ModRM.reg operands";
    if (count_kinds(r, {OpKind::I}) > 2) return "more than two immediates";
    if (count_kinds(r, {OpKind::C, OpKind::D}) &&
        (count_kinds(r, {OpKind::R}) != 1 || r.ops.op[0].size != OpSize::r ||
         r.ops.op[1].size != OpSize::r))
      return "control/debug register move must be Rr with Cr/Dr";
    if (r.span == 16 && (r.flags_read & flag_bits("oszpc")) != flag_bits("oszpc"))
      return "condition family (span 16) must read the condition flags oszpc";
    if (r.span == 8 && (r.opcode & 7)) return "span 8 not aligned";
    if (r.span == 16 && (r.opcode & 15)) return "span 16 not aligned";
    if (has_kind(r, OpKind::O) && r.map != Map::P) return "moffs outside the one-byte map";
    if ((r.attr & HASMODRM) && count_kinds(r, {OpKind::E, OpKind::G, OpKind::M, OpKind::R}))
      return "HASMODRM is redundant: an operand already uses ModRM";
    return nullptr;
  });
}

TEST(TableSanity, ModrmUniformPerSlot) {
  Report rep;
  for (const SlotRows& s : all_slots())
    for (const Row* r : s.rows)
      if (row_has_modrm(*r) != s.has_modrm)
        rep.add(describe(*r), "has no ModRM, but its slot's other rows do: the decoder would "
                              "read a ModRM byte for it");
  rep.flush("ModRM presence differs within a slot");
}

TEST(TableSanity, Mnemonics) {
  Report rep;
  std::vector<int> used((int)Mn::kCount);
  for (u32 i = 0; i < kNumRows; ++i) {
    const Row& r = kRows[i];
    used[(int)r.mn]++;
    // A VEX twin (VROW) is named "V" + its legacy row's mnemonic.
    const std::string mn = mnemonic_name(r.mn);
    const bool twin = (r.attr & VEX) && std::string(r.name) == "V" + mn;
    if (std::string(r.name) != mn && !twin)
      rep.add(describe(r), std::string("mnemonic_name() says ") + mn);
  }
  for (int m = 1; m < (int)Mn::kCount; ++m)
    if (!used[m]) rep.add(mnemonic_name((Mn)m), "declared in MNEMONICS() but no row uses it");
  rep.flush("mnemonics");
}

// Spot checks of system.def encodings against the SDM.
TEST(TableSystem, Encodings) {
  struct Case {
    int cs;
    std::vector<u8> bytes;
    Mn mn;
    int len;
  };
  const Case cases[] = {
      {8, {0xF4}, Mn::HLT, 1},
      {4, {0xE4, 0x60}, Mn::IN, 2},
      {2, {0xEF}, Mn::OUT, 1},
      {4, {0x0F, 0x00, 0xC0}, Mn::SLDT, 3},
      {4, {0x0F, 0x00, 0x18}, Mn::LTR, 3},
      {8, {0x0F, 0x01, 0x15, 0, 0, 0, 0}, Mn::LGDT, 7},
      {8, {0x0F, 0x01, 0xF8}, Mn::SWAPGS, 3},
      {8, {0x0F, 0x01, 0xCA}, Mn::CLAC, 3},
      {8, {0x0F, 0x01, 0xD0}, Mn::XGETBV, 3},
      {8, {0x0F, 0x22, 0xD8}, Mn::MOV_CR, 3},
      {4, {0x0F, 0x21, 0xF8}, Mn::MOV_DR, 3},
      {8, {0x0F, 0x05}, Mn::SYSCALL, 2},
      {4, {0x0F, 0x34}, Mn::SYSENTER, 2},
      {4, {0x63, 0xC8}, Mn::ARPL, 2},
      {8, {0x66, 0x0F, 0x38, 0x82, 0x08}, Mn::INVPCID, 5},
      {8, {0xF3, 0x48, 0x0F, 0xAE, 0xC0}, Mn::RDFSBASE, 5},
  };
  for (const Case& c : cases) {
    Insn i;
    ASSERT_EQ(decode(c.bytes.data(), (u32)c.bytes.size(), {(u8)c.cs, kAllFeatures}, i),
              DecodeStatus::Ok)
        << mnemonic_name(c.mn);
    EXPECT_EQ(i.row->mn, c.mn) << mnemonic_name(c.mn);
    EXPECT_EQ(i.len, c.len) << mnemonic_name(c.mn);
  }
  Insn i;
  const u8 cr3[] = {0x0F, 0x20, 0xD8};  // mov rax, cr3: 64-bit whatever REX.W
  ASSERT_EQ(decode(cr3, 3, {8, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_EQ(i.op[0].size, 8);
  EXPECT_EQ(i.op[1].type, OpType::Cr);
  EXPECT_EQ(i.op[1].reg, 3);
  const u8 sgdt[] = {0x0F, 0x01, 0x00};  // sgdt [eax]: 6 bytes outside 64-bit mode
  ASSERT_EQ(decode(sgdt, 3, {4, kAllFeatures}, i), DecodeStatus::Ok);
  EXPECT_EQ(i.op[0].size, 6);
  const u8 swapgs[] = {0x0F, 0x01, 0xF8};  // o64
  EXPECT_EQ(decode(swapgs, 3, {4, kAllFeatures}, i), DecodeStatus::Invalid);
  const u8 invlpg_reg[] = {0x0F, 0x01, 0xFA};  // 0F 01 /7 mod=3 rm=2: no row (INVLPG is M)
  EXPECT_EQ(decode(invlpg_reg, 3, {8, kAllFeatures}, i), DecodeStatus::Invalid);
  const u8 clac_66[] = {0x66, 0x0F, 0x01, 0xCA};  // NP: 66 makes it #UD
  EXPECT_EQ(decode(clac_66, 4, {8, kAllFeatures}, i), DecodeStatus::Invalid);
}

}  // namespace
