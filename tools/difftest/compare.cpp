// Comparison of the native and pc64 outcomes, the flag masks, and the
// reproducer printed for a mismatch.
#include <stdio.h>
#include <string.h>

#include <map>

#include "difftest.h"

#ifdef PC64_HAVE_DISASM
#include "cpu/disasm.h"
#endif

namespace pc64::difftest {
namespace {

const char* const kGprNames[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                   "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

// Flags compared at all: the arithmetic flags, TF, IF, DF, AC. (RF is set in
// the image the kernel saves for faults; ID and the rest are not touched.)
constexpr u64 kComparedFlags = kArithFlags | kTF | kIF | kDF | kAC;

bool named(const Row& r, const char* n) { return strcmp(r.name, n) == 0; }

// Shift/rotate count as the instruction sees it: the last operand (1, CL or
// imm8), masked to 5 bits (6 with 64-bit operands) (SDM Vol. 2B "SAL/SAR/
// SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD").
bool shift_count(const GenCase& g, u32* count) {
  const Row& row = *g.insn.row;
  if (row.ops.count < 2) return false;
  const OperandSpec& s = row.ops.op[row.ops.count - 1];
  u64 c;
  if (s.kind == OpKind::One) c = 1;
  else if (s.kind == OpKind::FixedReg && s.reg == RCX) c = g.c.gpr[RCX] & 0xff;
  else if (s.kind == OpKind::I) c = g.insn.imm & 0xff;
  else return false;
  *count = (u32)(c & (g.insn.width == 8 ? 63 : 31));
  return true;
}

bool is_shift(const Row& r) {
  return named(r, "SHL") || named(r, "SAL") || named(r, "SHR") || named(r, "SAR");
}
bool is_rotate(const Row& r) {
  return named(r, "ROL") || named(r, "ROR") || named(r, "RCL") || named(r, "RCR");
}
bool is_double_shift(const Row& r) { return named(r, "SHLD") || named(r, "SHRD"); }

// SHLD/SHRD with a count above the operand size leave the destination
// undefined (SDM Vol. 2B "SHLD": "If the count is greater than the operand
// size, the result is undefined").
bool result_undefined(const GenCase& g) {
  u32 n;
  return is_double_shift(*g.insn.row) && shift_count(g, &n) && n > g.insn.width * 8u;
}

std::string hex(u64 v) {
  char b[24];
  snprintf(b, sizeof b, "%llx", (unsigned long long)v);
  return b;
}

std::string end_text(const Outcome& o) {
  if (o.crashed) return "native runner crashed";
  if (o.halted) return "halted";
  if (o.r.end == kEndTimeout) return "timeout (loop)";
  char b[96];
  snprintf(b, sizeof b, "vector %u err %x cr2 %llx", o.r.trapno, o.r.err, (unsigned long long)o.r.cr2);
  return b;
}

// A vector register as hex dwords, most significant first (as a debugger
// shows one), the two 128-bit halves separated by '|'.
std::string vec_hex(const u8* v, u32 bytes) {
  std::string s;
  char b[12];
  for (int k = (int)bytes / 4 - 1; k >= 0; --k) {
    u32 d;
    memcpy(&d, v + 4 * k, 4);
    snprintf(b, sizeof b, "%08x", d);
    s += b;
    if (k) s += k == 4 ? "|" : "_";
  }
  return s;
}

// An x87 register as sign/exponent:significand.
std::string st_hex(const u8* r) {
  u64 m;
  u16 se;
  memcpy(&m, r, 8);
  memcpy(&se, r + 8, 2);
  char b[32];
  snprintf(b, sizeof b, "%04x:%016llx", se, (unsigned long long)m);
  return b;
}

int num_xmm(const Env& env) { return env.bits == 64 ? 16 : 8; }
u32 vec_bytes(const Env& env) { return env.hello.xcr0 & 4 ? 32 : 16; }

// FSW bits compared: all but the condition codes the row leaves undefined
// (flag columns 0-3, table.h).
u16 fsw_mask(const Row& row) {
  u16 m = 0xffff;
  if (row.flags_undef & kFlagC0) m &= (u16)~0x0100;
  if (row.flags_undef & kFlagC1) m &= (u16)~0x0200;
  if (row.flags_undef & kFlagC2) m &= (u16)~0x0400;
  if (row.flags_undef & kFlagC3) m &= (u16)~0x4000;
  return m;
}

// Differences in the x87/SSE/AVX state, each with the input value.
void compare_fp(const Env& env, const GenCase& g, const FpState& n, const FpState& emu, bool completed,
                std::string* d) {
  const FpState& in = g.c.fp;
  FpState judged;
  const FpState* ep = &emu;
  if (completed && approx_row(*g.insn.row)) {
    judged = emu;
    compare_approx(env, g, n, &judged, d);
    ep = &judged;
  }
  const FpState& e = *ep;
  char b[320];
  const u32 vb = vec_bytes(env);
  for (int i = 0; i < num_xmm(env); ++i) {
    if (memcmp(n.ymm[i], e.ymm[i], vb) == 0) continue;
    snprintf(b, sizeof b, "  %s%d: native %s\n         pc64   %s\n         input  %s\n", vb == 32 ? "ymm" : "xmm", i,
             vec_hex(n.ymm[i], vb).c_str(), vec_hex(e.ymm[i], vb).c_str(), vec_hex(in.ymm[i], vb).c_str());
    *d += b;
  }
  auto field = [&](const char* name, u32 nv, u32 ev, u32 iv, u32 mask) {
    if ((nv & mask) == (ev & mask)) return;
    snprintf(b, sizeof b, "  %s: native %x, pc64 %x (input %x%s)\n", name, nv, ev, iv,
             mask == 0xffffffffu || mask == 0xffff ? "" : ", undefined bits not compared");
    *d += b;
  };
  field("mxcsr", n.mxcsr, e.mxcsr, in.mxcsr, 0xffffffffu);
  field("fcw", n.fcw, e.fcw, in.fcw, 0xffff);
  field("fsw", n.fsw, e.fsw, in.fsw, fsw_mask(*g.insn.row));
  field("ftw", n.ftw, e.ftw, in.ftw, 0xffff);
  for (int i = 0; i < 8; ++i) {
    if (memcmp(n.st[i], e.st[i], 10) == 0) continue;
    snprintf(b, sizeof b, "  R%d (ST(%d) natively): native %s, pc64 %s, input %s\n", i, (i - (n.fsw >> 11 & 7)) & 7,
             st_hex(n.st[i]).c_str(), st_hex(e.st[i]).c_str(), st_hex(in.st[i]).c_str());
    *d += b;
  }
}

bool has_error_code(u32 vec) { return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17; }

}  // namespace

u64 undefined_flags(const Env& env, const GenCase& g) {
  (void)env;
  const Row& row = *g.insn.row;
  u64 undef = row.flags_undef;
  u32 n;
  if ((is_shift(row) || is_rotate(row) || is_double_shift(row)) && shift_count(g, &n)) {
    // A masked count of 0 changes no flags at all.
    if (n == 0) return 0;
    // OF is defined only for 1-bit shifts and rotates.
    if (n != 1) undef |= kOF;
    // Shifts leave AF undefined for a nonzero count (rotates do not touch it).
    if (is_shift(row) || is_double_shift(row)) undef |= kAF;
    // SHL/SHR: CF is undefined when the count reaches the operand size.
    if (is_shift(row) && n >= g.insn.width * 8u) undef |= kCF;
    if (result_undefined(g)) undef |= kArithFlags;
  }
  // Host differences where the SDM leaves a flag undefined would be masked
  // here (with the reason); none are needed so far.
  return undef & kArithFlags;
}


// The data-area offset of the case's ModRM memory operand (computed from the
// input registers as pc64's decoder sees the instruction, as cases.cpp
// places it). False when the operand is not in the data area.
bool mem_offset(const Env& env, const GenCase& g, u64* off) {
  const Insn& in = g.insn;
  u64 a = (u64)in.disp;
  if (in.base != kNoReg) a += g.c.gpr[in.base];
  if (in.index != kNoReg) a += g.c.gpr[in.index] << in.scale;
  if (in.riprel) a += kCodeAddr + kCodeOffset + in.len;
  a &= in.asize == 8 ? ~0ull : (1ull << (in.asize * 8)) - 1;
  u64 lin = env.hello.seg_base[in.seg] + a;
  if (env.bits != 64) lin &= 0xffffffffull;
  if (lin < kDataAddr || lin >= kDataAddr + kDataSize) return false;
  *off = lin - kDataAddr;
  return true;
}

// FXSAVE image bytes whose host value differs for a documented vendor reason.
static bool fxsave_vendor_byte(const Env& env, const GenCase& g, u32 off, int nat, int emu) {
  if (!named(*g.insn.row, "FXSAVE")) return false;
  u64 base;
  if (!mem_offset(env, g, &base) || off < base) return false;
  const u64 k = off - base;
  // MXCSR_MASK (image bytes 28..31) is the host's set of writable MXCSR bits
  // (SDM Vol. 1 §11.6.6 "Guidelines for Writing to the MXCSR Register"):
  // Intel reports 0000FFFFh, AMD Zen 0002FFFFh (bit 17, AMD's MXCSR.MM).
  // pc64 reports 0000FFFFh, what its LDMXCSR/FXRSTOR accept, so only a host
  // bit 17 with pc64's 0 there is accepted as a vendor difference.
  if (k == 30 && nat == 0x02 && emu <= 0) return true;
  // AMD saves FOP, FIP and FDP (image bytes 6..23) only when FSW.ES = 1
  // (AMD64 Architecture Programmer's Manual, FXSAVE instruction page);
  // pc64 saves them always, as Intel does (SDM Vol. 2A "FXSAVE").
  if (env.amd && !(g.c.fp.fsw & 0x80) && k >= 6 && k < 24) return true;
  return false;
}

std::string compare(const Env& env, const GenCase& g, const Outcome& nat, const Outcome& emu) {
  std::string d;
  auto diff = [&](const char* field, u64 a, u64 b) {
    if (a != b) d += std::string("  ") + field + ": native " + hex(a) + ", pc64 " + hex(b) + "\n";
  };
  if (nat.crashed) return "  native runner crashed on this case\n";
  if (emu.halted) return "  pc64 halted (HLT at CPL 3 must be #GP)\n";
  if (nat.r.end != emu.r.end) return "  end: native " + end_text(nat) + ", pc64 " + end_text(emu) + "\n";
  if (nat.r.end == kEndTimeout) return "";  // both loop
  diff("vector", nat.r.trapno, emu.r.trapno);
  if (nat.r.trapno == emu.r.trapno && has_error_code(nat.r.trapno)) {
    const u32 m = nat.r.trapno == kExPF ? 0x1f : 0xffff;  // P W/R U/S RSVD I/D
    diff("error code", nat.r.err & m, emu.r.err & m);
    if (nat.r.trapno == kExPF) diff("cr2", nat.r.cr2, emu.r.cr2);
  }
  diff("rip", nat.r.rip, emu.r.rip);
  const bool skip_result = result_undefined(g);
  // Host difference: a POPA whose pops run past the stack limit (#SS(0),
  // seen in 16-bit mode) has already loaded the registers popped before the
  // fault on AMD. pc64 checks the whole range first and leaves them alone
  // (SDM Vol. 2B "POPA": #SS(0) "if the starting or ending stack address is
  // not within the stack segment"), so the GPRs are not compared then.
  const bool skip_gprs = skip_result || (env.amd && named(*g.insn.row, "POPA") && nat.r.trapno == kExSS &&
                                         emu.r.trapno == kExSS);
  const int ngpr = env.bits == 64 ? 16 : 8;
  for (int i = 0; i < ngpr && !skip_gprs; ++i) diff(kGprNames[i], nat.r.gpr[i], emu.r.gpr[i]);
  const u64 m = kComparedFlags & ~undefined_flags(env, g);
  diff("rflags", nat.r.rflags & m, emu.r.rflags & m);
  if (!skip_result) {
    if (nat.r.data_hash != emu.r.data_hash) d += "  data area: more than 2048 bytes changed, contents differ\n";
    std::map<u32, std::pair<int, int>> bytes;  // offset -> (native, pc64), -1 = unchanged
    for (const DirtyByte& b : nat.dirty) bytes[b.off] = {b.val, -1};
    for (const DirtyByte& b : emu.dirty) {
      auto it = bytes.find(b.off);
      if (it == bytes.end()) bytes[b.off] = {-1, b.val};
      else it->second.second = b.val;
    }
    int shown = 0;
    for (auto& [off, v] : bytes) {
      if (v.first == v.second) continue;
      if (fxsave_vendor_byte(env, g, off, v.first, v.second)) continue;
      if (shown++ < 8) {
        char b[96];
        snprintf(b, sizeof b, "  mem[%llx]: native %s, pc64 %s\n", (unsigned long long)(kDataAddr + off),
                 v.first < 0 ? "unchanged" : hex((u64)v.first).c_str(),
                 v.second < 0 ? "unchanged" : hex((u64)v.second).c_str());
        d += b;
      }
    }
    if (shown > 8) d += "  ... " + std::to_string(shown - 8) + " more data bytes differ\n";
  }
  // Both ran the instruction to the INT3 after it (#BP): its results count.
  const bool completed = nat.r.trapno == 3 && emu.r.trapno == 3;
  if (g.c.fp_used) compare_fp(env, g, nat.r.fp, emu.r.fp, completed, &d);
  return d;
}

std::string reproducer(const Env& env, const GenCase& g, const Outcome& nat, const Outcome& emu,
                       const std::string& diff) {
  std::string s;
  char b[256];
  s += "bytes:";
  for (int i = 0; i < g.c.code_len; ++i) {
    snprintf(b, sizeof b, " %02x", g.c.code[i]);
    s += b;
  }
  if (env.bits == 16)
    s += "   (16-bit, at " + hex(kSel16Code) + ":" + hex(kCodeOffset) + ", CS base " + hex(kCodeAddr) +
         ", data segments base " + hex(kDataAddr) + ")\n";
  else
    s += "   (" + std::to_string(env.bits) + "-bit, at " + hex(kCodeAddr + kCodeOffset) + ")\n";
#ifdef PC64_HAVE_DISASM
  char text[128];
  disasm(g.insn, kCodeAddr + kCodeOffset - code_base(env) + g.insn.len, text, sizeof text);
  s += std::string("disasm: ") + text + "\n";
#endif
  const int ngpr = env.bits == 64 ? 16 : 8;
  s += "input: ";
  for (int i = 0; i < ngpr; ++i) {
    snprintf(b, sizeof b, "%s=%llx%s", kGprNames[i], (unsigned long long)g.c.gpr[i], i % 4 == 3 ? "\n       " : " ");
    s += b;
  }
  snprintf(b, sizeof b, "rflags=%llx (undefined mask %llx)\n", (unsigned long long)g.c.rflags,
           (unsigned long long)undefined_flags(env, g));
  s += b;
  for (const Patch& p : g.c.patch) {
    if (!p.len) continue;
    snprintf(b, sizeof b, "       mem[%llx] =", (unsigned long long)(kDataAddr + p.off));
    s += b;
    for (int k = 0; k < p.len; ++k) {
      snprintf(b, sizeof b, " %02x", p.bytes[k]);
      s += b;
    }
    s += "\n";
  }
  if (g.c.fp_used) {
    // The FP input: control and status, the instruction's vector registers
    // and, for x87/MMX rows, the stack.
    const FpState& f = g.c.fp;
    snprintf(b, sizeof b, "       mxcsr=%x fcw=%x fsw=%x (TOP %d) ftw=%04x\n", f.mxcsr, f.fcw, f.fsw, f.fsw >> 11 & 7, f.ftw);
    s += b;
    u32 seen = 0;
    for (int n = 0; n < g.insn.nops; ++n) {
      const DecodedOp& o = g.insn.op[n];
      if (o.type != OpType::Xmm || o.reg >= num_xmm(env) || (seen >> o.reg & 1)) continue;
      seen |= 1u << o.reg;
      snprintf(b, sizeof b, "       %s%d=%s\n", vec_bytes(env) == 32 ? "ymm" : "xmm", o.reg,
               vec_hex(f.ymm[o.reg], vec_bytes(env)).c_str());
      s += b;
    }
    const FpClass cls = row_fp_class(*g.insn.row);
    if (cls == FpClass::X87 || cls == FpClass::Mmx) {
      for (int i = 0; i < 8; ++i) {
        const int r = (i + (f.fsw >> 11 & 7)) & 7;
        snprintf(b, sizeof b, "       ST(%d)=R%d=%s tag %d\n", i, r, st_hex(f.st[r]).c_str(), f.ftw >> (2 * r) & 3);
        s += b;
      }
    }
  }
  for (int side = 0; side < 2; ++side) {
    const Outcome& o = side ? emu : nat;
    s += side ? "pc64:   " : "native: ";
    s += end_text(o) + ", rip=" + hex(o.r.rip) + " rflags=" + hex(o.r.rflags);
    if (g.c.fp_used)
      s += " mxcsr=" + hex(o.r.fp.mxcsr) + " fcw=" + hex(o.r.fp.fcw) + " fsw=" + hex(o.r.fp.fsw) +
           " ftw=" + hex(o.r.fp.ftw);
    s += "\n        ";
    for (int i = 0; i < ngpr; ++i) {
      const bool differs = nat.r.gpr[i] != emu.r.gpr[i];
      snprintf(b, sizeof b, "%s=%llx%s%s", kGprNames[i], (unsigned long long)o.r.gpr[i], differs ? "*" : "",
               i % 4 == 3 ? "\n        " : " ");
      s += b;
    }
    s += "\n";
  }
  s += "differences (* above):\n" + diff;
  return s;
}

std::vector<std::string> row_names() {
  std::vector<std::string> names(kNumRows);
  std::map<std::string, int> seen;
  for (u32 i = 0; i < kNumRows; ++i) {
    std::string n = kRows[i].name;
    if (kRows[i].operands[0]) {
      n += "_";
      for (const char* p = kRows[i].operands; *p; ++p) n += *p == ',' ? '_' : *p;
    }
    const int k = ++seen[n];
    if (k > 1) n += "_" + std::to_string(k);
    names[i] = n;
  }
  return names;
}

}  // namespace pc64::difftest
