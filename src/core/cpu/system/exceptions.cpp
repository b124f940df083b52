// Exception and interrupt delivery (SDM Vol. 3A ch. 6).
#include "cpu/cpu.h"

namespace pc64 {

// Delivery through the IVT/IDT is not implemented yet: every exception stops
// the run loop with ExitReason::Exception (tests rely on stop_on_exception).
void Cpu::deliver_exception() { exit = ExitReason::Exception; }

}  // namespace pc64
