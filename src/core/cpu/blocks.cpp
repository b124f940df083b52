// Decoded blocks: the interpreter's fast path (see Cpu::DecodedBlock).
//
// fetch_decode() validates and looks up every instruction on its own; the
// lookup's cache miss was a third of the time in kernel code. A block is
// looked up and validated once (its bytes against memory, its mode and
// features), then its instructions run back to back. A block ends early
// when an instruction faults, leaves RIP anywhere but the next instruction,
// changes the mode, halts, raises `attention` (interrupts, traps, shadows)
// or asks the run loop to stop, and when a store hits the block's page:
// stores to code that is about to run must take effect (SDM Vol. 3A §11.6,
// "Self-Modifying Code"), and the next lookup compares the bytes again.
// Writes outside the CPU's store path (page-walk A/D updates) do not end a
// block; only page tables in the block's own page could matter.
#include "cpu/cpu.h"
#include "cpu/interp/interp.h"

namespace pc64 {
namespace {

// Compares the block's bytes with the code at p (the block lies within
// p's page; whole words are read only while they stay inside it).
bool same_bytes(const u8* p, u32 page_off, const Cpu::DecodedBlock& b) {
  u64 diff = 0;
  u32 i = 0;
  for (; i + 8 <= b.nbytes; i += 8) diff |= load_le<u64>(p + i) ^ b.bytes[i / 8];
  if (i < b.nbytes) {
    const u32 rest = b.nbytes - i;
    const u64 mask = (1ull << (8 * rest)) - 1;
    if (page_off + i + 8 <= 0x1000) {
      diff |= (load_le<u64>(p + i) ^ b.bytes[i / 8]) & mask;
    } else {
      u64 w = 0;
      for (u32 k = 0; k < rest; ++k) w |= (u64)p[i + k] << (8 * k);
      diff |= w ^ b.bytes[i / 8];
    }
  }
  return diff == 0;
}

// The CS limit rule of fetch_decode()'s fast path, for a whole block: the
// last instruction's 15-byte window ends inside CS (outside 64-bit mode).
bool within_limit(const CpuState& s, u32 nbytes) {
  return s.code_size == 8 || s.rip + nbytes + 14 <= s.seg[CS].limit;
}

}  // namespace

bool Cpu::build_block(DecodedBlock& b, u64 lin, const u8* p) {
  const u32 page_off = (u32)(lin & 0xfff);
  b.lin = ~0ull;
  b.n = 0;
  u32 nbytes = 0;
  for (u64& w : b.bytes) w = 0;
  while (b.n < kBlockInsns) {
    u32 avail = 0x1000 - page_off - nbytes;
    if (avail > 15) avail = 15;
    Insn& in = b.insn[b.n];
    if (decode(p + nbytes, avail, decode_mode(), in) != DecodeStatus::Ok) break;
    if (nbytes + in.len > (u32)kBlockBytes || !within_limit(s, nbytes + in.len)) break;
    in.fn = bind_handler(in);
    for (u32 k = 0; k < in.len; ++k) b.bytes[(nbytes + k) / 8] |= (u64)p[nbytes + k] << (8 * ((nbytes + k) % 8));
    nbytes += in.len;
    ++b.n;
    if (in.row->attr & (BRANCH | SERIAL)) break;
  }
  if (b.n == 0) return false;
  b.nbytes = (u8)nbytes;
  b.lin = lin;
  b.features = features;
  b.code_size = s.code_size;
  return true;
}

u64 Cpu::run_block(u64 max) {
  u64 lin;
  const u8* p = nullptr;
  faulted = false;
  if (linear(CS, s.rip, 1, Access::Exec, &lin)) p = translate(lin, Access::Exec);
  if (!p) {  // a fault, or code outside RAM: step() raises or fetches it
    faulted = false;
    step();
    return 1;
  }
  const u32 page_off = (u32)(lin & 0xfff);
  DecodedBlock& b = blocks[(lin ^ (lin >> 10) ^ (lin >> 21)) & (kBlockCacheSize - 1)];
  if (!(b.lin == lin && b.code_size == s.code_size && b.features == features && same_bytes(p, page_off, b)) &&
      !build_block(b, lin, p)) {
    step();
    return 1;
  }
  if (!within_limit(s, b.nbytes)) {
    step();
    return 1;
  }
  block_host = p - page_off;
  smc_hit = false;
  const u32 n = b.n < max ? b.n : (u32)max;
  const u8 code_size = s.code_size;
  u32 k = 0;
  while (k < n) {
    const Insn& in = b.insn[k++];
    insn_start = s.rip;
    faulted = false;
    const u64 next = mask_ip(insn_start + in.len);
    s.rip = next;
    in.fn(*this, in);
    if (PC64_UNLIKELY(faulted)) {
      block_host = nullptr;
      finish_fault();
      return k;
    }
    ++icount;
    if (PC64_UNLIKELY(attention != 0 || exit != ExitReason::None || s.rip != next || smc_hit ||
                      s.halted || s.code_size != code_size))
      break;
  }
  block_host = nullptr;
  return k;
}

}  // namespace pc64
