// Golden "bytes -> text" pairs for the disassembler, each checked against
// GNU objdump 2.40 (`objdump -D -b binary -m i386:x86-64 -M intel,intel64`,
// or `-m i386 -M intel`) with objdump's column padding collapsed.
// tools/disasm_check does the same over random encodings of every row.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cpu/disasm.h"

using namespace pc64;

namespace {

struct Golden {
  const char* hex;
  const char* text;
};

std::vector<u8> bytes_of(const char* hex) {
  std::vector<u8> b;
  for (const char* p = hex; p[0] && p[1]; p += 2) b.push_back((u8)std::stoul(std::string(p, 2), nullptr, 16));
  return b;
}

void check(int mode, const Golden& g) {
  std::vector<u8> b = bytes_of(g.hex);
  char buf[128];
  u32 len = disasm_bytes(b.data(), (u32)b.size(), mode, 0, buf, sizeof buf);
  EXPECT_EQ(len, b.size()) << g.hex;
  EXPECT_STREQ(buf, g.text) << g.hex;
}

}  // namespace

TEST(Disasm, Golden64) {
  const Golden kCases[] = {
      {"4883c005", "add rax,0x5"},
      {"4883c0fb", "add rax,0xfffffffffffffffb"},  // imm8 sign-extended to 64 bits
      {"00242500100000", "add BYTE PTR ds:0x1000,ah"},
      {"644801043d10000000", "add QWORD PTR fs:[rdi*1+0x10],rax"},
      {"48010540000000", "add QWORD PTR [rip+0x40],rax"},
      {"010420", "add DWORD PTR [rax+riz*1],eax"},
      {"01442400", "add DWORD PTR [rsp+0x0],eax"},
      {"670104e510000000", "add DWORD PTR [eiz*8+0x10],eax"},
      {"f348ab", "rep stos QWORD PTR es:[rdi],rax"},
      {"f3aa", "rep stos BYTE PTR es:[rdi],al"},
      {"f2ae", "repnz scas al,BYTE PTR es:[rdi]"},
      {"7400", "je 0x2"},
      {"e800000000", "call 0x5"},
      {"48b81122334455667788", "movabs rax,0x8877665544332211"},
      {"a11122334455667788", "movabs eax,ds:0x8877665544332211"},
      {"4898", "cdqe"},
      {"98", "cwde"},
      {"6698", "cbw"},
      {"0f20c0", "mov rax,cr0"},
      {"8cc8", "mov eax,cs"},
      {"c1e0fb", "shl eax,0xfb"},
      {"6bc1fb", "imul eax,ecx,0xfffffffb"},
      {"6afb", "push 0xfffffffffffffffb"},
      {"0f94c0", "sete al"},
      {"0f4fc1", "cmovg eax,ecx"},
      {"f0480fc708", "lock cmpxchg16b OWORD PTR [rax]"},
      {"d7", "xlat BYTE PTR ds:[rbx]"},
      {"0f05", "syscall"},
      {"ff28", "jmp FWORD PTR [rax]"},
  };
  for (const Golden& g : kCases) check(64, g);
}

TEST(Disasm, Golden32) {
  const Golden kCases[] = {
      {"67014010", "add DWORD PTR [bx+si+0x10],eax"},
      {"66e80000", "callw 0x4"},
      {"ea112233445566", "jmp 0x6655:0x44332211"},
      {"0f0100", "sgdtd [eax]"},
      {"2ea4", "movs BYTE PTR es:[edi],BYTE PTR cs:[esi]"},
      {"3e0100", "add DWORD PTR ds:[eax],eax"},
      {"010424", "add DWORD PTR [esp],eax"},
      {"01042500100000", "add DWORD PTR [eiz*1+0x1000],eax"},
      {"c8100020", "enter 0x10,0x20"},
      {"66c3", "retw"},
      {"9c", "pushf"},
      {"669c", "pushfw"},
  };
  for (const Golden& g : kCases) check(32, g);
}

TEST(Disasm, BadBytesAndSmallBuffers) {
  const u8 bad[] = {0x0F, 0x04};
  char buf[32];
  EXPECT_EQ(disasm_bytes(bad, sizeof bad, 64, 0, buf, sizeof buf), 1u);
  EXPECT_STREQ(buf, "(bad)");
  const u8 add[] = {0x48, 0x83, 0xC0, 0x05};
  char small[6];
  EXPECT_EQ(disasm_bytes(add, sizeof add, 64, 0, small, sizeof small), 4u);
  EXPECT_STREQ(small, "add r");  // truncated, still NUL-terminated
}
