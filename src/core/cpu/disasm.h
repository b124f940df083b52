// The Intel-syntax disassembler, driven by the decoded instruction record.
//
// Output follows GNU objdump's `-M intel` spelling (so the two can be diffed
// by tools/disasm_check): lower-case mnemonic, one space, operands separated
// by "," with no spaces, "QWORD PTR fs:[rax+rbx*4+0x10]" memory operands,
// immediates in hex at their operand size. Differences from objdump that are
// layout only (objdump pads the mnemonic to a column, appends "# target"
// comments to RIP-relative operands, and names prefixes it did not apply to
// any operand) are normalised by the checker, not imitated here.
#pragma once
#include "base/base.h"
#include "cpu/decoder.h"

namespace pc64 {

// Formats a decoded instruction in Intel syntax. `next_rip` is the address
// after the instruction (for branch targets). Returns the length written
// (buf is always NUL-terminated when size > 0).
u32 disasm(const Insn& insn, u64 next_rip, char* buf, u32 size);

// Decodes (mode_bits 16, 32 or 64; every CPUID feature enabled) and formats;
// writes "(bad)" for bytes that do not decode. Returns the instruction
// length (>= 1).
u32 disasm_bytes(const u8* bytes, u32 avail, int mode_bits, u64 rip, char* buf, u32 size);

}  // namespace pc64
