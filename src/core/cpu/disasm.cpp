// The Intel-syntax disassembler (see disasm.h).
//
// Everything comes from the Insn record and its Row: the mnemonic is the
// row's name, the operands are the decoded operands. The few places where
// objdump's spelling is not a function of the row's name and operand
// notation are listed in kSpellings below, one line per mnemonic, rather
// than scattered through the formatter.
#include "cpu/disasm.h"

#include "cpu/state.h"

namespace pc64 {
namespace {

// ---- a bounded string builder (no libc in the core) ----
class Out {
 public:
  Out(char* buf, u32 size) : buf_(buf), size_(size) {}
  void ch(char c) {
    if (n_ + 1 < size_) buf_[n_] = c;
    ++n_;
  }
  void str(const char* s) {
    while (*s) ch(*s++);
  }
  void hex(u64 v) {  // "0x1f"
    char tmp[16];
    int k = 0;
    do {
      tmp[k++] = "0123456789abcdef"[v & 15];
      v >>= 4;
    } while (v);
    str("0x");
    while (k) ch(tmp[--k]);
  }
  void dec(u32 v) {
    if (v >= 10) dec(v / 10);
    ch((char)('0' + v % 10));
  }
  void shex(i64 v) {  // "+0x10" / "-0x10"
    if (v < 0) {
      ch('-');
      hex(0 - (u64)v);
    } else {
      ch('+');
      hex((u64)v);
    }
  }
  u32 finish() {
    if (size_ == 0) return 0;
    u32 end = n_ < size_ ? n_ : size_ - 1;
    buf_[end] = 0;
    return end;
  }
  u32 len() const { return n_; }

