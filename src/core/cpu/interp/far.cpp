// Interpreter handlers: far group.
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_far(HandlerTable& t) { (void)t; }

}  // namespace pc64
