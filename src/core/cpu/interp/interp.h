// The interpreter: one handler per (mnemonic, operand width), bound to a
// decoded instruction by bind_handler().
//
// Handlers live in one file per instruction group (arith.cpp, shift.cpp,
// ...). Each group file defines a binder, `void bind_<group>(HandlerTable&)`,
// that fills in the handlers of its mnemonics; groups.inc lists them all.
#pragma once
#include "cpu/decoder.h"

namespace pc64 {

class Cpu;

// Four handlers per mnemonic, indexed by log2 of Insn::width (1, 2, 4, 8 bytes).
struct HandlerSet {
  Handler w[4];
};

struct HandlerTable {
  HandlerSet mn[(int)Mn::kCount];
  void set(Mn m, HandlerSet h) { mn[(int)m] = h; }
  void set_all(Mn m, Handler h) { mn[(int)m] = HandlerSet{{h, h, h, h}}; }
};

// Picks the handler for a decoded instruction (#UD handler when none).
Handler bind_handler(const Insn& insn);

// True if the interpreter implements mnemonic `m` (used by tests and the
// differential tester to report coverage).
bool has_handler(Mn m);

}  // namespace pc64
