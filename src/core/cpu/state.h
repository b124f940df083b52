// CpuState: the architectural state of one x86 logical processor.
//
// A plain standard-layout struct. Both JIT backends address it by offset
// (see the static_asserts at the end), so the hot fields come first and the
// layout of the first cache lines must not change without updating them.
//
// Flags are lazy (see flags.h): the six arithmetic flags live in
// `lazy` as the last flag-setting operation and its operands; `rflags` holds
// every other bit (and the arithmetic bits when lazy.op == FlagOp::Eager).
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace pc64 {

enum Gpr : uint8_t {
  RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
  R8, R9, R10, R11, R12, R13, R14, R15,
};

enum SegReg : uint8_t { ES, CS, SS, DS, FS, GS, kNumSegs, kNoSeg = 0xff };

// RFLAGS bits (SDM Vol. 1 §3.4.3).
enum : uint64_t {
  kCF = 1u << 0, kFixed1 = 1u << 1, kPF = 1u << 2, kAF = 1u << 4,
  kZF = 1u << 6, kSF = 1u << 7, kTF = 1u << 8, kIF = 1u << 9,
  kDF = 1u << 10, kOF = 1u << 11, kIOPL = 3u << 12, kNT = 1u << 14,
  kRF = 1u << 16, kVM = 1u << 17, kAC = 1u << 18, kVIF = 1u << 19,
  kVIP = 1u << 20, kID = 1u << 21,
  kArithFlags = kCF | kPF | kAF | kZF | kSF | kOF,
};

// Lazy flag state: the last flag-setting operation. `op` encodes the
// operation kind and the operand width (FlagOp in flags.h).
struct LazyFlags {
  uint64_t res;
  uint64_t src1;
  uint64_t src2;
  uint32_t op;
  uint32_t carry_in;  // ADC/SBB carry input
};

// Hidden part of a segment register (SDM Vol. 3A §3.4.3).
struct Segment {
  uint64_t base;
  uint32_t limit;   // byte-granular effective limit
  uint16_t sel;
  uint16_t attr;    // descriptor bits 40..47 and 52..55 packed: type|S|DPL|P|AVL|L|DB|G
};

// Segment attr bits (descriptor byte 5 in bits 0..7, flags nibble in 8..11).
enum : uint16_t {
  kSegAccessed = 1u << 0, kSegWritable = 1u << 1, kSegExpandDown = 1u << 2,
  kSegCode = 1u << 3, kSegS = 1u << 4, kSegDplShift = 5, kSegP = 1u << 7,
  kSegAvl = 1u << 8, kSegL = 1u << 9, kSegDB = 1u << 10, kSegG = 1u << 11,
};

struct DescTable {
  uint64_t base;
  uint32_t limit;
};

// One x87 data register (physical R0-R7): the 64-bit significand with its
// explicit integer bit, and sign + 15-bit biased exponent, as
// fpu::F80 stores them. MMX register n is the significand of Rn, and an
// MMX write sets the exponent word to all ones (SDM Vol. 1 §9.5.1).
struct X87Reg {
  uint64_t mant;
  uint16_t se;
  uint16_t pad[3];
};

// x87 state (SDM Vol. 1 §8.1). `ftw` is the full tag word, two bits per
// physical register (00 valid, 01 zero, 10 special, 11 empty), as FSTENV
// stores it; ST(i) is r[(TOP + i) & 7] with TOP = FSW bits 11-13. The last
// instruction and data pointers are what FSTENV/FXSAVE report.
struct FpuState {
  X87Reg r[8];
  uint16_t fcw;           // control word; power-on/FINIT 0x037F
  uint16_t fsw;           // status word, TOP included
  uint16_t ftw;           // full tag word; FINIT 0xFFFF
  uint16_t fop;           // last opcode (11 bits)
  uint16_t fcs, fds;      // last instruction/data selectors
  uint32_t pad;
  uint64_t fip, fdp;      // last instruction/data offsets
};

// A 256-bit vector register in every lane view.
union Vec256 {
  uint8_t b[32];
  uint16_t w[16];
  uint32_t d[8];
  uint64_t q[4];
};

// Execution mode, derived from CR0.PE, EFLAGS.VM, EFER.LMA and CS.L/D.
enum class CpuMode : uint8_t { Real, V86, Prot16, Prot32, Compat16, Compat32, Long64 };

struct CpuState {
  // ---- hot: touched by nearly every instruction ----
  uint64_t gpr[16];
  uint64_t rip;
  LazyFlags lazy;
  uint64_t rflags;        // non-lazy bits (see file comment)
  uint8_t cpl;
  uint8_t mode;           // CpuMode
  uint8_t code_size;      // default operand/address size of CS: 2, 4 or 8
  uint8_t stack_size;     // SS.B: 2 or 4 (8 in 64-bit mode)
  uint32_t pad0;
  Segment seg[kNumSegs];

  // ---- control and system registers ----
  uint64_t cr0, cr2, cr3, cr4, cr8;
  uint64_t efer;
  uint64_t xcr0;
  uint64_t pdpte[4];      // PAE PDPTE registers (SDM Vol. 3A §4.4.1; control_regs.cpp)
  uint64_t dr[8];
  DescTable gdtr, idtr;
  Segment ldtr, tr;

  // ---- MSRs ----
  uint64_t tsc_offset;
  uint64_t apic_base;
  uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
  uint64_t star, lstar, cstar, sfmask;
  uint64_t kernel_gs_base;
  uint64_t pat;
  uint64_t tsc_aux;
  uint64_t misc_enable;
  uint64_t mtrr_def_type;
  uint64_t mtrr_fixed[11];   // 250H, 258H, 259H, 268H..26FH (msr.cpp)
  uint64_t mtrr_var[16];     // PHYSBASE0, PHYSMASK0, ... PHYSMASK7 (200H..20FH)

  // ---- interrupt state ----
  uint8_t halted;
  uint8_t int_shadow;     // STI / MOV SS shadow: no interrupt before next insn
  uint16_t pad1;
  uint32_t pkru;          // protection-key rights (SDM Vol. 3A §2.7, §4.6.2)

  // ---- x87 FPU and MMX (SDM Vol. 1 ch. 8, 9) ----
  FpuState fpu;

  // ---- SSE/AVX (SDM Vol. 1 ch. 10-14) ----
  // YMM0-15; XMMn is the low half. Naturally aligned only to 8 bytes (the
  // core makes no aligned allocations): handlers copy lanes in and out.
  Vec256 ymm[16];
  uint32_t mxcsr;         // SDM Vol. 1 §10.2.3; power-on 0x1F80
  uint32_t pad3;
};

// Offsets the JIT backends rely on. Change them only together with the JITs.
static_assert(offsetof(CpuState, gpr) == 0);
static_assert(offsetof(CpuState, rip) == 128);
static_assert(offsetof(CpuState, lazy) == 136);
static_assert(offsetof(CpuState, rflags) == 136 + sizeof(LazyFlags));
static_assert(sizeof(LazyFlags) == 32);
static_assert(sizeof(Segment) == 16);
static_assert(sizeof(X87Reg) == 16 && sizeof(Vec256) == 32);
static_assert(offsetof(CpuState, ymm) % 8 == 0);

}  // namespace pc64
