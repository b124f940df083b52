// The native runner of pc64-difftest: executes test instructions on the host
// CPU and reports the architectural result. Built twice, 64-bit and -m32.
//
// For each case it writes the instruction at kCodeAddr + kCodeOffset in a
// page of INT3s, loads every GPR and the flags through the assembly
// trampoline and jumps there. The run ends with a signal: SIGTRAP from the
// INT3 after the instruction (or wherever a branch went), or the fault the
// instruction raised. The handler runs on the alternate stack (the guest RSP
// points into the data area), copies the registers, RIP, EFLAGS and the
// trap number / error code / CR2 from the ucontext, restores the segment
// registers the guest may have changed (glibc needs FS on x86-64, GS on
// i386) and siglongjmp()s back. A virtual-time interval timer ends runs that
// loop. Protocol and layout: protocol.h.
//
// The x87/SSE/AVX state: run_case() builds an XSAVE image (standard form,
// SDM Vol. 1 §13.4) of the Case's FpState, which the trampoline loads with
// XRSTOR (RFBM = XCR0 & 7) or, without XSAVE, FXRSTOR, before the GPRs. The
// handler reads the state back from the signal frame: uc_mcontext.fpregs is
// the kernel's FXSAVE/XSAVE image (on i386 after the 112-byte FSAVE header),
// with the XSAVE header and the YMM upper halves after the legacy area when
// the _fpx_sw_bytes at offset 464 carry FP_XSTATE_MAGIC1 (Linux UAPI
// asm/sigcontext.h). The kernel gives the handler a fresh FPU state, and
// siglongjmp() keeps it, so the runner's own code always starts from init.
//
// With the argument --mode16 (the -m32 build only) the instruction runs in a
// 16-bit code segment installed in the LDT with modify_ldt(2), its data
// segment registers and SS on a 16-bit data segment over the data area
// (protocol.h). The kernel delivers the signals on the alternate stack with
// flat SS/DS/ES (SA_ONSTACK is required: SP is only an offset), the handler
// puts back FS and GS before any glibc code runs, and the ucontext reports
// the 16-bit CS:IP and the guest's selectors.
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#if !defined(__x86_64__)
#include <asm/ldt.h>
#endif
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include <vector>

#include "protocol.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

using namespace pc64::difftest;

extern "C" void difftest_enter(const uint64_t* regs);
extern "C" {
uintptr_t difftest_target;
// Read by the trampolines: the image to load, how (0 not at all, 1 FXRSTOR, 2 XRSTOR),
// and XRSTOR's requested-feature bitmap (EAX; EDX is 0).
alignas(64) uint8_t difftest_fpimage[4096];
uint32_t difftest_fpmode = 1;
uint32_t difftest_xmask = 0;
}
#if !defined(__x86_64__)
extern "C" void difftest_enter16(const uint64_t* regs);
extern "C" {
uint32_t difftest_sel16;
struct __attribute__((packed)) FarPtr32 {
  uint32_t off;
  uint16_t sel;
};
FarPtr32 difftest_stack16, difftest_far16;
}
#endif

