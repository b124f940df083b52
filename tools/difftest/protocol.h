// The pipe protocol between pc64-difftest and its native runners
// (pc64-difftest-native64 / -native32, the latter also with --mode16), and the guest memory layout both
// sides share.
//
// The runner is a child process. It maps the code page and the data area at
// the fixed linear addresses below, plus PROT_NONE guard zones around them so
// a stray access faults instead of touching the runner's own memory. The
// parent sends a batch (u32 count, u32 byte size, then `count` Case records);
// the runner executes every case and answers with one Result per case, each
// followed by `ndirty` DirtyByte records: the data-area bytes that differ
// from the pristine fill after the case. A Case with fp_used = 0 and its
// Result go over the pipe without their trailing FpState (most rows never
// touch it; the records are then a quarter of the size).
//
// Records are packed and use fixed-width fields so the 64-bit parent and the
// -m32 runner agree on the layout.
//
// Both records carry the x87/SSE/AVX register state (FpState): the runner
// loads the Case's with XRSTOR (FXRSTOR without XSAVE) right before the
// instruction and reads the Result's from the XSAVE image the kernel puts in
// the signal frame.
#pragma once
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

namespace pc64::difftest {

constexpr uint64_t kDataAddr = 0x10000000;  // the data area (stack and memory operands)
constexpr uint32_t kDataSize = 0x10000;
constexpr uint64_t kCodeAddr = 0x20000000;  // the code page (filled with INT3)
constexpr uint32_t kCodeSize = 0x1000;
constexpr uint32_t kCodeOffset = 0x800;     // the instruction starts here

// --mode 16: the -m32 runner installs two LDT descriptors (modify_ldt) and
// runs the instruction in a 16-bit code segment (base kCodeAddr, limit
// 0xFFFF, D=0), with DS/ES/FS/GS/SS on a 16-bit data segment (base
// kDataAddr, limit 0xFFFF, B=0). Offsets, not linear addresses, are then
// what IP, SP and the pointer registers hold.
constexpr uint16_t kSel16Code = 0x07;  // LDT entry 0, RPL 3
constexpr uint16_t kSel16Data = 0x0f;  // LDT entry 1, RPL 3
constexpr uint32_t kSeg16Limit = 0xffff;

// Guard zones: reserved PROT_NONE by the runner, unmapped in the pc64 guest.
struct Zone {
  uint64_t lo, hi;
};
constexpr Zone kGuardZones[] = {
    {0x1000, 0x10000},                                      // below 64 KiB (16-bit addresses)
    {kDataAddr - 0x100000, kDataAddr},                      // below the data area
    {kDataAddr + kDataSize, kDataAddr + 0x100000},          // above the data area
    {kCodeAddr - 0x100000, kCodeAddr},                      // around the code page
    {kCodeAddr + kCodeSize, kCodeAddr + 0x100000},
};
constexpr int kNumGuardZones = sizeof(kGuardZones) / sizeof(kGuardZones[0]);

constexpr uint32_t kMaxPatches = 3;
constexpr uint32_t kMaxDirty = 2048;  // more changed bytes than this: only the hash counts

#pragma pack(push, 1)

// Bytes written into the data area before the case runs.
struct Patch {
  uint16_t off;   // offset in the data area
  uint8_t len;    // 0: unused
  uint8_t bytes[32];
};

// The x87, SSE and AVX registers (SDM Vol. 1 §8.1, §10.2, §14.1). The x87
// registers are the physical R0..R7 (not ST(i)): the 64-bit significand,
// then the sign and 15-bit exponent, little-endian, as FXSAVE stores one.
// `ftw` is the full tag word, two bits per physical register, as FSTENV
// reports it: the runner converts to and from FXSAVE's abridged form
// (Vol. 1 §10.5.1.1, Table 10-2), so it is always consistent with the
// register contents. In 32- and 16-bit mode only YMM0-7 exist (the rest is
// zero); without AVX the upper halves are zero and not compared.
struct FpState {
  uint8_t ymm[16][32];
  uint8_t st[8][10];
  uint32_t mxcsr;
  uint16_t fcw;
  uint16_t fsw;  // TOP in bits 13:11
  uint16_t ftw;
  uint16_t pad;
};

// A state image written into the data area before the case runs, for the
// rows that load one (FLDENV, FRSTOR, FXRSTOR, XRSTOR): both sides build it
// with write_fp_image() from the Case's own FpState, its registers rotated
// by `rot` so the loaded state differs from the current one, and the
// control fields below (SDM Vol. 1 §8.1.10 Figures 8-9/8-10 for the x87
// environment, §8.1.10/Figure 8-11 for FSAVE, §10.5.1 Table 10-1 for
// FXSAVE, §13.4 for the XSAVE header and the YMM_Hi128 component).
enum : uint8_t {
  kImgNone = 0,
  kImgEnv16,    // FLDENV, 16-bit operand size: 14 bytes
  kImgEnv32,    // FLDENV: 28 bytes
  kImgSave16,   // FRSTOR, 16-bit operand size: 94 bytes
  kImgSave32,   // FRSTOR: 108 bytes
  kImgFxsave,   // FXRSTOR: 512 bytes
  kImgXsave,    // XRSTOR: 512 + 64 header + YMM_Hi128 (at ymm_off)
};

struct ImageSpec {
  uint16_t off;        // data-area offset
  uint8_t kind;        // kImg*
  uint8_t rot;         // R[i] = Case.fp.st[(i + rot) & 7], XMM[i] = Case.fp.ymm[(i + rot) & 15]
  uint16_t fcw, fsw;
  uint16_t ftw;        // full tag word (FSAVE formats) or abridged in the low byte (FXSAVE)
  uint16_t ymm_off;    // offset of YMM_Hi128 in an XSAVE image
  uint32_t mxcsr;
  uint32_t ip, dp;     // FIP / FDP (and FOP, FCS, FDS from their bits); not compared
  uint64_t xstate_bv;  // XSAVE header
  uint64_t xcomp_bv;
};

struct Case {
  uint64_t gpr[16];   // RAX..R15 (only the low 8, low 32 bits, in 32- and 16-bit mode)
  uint64_t rflags;
  uint8_t code[15];
  uint8_t code_len;
  Patch patch[kMaxPatches];
  ImageSpec img;
  uint8_t fp_used;    // 0: the row cannot touch the FP state; `fp` is neither loaded nor reported
  uint8_t pad[7];
  FpState fp;         // last: not sent when !fp_used (case_wire_size)
};

enum : uint8_t {
  kEndSignal = 0,   // a fault or trap ended the run (vector in `trapno`)
  kEndTimeout = 1,  // the run did not end in time (a loop)
};

struct Result {
  uint64_t gpr[16];
  uint64_t rip;
  uint64_t rflags;
  uint64_t cr2;
  uint32_t trapno;
  uint32_t err;
  uint32_t signo;
  uint32_t ndirty;    // DirtyByte records following this header
  uint64_t data_hash; // FNV-1a of the whole data area after the run
  uint8_t end;        // kEnd*
  uint8_t pad[7];
  FpState fp;         // last: not sent when the case's fp_used is 0
};

constexpr uint32_t kCaseHead = offsetof(Case, fp), kResultHead = offsetof(Result, fp);
inline uint32_t case_wire_size(const Case& c) { return c.fp_used ? (uint32_t)sizeof(Case) : kCaseHead; }
inline uint32_t result_wire_size(bool fp_used) { return fp_used ? (uint32_t)sizeof(Result) : kResultHead; }

struct DirtyByte {
  uint16_t off;
  uint8_t val;
};

// The runner's first message: what the parent must mirror in the guest.
struct Hello {
  uint32_t magic;       // kHelloMagic
  uint32_t bits;        // 64, 32, or 16 (the -m32 runner started with --mode16)
  uint64_t seg_base[6]; // ES CS SS DS FS GS
  uint16_t seg_sel[6];
  uint32_t zones_ok;    // bit i: guard zone i is reserved
  uint32_t error;       // nonzero: setup failed (mapping the fixed areas)
  uint32_t mxcsr_mask;  // FXSAVE's MXCSR_MASK: MXCSR bits the host accepts
  uint32_t xrstor;      // the runner loads the state with XRSTOR, RFBM = xcr0
  uint64_t xcr0;        // XCR0 & 7 (0 without OSXSAVE)
  uint32_t ymm_off;     // CPUID.(EAX=0DH,ECX=2):EBX, the YMM_Hi128 offset in an XSAVE image
};

#pragma pack(pop)

constexpr uint32_t kHelloMagic = 0x36344350;  // "PC64"

// The pristine data-area contents, identical on both sides.
inline void fill_pristine(uint8_t* p, uint32_t n) {
  uint64_t s = 0x243f6a8885a308d3ull;
  for (uint32_t i = 0; i < n; i += 8) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t v = s ^ (s >> 29);
    for (uint32_t k = 0; k < 8 && i + k < n; ++k) p[i + k] = (uint8_t)(v >> (8 * k));
  }
}

