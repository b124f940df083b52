// Interpreter handlers: shift group (rows in cpu/table/shift.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_shift(HandlerTable& t) { (void)t; }

}  // namespace pc64