namespace {

sigjmp_buf g_env;
volatile sig_atomic_t g_in_guest = 0;
volatile uint32_t g_ticks = 0;
volatile uint32_t g_start_tick = 0;
Result g_res;
uint16_t g_sel[6];
uint64_t g_base[6];
#if defined(__x86_64__)
bool g_fsgsbase = false;
#endif
uint8_t* g_code;
uint8_t* g_data;
uint8_t g_pristine[kDataSize];
bool g_mode16 = false;
bool g_fp_used = false;      // this case loads and reports the FP state
uint64_t g_xcr0 = 0;         // XCR0 & 7, 0 without OSXSAVE
uint32_t g_mxcsr_mask = 0xffbf;
uint32_t g_ymm_off = 576;    // CPUID.(EAX=0DH,ECX=2):EBX, the YMM_Hi128 component
constexpr int kNumXmm = sizeof(void*) == 8 ? 16 : 8;
constexpr uint32_t kFpXstateMagic1 = 0x46505853;  // FP_XSTATE_MAGIC1

inline uint16_t get16(const uint8_t* p) { uint16_t v; memcpy(&v, p, 2); return v; }
inline uint32_t get32(const uint8_t* p) { uint32_t v; memcpy(&v, p, 4); return v; }
inline uint64_t get64(const uint8_t* p) { uint64_t v; memcpy(&v, p, 8); return v; }

// The XSAVE image of `f` (SDM Vol. 1 §10.5.1 Table 10-1 for the legacy
// region, §13.4.2 for the header): ST(i) = R[(TOP + i) mod 8], the abridged
// tag word, XSTATE_BV = RFBM (every component from the image), XCOMP_BV = 0.
void build_fp_image(const FpState& f) {
  uint8_t* img = difftest_fpimage;
  memset(img, 0, g_ymm_off + 256 > 1024 ? g_ymm_off + 256 : 1024);
  memcpy(img + 0, &f.fcw, 2);
  memcpy(img + 2, &f.fsw, 2);
  img[4] = x87_abridged_tag(f.ftw);
  const uint32_t mxcsr = f.mxcsr & g_mxcsr_mask;
  memcpy(img + 24, &mxcsr, 4);
  const unsigned top = f.fsw >> 11 & 7;
  for (unsigned i = 0; i < 8; ++i) memcpy(img + 32 + 16 * i, f.st[(top + i) & 7], 10);
  for (int i = 0; i < kNumXmm; ++i) memcpy(img + 160 + 16 * i, f.ymm[i], 16);
  if (difftest_fpmode == 2) {
    memcpy(img + 512, &g_xcr0, 8);
    if (g_xcr0 & 4)
      for (int i = 0; i < kNumXmm; ++i) memcpy(img + g_ymm_off + 16 * i, f.ymm[i] + 16, 16);
  }
}

// The state in the signal frame. A component whose XSTATE_BV bit is clear
// is in its initial configuration (SDM Vol. 1 §13.6): FCW 037FH, all else
// zero (MXCSR is always saved).
void capture_fp(const ucontext_t* uc, FpState* o) {
  memset(o, 0, sizeof *o);
  const uint8_t* fx = (const uint8_t*)uc->uc_mcontext.fpregs;
  if (!fx) return;
#if !defined(__x86_64__)
  if (get16(fx + 110) != 0) return;  // magic 0xffff: FSAVE data only, no FXSR
  fx += 112;
#endif
  const bool xs = get32(fx + 464) == kFpXstateMagic1;
  const uint64_t bv = xs ? get64(fx + 512) : 3;
  uint8_t abridged = 0;
  if (bv & 1) {
    o->fcw = get16(fx + 0);
    o->fsw = get16(fx + 2);
    abridged = fx[4];
    const unsigned top = o->fsw >> 11 & 7;
    for (unsigned i = 0; i < 8; ++i) memcpy(o->st[(top + i) & 7], fx + 32 + 16 * i, 10);
  } else {
    o->fcw = 0x37f;
  }
  o->ftw = x87_full_tag(abridged, o->st);
  o->mxcsr = get32(fx + 24);
  if (bv & 2)
    for (int i = 0; i < kNumXmm; ++i) memcpy(o->ymm[i], fx + 160 + 16 * i, 16);
  if (xs && (g_xcr0 & 4) && (bv & 4))
    for (int i = 0; i < kNumXmm; ++i) memcpy(o->ymm[i] + 16, fx + g_ymm_off + 16 * i, 16);
}

// How the state gets loaded: XRSTOR if the OS enabled XSAVE (CPUID.1:ECX
// bit 27 OSXSAVE), else FXRSTOR; MXCSR_MASK from FXSAVE (0 means FFBFH,
// SDM Vol. 1 §11.6.6).
void setup_fp(Hello* h) {
  unsigned a, b, c, d;
  asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
  if (c >> 27 & 1) {
    uint32_t lo, hi;
    asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    g_xcr0 = lo & 7;
    difftest_fpmode = 2;
    difftest_xmask = (uint32_t)g_xcr0;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(2));
    if (g_xcr0 & 4) g_ymm_off = b;
  }
  alignas(16) static uint8_t fx[512];
  asm volatile("fxsave %0" : "=m"(fx));
  g_mxcsr_mask = get32(fx + 28) ? get32(fx + 28) : 0xffbf;
  h->mxcsr_mask = g_mxcsr_mask;
  h->xrstor = difftest_fpmode == 2;
  h->xcr0 = g_xcr0;
  h->ymm_off = g_ymm_off;
}

#if !defined(__x86_64__)
// One LDT descriptor (modify_ldt(2), func 1). Linux sets the accessed bit.
bool set_ldt(unsigned entry, uint32_t base, bool code) {
  user_desc d{};
  d.entry_number = entry;
  d.base_addr = base;
  d.limit = kSeg16Limit;
  d.seg_32bit = 0;                                 // D/B = 0: 16-bit
  d.contents = code ? MODIFY_LDT_CONTENTS_CODE : MODIFY_LDT_CONTENTS_DATA;
  d.read_exec_only = 0;                            // code readable, data writable
  d.limit_in_pages = 0;
  d.seg_not_present = 0;
  d.useable = 0;
  return syscall(SYS_modify_ldt, 1, &d, sizeof d) == 0;
}
#endif

