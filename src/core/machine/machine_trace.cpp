// The machine's -d trace lines (trace.h): instructions (in_asm, exec, cpu)
// from run()'s one-instruction slices, events from the CPU's on_event
// hook, and device accesses from the port and MMIO dispatch.
#include "cpu/disasm.h"
#include "machine/machine.h"
#include "machine/msg.h"

namespace pc64 {
namespace {

Msg& hexw(Msg& m, u64 v, int digits) {
  char tmp[17];
  for (int i = digits - 1; i >= 0; --i, v >>= 4) tmp[i] = "0123456789abcdef"[v & 15];
  tmp[digits] = 0;
  return m.s(tmp);
}

const char* kind_name(IntKind k) {
  switch (k) {
    case IntKind::Fault: return "exception";
    case IntKind::Trap: return "trap";
    case IntKind::Software: return "software";
    case IntKind::External: return "external";
    default: return "icebp";
  }
}

void on_event(void* ctx, u8 vec, IntKind kind, bool has_err, u32 err) {
  const Machine* m = (const Machine*)ctx;
  const CpuState& s = m->cpu.s;
  char buf[160];
  Msg msg(buf, sizeof buf);
  msg.s("int ").s(kind_name(kind)).s(" vector ").hex(vec);
  if (has_err) msg.s(" error ").hex(err);
  msg.s(" at ");
  hexw(msg, s.seg[CS].sel, 4).s(":");
  hexw(msg, s.rip, 16);
  if (vec == kExPF && kind == IntKind::Fault) msg.s(" cr2 ").hex(s.cr2);
  m->trace.emit(buf);
}

}  // namespace

void Machine::apply_trace() {
  cpu.on_event = trace.on(Trace::kInt) ? on_event : nullptr;
  cpu.event_ctx = this;
}

void Machine::trace_io(const char* what, u64 addr, int size, u64 v) {
  char buf[96];
  Msg msg(buf, sizeof buf);
  msg.s(what).s(" ").hex(addr).s(" size ").dec((u64)size).s(" value ").hex(v);
  trace.emit(buf);
}

// Before one instruction: its address, and for in_asm its bytes and
// disassembly (fetched without side effects on the guest: a fault while
// fetching is dropped, as the instruction itself will raise it again).
void Machine::trace_step() {
  char buf[256];
  const CpuState& s = cpu.s;
  if (trace.on(Trace::kCpu)) {
    static const char* const kNames[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                           "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    for (int row = 0; row < 4; ++row) {
      Msg msg(buf, sizeof buf);
      for (int i = row * 4; i < row * 4 + 4; ++i) {
        msg.s(i % 4 ? " " : "").s(kNames[i]).s("=");
        hexw(msg, s.gpr[i], 16);
      }
      trace.emit(buf);
    }
    Msg msg(buf, sizeof buf);
    msg.s("rip=");
    hexw(msg, s.rip, 16).s(" rfl=");
    hexw(msg, cpu.rflags(), 8).s(" cs=");
    hexw(msg, s.seg[CS].sel, 4).s(" ss=");
    hexw(msg, s.seg[SS].sel, 4).s(" cr0=");
    hexw(msg, s.cr0, 8).s(" cr3=");
    hexw(msg, s.cr3, 16).s(" cpl=").dec(s.cpl);
    trace.emit(buf);
  }
  Msg msg(buf, sizeof buf);
  hexw(msg, s.seg[CS].sel, 4).s(":");
  hexw(msg, s.rip, 16);
  if (trace.on(Trace::kInAsm)) {
    u8 bytes[15];
    u32 n = 15;
    const bool saved = cpu.faulted;
    while (n > 0 && !cpu.read_bytes(CS, s.rip, bytes, n, Access::Exec)) --n;
    cpu.faulted = saved;
    if (n == 0) {
      msg.s("  (fetch faults)");
    } else {
      char text[128];
      const int bits = s.code_size == 8 ? 64 : s.code_size == 4 ? 32 : 16;
      const u32 len = disasm_bytes(bytes, n, bits, s.rip, text, sizeof text);
      msg.s("  ");
      for (u32 i = 0; i < 10; ++i) {
        if (i < len && i < n) hexw(msg, bytes[i], 2);
        else msg.s("  ");
      }
      msg.s(" ").s(text);
    }
  }
  trace.emit(buf);
}

}  // namespace pc64
