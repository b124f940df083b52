// Segment descriptors: reading the GDT/LDT, loading segment registers, and
// the supervisor-mode memory accesses the system layer makes on its own
// behalf (descriptor tables, the TSS, the IDT, stacks during delivery).
//
// Descriptor-table, TSS and IDT accesses are implicit supervisor-mode
// accesses whatever the CPL (SDM Vol. 3A §4.6.1).
#pragma once
#include "cpu/cpu.h"

namespace pc64 {

// A decoded 8-byte (or 16-byte, for IA-32e system descriptors) descriptor.
struct Descriptor {
  u32 lo, hi;   // raw bytes 0..3 and 4..7
  u64 base;     // for 16-byte system descriptors, includes bits 32..63 from hi2
  u32 limit;    // byte-granular, G applied
  u16 attr;     // Segment::attr layout (state.h)
  u32 hi2;      // bits 64..95 of a 16-byte system descriptor in IA-32e mode
  u32 hi3;      // bits 96..127 (its bits 12:8 are the upper half's type, must be 0)
};

// System descriptor and gate types (S = 0; SDM Vol. 3A §3.5, Table 3-2).
enum : u8 {
  kTss16Avail = 1, kLdtType = 2, kTss16Busy = 3, kCallGate16 = 4, kTaskGate = 5,
  kIntGate16 = 6, kTrapGate16 = 7, kTss32Avail = 9, kTss32Busy = 11, kCallGate32 = 12,
  kIntGate32 = 14, kTrapGate32 = 15,
};

inline u8 desc_type(u16 attr) { return attr & 15; }
inline u8 desc_dpl(u16 attr) { return (attr >> kSegDplShift) & 3; }
inline bool desc_is_code(u16 attr) { return (attr & (kSegS | kSegCode)) == (kSegS | kSegCode); }
inline bool desc_is_data(u16 attr) { return (attr & (kSegS | kSegCode)) == kSegS; }
inline bool desc_conforming(u16 attr) { return desc_is_code(attr) && (attr & kSegExpandDown); }
inline bool long_mode_active(const Cpu& c) { return (c.s.efer & (1u << 10)) != 0; }

// Decodes the raw 8 bytes of a descriptor.
Descriptor decode_descriptor(u32 lo, u32 hi);

// Reads the descriptor `sel` names, from the GDT or the LDT (TI bit). Returns
// false without raising when it lies beyond the table limit (or TI names an
// unusable LDT); returns false with c.faulted set when the read page-faults.
// In IA-32e mode system descriptors are 16 bytes and the limit covers all 16.
bool read_descriptor(Cpu& c, u16 sel, Descriptor* d);

// Fills c.s.seg[seg] from `d`, sets the accessed bit of the descriptor in
// memory, and for CS sets CPL = sel.RPL and recomputes the mode (for SS the
// stack size). Performs no checks.
void load_segment(Cpu& c, u8 seg, u16 sel, const Descriptor& d);

// MOV Sreg / POP Sreg / LDS.. LSS semantics with every check (SDM Vol. 3A
// §5.5-5.10, Vol. 2A "MOV"): null selectors, SS rules, #GP/#SS/#NP with the
// selector as error code. Real and virtual-8086 mode: base = sel << 4.
bool load_data_segment(Cpu& c, u8 seg, u16 sel);

// Unusable (null) segment register contents for `seg`.
void load_null_segment(Cpu& c, u8 seg, u16 sel);

// Real-mode / V86 style load: base = sel << 4.
void load_real_segment(Cpu& c, u8 seg, u16 sel);

// Linear accesses at privilege `cpl` (0 by default: implicit supervisor
// accesses, which ignore EFLAGS.AC under SMAP, SDM Vol. 3A §4.6), split
// at page boundaries. Return false after raising #PF.
bool sys_read(Cpu& c, u64 lin, void* dst, u32 n, u8 cpl = 0);
bool sys_write(Cpu& c, u64 lin, const void* src, u32 n, u8 cpl = 0);
u64 sys_read_n(Cpu& c, u64 lin, u32 n, bool* ok, u8 cpl = 0);

// A stack that is not (yet) the current SS: used to build interrupt and
// call-gate frames before anything is committed (SDM Vol. 3A §6.12.1).
struct StackBuilder {
  Cpu& c;
  Segment ss;     // the stack segment (in 64-bit mode only canonical checks apply)
  u64 sp;         // current stack pointer
  int sp_width;   // 2, 4 or 8
  u8 cpl;         // privilege of the accesses
  u8 fault_vec;   // #SS (or #TS for TSS-supplied stacks is not used: always #SS)
  u16 fault_err;  // error code for a limit violation
  bool push(int n, u64 v);
};

// A selector-format error code (SDM Vol. 3A §6.13): index|TI, with EXT.
inline u32 sel_err(u16 sel, bool ext) { return (sel & 0xfffc) | (ext ? 1u : 0u); }

}  // namespace pc64
