// The small runtime the core needs in a libc-free wasm64 module
// (docs/TOOLCHAIN.md): memory functions, a heap, and the C++ ABI hooks.
// Compiled with -fno-builtin so these bodies are not turned back into calls
// to themselves.
#include <stddef.h>
#include <stdint.h>

extern "C" {

void* memcpy(void* d, const void* s, size_t n) {
  unsigned char* dp = (unsigned char*)d;
  const unsigned char* sp = (const unsigned char*)s;
  while (n--) *dp++ = *sp++;
  return d;
}

void* memmove(void* d, const void* s, size_t n) {
  unsigned char* dp = (unsigned char*)d;
  const unsigned char* sp = (const unsigned char*)s;
  if (dp < sp) {
    while (n--) *dp++ = *sp++;
  } else {
    while (n--) dp[n] = sp[n];
  }
  return d;
}

void* memset(void* d, int c, size_t n) {
  unsigned char* dp = (unsigned char*)d;
  while (n--) *dp++ = (unsigned char)c;
  return d;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char* x = (const unsigned char*)a;
  const unsigned char* y = (const unsigned char*)b;
  for (; n; --n, ++x, ++y)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}

size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

// A bump allocator over memory.grow: the core allocates at machine set-up
// and frees rarely, so freed blocks are not reused.
extern unsigned char __heap_base;
static uintptr_t g_brk;

void* malloc(size_t n) {
  if (!g_brk) g_brk = (uintptr_t)&__heap_base;
  uintptr_t p = (g_brk + 15) & ~(uintptr_t)15;
  uintptr_t end = p + n;
  uintptr_t have = __builtin_wasm_memory_size(0) * 65536ull;
  if (end > have) {
    if (__builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1) return nullptr;
  }
  g_brk = end;
  return (void*)p;
}

void free(void*) {}

int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void __cxa_pure_virtual() { __builtin_trap(); }
void* __dso_handle = nullptr;

// Stack-protector hooks. The core's 128-bit divisions (float80 division,
// square root, FPREM) compile to compiler-rt's __udivti3/__umodti3, and the
// wasm64 compiler-rt builtins library we link is built with -fstack-protector,
// so it references the canary and the failure hook a libc normally supplies.
// We provide them here rather than replacing u128 '/' and '%' in the core with
// a hand-written 128-by-64 division: the native build keeps the compiler's
// DIV-based code, and the core needs no wasm-only arithmetic path.
// A canary mismatch means memory corruption: trap, as __cxa_pure_virtual does.
uintptr_t __stack_chk_guard = 0x5043363473746bULL;  // any fixed non-zero value
void __stack_chk_fail(void) { __builtin_trap(); }

}  // extern "C"

void* operator new(size_t n) { return malloc(n); }
void* operator new[](size_t n) { return malloc(n); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }
