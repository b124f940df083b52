// Interpreter handlers: bit group (rows in cpu/table/bit.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_bit(HandlerTable& t) { (void)t; }

}  // namespace pc64
