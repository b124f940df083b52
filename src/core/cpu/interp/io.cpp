// Interpreter handlers: io group.
#include "cpu/interp/ops.h"

namespace pc64 {

void bind_io(HandlerTable& t) { (void)t; }

}  // namespace pc64