#if defined(__x86_64__)
void set_fs_base(uint64_t b) {
  if (g_fsgsbase) {
    asm volatile("wrfsbase %0" ::"r"(b));
  } else {
    long ret;
    asm volatile("syscall" : "=a"(ret) : "a"(SYS_arch_prctl), "D"(0x1002 /* ARCH_SET_FS */), "S"(b)
                 : "rcx", "r11", "memory");
  }
}
void set_gs_base(uint64_t b) {
  if (g_fsgsbase) {
    asm volatile("wrgsbase %0" ::"r"(b));
  } else {
    long ret;
    asm volatile("syscall" : "=a"(ret) : "a"(SYS_arch_prctl), "D"(0x1001 /* ARCH_SET_GS */), "S"(b)
                 : "rcx", "r11", "memory");
  }
}
#endif

// Puts back the segment registers (and on x86-64 the FS/GS bases) of the
// runner, in case the guest instruction loaded one. Called first thing in
// the signal handlers, before any glibc code runs.
__attribute__((always_inline)) inline void restore_segments() {
  // A guest POPF may have set EFLAGS.AC, which the kernel keeps for the
  // handler: with CR0.AM set, glibc's unaligned accesses would then raise #AC.
#if defined(__x86_64__)
  asm volatile("pushfq; andq $~0x40000, (%%rsp); popfq" ::: "memory", "cc");
#else
  asm volatile("pushfl; andl $~0x40000, (%%esp); popfl" ::: "memory", "cc");
#endif
  uint32_t sel;
#if defined(__x86_64__)
  asm volatile("mov %%fs, %0" : "=r"(sel));
  if ((uint16_t)sel != g_sel[4]) {
    asm volatile("mov %0, %%fs" ::"r"((uint32_t)g_sel[4]));
    set_fs_base(g_base[4]);
  } else if (g_fsgsbase) {
    uint64_t b;
    asm volatile("rdfsbase %0" : "=r"(b));
    if (b != g_base[4]) set_fs_base(g_base[4]);
  }
  asm volatile("mov %%gs, %0" : "=r"(sel));
  if ((uint16_t)sel != g_sel[5]) {
    asm volatile("mov %0, %%gs" ::"r"((uint32_t)g_sel[5]));
    set_gs_base(g_base[5]);
  } else if (g_fsgsbase) {
    uint64_t b;
    asm volatile("rdgsbase %0" : "=r"(b));
    if (b != g_base[5]) set_gs_base(g_base[5]);
  }
  asm volatile("mov %0, %%ds" ::"r"((uint32_t)g_sel[3]));
  asm volatile("mov %0, %%es" ::"r"((uint32_t)g_sel[0]));
#else
  asm volatile("mov %0, %%gs" ::"r"((uint32_t)g_sel[5]));
  asm volatile("mov %0, %%fs" ::"r"((uint32_t)g_sel[4]));
  asm volatile("mov %0, %%ds" ::"r"((uint32_t)g_sel[3]));
  asm volatile("mov %0, %%es" ::"r"((uint32_t)g_sel[0]));
  (void)sel;
#endif
}

