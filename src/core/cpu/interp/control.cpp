// Interpreter handlers: control group (rows in cpu/table/control.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_control(HandlerTable& t) { (void)t; }

}  // namespace pc64
