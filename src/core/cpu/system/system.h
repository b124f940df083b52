// Helpers shared by exception delivery (exceptions.cpp), far control
// transfers (interp/far.cpp) and task switches (task.cpp).
#pragma once
#include "cpu/system/descriptors.h"

namespace pc64 {

// SS:ESP for privilege `dpl` from the current 16/32-bit TSS (SDM Vol. 3A §7.2.1).
bool tss_stack(Cpu& c, u8 dpl, bool ext, u16* ss, u64* sp);
// An 8-byte stack pointer at byte `off` of the 64-bit TSS (RSPn, ISTn; §7.7).
bool tss64_stack(Cpu& c, u32 off, bool ext, u64* sp);
// Checks the stack segment for a privilege change to `dpl`.
bool check_stack_ss(Cpu& c, u16 ss, u8 dpl, bool ext, Descriptor* d);
// Checks the code segment named by an interrupt/trap gate.
bool check_target_cs(Cpu& c, u16 sel, bool ext, Descriptor* d);
// Task switches (task.cpp; SDM Vol. 3A §7.3).
// Through a task gate in the IDT: pushes `err` on the new task's stack if has_err.
bool task_gate_interrupt(Cpu& c, u16 tss_sel, bool has_err, u32 err, bool ext);
// Far JMP/CALL to a TSS descriptor or a task gate (`d` is the descriptor `sel` names).
bool far_task_switch(Cpu& c, u16 sel, const Descriptor& d, bool call);
// IRET with NT = 1: back to the task named by the TSS back link.
bool task_return(Cpu& c);

}  // namespace pc64
