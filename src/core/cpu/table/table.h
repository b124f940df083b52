// The opcode table: the single source of truth for the x86 instruction set.
//
// Every instruction form is one Row. The rows live in the group files next
// to this header (arith.def, shift.def, ...), written in the Intel SDM's own
// operand notation (SDM Vol. 2D, Appendix A.2):
//
//   ROW(ADD, P, 0x00, 1, ANY, NOREG, MOD_ANY, "Eb,Gb", "", "oszapc", "", LOCK, BASE)
//       mnemonic, map, opcode, span, mandatory prefix, ModRM.reg digit,
//       ModRM.mod constraint, operands, flags read, written, undefined,
//       attributes, CPUID feature.
//
// `span` > 1 makes one row cover consecutive opcodes: 8 for the "+r" forms
// (the register is in opcode bits 0..2, operand letter Z) and 16 for the
// condition-code families (Jcc, SETcc, CMOVcc; the condition is the low nibble).
//
// The same rows drive the decoder (decoder.cpp), the disassembler
// (disasm.cpp), the interpreter dispatch (interp/dispatch.cpp), the
// differential test generator (tools/difftest) and its flag masks.
//
// Where the table departs from the manual:
//  - Operand letter Z (not in the SDM) is the register encoded in the low
//    three opcode bits plus REX.B, as in "50+rd" PUSH.
//  - Operand size letter 'r' is "d outside 64-bit mode, q in 64-bit mode"
//    (MOV to/from control and debug registers), independent of REX.W.
//  - VEX rows for BMI1/BMI2 use 'B' for the GPR named by VEX.vvvv, as the
//    SDM's opcode map does, and size 'y' (d, or q with VEX.W in 64-bit mode).
//  - "M" with no size is memory of no particular size (LEA, INVLPG, the x87
//    environment images); the SDM leaves it unsized too. OpSize::m names it.
//  - SIMD operands follow App. A.2.1 (V W U H L for XMM/YMM, P Q N for MMX)
//    with the sizes of A.2.2: ps pd ss sd dq qq x (dq, or qq with VEX.L = 1).
//    Packed ps/pd are sized like x; 'h' is half of x (F16C memory operands). "Wss"/"Wsd" in register form still name
//    a whole XMM register; only a memory operand is 4 or 8 bytes.
//  - VEX twins (SDM Vol. 2A §2.3, Vol. 1 §14): VROW(...) has ROW's columns and
//    makes the VEX encoding of a legacy SSE instruction. It keeps the legacy
//    row's mnemonic (so one handler serves both; handlers take their sources
//    through src1_index()/src2_index(), interp/simd.h), adds the VEX attribute
//    and is named "V" + the mnemonic (VADDPS) for the disassembler and the
//    differential tester. VROW_AVX2 (all_groups.inc) makes the two rows of an
//    integer instruction: VEX.128 (L0) needs AVX, VEX.256 (L1) AVX2. An FP row
//    without L0/L1 takes both lengths (or ignores L: scalar rows are VEX.LIG).
//  - Sizes hx, qx, ox (not in the SDM's A.2.2): a half, quarter or eighth of
//    x, for the widening sources (VCVTPS2PD, VPMOVSXBW/BD/BQ: 8/4/2 bytes, or
//    16/8/4 with VEX.L = 1). A register operand of these sizes is a whole XMM.
//  - x87 operands: "ST" is ST(0) and "STi" the register in ModRM.rm; x87
//    memory operands use the integer/float size letters w d q and t (the
//    80-bit m80fp/m80bcd). Which format the bytes hold is the mnemonic's.
#pragma once
#include "base/base.h"