// The full x87 tag of a register from its contents (SDM Vol. 1 §10.5.1.1,
// Table 10-2, as FSTENV/FSAVE recreate it): 0 valid, 1 zero, 2 special, 3
// empty (decided by the caller). Exponent all ones: special; exponent zero:
// zero if the whole significand is zero, else special (denormal or
// pseudo-denormal); otherwise valid with the integer bit set, special
// without it (unnormal).
inline unsigned x87_tag_of(const uint8_t* reg10) {
  uint64_t mant = 0;
  for (int k = 0; k < 8; ++k) mant |= (uint64_t)reg10[k] << (8 * k);
  const unsigned exp = (reg10[8] | (unsigned)reg10[9] << 8) & 0x7fff;
  if (exp == 0x7fff) return 2;
  if (exp == 0) return mant == 0 ? 1 : 2;
  return mant >> 63 ? 0 : 2;
}

// Full tag word from FXSAVE's abridged one (bit i: R_i not empty).
inline uint16_t x87_full_tag(uint8_t abridged, const uint8_t st[8][10]) {
  uint16_t t = 0;
  for (int i = 0; i < 8; ++i) t |= (uint16_t)((abridged >> i & 1 ? x87_tag_of(st[i]) : 3u) << (2 * i));
  return t;
}