void capture(const ucontext_t* uc, int sig) {
  const greg_t* g = uc->uc_mcontext.gregs;
  Result& r = g_res;
  memset(&r, 0, sizeof r);
#if defined(__x86_64__)
  static const int kMap[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                               REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
  for (int i = 0; i < 16; ++i) r.gpr[i] = (uint64_t)g[kMap[i]];
  r.rip = (uint64_t)g[REG_RIP];
  r.rflags = (uint64_t)g[REG_EFL];
  r.cr2 = (uint64_t)g[REG_CR2];
#else
  static const int kMap[8] = {REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP, REG_EBP, REG_ESI, REG_EDI};
  for (int i = 0; i < 8; ++i) r.gpr[i] = (uint32_t)g[kMap[i]];
  r.rip = (uint32_t)g[REG_EIP];
  r.rflags = (uint32_t)g[REG_EFL];
  r.cr2 = (uint32_t)uc->uc_mcontext.cr2;
#endif
  r.trapno = (uint32_t)g[REG_TRAPNO];
  r.err = (uint32_t)g[REG_ERR];
  r.signo = (uint32_t)sig;
  if (g_fp_used) capture_fp(uc, &r.fp);
}

void on_fault(int sig, siginfo_t*, void* ucv) {
  restore_segments();
  if (!g_in_guest) {  // the runner itself faulted: die with the signal
    signal(sig, SIG_DFL);
    return;          // re-executes the faulting instruction with the default action
  }
  g_in_guest = 0;
  capture((const ucontext_t*)ucv, sig);
  g_res.end = kEndSignal;
  siglongjmp(g_env, 1);
}

void on_tick(int, siginfo_t*, void* ucv) {
  restore_segments();
  g_ticks = g_ticks + 1;
  if (g_in_guest && g_ticks - g_start_tick >= 4) {  // 30..40 ms of CPU time
    g_in_guest = 0;
    capture((const ucontext_t*)ucv, SIGVTALRM);
    g_res.end = kEndTimeout;
    siglongjmp(g_env, 1);
  }
}

void* map_fixed(uint64_t addr, size_t size, int prot) {
  void* p = mmap((void*)(uintptr_t)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED || p != (void*)(uintptr_t)addr) return nullptr;
  return p;
}

bool setup(Hello* h) {
  memset(h, 0, sizeof *h);
  h->magic = kHelloMagic;
  h->bits = g_mode16 ? 16 : sizeof(void*) * 8;
  g_code = (uint8_t*)map_fixed(kCodeAddr, kCodeSize, PROT_READ | PROT_WRITE | PROT_EXEC);
  g_data = (uint8_t*)map_fixed(kDataAddr, kDataSize, PROT_READ | PROT_WRITE);
  if (!g_code || !g_data) {
    h->error = 1;
    return false;
  }
  for (int i = 0; i < kNumGuardZones; ++i)
    if (map_fixed(kGuardZones[i].lo, kGuardZones[i].hi - kGuardZones[i].lo, PROT_NONE)) h->zones_ok |= 1u << i;
  fill_pristine(g_pristine, kDataSize);
  memcpy(g_data, g_pristine, kDataSize);
  memset(g_code, 0xCC, kCodeSize);

  uint32_t s;
  asm volatile("mov %%es, %0" : "=r"(s)); g_sel[0] = (uint16_t)s;
  asm volatile("mov %%cs, %0" : "=r"(s)); g_sel[1] = (uint16_t)s;
  asm volatile("mov %%ss, %0" : "=r"(s)); g_sel[2] = (uint16_t)s;
  asm volatile("mov %%ds, %0" : "=r"(s)); g_sel[3] = (uint16_t)s;
  asm volatile("mov %%fs, %0" : "=r"(s)); g_sel[4] = (uint16_t)s;
  asm volatile("mov %%gs, %0" : "=r"(s)); g_sel[5] = (uint16_t)s;
#if defined(__x86_64__)
  g_fsgsbase = (getauxval(AT_HWCAP2) & 2) != 0;  // HWCAP2_FSGSBASE
  uintptr_t tp;
  asm volatile("mov %%fs:0, %0" : "=r"(tp));  // the TCB's self pointer = FS base
  g_base[4] = tp;
  if (g_fsgsbase) asm volatile("rdgsbase %0" : "=r"(g_base[5]));
#else
  uintptr_t tp;
  asm volatile("mov %%gs:0, %0" : "=r"(tp));  // the TCB's self pointer = GS base
  g_base[5] = tp;
#endif
  for (int i = 0; i < 6; ++i) {
    h->seg_sel[i] = g_sel[i];
    h->seg_base[i] = g_base[i];
  }
#if !defined(__x86_64__)
  if (g_mode16) {
    if (!set_ldt(kSel16Code >> 3, (uint32_t)kCodeAddr, true) || !set_ldt(kSel16Data >> 3, (uint32_t)kDataAddr, false)) {
      h->error = 2;
      return false;
    }
    difftest_sel16 = kSel16Data;
    difftest_stack16.sel = kSel16Data;
    difftest_far16 = FarPtr32{kCodeOffset, kSel16Code};
    for (int i = 0; i < 6; ++i) {
      h->seg_sel[i] = i == 1 ? kSel16Code : kSel16Data;
      h->seg_base[i] = i == 1 ? kCodeAddr : kDataAddr;
    }
  }
#endif

  setup_fp(h);
  static std::vector<uint8_t> altstack(1 << 18);
  stack_t ss{};
  ss.ss_sp = altstack.data();
  ss.ss_size = altstack.size();
  sigaltstack(&ss, nullptr);
  struct sigaction sa{};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  for (int sig : {SIGTRAP, SIGILL, SIGFPE, SIGSEGV, SIGBUS}) sigaction(sig, &sa, nullptr);
  sa.sa_sigaction = on_tick;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER;  // siglongjmp leaves the mask alone
  sigaction(SIGVTALRM, &sa, nullptr);
  itimerval it{};
  it.it_interval.tv_usec = 10000;
  it.it_value.tv_usec = 10000;
  setitimer(ITIMER_VIRTUAL, &it, nullptr);
  return true;
}

// Runs one case; appends its Result and dirty bytes to `out`.
void run_case(const Case& c, std::vector<uint8_t>* out) {
  memset(g_code + kCodeOffset - 32, 0xCC, 64);
  memcpy(g_code + kCodeOffset, c.code, c.code_len > 15 ? 15 : c.code_len);
  for (const Patch& p : c.patch)
    if (p.len && p.off + p.len <= kDataSize) memcpy(g_data + p.off, p.bytes, p.len);
  write_fp_image(c, g_data, kDataSize);
  uint64_t regs[17];
  memcpy(regs, c.gpr, sizeof c.gpr);
  // Arithmetic flags and DF from the case; IF and bit 1 as user code has them.
  regs[16] = (c.rflags & 0xcd5u) | (c.rflags & 0x400u) | 0x202u;
  difftest_target = (uintptr_t)(kCodeAddr + kCodeOffset);
  // Rows that cannot touch the x87/SIMD state skip the load and the report
  // (their cases do not carry it: protocol.h).
  g_fp_used = c.fp_used != 0;
  if (g_fp_used) build_fp_image(c.fp);
  const uint32_t fpmode = difftest_fpmode;
  if (!g_fp_used) difftest_fpmode = 0;
#if !defined(__x86_64__)
  difftest_stack16.off = (uint32_t)regs[4];
#endif
  if (sigsetjmp(g_env, 0) == 0) {
    g_start_tick = g_ticks;
    g_in_guest = 1;
#if !defined(__x86_64__)
    if (g_mode16) difftest_enter16(regs);
#endif
    difftest_enter(regs);
    __builtin_unreachable();
  }
  difftest_fpmode = fpmode;
  // The guest may have written anywhere in the code page: refill it whole.
  memset(g_code, 0xCC, kCodeSize);
  Result r = g_res;
  std::vector<DirtyByte> dirty;
  bool overflow = false;
  for (uint32_t pg = 0; pg < kDataSize; pg += 4096) {
    if (memcmp(g_data + pg, g_pristine + pg, 4096) == 0) continue;  // vectorised in libc
    for (uint32_t k = pg; k < pg + 4096; ++k) {
      if (g_data[k] == g_pristine[k]) continue;
      if (dirty.size() < kMaxDirty) dirty.push_back(DirtyByte{(uint16_t)k, g_data[k]});
      else overflow = true;
    }
  }
  r.data_hash = overflow ? fnv1a(g_data, kDataSize) : 0;
  if (!dirty.empty() || overflow) memcpy(g_data, g_pristine, kDataSize);
  r.ndirty = (uint32_t)dirty.size();
  const uint8_t* rp = (const uint8_t*)&r;
  out->insert(out->end(), rp, rp + result_wire_size(c.fp_used));
  const uint8_t* dp = (const uint8_t*)dirty.data();
  out->insert(out->end(), dp, dp + dirty.size() * sizeof(DirtyByte));
}

}  // namespace

