// Interpreter handlers: bcd group (rows in cpu/table/bcd.def).
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_bcd(HandlerTable& t) { (void)t; }

}  // namespace pc64