inline uint8_t x87_abridged_tag(uint16_t full) {
  uint8_t a = 0;
  for (int i = 0; i < 8; ++i)
    if ((full >> (2 * i) & 3) != 3) a |= (uint8_t)(1u << i);
  return a;
}

inline uint32_t fp_image_size(uint8_t kind, uint16_t ymm_off) {
  switch (kind) {
    case kImgEnv16: return 14;
    case kImgEnv32: return 28;
    case kImgSave16: return 94;
    case kImgSave32: return 108;
    case kImgFxsave: return 512;
    case kImgXsave: return (uint32_t)ymm_off + 256;
    default: return 0;
  }
}

// Writes the image `c.img` describes into the data area `data` (if it fits).
template <class CaseT>
inline void write_fp_image(const CaseT& c, uint8_t* data, uint32_t data_size) {
  const ImageSpec& m = c.img;
  const uint32_t size = fp_image_size(m.kind, m.ymm_off);
  if (!size || m.off + size > data_size) return;
  uint8_t* p = data + m.off;
  auto put16 = [&](uint32_t at, uint16_t v) { p[at] = (uint8_t)v; p[at + 1] = (uint8_t)(v >> 8); };
  auto put32 = [&](uint32_t at, uint32_t v) { put16(at, (uint16_t)v); put16(at + 2, (uint16_t)(v >> 16)); };
  auto put64 = [&](uint32_t at, uint64_t v) { put32(at, (uint32_t)v); put32(at + 4, (uint32_t)(v >> 32)); };
  const unsigned top = m.fsw >> 11 & 7;
  const uint8_t* reg[8];  // physical R0..R7
  for (int i = 0; i < 8; ++i) reg[i] = c.fp.st[(i + m.rot) & 7];
  for (uint32_t k = 0; k < size; ++k) p[k] = 0;
  if (m.kind == kImgEnv16 || m.kind == kImgSave16) {
    put16(0, m.fcw); put16(2, m.fsw); put16(4, m.ftw);
    put16(6, (uint16_t)m.ip); put16(8, (uint16_t)(m.ip >> 16));
    put16(10, (uint16_t)m.dp); put16(12, (uint16_t)(m.dp >> 16));
    if (m.kind == kImgSave16)
      for (unsigned i = 0; i < 8; ++i)
        for (int k = 0; k < 10; ++k) p[14 + 10 * i + k] = reg[(top + i) & 7][k];
    return;
  }
  if (m.kind == kImgEnv32 || m.kind == kImgSave32) {
    put32(0, 0xffff0000u | m.fcw); put32(4, 0xffff0000u | m.fsw); put32(8, 0xffff0000u | m.ftw);
    put32(12, m.ip); put16(16, (uint16_t)(m.dp >> 16)); put16(18, (uint16_t)(m.ip >> 21));  // FCS, FOP
    put32(20, m.dp); put32(24, 0xffff0000u | (uint16_t)(m.ip >> 8));                       // FDP, FDS
    if (m.kind == kImgSave32)
      for (unsigned i = 0; i < 8; ++i)
        for (int k = 0; k < 10; ++k) p[28 + 10 * i + k] = reg[(top + i) & 7][k];
    return;
  }
  // FXSAVE legacy region (also the first 512 bytes of an XSAVE image).
  put16(0, m.fcw); put16(2, m.fsw); p[4] = (uint8_t)m.ftw;
  put16(6, (uint16_t)(m.ip >> 21)); put32(8, m.ip); put32(16, m.dp);  // FOP, FIP, FDP
  put32(24, m.mxcsr); put32(28, 0xffff);
  for (unsigned i = 0; i < 8; ++i)
    for (int k = 0; k < 10; ++k) p[32 + 16 * i + k] = reg[(top + i) & 7][k];
  for (unsigned i = 0; i < 16; ++i)
    for (int k = 0; k < 16; ++k) p[160 + 16 * i + k] = c.fp.ymm[(i + m.rot) & 15][k];
  if (m.kind != kImgXsave) return;
  put64(512, m.xstate_bv); put64(520, m.xcomp_bv);
  for (unsigned i = 0; i < 16; ++i)
    for (int k = 0; k < 16; ++k) p[m.ymm_off + 16 * i + k] = c.fp.ymm[(i + m.rot) & 15][16 + k];
}

inline uint64_t fnv1a(const uint8_t* p, uint32_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint32_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}


// Blocking whole-buffer pipe I/O (retrying on EINTR); false on EOF or error.
inline bool read_full(int fd, void* p, size_t n) {
  uint8_t* b = (uint8_t*)p;
  while (n) {
    ssize_t k = read(fd, b, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    b += k;
    n -= (size_t)k;
  }
  return true;
}

inline bool write_full(int fd, const void* p, size_t n) {
  const uint8_t* b = (const uint8_t*)p;
  while (n) {
    ssize_t k = write(fd, b, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    b += k;
    n -= (size_t)k;
  }
  return true;
}

}  // namespace pc64::difftest
