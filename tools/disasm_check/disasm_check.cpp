// pc64-disasm-check: pc64's decoder and disassembler against GNU objdump.
//
// For every eligible row of the opcode table, random encodings from the
// shared encoder (tools/testgen) are concatenated into one raw file, objdump
// disassembles the file, and each instance's length and text are compared
// with pc64's. Each instance's offset is recorded, so a length disagreement
// shows up as objdump starting (or not starting) an instruction at the next
// instance's offset; instances objdump ran past are re-checked in another
// objdump run.
//
//   pc64-disasm-check [--cases N] [--seed S] [--mode 64|32] [--filter REGEX]
//                     [--hex BYTES]...
//
// --hex checks the given byte strings ("4883c005") instead of random ones.
// Output: mismatches, a per-row summary, then one line "N passed, M failed".
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "options.h"
#include "cpu/decoder.h"
#include "cpu/disasm.h"
#include "testgen.h"

using namespace pc64;

namespace {

// Legacy prefix bytes (and REX) before the opcode.
bool has_prefix(const u8* b, u32 n, u8 want, int mode) {
  for (u32 i = 0; i < n; ++i) {
    u8 x = b[i];
    bool pfx = x == 0x66 || x == 0x67 || x == 0xF0 || x == 0xF2 || x == 0xF3 || x == 0x26 ||
               x == 0x2E || x == 0x36 || x == 0x3E || x == 0x64 || x == 0x65 ||
               (mode == 64 && (x & 0xF0) == 0x40);
    if (!pfx) return false;
    if (x == want) return true;
  }
  return false;
}

struct Instance {
  const Insn& in;
  const u8* bytes;
  u32 n;
  int mode;
  bool p66() const { return has_prefix(bytes, n, 0x66, mode); }
};

// Where objdump (2.40) is known to disagree with the SDM: such instances are
// not checked. `applies` null: the whole row.
struct Skip {
  const char* name;
  const char* reason;
  bool (*applies)(const Instance&);
};
const Skip kSkips[] = {
    {"MOVSXD", "with 66: objdump sizes Ez by 66 even with REX.W (SDM: REX.W wins)",
     [](const Instance& i) { return i.p66(); }},
    {"WBINVD", "with 66: objdump shows (bad); the 66 is ignored",
     [](const Instance& i) { return i.p66(); }},
    {"RDFSBASE", "with 66: objdump shows a 16-bit form the SDM does not define",
     [](const Instance& i) { return i.p66(); }},
    {"RDGSBASE", "with 66: objdump shows a 16-bit form the SDM does not define",
     [](const Instance& i) { return i.p66(); }},
    {"WRFSBASE", "with 66: objdump shows a 16-bit form the SDM does not define",
     [](const Instance& i) { return i.p66(); }},
    {"WRGSBASE", "with 66: objdump shows a 16-bit form the SDM does not define",
     [](const Instance& i) { return i.p66(); }},
    // SDM "Jcc", "LOOP", "JCXZ": with a 16-bit operand size EIP is truncated
    // to 16 bits; objdump ignores a 66 on the short (Jb) forms.
    {nullptr, "short branches (Jb) with 66 outside 64-bit mode: objdump keeps a 32-bit target",
     [](const Instance& i) {
       return i.p66() && i.mode != 64 && i.in.row->ops.count &&
              i.in.row->ops.op[0].kind == OpKind::J && i.in.row->ops.op[0].size == OpSize::b;
     }},
    {"MFENCE", "ModRM.rm != 0: objdump shows (bad); SDM Table A-6 leaves rm free",
     [](const Instance& i) { return (i.in.modrm & 7) != 0; }},
    {"SFENCE", "ModRM.rm != 0: objdump shows (bad); SDM Table A-6 leaves rm free",
     [](const Instance& i) { return (i.in.modrm & 7) != 0; }},
    {"LFENCE", "ModRM.rm != 0: objdump shows (bad); SDM Table A-6 leaves rm free",
     [](const Instance& i) { return (i.in.modrm & 7) != 0; }},
    // x87 images: pc64 sizes them by the operand size, where REX.W wins over 66.
    {"FNSTENV", "66 with REX.W: objdump picks the 16-bit image by 66 alone",
     [](const Instance& i) { return i.p66() && (i.in.rex & 8); }},
    {"FLDENV", "66 with REX.W: objdump picks the 16-bit image by 66 alone",
     [](const Instance& i) { return i.p66() && (i.in.rex & 8); }},
    {"FNSAVE", "66 with REX.W: objdump picks the 16-bit image by 66 alone",
     [](const Instance& i) { return i.p66() && (i.in.rex & 8); }},
    {"FRSTOR", "66 with REX.W: objdump picks the 16-bit image by 66 alone",
     [](const Instance& i) { return i.p66() && (i.in.rex & 8); }},
    {"FWAIT", "with REX: objdump shows the REX as a separate prefix instruction",
     [](const Instance& i) { return i.in.rex != 0; }},
    // Checked on the host CPU: 66 F3 0F D6 /r is MOVQ2DQ xmm, mm (F3 selects the row).
    {"MOVQ2DQ", "with 66: objdump names the MMX operand an XMM register",
     [](const Instance& i) { return i.p66(); }},
    {"MOVDQ2Q", "with 66: objdump names the MMX operand an XMM register",
     [](const Instance& i) { return i.p66(); }},
    {"PCLMULQDQ", "imm8 02h/03h: objdump names them lqhq/hqhq as if bit 1 were bit 4",
     [](const Instance& i) { return (i.in.imm & 0xff) == 2 || (i.in.imm & 0xff) == 3; }},
    {"VPCLMULQDQ", "imm8 02h/03h: objdump names them lqhq/hqhq as if bit 1 were bit 4",
     [](const Instance& i) { return (i.in.imm & 0xff) == 2 || (i.in.imm & 0xff) == 3; }},
    // SDM Vol. 2A §2.3.6.2 / "MOVSS": the VEX register forms are VEX.LIG
    // (L ignored, the operands are XMM registers).
    {"VMOVSS", "VEX.L = 1 register form: objdump names the destination a YMM register (LIG)",
     [](const Instance& i) { return i.in.vex_l && (i.in.modrm >> 6) == 3; }},
    {"VMOVSD", "VEX.L = 1 register form: objdump names the destination a YMM register (LIG)",
     [](const Instance& i) { return i.in.vex_l && (i.in.modrm >> 6) == 3; }},
    {"NOP", "0F 18..0F 1E: objdump decodes the hint-NOP space as PREFETCHh/MPX/CET",
     [](const Instance& i) { return i.in.row->map == Map::M0F && i.in.opcode != 0x1F; }},
};

const Skip* skip_of(const Row& r, const Instance* inst) {
  for (const Skip& s : kSkips)
    if ((!s.name || !strcmp(s.name, r.name)) && (!s.applies || (inst && s.applies(*inst))))
      return &s;
  return nullptr;
}

struct Case {
  std::vector<u8> bytes;
  const Row* row;  // the row it was generated from (nullptr for --hex)
};

struct ObjInsn {
  u32 len;
  std::string text;
};

// Runs objdump over `blob`, returning the instructions keyed by offset.
std::map<u64, ObjInsn> run_objdump(const std::vector<u8>& blob, int mode) {
  std::map<u64, ObjInsn> out;
  char path[] = "/tmp/pc64-disasm-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    perror("mkstemp");
    exit(2);
  }
  if (write(fd, blob.data(), blob.size()) != (ssize_t)blob.size()) {
    perror("write");
    exit(2);
  }
  close(fd);
  std::string cmd = "objdump -D -z --insn-width=16 -b binary ";
  cmd += mode == 64 ? "-m i386:x86-64 -M intel,intel64 " : "-m i386 -M intel ";
  cmd += path;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    perror("popen");
    exit(2);
  }
  char line[512];
  u64 last = ~0ull;
  while (fgets(line, sizeof line, p)) {
    // "  1a:\t48 83 c0 05 \tadd    rax,0x5"; a continuation line has no text.
    char* colon = strchr(line, ':');
    char* tab1 = strchr(line, '\t');
    if (!colon || !tab1 || colon > tab1) continue;
    char* end;
    u64 addr = strtoull(line, &end, 16);
    if (end != colon) continue;
    char* bytes = tab1 + 1;
    char* tab2 = strchr(bytes, '\t');
    std::string byte_field(bytes, tab2 ? tab2 - bytes : strlen(bytes));
    u32 n = 0;
    for (size_t i = 0; i + 1 < byte_field.size(); ++i)
      if (isxdigit((unsigned char)byte_field[i]) && isxdigit((unsigned char)byte_field[i + 1]) &&
          (i + 2 == byte_field.size() || !isxdigit((unsigned char)byte_field[i + 2]))) ++n;
    if (!tab2) {
      if (last != ~0ull) out[last].len += n;
      continue;
    }
    std::string text(tab2 + 1);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    out[addr] = {n, text};
    last = addr;
  }
  pclose(p);
  unlink(path);
  return out;
}

