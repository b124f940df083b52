// Interpreter handlers: atomic group (rows in cpu/table/atomic.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_atomic(HandlerTable& t) { (void)t; }

}  // namespace pc64
