// Interpreter handlers: stack group (rows in cpu/table/stack.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_stack(HandlerTable& t) { (void)t; }

}  // namespace pc64
