// Interpreter handlers: string group (rows in cpu/table/string.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_string(HandlerTable& t) { (void)t; }

}  // namespace pc64
