// Binding decoded instructions to handlers.
#include "cpu/cpu.h"
#include "cpu/interp/interp.h"

namespace pc64 {

#define GROUP(g) void bind_##g(HandlerTable& t);
#include "cpu/interp/groups.inc"
#undef GROUP

namespace {

void undefined_opcode(Cpu& c, const Insn&) { c.raise(kExUD); }

const HandlerTable& table() {
  static HandlerTable t;
  static bool built = false;
  if (!built) {
    built = true;
#define GROUP(g) bind_##g(t);
#include "cpu/interp/groups.inc"
#undef GROUP
  }
  return t;
}

}  // namespace

Handler bind_handler(const Insn& insn) {
  const HandlerSet& h = table().mn[(int)insn.row->mn];
  Handler f = h.w[log2_width(insn.width)];
  return f ? f : &undefined_opcode;
}

bool has_handler(Mn m) { return table().mn[(int)m].w[0] != nullptr; }

}  // namespace pc64