std::string collapse(const std::string& s) {
  std::string r;
  for (char ch : s) {
    if (ch == ' ' || ch == '\t') {
      if (!r.empty() && r.back() != ' ') r += ' ';
    } else {
      r += ch;
    }
  }
  while (!r.empty() && r.back() == ' ') r.pop_back();
  return r;
}

// objdump's cosmetic differences from pc64, removed before comparing:
//  1. whitespace: objdump pads the mnemonic to a column; runs become one space;
//  2. "# 0x47" comments after RIP-relative operands (the target address);
//  3. prefix words for prefixes objdump did not apply to any operand (es cs ss
//     ds fs gs, data16 data32 addr16 addr32, rex and rex.WRXB, bnd, notrack):
//     pc64 does not name unused prefixes. "rep"/"repz"/"repnz" (and the
//     xacquire/xrelease hints) are dropped only when pc64's row is not REP
//     capable, so a missing rep on a string instruction is still caught;
//  4. objdump prints a negative RIP-relative displacement as a 64-bit
//     unsigned number ("[rip+0xfffffffffffffff0]"); pc64 prints "[rip-0x10]".
//  5. objdump sizes a far pointer operand by the 66 prefix alone (DWORD with
//     66, else FWORD); with REX.W it is m16:64 (SDM Vol. 2A "CALL", REX.W
//     wins over 66), 10 bytes, which pc64 calls TBYTE.
//  6. objdump names 90 with 66 or REX.W "xchg ax,ax"/"xchg rax,rax"; the
//     SDM calls it NOP (only REX.B makes 90 an exchange, with r8).
//  7. objdump takes 3E on an indirect CALL/JMP as CET's "notrack"; pc64
//     (no CET) shows it as the DS override it is, so "ds:" is dropped then.
std::string normalise_objdump(const std::string& t, const Insn& in) {
  std::string s = t;
  size_t hash = s.find(" #");
  if (hash != std::string::npos) s.resize(hash);
  s = collapse(s);
  static const char* const kUnused[] = {"es", "cs", "ss", "ds", "fs", "gs", "data16", "data32",
                                        "addr16", "addr32", "bnd", "notrack", "rex"};
  static const char* const kRep[] = {"rep", "repz", "repnz", "repe", "repne", "xacquire",
                                     "xrelease"};
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t sp = s.find(' ', pos);
    if (sp == std::string::npos) break;
    std::string w = s.substr(pos, sp - pos);
    bool drop = false, prefix = false;
    for (const char* u : kUnused)
      if (w == u) drop = prefix = true;
    if (w.rfind("rex.", 0) == 0) drop = prefix = true;
    for (const char* u : kRep)
      if (w == u) {
        prefix = true;
        drop = in.rep == 0 || w[0] == 'x';
      }
    if (w == "lock") prefix = true;
    if (!prefix) break;
    if (!drop) out += w + " ";
    pos = sp + 1;
  }
  out += s.substr(pos);
  if ((out == "xchg ax,ax" || out == "xchg rax,rax") && in.row->map == Map::P &&
      in.row->opcode == 0x90 && in.row->span == 1)
    out = "nop";
  for (const char* r : {"[rip+0x", "[eip+0x"}) {
    size_t at = out.find(r);
    if (at == std::string::npos) continue;
    size_t h = at + 7, e = out.find(']', h);
    if (e == std::string::npos || e - h != 16 || out[h] < '8') continue;
    u64 v = strtoull(out.substr(h, 16).c_str(), nullptr, 16);
    char tmp[24];
    snprintf(tmp, sizeof tmp, "-0x%llx", (unsigned long long)(0 - v));
    out = out.substr(0, at + 4) + tmp + out.substr(e);
  }
  return out;
}

