// The version printed by pc64 --version and the tools.
#pragma once

namespace pc64 {
inline constexpr const char kPc64Version[] = "0.1.0";
}
