// Trace: where the machine's -d trace lines go, and which items are on.
// Every check is one test of `mask`, so a machine with tracing off pays
// one branch per device access or run slice, nothing per instruction.
#pragma once
#include "base/base.h"

namespace pc64 {

struct Trace {
  enum : u32 {
    kInAsm = 1,   // each instruction executed: address, bytes, disassembly
    kExec = 2,    // each instruction executed: address only
    kCpu = 4,     // the general registers before each instruction
    kInt = 8,     // interrupts and exceptions as they are delivered
    kMmio = 16,   // MMIO accesses: address, size, value
    kIoport = 32, // port I/O: port, size, value
    kStep = kInAsm | kExec | kCpu,  // items that run the CPU one instruction at a time
  };
  u32 mask = 0;
  void (*line)(void* ctx, const char* text) = nullptr;  // one line, no newline
  void* ctx = nullptr;
  bool on(u32 item) const { return mask & item; }
  void emit(const char* text) const {
    if (line) line(ctx, text);
  }
};

}  // namespace pc64
