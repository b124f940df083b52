// Interpreter handlers: flagops group (rows in cpu/table/flagops.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_flagops(HandlerTable& t) { (void)t; }

}  // namespace pc64
