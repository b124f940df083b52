// Stack: PUSH POP PUSHA POPA PUSHF POPF ENTER LEAVE (SDM Vol. 2B; stack
// mechanics in Vol. 1 §6.2). Rows: cpu/table/stack.def.
//
// Two widths are in play: the operand size (how many bytes move, Insn::opsize)
// and the stack-address size (SP, ESP or RSP: Cpu::stack_width()). Every
// handler reads and writes the stack at computed addresses first and moves
// rSP only when nothing more can fault.
#include "cpu/interp/ops.h"
#include "cpu/system/control_regs.h"

namespace pc64 {

bool load_sreg(Cpu& c, u8 seg, u16 sel);  // mov.cpp

namespace {

u64 sp_mask(const Cpu& c) { return width_mask(c.stack_width()); }

bool stack_write(Cpu& c, int n, u64 sp, u64 v) {
  switch (n) {
    case 2: return c.write<2>(SS, sp, v);
    case 4: return c.write<4>(SS, sp, v);
    default: return c.write<8>(SS, sp, v);
  }
}

bool stack_read(Cpu& c, int n, u64 sp, u64* v) {
  switch (n) {
    case 2: return c.read<2>(SS, sp, v);
    case 4: return c.read<4>(SS, sp, v);
    default: return c.read<8>(SS, sp, v);
  }
}

void set_sp(Cpu& c, u64 sp) { c.set_reg_n(c.stack_width(), RSP, false, sp); }

// PUSH Sreg with a 32/64-bit operand size: the SDM allows either a
// zero-extended push or a 16-bit store that leaves the upper bytes alone
// (SDM Vol. 2B "PUSH"). pc64 zero-extends, as AMD and older Intel processors
// do and as the host of the differential test does.
void push_sreg(Cpu& c, const Insn& i) { c.push(i.opsize, c.s.seg[i.op[0].reg].sel); }

template <int W> void push(Cpu& c, const Insn& i) {
  if (i.op[0].type == OpType::Seg) return push_sreg(c, i);
  u64 v;
  if (!load<W>(c, i, 0, &v)) return;  // PUSH rSP pushes the old value
  c.push(W, v);
}

void pop_sreg(Cpu& c, const Insn& i) {
  u64 v;
  if (!c.peek(i.opsize, 0, &v)) return;
  const u64 old_sp = c.s.gpr[RSP];
  set_sp(c, (old_sp + i.opsize) & sp_mask(c));
  if (!load_sreg(c, i.op[0].reg, (u16)v)) {
    c.s.gpr[RSP] = old_sp;
    return;
  }
  // POP SS inhibits interrupts for one instruction (SDM Vol. 2B "POP").
  if (i.op[0].reg == SS) c.set_shadow(Cpu::kShadowMovSs);
}

// A memory destination based on rSP uses the incremented rSP, and POP rSP
// leaves the popped value in rSP (SDM Vol. 2B "POP").
template <int W> void pop(Cpu& c, const Insn& i) {
  if (i.op[0].type == OpType::Seg) return pop_sreg(c, i);
  u64 v;
  if (!c.peek(W, 0, &v)) return;
  const u64 old_sp = c.s.gpr[RSP];
  set_sp(c, (old_sp + W) & sp_mask(c));
  if (!store<W>(c, i, 0, v)) c.s.gpr[RSP] = old_sp;
}

// PUSHA/PUSHAD: AX CX DX BX, the original SP, BP SI DI.
template <int W> void pusha(Cpu& c, const Insn&) {
  const u64 m = sp_mask(c), sp = c.s.gpr[RSP];
  for (int k = 0; k < 8; ++k) {
    if (!stack_write(c, W, (sp - (u64)W * (k + 1)) & m, c.s.gpr[k])) return;
  }
  set_sp(c, (sp - 8 * W) & m);
}

// POPA/POPAD: the saved SP is skipped (SDM Vol. 2B "POPA").
template <int W> void popa(Cpu& c, const Insn&) {
  const u64 m = sp_mask(c), sp = c.s.gpr[RSP];
  u64 v[8];
  for (int k = 0; k < 8; ++k) {
    if (!stack_read(c, W, (sp + (u64)W * k) & m, &v[7 - k])) return;
  }
  for (int r = 0; r < 8; ++r)
    if (r != RSP) c.set_reg<W>((u8)r, false, v[r]);
  set_sp(c, (sp + 8 * W) & m);
}

bool v86_low_iopl(const Cpu& c) {
  return c.s.mode == (u8)CpuMode::V86 && ((c.s.rflags & kIOPL) >> 12) != 3;
}

// Virtual-8086 mode at IOPL < 3: PUSHF/POPF are #GP(0) unless CR4.VME is
// set and the operand size is 16 (SDM Vol. 2B "PUSHF", "POPF", Operation;
// Vol. 3A §20.3.2). True after raising the fault.
bool v86_iopl_fault(Cpu& c, int w) {
  if (!v86_low_iopl(c)) return false;
  if (!(c.s.cr4 & kCR4_VME) || w != 2) return !c.raise(kExGP, 0);
  return false;
}

// The image has VM and RF cleared (SDM Vol. 2B "PUSHF"). With VME at IOPL
// < 3 it is FLAGS with VIF in the IF position and IOPL = 3.
template <int W> void pushf(Cpu& c, const Insn&) {
  if (v86_iopl_fault(c, W)) return;
  u64 v = c.rflags() & ~(u64)(kRF | kVM) & width_mask(W);
  if (v86_low_iopl(c)) v = (v & ~(u64)kIF) | ((c.s.rflags & kVIF) ? (u64)kIF : 0ull) | kIOPL;
  c.push(W, v);
}

// VME at IOPL < 3, 16-bit POPF (SDM Vol. 2B "POPF", Operation): a popped
// IF = 1 while VIP = 1, or a popped TF = 1, is #GP(0) (nothing popped);
// otherwise the popped IF goes to VIF, and IF and IOPL are unchanged.
void popf_vme(Cpu& c) {
  u64 v;
  if (!c.peek(2, 0, &v)) return;
  if (((c.s.rflags & kVIP) && (v & kIF)) || (v & kTF)) return (void)c.raise(kExGP, 0);
  if (!c.pop(2, &v)) return;
  const u64 mask = kArithFlags | kDF | kNT;
  u64 nf = (c.rflags() & ~mask) | (v & mask);
  nf = (nf & ~(u64)kVIF) | ((v & kIF) ? (u64)kVIF : 0ull);
  c.set_rflags(nf);
}

// Which bits POPF may change (SDM Vol. 2B "POPF", Operation): never VM, VIP,
// VIF or reserved bits; IOPL only at CPL 0; IF only when CPL <= IOPL; a
// 16-bit POPF touches bits 15:0 only. RF is cleared.
template <int W> void popf(Cpu& c, const Insn&) {
  if (v86_iopl_fault(c, W)) return;
  if (v86_low_iopl(c)) return popf_vme(c);
  u64 v;
  if (!c.pop(W, &v)) return;
  const u64 old = c.rflags();
  u64 mask = kArithFlags | kTF | kIF | kDF | kIOPL | kNT | kAC | kID;
  const u32 iopl = (u32)((old & kIOPL) >> 12);
  if (c.s.mode == (u8)CpuMode::V86) {
    mask &= ~(u64)kIOPL;
  } else if (c.s.cpl > 0) {
    mask &= ~(u64)kIOPL;
    if (c.s.cpl > iopl) mask &= ~(u64)kIF;
  }
  if (W == 2) mask &= 0xffff;
  u64 nf = (old & ~mask) | (v & mask);
  if (W != 2) nf &= ~(u64)kRF;
  c.set_rflags(nf);
}

// ENTER imm16, imm8 (SDM Vol. 2A "ENTER"): push rBP, copy level-1 frame
// pointers from the old frame, push the new frame pointer, then reserve
// imm16 bytes. The copies read SS:[rBP - k * size] with the stack-address size.
template <int W> void enter(Cpu& c, const Insn& i) {
  const u64 alloc = i.imm & 0xffff;
  const int level = (int)(i.imm2 & 31);
  const u64 m = sp_mask(c);
  u64 sp = (c.s.gpr[RSP] - W) & m;
  if (!stack_write(c, W, sp, c.s.gpr[RBP])) return;
  // FrameTemp is rSP of the operand size after the push (SDM Vol. 2A
  // "ENTER": "FrameTemp <- ESP" for a 32-bit operand): with a 16-bit stack
  // only SP moved, and ESP[31:16] goes into EBP too.
  const u64 frame = (c.s.gpr[RSP] & ~m) | sp;
  if (level > 0) {
    u64 bp = c.s.gpr[RBP];
    for (int k = 1; k < level; ++k) {
      bp = (bp - W) & m;
      u64 v;
      if (!stack_read(c, W, bp, &v)) return;
      sp = (sp - W) & m;
      if (!stack_write(c, W, sp, v)) return;
    }
    sp = (sp - W) & m;
    if (!stack_write(c, W, sp, frame)) return;
  }
  // The final stack pointer is probed for a write: #SS / #PF "if a write
  // using the final value of the stack pointer ... would cause" one (SDM
  // Vol. 2A "ENTER", exceptions).
  const u64 final_sp = (sp - alloc) & m;
  // The probe is an operand-size access at the final rSP: a 16-bit SP of
  // 0xFFFF with a word operand is outside a 0xFFFF limit (#SS(0)).
  u64 probe;
  if (!c.read<W>(SS, final_sp, &probe, Access::Write)) return;
  c.set_reg<W>(RBP, false, frame);
  set_sp(c, final_sp);
}

// LEAVE: rSP := rBP, then pop rBP (SDM Vol. 2A "LEAVE").
template <int W> void leave(Cpu& c, const Insn&) {
  const u64 m = sp_mask(c);
  const u64 bp = c.s.gpr[RBP] & m;
  u64 v;
  if (!stack_read(c, W, bp, &v)) return;
  set_sp(c, (bp + W) & m);
  c.set_reg<W>(RBP, false, v);
}

}  // namespace

void bind_stack(HandlerTable& t) {
  t.set(Mn::PUSH, PC64_WIDTHS(push));
  t.set(Mn::POP, PC64_WIDTHS(pop));
  t.set(Mn::PUSHA, PC64_WIDTHS(pusha));
  t.set(Mn::POPA, PC64_WIDTHS(popa));
  t.set(Mn::PUSHF, PC64_WIDTHS(pushf));
  t.set(Mn::POPF, PC64_WIDTHS(popf));
  t.set(Mn::ENTER, PC64_WIDTHS(enter));
  t.set(Mn::LEAVE, PC64_WIDTHS(leave));
}

}  // namespace pc64