std::string normalise_pc64(const std::string& t, const Insn& in, bool has66) {
  std::string s = collapse(t);
  for (int i = 0; i < in.row->ops.count; ++i) {
    size_t at = s.find("TBYTE PTR");
    if (in.row->ops.op[i].size == OpSize::p && at != std::string::npos)
      s.replace(at, 5, has66 ? "DWORD" : "FWORD");
  }
  return s;
}

std::string hex_of(const std::vector<u8>& b) {
  std::string s;
  char tmp[4];
  for (u8 x : b) {
    snprintf(tmp, sizeof tmp, "%02x ", x);
    s += tmp;
  }
  if (!s.empty()) s.pop_back();
  return s;
}

struct RowStats {
  u32 pass = 0, fail = 0;
};

struct Checker {
  int mode = 64;
  std::map<const Row*, RowStats> stats;
  u64 passed = 0, failed = 0;
  std::map<const Row*, int> shown;

  void report(const Case& c, const std::string& why, const std::string& ours,
              const std::string& theirs) {
    ++failed;
    if (c.row) stats[c.row].fail++;
    if (c.row && shown[c.row]++ >= 5) return;  // keep the output readable
    printf("MISMATCH %-30s [%s] %s\n  objdump: %s\n  pc64:    %s\n",
           c.row ? (std::string(c.row->name) + " " + c.row->operands).c_str() : "--hex",
           hex_of(c.bytes).c_str(), why.c_str(), theirs.c_str(), ours.c_str());
  }

