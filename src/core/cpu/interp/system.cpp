// Interpreter handlers: system group.
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_system(HandlerTable& t) { (void)t; }

}  // namespace pc64
