// The opcode table's rows, built at compile time from the group files.
#include "cpu/table/table.h"

namespace pc64 {
namespace {

enum : int { NOREG = -1 };
enum : int { MOD_ANY = 0, MOD_MEM = 1, MOD_REG = 2 };
#define RM(k) (3 + (k))  // register form with a fixed ModRM.rm (0F 01 C8 ...)

constexpr Map P = Map::P, M0F = Map::M0F, M0F38 = Map::M0F38, M0F3A = Map::M0F3A;
constexpr Pfx ANY = Pfx::ANY, NP = Pfx::NP, P66 = Pfx::P66, PF3 = Pfx::PF3, PF2 = Pfx::PF2;

constexpr Row make_row(Mn mn, const char* name, Map map, int opc, int span, Pfx pfx, int reg,
                       int mod, const char* ops, const char* rd, const char* wr,
                       const char* undef, u32 attr, Feature feat) {
  Row r{};
  r.mn = mn;
  r.name = name;
  r.map = map;
  r.opcode = (u8)opc;
  r.span = (u8)span;
  r.pfx = pfx;
  r.reg = (i8)reg;
  r.mod = mod >= 3 ? ModSel::REG : (ModSel)mod;
  r.rm = mod >= 3 ? (i8)(mod - 3) : (i8)-1;
  r.ops = parse_operands(ops);
  r.operands = ops;
  r.flags_read = flag_bits(rd);
  r.flags_written = flag_bits(wr);
  r.flags_undef = flag_bits(undef);
  r.attr = attr;
  r.feature = feat;
  if (span != 1 && span != 8 && span != 16) table_error("span must be 1, 8 or 16");
  if (opc + span > 256) table_error("opcode span past 0xff");
  if ((r.flags_undef & ~r.flags_written) != 0) table_error("undefined flag not in written set");
  return r;
}

using enum Feature;

}  // namespace

constexpr Row kRows[] = {
#define MNEMONICS(...)
#define ROW(mn, map, opc, span, pfx, reg, mod, ops, rd, wr, undef, attr, feat) \
  make_row(Mn::mn, #mn, map, opc, span, pfx, reg, mod, ops, rd, wr, undef, attr, feat),
#define VROW(mn, map, opc, span, pfx, reg, mod, ops, rd, wr, undef, attr, feat) \
  make_row(Mn::mn, "V" #mn, map, opc, span, pfx, reg, mod, ops, rd, wr, undef, (attr) | VEX, feat),
#include "cpu/table/all_groups.inc"
#undef ROW
#undef VROW
#undef MNEMONICS
};
const u32 kNumRows = sizeof(kRows) / sizeof(kRows[0]);

// "ADD, OR, ..., NOT,MOV, ..." in Mn order; split once on first use.
static const char kMnList[] =
#define MNEMONICS(...) #__VA_ARGS__ ","
#define ROW(...)
#define VROW(...)
#include "cpu/table/all_groups.inc"
#undef ROW
#undef VROW
#undef MNEMONICS
    ;

const char* mnemonic_name(Mn mn) {
  static char buf[sizeof(kMnList)];
  static const char* names[(int)Mn::kCount];
  if (!names[0]) {
    names[0] = "INVALID";
    int n = 1;
    u32 j = 0;
    for (u32 i = 0; kMnList[i]; ++i) {  // not bounded by n: the last name must finish
      char ch = kMnList[i];
      if (ch == ' ') continue;
      if (ch == ',') {
        if (j == 0 || buf[j - 1] == 0) continue;
        buf[j++] = 0;
        continue;
      }
      if ((j == 0 || buf[j - 1] == 0) && n < (int)Mn::kCount) names[n++] = &buf[j];
      buf[j++] = ch;
    }
  }
  u32 i = (u32)mn;
  return i < (u32)Mn::kCount && names[i] ? names[i] : "?";
}

}  // namespace pc64