  // Checks a batch; returns the cases objdump did not start an instruction at.
  std::vector<Case> check_batch(const std::vector<Case>& cases) {
    std::vector<u8> blob;
    std::vector<u64> offs;
    for (const Case& c : cases) {
      offs.push_back(blob.size());
      blob.insert(blob.end(), c.bytes.begin(), c.bytes.end());
    }
    std::map<u64, ObjInsn> od = run_objdump(blob, mode);
    std::vector<Case> retry;
    DecodeMode dm{(u8)(mode / 8), kAllFeatures};
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      auto it = od.find(offs[i]);
      if (it == od.end()) {
        retry.push_back(c);
        continue;
      }
      Insn in;
      char buf[256];
      if (decode(c.bytes.data(), (u32)c.bytes.size(), dm, in) != DecodeStatus::Ok) {
        report(c, "pc64 does not decode", "(bad)", it->second.text);
        continue;
      }
      disasm(in, offs[i] + in.len, buf, sizeof buf);
      bool has66 = has_prefix(c.bytes.data(), (u32)c.bytes.size(), 0x66, mode);
      std::string ours = normalise_pc64(buf, in, has66);
      std::string theirs = normalise_objdump(it->second.text, in);
      // (An absolute disp32 operand keeps objdump's own "ds:" notation.)
      if (it->second.text.find("notrack") != std::string::npos &&
          theirs.find("ds:") == std::string::npos) {
        size_t at = ours.find("ds:");
        if (at != std::string::npos) ours.erase(at, 3);
      }
      if (in.len != c.bytes.size() || it->second.len != in.len) {
        char why[96];
        snprintf(why, sizeof why, "length: pc64 %u, objdump %u, encoded %zu", in.len,
                 it->second.len, c.bytes.size());
        report(c, why, ours, it->second.text);
      } else if (ours != theirs) {
        report(c, "text", ours, it->second.text);
      } else {
        ++passed;
        if (c.row) stats[c.row].pass++;
      }
    }
    return retry;
  }

  void check_all(std::vector<Case> cases) {
    const size_t kBatch = 4000;
    for (size_t start = 0; start < cases.size(); start += kBatch) {
      std::vector<Case> batch(cases.begin() + start,
                              cases.begin() + std::min(cases.size(), start + kBatch));
      for (int pass = 0; !batch.empty(); ++pass) {
        if (pass == 50) {
          for (const Case& c : batch) report(c, "objdump never resynchronised", "", "");
          break;
        }
        batch = check_batch(batch);
      }
    }
  }
};