 private:
  char* buf_;
  u32 size_;
  u32 n_ = 0;
};

// ---- per-mnemonic spelling exceptions ----
enum : u16 {
  kSext8 = 1 << 0,      // an Ib operand is sign-extended to the operand size
                        // (SDM: 83 /r, 6A PUSH, 6B IMUL), so print it at that size
  kSuffixW = 1 << 1,    // 16-bit operand size and no register or memory operand
                        // to show it: objdump appends 'w' (callw, pushw, leavew)
  kBytePtr = 1 << 2,    // memory "of no particular size" printed as BYTE PTR
  kRegOpsize = 1 << 3,  // register form of a 16-bit r/m (Ew) printed at the
                        // operand size (mov eax,cs; sldt eax; smsw eax)
  kMovabs = 1 << 4,     // "movabs" when the immediate or moffs is 8 bytes
  kByAsize = 1 << 5,    // names[] chosen by address size, not operand size
  kSegMove = 1 << 6,    // MOV to/from Sreg: r/m is a register of the operand
                        // size or a WORD in memory (SDM Vol. 2B "MOV")
  kXlat = 1 << 7,       // implicit "BYTE PTR ds:[rbx]" operand
  kOword = 1 << 8,      // memory "dq" operand printed as OWORD PTR
  kLegacyDW = 1 << 9,   // outside 64-bit mode objdump appends 'w'/'d' by operand size
  kLegacyPlain = 1 << 10,  // outside 64-bit mode: the plain row name, not names[]
  kNoPtr = 1 << 11,        // memory operand printed without a size (INVPCID's m128)
  kXmm0 = 1 << 12,         // implicit XMM0 source printed last (legacy PBLENDVB/BLENDVPS/
                           // BLENDVPD, SHA256RNDS2's <XMM0>)
  kPclmul = 1 << 13,       // PCLMULQDQ imm8 00h/01h/10h/11h as the pseudo-ops
                           // pclmul{lq,hq}{lq,hq}dq without the immediate
  kCmpPred = 1 << 14,      // CMPPS-style: imm8 below 8 (VEX: 32) becomes the predicate
                           // pseudo-op "cmpltps" without the immediate (SDM "CMPPS" Table 3-4)
  kFpEnvW = 1 << 15,       // x87 environment/state image: 'w' for the 16-bit format (66)
};

struct Spelling {
  const char* row;       // Row::name, as written in the .def file
  const char* names[3];  // spelling for size 2, 4, 8 (nullptr: lower-cased row name)
  u16 flags;
};

// clang-format off
const Spelling kSpellings[] = {
    // ALU forms whose imm8 is sign-extended (SDM Vol. 2A "ADD": "imm8 sign-extended").
    {"ADD", {}, kSext8}, {"OR", {}, kSext8}, {"ADC", {}, kSext8}, {"SBB", {}, kSext8},
    {"AND", {}, kSext8}, {"SUB", {}, kSext8}, {"XOR", {}, kSext8}, {"CMP", {}, kSext8},
    {"IMUL", {}, kSext8},
    {"PUSH", {}, kSext8 | kSuffixW},
    // Stack and branch forms whose size only the mnemonic can show.
    {"POP", {}, kSuffixW}, {"CALL", {}, kSuffixW}, {"JMP", {}, kSuffixW},
    {"RET", {}, kSuffixW}, {"LEAVE", {}, kSuffixW}, {"ENTER", {}, kSuffixW},
    {"PUSHF", {}, kSuffixW}, {"POPF", {}, kSuffixW},
    {"PUSHA", {}, kSuffixW}, {"POPA", {}, kSuffixW},
    {"PUSHFD", {"pushfw", "pushf", "pushf"}, 0}, {"POPFD", {"popfw", "popf", "popf"}, 0},
    {"PUSHFQ", {"pushfw", "pushf", "pushf"}, 0}, {"POPFQ", {"popfw", "popf", "popf"}, 0},
    {"PUSHAD", {"pushaw", "pusha", "pusha"}, 0}, {"POPAD", {"popaw", "popa", "popa"}, 0},
    {"IRET", {"iretw", "iret", "iretq"}, 0}, {"IRETD", {"iretw", "iret", "iretq"}, 0},
    {"IRETQ", {"iretw", "iret", "iretq"}, 0},
    // Far transfers: objdump calls them call/jmp/retf like the SDM's mnemonics.
    {"CALLF", {"call", "call", "call"}, 0}, {"JMPF", {"jmp", "jmp", "jmp"}, 0},
    {"RETF", {"retfw", "retf", "retfq"}, 0},
    // SYSRET/SYSEXIT: the size is REX.W's (a 66 prefix does not make them 16-bit).
    {"SYSEXIT", {"sysexitd", "sysexitd", "sysexitq"}, kLegacyPlain},
    {"SYSRET", {"sysretd", "sysretd", "sysretq"}, kLegacyPlain},
    // Descriptor-table loads and stores: sgdtd/sgdtw outside 64-bit mode.
    {"SGDT", {}, kLegacyDW}, {"SIDT", {}, kLegacyDW}, {"LGDT", {}, kLegacyDW},
    {"LIDT", {}, kLegacyDW},
    // One opcode, a name per operand size (SDM Vol. 2A "CBW/CWDE/CDQE", "CWD/CDQ/CQO").
    {"CBW", {"cbw", "cwde", "cdqe"}, 0}, {"CWDE", {"cbw", "cwde", "cdqe"}, 0},
    {"CDQE", {"cbw", "cwde", "cdqe"}, 0},
    {"CWD", {"cwd", "cdq", "cqo"}, 0}, {"CDQ", {"cwd", "cdq", "cqo"}, 0},
    {"CQO", {"cwd", "cdq", "cqo"}, 0},
    {"JCXZ", {"jcxz", "jecxz", "jrcxz"}, kByAsize}, {"JECXZ", {"jcxz", "jecxz", "jrcxz"}, kByAsize},
    {"JRCXZ", {"jcxz", "jecxz", "jrcxz"}, kByAsize}, {"JrCXZ", {"jcxz", "jecxz", "jrcxz"}, kByAsize},
    // String instructions: objdump shows the size in the operands, not the name.
    {"MOVS", {"movs", "movs", "movs"}, 0}, {"MOVSB", {"movs", "movs", "movs"}, 0},
    {"MOVSW", {"movs", "movs", "movs"}, 0}, {"MOVSQ", {"movs", "movs", "movs"}, 0},
    {"CMPS", {"cmps", "cmps", "cmps"}, 0}, {"CMPSB", {"cmps", "cmps", "cmps"}, 0},
    {"STOS", {"stos", "stos", "stos"}, 0}, {"STOSB", {"stos", "stos", "stos"}, 0},
    {"LODS", {"lods", "lods", "lods"}, 0}, {"LODSB", {"lods", "lods", "lods"}, 0},
    {"SCAS", {"scas", "scas", "scas"}, 0}, {"SCASB", {"scas", "scas", "scas"}, 0},
    {"INS", {"ins", "ins", "ins"}, 0}, {"INSB", {"ins", "ins", "ins"}, 0},
    {"OUTS", {"outs", "outs", "outs"}, 0}, {"OUTSB", {"outs", "outs", "outs"}, 0},
    // Moves.
    {"MOV", {}, kMovabs | kSegMove}, {"MOV_CR", {"mov", "mov", "mov"}, 0},
    {"MOV_DR", {"mov", "mov", "mov"}, 0},
    {"SLDT", {}, kRegOpsize}, {"STR", {}, kRegOpsize}, {"SMSW", {}, kRegOpsize},
    {"LAR", {}, kRegOpsize}, {"LSL", {}, kRegOpsize},
    // XLAT's implicit operand, which objdump shows as a string-style operand.
    {"XLAT", {}, kXlat}, {"XLATB", {"xlat", "xlat", "xlat"}, kXlat},
    {"CMPXCHG16B", {}, kOword}, {"INVPCID", {}, kNoPtr},
    // Memory operands of no particular size that objdump calls BYTE.
    {"INVLPG", {}, kBytePtr}, {"CLFLUSH", {}, kBytePtr}, {"CLFLUSHOPT", {}, kBytePtr},
    {"CLWB", {}, kBytePtr},
    {"SHA256RNDS2", {}, kXmm0},
    {"PCLMULQDQ", {}, kPclmul}, {"VPCLMULQDQ", {}, kPclmul},
    // 64-bit lengths (REX.W / VEX.W): objdump appends 'q' to the explicit-length forms.
    {"PCMPESTRI", {"pcmpestri", "pcmpestri", "pcmpestriq"}, 0},
    {"PCMPESTRM", {"pcmpestrm", "pcmpestrm", "pcmpestrmq"}, 0},
    {"VPCMPESTRI", {"vpcmpestri", "vpcmpestri", "vpcmpestriq"}, 0},
    {"VPCMPESTRM", {"vpcmpestrm", "vpcmpestrm", "vpcmpestrmq"}, 0},
    // SSE compares with a predicate immediate.
    {"CMPPS", {}, kCmpPred}, {"CMPSS", {}, kCmpPred}, {"CMPPD", {}, kCmpPred},
    {"CMPSD", {}, kCmpPred}, {"VCMPPS", {}, kCmpPred}, {"VCMPSS", {}, kCmpPred},
    {"VCMPPD", {}, kCmpPred}, {"VCMPSD", {}, kCmpPred},
    {"PBLENDVB", {}, kXmm0}, {"BLENDVPS", {}, kXmm0}, {"BLENDVPD", {}, kXmm0},
    {"LDDQU", {}, kNoPtr}, {"VLDDQU", {}, kNoPtr},
    // x87 environment images: the 14/94-byte formats are "fnstenvw"/"fnsavew".
    {"FNSTENV", {}, kFpEnvW}, {"FLDENV", {}, kFpEnvW}, {"FNSAVE", {}, kFpEnvW},
    {"FRSTOR", {}, kFpEnvW},
    // FXSAVE/FXRSTOR with REX.W: the 64-bit layout (SDM Vol. 2A "FXSAVE").
    {"FXSAVE", {"fxsave", "fxsave", "fxsave64"}, 0}, {"FXRSTOR", {"fxrstor", "fxrstor", "fxrstor64"}, 0},
};

// CMPPS predicates 0-31 (SDM Vol. 2A "CMPPS" Table 3-1), as objdump names them.
const char* const kCmpPreds[32] = {
    "eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord",
    "eq_uq", "nge", "ngt", "false", "neq_oq", "ge", "gt", "true",
    "eq_os", "lt_oq", "le_oq", "unord_s", "neq_us", "nlt_uq", "nle_uq", "ord_s",
    "eq_us", "nge_uq", "ngt_uq", "false_os", "neq_os", "ge_oq", "gt_oq", "true_us"};
// clang-format on

bool name_eq(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

const Spelling* spelling_of(const Row& r) {
  for (const Spelling& s : kSpellings)
    if (name_eq(s.row, r.name)) return &s;
  return nullptr;
}

const char* const kCond[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                               "s", "ns", "p", "np", "l", "ge", "le", "g"};

// ---- registers ----
const char* const kReg64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
const char* const kReg32[16] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
const char* const kReg16[16] = {"ax",  "cx",  "dx",   "bx",   "sp",   "bp",   "si",   "di",
                                "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
const char* const kReg8[16] = {"al",  "cl",  "dl",   "bl",   "spl",  "bpl",  "sil",  "dil",
                               "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
const char* const kReg8Hi[4] = {"ah", "ch", "dh", "bh"};
const char* const kSeg[8] = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};

const char* gpr_name(int reg, int size, bool hi8) {
  reg &= 15;
  switch (size) {
    case 1: return hi8 ? kReg8Hi[reg & 3] : kReg8[reg];
    case 2: return kReg16[reg];
    case 4: return kReg32[reg];
    default: return kReg64[reg];
  }
}

const char* ptr_name(int size) {
  switch (size) {
    case 1: return "BYTE PTR ";
    case 2: return "WORD PTR ";
    case 4: return "DWORD PTR ";
    case 6: return "FWORD PTR ";
    case 8: return "QWORD PTR ";
    case 10: return "TBYTE PTR ";
    case 16: return "OWORD PTR ";
    case 32: return "YMMWORD PTR ";
    default: return "";
  }
}

struct Ctx {
  const Insn& in;
  const Spelling* sp;
  u64 next_rip;
  u16 flags() const {
    u16 f = sp ? sp->flags : 0;
    if (f & kSegMove) {  // only the forms with a segment register operand
      bool seg = false;
      for (int i = 0; i < in.row->ops.count; ++i) seg |= in.row->ops.op[i].kind == OpKind::S;
      if (!seg) f &= (u16)~kSegMove;
    }
    return f;
  }
};

// Size printed before a ModRM memory operand ("" for none).
const char* mem_ptr(const Ctx& c, const OperandSpec& spec, const DecodedOp& d) {
  if (c.flags() & kSegMove) return ptr_name(2);
  if (c.flags() & kOword) return ptr_name(16);
  if (c.flags() & kNoPtr) return "";
  if (spec.size == OpSize::m) return (c.flags() & kBytePtr) ? ptr_name(1) : "";
  if (spec.size == OpSize::s) return "";
  // objdump names a 16-byte vector operand XMMWORD (OWORD is CMPXCHG16B's).
  // So is a vector-sized M operand (VBROADCASTF128, VMASKMOVPS).
  const bool vec_m = spec.kind == OpKind::M && (spec.size == OpSize::dq || spec.size == OpSize::x ||
                                                 spec.size == OpSize::ps || spec.size == OpSize::pd);
  if (d.size == 16 && (kind_is_xmm(spec.kind) || vec_m)) return "XMMWORD PTR ";
  return ptr_name(d.size);
}

// "[rax+rbx*4+0x10]" or "ds:0x1000", with the segment override, for the
// ModRM memory operand (SDM Vol. 2A Tables 2-1..2-3).
void modrm_mem(Out& o, const Ctx& c) {
  const Insn& in = c.in;
  const int mod = in.modrm >> 6, rm = in.modrm & 7;
  const int as = in.asize;
  const bool sib = as != 2 && rm == 4;
  const bool has_disp = mod == 1 || mod == 2 || in.base == kNoReg;
  if (in.seg_override != kNoSeg) {
    o.str(kSeg[in.seg_override & 7]);
    o.ch(':');
  }
  // A SIB with no index shows objdump's pseudo-register riz/eiz, except for
  // a plain [rsp]/[r12] base and (with 64-bit addressing) a plain disp32.
  const bool base_rsp = in.base != kNoReg && (in.base & 7) == RSP;
  const bool riz = sib && in.index == kNoReg &&
                   (in.scale || (in.base == kNoReg ? as == 4 : !base_rsp));
  if (in.base == kNoReg && in.index == kNoReg && !in.riprel && !riz) {
    if (in.seg_override == kNoSeg) o.str("ds:");
    o.hex((u64)in.disp & width_mask(as));
    return;
  }
  o.ch('[');
  bool any = false;
  if (in.riprel) {
    o.str(as == 8 ? "rip" : "eip");
    any = true;
  } else if (in.base != kNoReg) {
    o.str(gpr_name(in.base, as, false));
    any = true;
  }
  if (in.index != kNoReg || riz) {
    if (any) o.ch('+');
    o.str(in.index != kNoReg ? gpr_name(in.index, as, false) : (as == 8 ? "riz" : "eiz"));
    if (as != 2) {
      o.ch('*');
      o.ch((char)('0' + (1 << in.scale)));
    }
  }
  if (has_disp) {
    if (in.base == kNoReg && in.index == kNoReg && !in.riprel && in.code_size == 8 && as == 4) {
      o.ch('+');  // objdump: [eiz*n+disp] in 64-bit mode is unsigned
      o.hex((u64)in.disp & width_mask(4));
    } else {
      o.shex(as == 8 ? in.disp : sign_extend((u64)in.disp, as));
    }
  }
  o.ch(']');
}

// String operand DS:rSI / ES:rDI (and XLAT's DS:rBX), always with its
// segment (objdump style).
void string_mem(Out& o, const Ctx& c, int size, int reg) {
  o.str(ptr_name(size));
  o.str(reg == RDI ? "es" : kSeg[c.in.seg & 7]);
  o.str(":[");
  o.str(gpr_name(reg, c.in.asize, false));
  o.ch(']');
}

// The operand size an immediate is printed at.
int imm_print_size(const Ctx& c, int i, const OperandSpec& spec) {
  const Insn& in = c.in;
  const int first = (i > 0 && in.op[0].size) ? in.op[0].size : in.opsize;
  switch (spec.size) {
    case OpSize::b: return (c.flags() & kSext8) && first > 1 ? first : 1;
    case OpSize::z: return first > 1 ? first : 4;
    default: return in.op[i].size ? in.op[i].size : 1;
  }
}

void operand(Out& o, const Ctx& c, int i) {
  const Insn& in = c.in;
  const OperandSpec& spec = in.row->ops.op[i];
  const DecodedOp& d = in.op[i];
  switch (d.type) {
    case OpType::Reg: {
      int size = d.size;
      if ((c.flags() & (kRegOpsize | kSegMove)) && spec.kind == OpKind::E) size = in.opsize;
      o.str(gpr_name(d.reg, size, d.hi8));
      return;
    }
    case OpType::Seg: o.str(kSeg[d.reg & 7]); return;
    case OpType::Xmm: o.str(d.size == 32 ? "ymm" : "xmm"); o.dec(d.reg); return;
    case OpType::Mmx: o.str("mm"); o.dec(d.reg); return;
    case OpType::St:
      if (spec.kind == OpKind::St0) {
        o.str("st");
      } else {
        o.str("st("); o.dec(d.reg); o.ch(')');
      }
      return;
    case OpType::Cr: o.str("cr"); o.dec(d.reg); return;
    case OpType::Dr: o.str("dr"); o.dec(d.reg); return;
    case OpType::Mem:
      if (spec.kind == OpKind::X || spec.kind == OpKind::Y) {
        string_mem(o, c, d.size, spec.kind == OpKind::X ? RSI : RDI);
      } else if (spec.kind == OpKind::O) {
        o.str(in.seg_override != kNoSeg ? kSeg[in.seg_override & 7] : "ds");
        o.ch(':');
        o.hex((u64)in.disp & width_mask(in.asize));
      } else {
        o.str(mem_ptr(c, spec, d));
        modrm_mem(o, c);
      }
      return;
    case OpType::Imm:
      if (spec.kind == OpKind::One) {
        o.ch('1');
      } else if (spec.kind == OpKind::J) {
        u64 target = c.next_rip + in.imm;
        o.hex(target & width_mask(in.opsize));
      } else if (spec.kind == OpKind::A) {
        o.hex(in.imm2 & 0xffff);
        o.ch(':');
        o.hex(in.imm);
      } else {
        u64 v = d.reg == 2 ? in.imm2 : in.imm;
        o.hex(v & width_mask(imm_print_size(c, i, spec)));
      }
      return;
    case OpType::None: return;
  }
}

// Whether a kPclmul row prints as a pseudo-op: imm8 selects the low/high
// quadword of the first (bit 0) and second (bit 4) source (SDM Vol. 2B
// "PCLMULQDQ" Table 4-13).
bool pclmul_pseudo(const Ctx& c) {
  return (c.flags() & kPclmul) && (c.in.imm & ~0x11ull) == 0;
}

// Whether a kCmpPred row prints as its predicate pseudo-op.
bool cmp_pseudo(const Ctx& c) {
  return (c.flags() & kCmpPred) && c.in.imm < (c.in.vex ? 32u : 8u);
}

// Writes the lower-cased row name, resolving condition codes and the
// exceptions table.
void mnemonic(Out& o, const Ctx& c) {
  const Insn& in = c.in;
  const Row& r = *in.row;
  const bool legacy = in.code_size != 8;
  if (pclmul_pseudo(c)) {
    o.str(in.vex ? "vpclmul" : "pclmul");
    o.str((in.imm & 1) ? "hq" : "lq");
    o.str((in.imm & 0x10) ? "hq" : "lq");
    o.str("dq");
    return;
  }
  if (cmp_pseudo(c)) {  // "CMPPS" -> "cmp" + predicate + "ps"
    int n = 0;
    while (r.name[n]) ++n;
    for (int i = 0; i < n; ++i) {
      if (i == n - 2) o.str(kCmpPreds[in.imm]);
      o.ch((char)(r.name[i] | 0x20));
    }
    return;
  }
  if (c.sp && c.sp->names[0] && !(legacy && (c.flags() & kLegacyPlain))) {
    int size = (c.flags() & kByAsize) ? in.asize : in.opsize;
    o.str(c.sp->names[size == 2 ? 0 : (size == 4 ? 1 : 2)]);
    return;
  }
  int n = 0;
  while (r.name[n]) ++n;
  // Condition-code families are named "Jcc", "SETcc", "CMOVcc".
  bool cc = r.span == 16 && n > 2 && (r.name[n - 1] | 0x20) == 'c' && (r.name[n - 2] | 0x20) == 'c';
  if (cc) n -= 2;
  bool movabs = false;
  if (c.flags() & kMovabs) {
    for (int i = 0; i < in.nops; ++i) {
      const OpKind k = r.ops.op[i].kind;
      if ((k == OpKind::I && in.op[i].size == 8) || (k == OpKind::O && in.asize == 8)) movabs = true;
    }
  }
  if (movabs) {
    o.str("movabs");
  } else {
    for (int i = 0; i < n; ++i) {
      char ch = r.name[i];
      o.ch(ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch);
    }
  }
  if (cc) o.str(kCond[in.cond()]);
  if ((c.flags() & kSuffixW) && in.opsize == 2) {
    // Only when nothing else shows the size (a short Jb does not get one).
    bool sized = false;
    for (int i = 0; i < in.nops; ++i)
      if (in.op[i].type == OpType::Reg || in.op[i].type == OpType::Mem ||
          (r.ops.op[i].kind == OpKind::J && r.ops.op[i].size == OpSize::b))
        sized = true;
    if (!sized) o.ch('w');
  }
  if ((c.flags() & kLegacyDW) && legacy) o.ch(in.opsize == 2 ? 'w' : 'd');
  if ((c.flags() & kFpEnvW) && in.opsize == 2) o.ch('w');
}

void prefixes(Out& o, const Ctx& c) {
  const Insn& in = c.in;
  if (in.lock) o.str("lock ");
  if (in.rep == 0xF2) o.str("repnz ");
  if (in.rep == 0xF3) o.str((in.row->attr & REPCC) ? "repz " : "rep ");
}

}  // namespace

u32 disasm(const Insn& insn, u64 next_rip, char* buf, u32 size) {
  Out o(buf, size);
  if (!insn.row) {
    o.str("(bad)");
    return o.finish();
  }
  Ctx c{insn, spelling_of(*insn.row), next_rip};
  prefixes(o, c);
  mnemonic(o, c);
  // Pseudo-op spellings carry the immediate in the name.
  const int nops = (pclmul_pseudo(c) || cmp_pseudo(c)) ? insn.nops - 1 : insn.nops;
  for (int i = 0; i < nops; ++i) {
    o.ch(i == 0 ? ' ' : ',');
    operand(o, c, i);
  }
  if ((c.flags() & kXmm0) && !insn.vex) o.str(",xmm0");
  if (c.flags() & kXlat) {
    o.ch(' ');
    string_mem(o, c, 1, RBX);
  }
  return o.finish();
}

u32 disasm_bytes(const u8* bytes, u32 avail, int mode_bits, u64 rip, char* buf, u32 size) {
  Insn in;
  DecodeMode m{(u8)(mode_bits / 8), kAllFeatures};
  if (decode(bytes, avail, m, in) != DecodeStatus::Ok) {
    Out o(buf, size);
    o.str("(bad)");
    o.finish();
    return 1;
  }
  disasm(in, rip + in.len, buf, size);
  return in.len;
}

}  // namespace pc64
