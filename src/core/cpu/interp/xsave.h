// XSAVE feature-set state shared outside interp/xsave.cpp.
#pragma once
#include "base/base.h"

namespace pc64 {

class Cpu;

// XINUSE (SDM Vol. 1 §13.6) for state components 0..2: bit i is 0 only if
// component i is in its initial configuration. pc64 derives it from the
// state itself, plus CpuState::xinuse_loaded (components XRSTOR loaded from
// memory count as in use until an XRSTOR initialises them, §13.8.3).
u64 xinuse(const Cpu& c);

}  // namespace pc64