bool parse_hex(const char* s, std::vector<u8>* out) {
  std::string h;
  for (; *s; ++s)
    if (isxdigit((unsigned char)*s)) h += *s;
    else if (*s != ' ') return false;
  if (h.empty() || h.size() % 2 || h.size() > 30) return false;
  for (size_t i = 0; i < h.size(); i += 2) out->push_back((u8)strtoul(h.substr(i, 2).c_str(), 0, 16));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  u64 ncases = 20000, seed = 1;
  int mode = 64;
  std::string filter;
  std::vector<Case> hex_cases;
  static constexpr cli::OptionSpec kOptions[] = {
      {"cases", "N", "number of cases (default 20000)"},
      {"seed", "S", "random seed (default 1)"},
      {"mode", "64|32", "code size (default 64)"},
      {"filter", "REGEX", "only rows whose name matches"},
      {"hex", "BYTES", "check these bytes instead (repeatable)"},
      {"help", "", "print this help and exit", "h"},
  };
  auto args = cli::parse("pc64-disasm-check", kOptions, argc, argv);
  if (!args) return cli::kExitUsage;
  if (!args->positional.empty()) {
    cli::error("pc64-disasm-check", "unexpected argument '" + args->positional[0] + "'");
    return cli::kExitUsage;
  }
  for (const cli::ParsedOption& opt : args->options) {
    const std::string_view name = opt.spec->name;
    std::optional<uint64_t> v;
    if (name == "cases" || name == "seed" || name == "mode") {
      v = cli::parse_uint(opt.value, 0, ~0ull);
      if (!v) {
        cli::error("pc64-disasm-check", "bad value for " + opt.spelled + ": '" + opt.value + "'");
        return cli::kExitUsage;
      }
    }
    if (name == "cases") ncases = *v;
    else if (name == "seed") seed = *v;
    else if (name == "mode") mode = (int)*v;
    else if (name == "filter") filter = opt.value;
    else if (name == "hex") {
      Case c{{}, nullptr};
      if (!parse_hex(opt.value.c_str(), &c.bytes)) {
        cli::error("pc64-disasm-check", "bad --hex bytes '" + opt.value + "'");
        return cli::kExitUsage;
      }
      hex_cases.push_back(c);
    } else if (name == "help") {
      printf("usage: pc64-disasm-check [options]\n%s", cli::usage(kOptions).c_str());
      return 0;
    }
  }
  if (mode != 64 && mode != 32) {
    fprintf(stderr, "pc64-disasm-check: --mode must be 64 or 32\n");
    return 2;
  }
  Checker ck;
  ck.mode = mode;
  if (!hex_cases.empty()) {
    ck.check_all(hex_cases);
    printf("%llu passed, %llu failed\n", (unsigned long long)ck.passed,
           (unsigned long long)ck.failed);
    return ck.failed ? 1 : 0;
  }
  std::regex re(filter.empty() ? std::string(".") : filter);
  std::vector<const Row*> rows;
  for (u32 i = 0; i < kNumRows; ++i) {
    const Row& r = kRows[i];
    if (!testgen::row_valid_in_mode(r, mode) || skip_of(r, nullptr)) continue;
    if (!std::regex_search(std::string(r.name) + " " + r.operands, re)) continue;
    rows.push_back(&r);
  }
  if (rows.empty()) {
    printf("no rows match\n0 passed, 0 failed\n");
    return 0;
  }
  testgen::Rng rng(seed);
  testgen::EncodeOptions opt;
  opt.mode = mode;
  std::vector<Case> cases;
  u64 unencodable = 0, skipped = 0;
  for (u64 i = 0; i < ncases; ++i) {
    const Row* r = rows[i % rows.size()];
    testgen::Encoded e;
    if (!testgen::encode_random(*r, rng, opt, &e)) {
      ++unencodable;
      continue;
    }
    Insn in;
    Instance inst{in, e.bytes, e.len, mode};
    if (decode(e.bytes, e.len, DecodeMode{(u8)(mode / 8), kAllFeatures}, in) == DecodeStatus::Ok &&
        skip_of(*r, &inst)) {
      ++skipped;
      continue;
    }
    cases.push_back({std::vector<u8>(e.bytes, e.bytes + e.len), r});
  }
  ck.check_all(cases);
  printf("\nper-row summary (mode %d):\n", mode);
  for (const Row* r : rows) {
    RowStats s = ck.stats.count(r) ? ck.stats[r] : RowStats{};
    printf("  %-8s %-14s map%d %02x /%d  %6u passed %6u failed%s\n", r->name, r->operands,
           (int)r->map, r->opcode, r->reg, s.pass, s.fail, s.fail ? "  <--" : "");
  }
  for (const Skip& s : kSkips) printf("  not checked: %s %s\n", s.name ? s.name : "", s.reason);
  if (skipped) printf("  (%llu cases skipped as known objdump differences)\n", (unsigned long long)skipped);
  if (unencodable) printf("  (%llu cases could not be encoded)\n", (unsigned long long)unencodable);
  printf("%llu passed, %llu failed\n", (unsigned long long)ck.passed, (unsigned long long)ck.failed);
  return ck.failed ? 1 : 0;
}