namespace pc64 {

// Called only when a table literal is malformed: not constexpr, so using it
// during constant evaluation turns the mistake into a compile error.
inline void table_error(const char*) { __builtin_trap(); }

// ---- mnemonics: gathered from the MNEMONICS() lines of every group file ----
enum class Mn : u16 {
  INVALID,
#define MNEMONICS(...) __VA_ARGS__,
#define ROW(...)
#define VROW(...)
#include "cpu/table/all_groups.inc"
#undef MNEMONICS
#undef ROW
#undef VROW
  kCount
};

enum class Map : u8 { P, M0F, M0F38, M0F3A };  // P = primary (one-byte) map

// Mandatory-prefix column. ANY: 66 is the operand-size prefix and F2/F3 are
// REP or ignored. NP: no 66/F2/F3 allowed. P66/PF3/PF2: that prefix selects
// this row (and is not an operand-size or REP prefix).
enum class Pfx : u8 { ANY, NP, P66, PF3, PF2 };

enum class ModSel : u8 { ANY, MEM, REG };

enum class OpKind : u8 {
  None,
  E,         // ModRM r/m: register or memory
  G,         // ModRM reg: general register
  M,         // ModRM r/m: memory only
  R,         // ModRM r/m: register only
  S,         // ModRM reg: segment register
  C,         // ModRM reg: control register
  D,         // ModRM reg: debug register
  Z,         // opcode bits 0..2 (+REX.B): general register
  B,         // VEX.vvvv: general register
  I,         // immediate
  J,         // relative branch offset
  O,         // absolute offset (moffs), address-size wide
  A,         // far pointer immediate (offset then selector)
  X,         // string source DS:rSI (segment overridable)
  Y,         // string destination ES:rDI
  FixedReg,  // AL, CL, DX, rAX, ...: `reg` is the GPR number
  FixedSeg,  // CS, DS, ...: `reg` is the SegReg
  One,       // the constant 1 (shift and rotate by one)
  V,         // ModRM reg: XMM/YMM register
  W,         // ModRM r/m: XMM/YMM register or memory
  U,         // ModRM r/m: XMM/YMM register only
  H,         // VEX.vvvv: XMM/YMM register
  L,         // imm8[7:4]: XMM/YMM register (VEX four-operand forms)
  P,         // ModRM reg: MMX register
  Q,         // ModRM r/m: MMX register or memory
  N,         // ModRM r/m: MMX register only
  St0,       // ST(0)
  Sti,       // ModRM r/m: ST(i)
};

// Register file an operand kind names (for the decoder and the disassembler).
constexpr bool kind_is_xmm(OpKind k) {
  return k == OpKind::V || k == OpKind::W || k == OpKind::U || k == OpKind::H || k == OpKind::L;
}
constexpr bool kind_is_mmx(OpKind k) { return k == OpKind::P || k == OpKind::Q || k == OpKind::N; }

enum class OpSize : u8 {
  None,
  b, w, d, q,
  v,   // 2, 4 or 8: the operand size
  z,   // 2 or 4: word for 16-bit operand size, else dword
  y,   // 4 or 8: qword only with 64-bit operand size
  r,   // 4, or 8 in 64-bit mode (control/debug register moves)
  p,   // far pointer: 2-byte selector plus z
  a,   // BOUND pair of v
  s,   // pseudo-descriptor (LGDT): 6 or 10 bytes
  m,   // memory of no particular size (LEA, INVLPG, CLFLUSH, ...)
  t,   // 10 bytes: x87 m80fp / m80bcd
  dq,  // 16 bytes
  qq,  // 32 bytes
  x,   // 16, or 32 with VEX.L = 1 (SDM "x")
  ps,  // packed single: like x
  pd,  // packed double: like x
  ss,  // scalar single: 4 bytes in memory
  sd,  // scalar double: 8 bytes in memory
  hx,  // half of x: 8, or 16 with VEX.L = 1 (widening conversions, F16C halves)
  qx,  // quarter of x: 4 or 8
  ox,  // eighth of x: 2 or 4
};

struct OperandSpec {
  OpKind kind = OpKind::None;
  OpSize size = OpSize::None;
  u8 reg = 0;
};

struct Operands {
  OperandSpec op[4];
  u8 count = 0;
};

// The x87 condition codes C0-C3 in the flag columns: digits 0-3, for the
// "FPU Flags Affected" of x87 rows (undefined ones are not compared by the
// differential test). They use RFLAGS bits 24-27, which are reserved there.
constexpr u32 kFlagC0 = 1u << 24, kFlagC1 = 1u << 25, kFlagC2 = 1u << 26, kFlagC3 = 1u << 27;

// RFLAGS bit set from a constexpr string of flag letters: "oszapc" plus
// d (DF), i (IF), t (TF), n (NT), r (RF), v (VM), l (IOPL), x (AC), e (ID),
// and 0-3 for x87 C0-C3 (above).
constexpr u32 flag_bits(const char* s) {
  u32 m = 0;
  for (; *s; ++s) {
    switch (*s) {
      case 'c': m |= 1u << 0; break;
      case 'p': m |= 1u << 2; break;
      case 'a': m |= 1u << 4; break;
      case 'z': m |= 1u << 6; break;
      case 's': m |= 1u << 7; break;
      case 't': m |= 1u << 8; break;
      case 'i': m |= 1u << 9; break;
      case 'd': m |= 1u << 10; break;
      case 'o': m |= 1u << 11; break;
      case 'l': m |= 3u << 12; break;
      case 'n': m |= 1u << 14; break;
      case 'r': m |= 1u << 16; break;
      case 'v': m |= 1u << 17; break;
      case 'x': m |= 1u << 18; break;
      case 'e': m |= 1u << 21; break;
      case '0': m |= kFlagC0; break;
      case '1': m |= kFlagC1; break;
      case '2': m |= kFlagC2; break;
      case '3': m |= kFlagC3; break;
      case ' ': break;
      default: table_error("bad flag letter in opcode table");
    }
  }
  return m;
}

constexpr bool str_eq(const char* a, const char* b, int n) {
  for (int i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return b[n] == 0;
}

constexpr OpSize parse_size(const char* s, int n) {
  if (n == 0) return OpSize::None;
  if (n == 2) {
    struct Two { char a, b; OpSize size; };
    constexpr Two kTwo[] = {{'d', 'q', OpSize::dq}, {'q', 'q', OpSize::qq}, {'p', 's', OpSize::ps},
                            {'p', 'd', OpSize::pd}, {'s', 's', OpSize::ss}, {'s', 'd', OpSize::sd},
                            {'h', 'x', OpSize::hx}, {'q', 'x', OpSize::qx}, {'o', 'x', OpSize::ox}};
    for (const Two& t : kTwo)
      if (s[0] == t.a && s[1] == t.b) return t.size;
    table_error("bad operand size in opcode table");
  }
  if (n != 1) table_error("bad operand size in opcode table");
  switch (s[0]) {
    case 'b': return OpSize::b;
    case 'w': return OpSize::w;
    case 'd': return OpSize::d;
    case 'q': return OpSize::q;
    case 'v': return OpSize::v;
    case 'z': return OpSize::z;
    case 'y': return OpSize::y;
    case 'r': return OpSize::r;
    case 'p': return OpSize::p;
    case 'a': return OpSize::a;
    case 's': return OpSize::s;
    case 't': return OpSize::t;
    case 'x': return OpSize::x;
  }
  table_error("bad operand size in opcode table");
  return OpSize::None;
}

// One operand in the manual's notation: "Eb", "Gv", "Iz", "AL", "rAX", "1".
constexpr OperandSpec parse_operand(const char* s, int n) {
  struct Fixed { const char* name; OpKind kind; OpSize size; u8 reg; };
  constexpr Fixed kFixed[] = {
      {"AL", OpKind::FixedReg, OpSize::b, 0}, {"CL", OpKind::FixedReg, OpSize::b, 1},
      {"DL", OpKind::FixedReg, OpSize::b, 2}, {"AH", OpKind::FixedReg, OpSize::b, 4},
      {"AX", OpKind::FixedReg, OpSize::w, 0}, {"DX", OpKind::FixedReg, OpSize::w, 2},
      {"eAX", OpKind::FixedReg, OpSize::z, 0}, {"rAX", OpKind::FixedReg, OpSize::v, 0},
      {"rCX", OpKind::FixedReg, OpSize::v, 1}, {"rDX", OpKind::FixedReg, OpSize::v, 2},
      {"EAX", OpKind::FixedReg, OpSize::d, 0}, {"ECX", OpKind::FixedReg, OpSize::d, 1},
      {"EDX", OpKind::FixedReg, OpSize::d, 2},
      {"ES", OpKind::FixedSeg, OpSize::w, 0}, {"CS", OpKind::FixedSeg, OpSize::w, 1},
      {"SS", OpKind::FixedSeg, OpSize::w, 2}, {"DS", OpKind::FixedSeg, OpSize::w, 3},
      {"FS", OpKind::FixedSeg, OpSize::w, 4}, {"GS", OpKind::FixedSeg, OpSize::w, 5},
      {"1", OpKind::One, OpSize::b, 0},
      {"ST", OpKind::St0, OpSize::t, 0}, {"STi", OpKind::Sti, OpSize::t, 0},
  };
  for (const Fixed& f : kFixed)
    if (str_eq(s, f.name, n)) return {f.kind, f.size, f.reg};
  OpKind k = OpKind::None;
  switch (s[0]) {
    case 'E': k = OpKind::E; break;
    case 'G': k = OpKind::G; break;
    case 'M': k = OpKind::M; break;
    case 'R': k = OpKind::R; break;
    case 'S': k = OpKind::S; break;
    case 'C': k = OpKind::C; break;
    case 'D': k = OpKind::D; break;
    case 'Z': k = OpKind::Z; break;
    case 'B': k = OpKind::B; break;
    case 'I': k = OpKind::I; break;
    case 'J': k = OpKind::J; break;
    case 'O': k = OpKind::O; break;
    case 'A': k = OpKind::A; break;
    case 'X': k = OpKind::X; break;
    case 'Y': k = OpKind::Y; break;
    case 'V': k = OpKind::V; break;
    case 'W': k = OpKind::W; break;
    case 'U': k = OpKind::U; break;
    case 'H': k = OpKind::H; break;
    case 'L': k = OpKind::L; break;
    case 'P': k = OpKind::P; break;
    case 'Q': k = OpKind::Q; break;
    case 'N': k = OpKind::N; break;
    default: table_error("bad operand in opcode table");
  }
  OpSize sz = parse_size(s + 1, n - 1);
  if (sz == OpSize::None && k != OpKind::M) table_error("operand needs a size letter");
  if (k == OpKind::M && sz == OpSize::None) sz = OpSize::m;
  return {k, sz, 0};
}

constexpr Operands parse_operands(const char* s) {
  Operands r{};
  while (*s) {
    int n = 0;
    while (s[n] && s[n] != ',') ++n;
    if (r.count == 4) table_error("too many operands");
    r.op[r.count++] = parse_operand(s, n);
    s += n;
    if (*s == ',') ++s;
  }
  return r;
}

// Row attributes.
enum : u32 {
  LOCK = 1u << 0,     // LOCK prefix allowed (with a memory destination)
  I64 = 1u << 1,      // invalid in 64-bit mode (#UD)
  O64 = 1u << 2,      // valid only in 64-bit mode
  D64 = 1u << 3,      // operand size defaults to 64 in 64-bit mode (66 gives 16)
  F64 = 1u << 4,      // operand size forced to 64 in 64-bit mode (66 ignored, Intel)
  REP = 1u << 5,      // F3 is REP
  REPCC = 1u << 6,    // F3/F2 are REPE/REPNE
  BRANCH = 1u << 7,   // changes RIP other than by falling through: ends a JIT block
  PRIV = 1u << 8,     // CPL 0 only
  SYS = 1u << 9,      // system instruction: not in the user-level differential test
  VEX = 1u << 10,     // VEX-encoded
  W0 = 1u << 11,      // VEX.W must be 0 (W1 #UD); with VEX, W1 rows use W1. Legacy rows: REX.W
  W1 = 1u << 12,
  L0 = 1u << 13,      // VEX.L must be 0
  NOTEST = 1u << 14,  // differential test cannot run it natively (e.g. host-dependent)
  IOPL = 1u << 15,    // IOPL-sensitive
  SERIAL = 1u << 16,  // ends a JIT block (serialising, mode-changing, halting)
  XCHG_LOCK = 1u << 17,  // locked even without LOCK (XCHG with memory)
  NOMODRM = 1u << 18,    // none of the operands is ModRM but the opcode still has no ModRM
  HASMODRM = 1u << 19,   // has a ModRM byte even though no operand names it (NOP Ev, 0F 01 forms)
  REXB = 1u << 20,       // needs REX.B (41 90 is XCHG r8, rAX; plain 90 is NOP)
  // Vector memory alignment (SDM Vol. 1 §14.9, Vol. 2A §2.4 "Memory alignment"):
  // a legacy SSE instruction whose memory operand is 16 bytes must have it
  // 16-byte aligned (#GP(0)) unless the row says UNALIGNED (MOVUPS, LDDQU,
  // ...); VEX rows need alignment only with ALIGNED (VMOVAPS, VMOVNTDQ, ...).
  ALIGNED = 1u << 21,
  UNALIGNED = 1u << 22,
  // VEX.L must be 1. With L0 it lets VEX.L select between two rows of one
  // opcode (VEX.128 0F 77 VZEROUPPER, VEX.256 0F 77 VZEROALL).
  L1 = 1u << 23,
};

// CPUID features that gate rows (cpuid.cpp maps each to its CPUID bit).
enum class Feature : u8 {
  BASE, LM, CMOV, CX8, CX16, MOVBE, POPCNT, LZCNT, BMI1, BMI2, ADX, SSE42,
  RDRAND, RDSEED, RDTSCP, LAHF64, FSGSBASE, CLFLUSH, CLFLUSHOPT, CLWB, INVPCID,
  MONITOR, XSAVE, PKU, SMAP, SYSCALL, SEP, RDPID, FPU, SSE, SSE2,
  MMX, FXSR, SSE3, SSSE3, SSE41, AVX, AVX2, FMA, F16C, AES, PCLMUL, SHA,
  XSAVEOPT, XSAVEC, XSAVES, kCount,
};
static_assert((int)Feature::kCount <= 64, "Cpu::features is a 64-bit mask");

// How a row uses the x87/SIMD units, for the availability checks every such
// handler makes first (interp/simd.h): derived from the row, so the table
// stays the single source.
enum class FpClass : u8 {
  None,
  X87,   // x87 instruction: #NM if CR0.EM or CR0.TS
  Mmx,   // MMX register operand: #UD if CR0.EM, #NM if CR0.TS
  Sse,   // legacy-encoded XMM operand: #UD if CR0.EM or !CR4.OSFXSR, #NM if CR0.TS
  Avx,   // VEX-encoded XMM/YMM operand: #UD without CR4.OSXSAVE and XCR0 SSE|AVX, #NM if CR0.TS
};

struct Row {
  Mn mn;
  Map map;
  u8 opcode;
  u8 span;
  Pfx pfx;
  i8 reg;       // ModRM.reg digit, or -1
  ModSel mod;
  i8 rm;        // ModRM.rm for fixed register forms (0F 01 /1 rm=0 ...), or -1
  Operands ops;
  u32 flags_read;
  u32 flags_written;
  u32 flags_undef;
  u32 attr;
  Feature feature;
  const char* name;     // the mnemonic, upper case ("ADD", "Jcc")
  const char* operands; // the operand string as written
};

// Whether the row's encoding has a ModRM byte (an operand names ModRM, or
// the row constrains ModRM.reg/mod/rm). The decoder reads ModRM for an
// opcode slot if any of its rows has one.
constexpr bool row_has_modrm(const Row& r) {
  if (r.attr & HASMODRM) return true;
  if (r.reg >= 0 || r.mod != ModSel::ANY) return true;
  for (int i = 0; i < r.ops.count; ++i) {
    switch (r.ops.op[i].kind) {
      case OpKind::E: case OpKind::G: case OpKind::M: case OpKind::R:
      case OpKind::S: case OpKind::C: case OpKind::D:
      case OpKind::V: case OpKind::W: case OpKind::U:
      case OpKind::P: case OpKind::Q: case OpKind::N: case OpKind::Sti:
        return true;
      default: break;
    }
  }
  return false;
}

constexpr FpClass row_fp_class(const Row& r) {
  bool xmm = false, mmx = false, x87 = false;
  for (int i = 0; i < r.ops.count; ++i) {
    xmm |= kind_is_xmm(r.ops.op[i].kind);
    mmx |= kind_is_mmx(r.ops.op[i].kind);
    x87 |= r.ops.op[i].kind == OpKind::St0 || r.ops.op[i].kind == OpKind::Sti;
  }
  if (mmx) return FpClass::Mmx;  // MMX forms with an XMM operand too (CVTPI2PS, MOVQ2DQ) count as MMX
  if (xmm) return (r.attr & VEX) ? FpClass::Avx : FpClass::Sse;
  // VEX rows of the AVX feature with no vector operand (VZEROUPPER, VZEROALL)
  // still follow the AVX rule; VEX GPR rows (BMI1/BMI2) have other features.
  if ((r.attr & VEX) && r.feature == Feature::AVX) return FpClass::Avx;
  // x87 rows: an ST operand, the FPU feature, or an escape opcode (FISTTP is
  // SSE3 by CPUID); FXSAVE/FXRSTOR move the x87 state too.
  const bool esc = r.map == Map::P && r.opcode >= 0xD8 && r.opcode <= 0xDF && !(r.attr & VEX);
  if (x87 || esc || r.feature == Feature::FPU || r.feature == Feature::FXSR) return FpClass::X87;
  return FpClass::None;
}

// Bytes an operand of size `s` occupies, for a given operand size (2/4/8)
// in 64-bit mode or not, and VEX.L (0 for sizeless operands). A scalar
// (ss/sd) size is the memory operand's; a register operand is the whole
// XMM register (the decoder sizes those).
constexpr int operand_bytes(OpSize s, int opsize, bool mode64, int vex_l = 0) {
  switch (s) {
    case OpSize::t: return 10;
    case OpSize::dq: return 16;
    case OpSize::qq: return 32;
    case OpSize::x: case OpSize::ps: case OpSize::pd: return vex_l ? 32 : 16;
    case OpSize::ss: return 4;
    case OpSize::sd: return 8;
    case OpSize::hx: return vex_l ? 16 : 8;
    case OpSize::qx: return vex_l ? 8 : 4;
    case OpSize::ox: return vex_l ? 4 : 2;
    case OpSize::b: return 1;
    case OpSize::w: return 2;
    case OpSize::d: return 4;
    case OpSize::q: return 8;
    case OpSize::v: return opsize;
    case OpSize::z: return opsize == 2 ? 2 : 4;
    case OpSize::y: return opsize == 8 ? 8 : 4;
    case OpSize::r: return mode64 ? 8 : 4;
    case OpSize::p: return 2 + (opsize == 2 ? 2 : (opsize == 8 ? 8 : 4));
    case OpSize::a: return 2 * opsize;
    case OpSize::s: return mode64 ? 10 : 6;
    default: return 0;
  }
}

// Bytes an operand takes from the instruction stream: immediates (Iz is at
// most 4 bytes, sign-extended), branch offsets (Jz is 4 bytes in 64-bit
// mode, SDM Vol. 2A §2.2.1.3), moffs (address-size wide) and far pointers.
constexpr int immediate_bytes(const OperandSpec& o, int opsize, int asize, bool mode64) {
  switch (o.kind) {
    case OpKind::I: return o.size == OpSize::z ? (opsize == 2 ? 2 : 4) : operand_bytes(o.size, opsize, false);
    case OpKind::J: return o.size == OpSize::b ? 1 : (mode64 ? 4 : (opsize == 2 ? 2 : 4));
    case OpKind::O: return asize;
    case OpKind::A: return opsize == 2 ? 4 : 6;
    default: return 0;
  }
}

extern const Row kRows[];
extern const u32 kNumRows;

const char* mnemonic_name(Mn mn);

}  // namespace pc64