int main(int argc, char** argv) {
  // Spoken to over pipes by pc64-difftest only.
#if !defined(__x86_64__)
  if (argc == 2 && strcmp(argv[1], "--mode16") == 0) {
    g_mode16 = true;
    --argc;
  }
#endif
  if (argc > 1 || isatty(0) || isatty(1)) {
    fprintf(stderr, "%s: internal helper of pc64-difftest; run pc64-difftest instead\n", argv[0]);
    return 2;
  }
  Hello h;
  bool ok = setup(&h);
  if (!write_full(1, &h, sizeof h) || !ok) return 1;
  std::vector<uint8_t> in, out;
  for (;;) {
    uint32_t head[2];  // count, bytes
    if (!read_full(0, head, sizeof head)) return 0;
    in.resize(head[1]);
    if (head[1] && !read_full(0, in.data(), head[1])) return 1;
    out.clear();
    size_t pos = 0;
    for (uint32_t i = 0; i < head[0]; ++i) {
      static Case c;
      if (pos + kCaseHead > in.size()) return 1;
      memcpy(&c, in.data() + pos, kCaseHead);
      const uint32_t size = case_wire_size(c);
      if (pos + size > in.size()) return 1;
      memcpy(&c, in.data() + pos, size);
      pos += size;
      run_case(c, &out);
    }
    if (!write_full(1, out.data(), out.size())) return 1;
  }
}
