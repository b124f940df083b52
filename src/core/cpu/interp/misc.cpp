// Interpreter handlers: misc group (rows in cpu/table/misc.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_misc(HandlerTable& t) { (void)t; }

}  // namespace pc64
