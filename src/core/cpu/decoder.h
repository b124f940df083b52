// The decoder: instruction bytes -> Insn, driven entirely by the opcode table.
//
// The Insn record is everything a consumer needs: the interpreter, the
// disassembler and the JIT frontends never look at the instruction bytes
// again. Operand forms are resolved here: an operand is a register (with the
// AH..BH byte registers already told apart), a memory reference (described
// once per instruction in Insn's mem fields), or an immediate.
#pragma once
#include "base/base.h"
#include "cpu/table/table.h"

namespace pc64 {

class Cpu;
struct Insn;
using Handler = void (*)(Cpu&, const Insn&);

enum class OpType : u8 {
  None,
  Reg,     // general register `reg`; for 1-byte operands reg 4..7 without REX
           // are AH, CH, DH, BH, marked by `hi8`
  Mem,     // the memory operand (Insn::mem*)
  Imm,     // Insn::imm (or imm2 for the second immediate)
  Seg,     // segment register `reg`
  Cr,      // control register `reg`
  Dr,      // debug register `reg`
  Xmm,     // XMM/YMM register `reg` (0..15); `size` 16 or 32
  Mmx,     // MMX register `reg` (0..7)
  St,      // x87 register ST(`reg`)
};

struct DecodedOp {
  OpType type;
  u8 size;   // bytes
  u8 reg;
  u8 hi8;    // 1-byte AH/CH/DH/BH
};

enum : u8 { kNoReg = 0xff };

struct Insn {
  const Row* row;
  Handler fn;      // filled by the interpreter's binder
  u8 len;
  u8 opsize;       // 2, 4 or 8
  u8 asize;        // 2, 4 or 8
  u8 width;        // size of the first sized operand (1, 2, 4, 8)
  u8 opcode;       // last opcode byte
  u8 modrm;
  u8 rex;          // 0 if none
  u8 rep;          // 0, 0xF2 or 0xF3 (when the row is REP/REPCC capable)
  u8 lock;         // LOCK prefix present
  u8 seg;          // effective segment of the memory operand / string source
  u8 seg_override; // kNoSeg if none
  u8 nops;
  // memory operand
  u8 base;         // GPR or kNoReg
  u8 index;        // GPR or kNoReg
  u8 scale;        // shift count 0..3
  u8 riprel;       // RIP-relative: ea = next_rip + disp
  // VEX
  u8 vex;          // 1 if VEX-encoded
  u8 vex_v;        // VEX.vvvv (decoded, 0..15)
  u8 vex_l;
  u8 vex_w;
  u8 code_size;    // the decoding mode: 2, 4 or 8 (DecodeMode::code_size)
  i64 disp;
  u64 imm;
  u64 imm2;        // ENTER's second immediate, far pointer selector
  DecodedOp op[4];
  u8 cond() const { return opcode & 15; }  // condition code of Jcc/SETcc/CMOVcc
};

enum class DecodeStatus : u8 {
  Ok,
  NeedMore,   // ran out of bytes: fetch more (or #PF on the next page)
  Invalid,    // #UD
  TooLong,    // more than 15 bytes: #GP(0)
};

// The decoder's view of the CPU: mode bits and which CPUID features exist.
struct DecodeMode {
  u8 code_size;     // 2, 4 or 8 (8 = 64-bit mode)
  u64 features;     // bit (1 << Feature) for every enabled feature
};

// Decodes one instruction from `bytes` (`avail` bytes are valid).
DecodeStatus decode(const u8* bytes, u32 avail, const DecodeMode& mode, Insn& out);

// Every feature bit set.
constexpr u64 kAllFeatures = ~0ull;

}  // namespace pc64
