// Interpreter handlers: muldiv group (rows in cpu/table/muldiv.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_muldiv(HandlerTable& t) { (void)t; }

}  // namespace pc64
