// Interpreter handlers: mov group (rows in cpu/table/mov.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_mov(HandlerTable& t) { (void)t; }

}  // namespace pc64
