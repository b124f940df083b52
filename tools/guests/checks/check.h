/* pc64-check: in-guest checks of the Linux ABI a guest kernel gives a
 * static user program on pc64 (docs/PLATFORM.md, "In-guest checks").
 *
 * Each subtest is a function that fills `why` and returns CHECK_FAIL, or
 * returns CHECK_PASS / CHECK_SKIP. main.c runs each in its own forked
 * process, so a crash or hang fails only that subtest. */
#ifndef PC64_CHECK_H
#define PC64_CHECK_H
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { CHECK_PASS = 0, CHECK_FAIL = 1, CHECK_SKIP = 2 };

typedef int (*check_fn)(char *why, size_t n);
struct check {
  const char *name;
  check_fn fn;
};

/* Fails the subtest with a formatted reason when `cond` is false. */
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      int o_ = snprintf(why, n, "%s:%d: ", __FILE__ + 0, __LINE__); \
      if (o_ > 0 && (size_t)o_ < n) snprintf(why + o_, n - o_, __VA_ARGS__); \
      return CHECK_FAIL;                                   \
    }                                                      \
  } while (0)

#define SKIP(...)                 \
  do {                            \
    snprintf(why, n, __VA_ARGS__); \
    return CHECK_SKIP;            \
  } while (0)

/* Tables of the subtests, one per file. Each ends with {0, 0}. */
extern const struct check sys_checks[], sig_checks[], proc_checks[],
    thread_checks[], mem_checks[], fpu_checks[], simd_checks[],
    timer_checks[];

/* Shared helpers (main.c). */
extern const char *check_self;     /* path of this program, for execve */
int64_t mono_ns(void);             /* CLOCK_MONOTONIC in ns */
int64_t real_ns(void);             /* CLOCK_REALTIME in ns */
void info(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A SIGSEGV/SIGBUS catcher: probe_read/probe_write return 0 when the access
 * worked, else the signal number, with code and addr from its siginfo. */
int probe_read(volatile const unsigned char *p, int *code, void **addr);
int probe_write(volatile unsigned char *p, int *code, void **addr);

#endif
