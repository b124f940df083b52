// CPUID: what the emulated processor reports about itself (SDM Vol. 2A
// "CPUID"). The answer is derived from Cpu::features, so a feature is
// reported exactly when its opcode-table rows are enabled for the decoder.
#pragma once
#include "base/base.h"

namespace pc64 {

class Cpu;

// Fills EAX..EDX for CPUID leaf `leaf`, subleaf `subleaf` (ECX).
void cpuid(const Cpu& cpu, u32 leaf, u32 subleaf, u32* eax, u32* ebx, u32* ecx, u32* edx);

// The Feature bits (1 << Feature) that the integer core implements today:
// BASE and LM, plus every row-gated feature whose rows all have interpreter
// handlers, except the x87/SSE family (FPU, SSE, SSE2, SSE42: CRC32 alone is
// not SSE4.2) and XSAVE (no CPUID leaf 0DH or state components yet).
u64 default_features();

}  // namespace pc64
