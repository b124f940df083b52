/* fork/exec, and threads with futex and TLS. */
#include "check.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <asm/prctl.h>
#endif

static int c_fork(char *why, size_t n) {
  for (int code = 0; code < 256; code += 85) {
    pid_t c = fork();
    CHECK(c >= 0, "fork: %s", strerror(errno));
    if (c == 0) _exit(code);
    int st;
    CHECK(waitpid(c, &st, 0) == c, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == code, "exit %d came back as status 0x%x", code, st);
  }
  /* Copy-on-write: the child's writes stay in the child. */
  static volatile int shared_var = 5;
  pid_t c = fork();
  if (c == 0) {
    shared_var = 99;
    _exit(shared_var == 99 ? 0 : 1);
  }
  int st;
  waitpid(c, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child write check");
  CHECK(shared_var == 5, "the child's write reached the parent");
  /* Killed by a signal. */
  c = fork();
  if (c == 0) {
    pause();
    _exit(0);
  }
  kill(c, SIGTERM);
  CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
        "SIGTERM'd child status 0x%x", st);
  return CHECK_PASS;
}

static int run(const char *path, char *const argv[], char *const envp[]) {
  pid_t c = fork();
  if (c < 0) return -1;
  if (c == 0) {
    execve(path, argv, envp);
    _exit(127);
  }
  int st;
  if (waitpid(c, &st, 0) != c) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static int c_exec(char *why, size_t n) {
  char *env[] = {"PC64_CHECK_ENV=yes", 0};
  char *noenv[] = {0};
  if (access("/bin/busybox", X_OK) == 0) {
    char *t[] = {"busybox", "true", 0}, *f[] = {"busybox", "false", 0};
    int r = run("/bin/busybox", t, noenv);
    CHECK(r == 0, "/bin/busybox true: status %d", r);
    r = run("/bin/busybox", f, noenv);
    CHECK(r == 1, "/bin/busybox false: status %d", r);
  } else {  /* on a host without busybox */
    char *t[] = {"true", 0}, *f[] = {"false", 0};
    int r = run("/bin/true", t, noenv);
    CHECK(r == 0, "/bin/true: status %d", r);
    r = run("/bin/false", f, noenv);
    CHECK(r == 1, "/bin/false: status %d", r);
  }
  char *self[] = {"pc64-check", "--exec-child", "hello", 0};
  int r = run(check_self, self, env);
  CHECK(r == 42, "execve of itself with an argument: status %d (42 expected)", r);
  char *bad[] = {"pc64-check", "--exec-child", "other", 0};
  r = run(check_self, bad, env);
  CHECK(r == 3, "execve of itself with another argument: status %d (3 expected)", r);
  errno = 0;
  CHECK(execve("/nonexistent/x", self, env) == -1 && errno == ENOENT, "execve ENOENT: %d", errno);
  return CHECK_PASS;
}

static int c_forkpipe(char *why, size_t n) {
  int down[2], up[2];
  CHECK(pipe(down) == 0 && pipe(up) == 0, "pipe: %s", strerror(errno));
  pid_t c = fork();
  CHECK(c >= 0, "fork: %s", strerror(errno));
  if (c == 0) {  /* doubles every 32-bit word it receives */
    close(down[1]);
    close(up[0]);
    uint32_t w;
    while (read(down[0], &w, 4) == 4) {
      w *= 2;
      if (write(up[1], &w, 4) != 4) _exit(2);
    }
    _exit(0);
  }
  close(down[0]);
  close(up[1]);
  for (uint32_t i = 0; i < 2000; i++) {
    uint32_t w = i * 977, got = 0;
    CHECK(write(down[1], &w, 4) == 4, "write: %s", strerror(errno));
    CHECK(read(up[0], &got, 4) == 4, "read: %s", strerror(errno));
    CHECK(got == w * 2, "round trip %u: got %u", i, got);
  }
  close(down[1]);
  int st;
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status 0x%x",
        st);
  uint32_t w;
  CHECK(read(up[0], &w, 4) == 0, "no EOF after the child exited");
  return CHECK_PASS;
}

const struct check proc_checks[] = {
    {"proc.fork", c_fork},
    {"proc.exec", c_exec},
    {"proc.forkpipe", c_forkpipe},
    {0, 0},
};

/* ---- threads ---- */

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long counter;
enum { THREADS = 4, INCS = 100000 };

static void *incr(void *arg) {
  (void)arg;
  for (int i = 0; i < INCS; i++) {
    pthread_mutex_lock(&mtx);
    counter++;
    pthread_mutex_unlock(&mtx);
  }
  return (void *)syscall(SYS_gettid);
}

static int c_mutex(char *why, size_t n) {
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_create(&t[i], 0, incr, 0) == 0, "pthread_create %d", i);
  long tids[THREADS];
  for (int i = 0; i < THREADS; i++) {
    void *r;
    CHECK(pthread_join(t[i], &r) == 0, "pthread_join %d", i);
    tids[i] = (long)r;
  }
  CHECK(counter == (long)THREADS * INCS, "counter %ld, expected %ld", counter,
        (long)THREADS * INCS);
  for (int i = 0; i < THREADS; i++) {
    CHECK(tids[i] > 0 && tids[i] != getpid(), "thread %d tid %ld", i, tids[i]);
    for (int j = 0; j < i; j++) CHECK(tids[i] != tids[j], "threads %d and %d share a tid", i, j);
  }
  return CHECK_PASS;
}

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn, rounds_done;
enum { ROUNDS = 2000 };

static void *pong(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mtx);
  for (int i = 0; i < ROUNDS; i++) {
    while (turn != 1) pthread_cond_wait(&cv, &mtx);
    turn = 0;
    rounds_done++;
    pthread_cond_signal(&cv);
  }
  pthread_mutex_unlock(&mtx);
  return 0;
}

static int c_condvar(char *why, size_t n) {
  pthread_t t;
  CHECK(pthread_create(&t, 0, pong, 0) == 0, "pthread_create");
  pthread_mutex_lock(&mtx);
  for (int i = 0; i < ROUNDS; i++) {
    turn = 1;
    pthread_cond_signal(&cv);
    while (turn != 0) pthread_cond_wait(&cv, &mtx);
    if (rounds_done != i + 1) break;
  }
  int done = rounds_done;
  pthread_mutex_unlock(&mtx);
  pthread_join(t, 0);
  CHECK(done == ROUNDS, "ping-pong: %d of %d rounds", done, ROUNDS);
  /* A timed wait that nobody signals times out, and not early. */
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  int64_t t0 = mono_ns();
  until.tv_nsec += 20000000;
  if (until.tv_nsec >= 1000000000) until.tv_sec++, until.tv_nsec -= 1000000000;
  pthread_mutex_lock(&mtx);
  int r = pthread_cond_timedwait(&cv, &mtx, &until);
  pthread_mutex_unlock(&mtx);
  CHECK(r == ETIMEDOUT, "pthread_cond_timedwait returned %d", r);
  CHECK(mono_ns() - t0 >= 19000000, "timed wait returned after %lld ns",
        (long long)(mono_ns() - t0));
  return CHECK_PASS;
}

static long futex(volatile int *uaddr, int op, int val, const struct timespec *ts) {
  return syscall(SYS_futex, uaddr, op, val, ts, 0, 0);
}

static volatile int fword;
static volatile long waiter_ret = 99;
static volatile int waiter_errno;

static void *futex_waiter(void *arg) {
  (void)arg;
  waiter_ret = futex(&fword, FUTEX_WAIT_PRIVATE, 0, 0);
  waiter_errno = errno;
  return 0;
}

static int c_futex(char *why, size_t n) {
  fword = 0;
  errno = 0;
  CHECK(futex(&fword, FUTEX_WAIT_PRIVATE, 1, 0) == -1 && errno == EAGAIN,
        "FUTEX_WAIT with a stale value: errno %d, expected EAGAIN", errno);
  struct timespec ts = {0, 10000000};
  int64_t t0 = mono_ns();
  errno = 0;
  CHECK(futex(&fword, FUTEX_WAIT_PRIVATE, 0, &ts) == -1 && errno == ETIMEDOUT,
        "FUTEX_WAIT 10 ms: errno %d, expected ETIMEDOUT", errno);
  CHECK(mono_ns() - t0 >= 10000000, "FUTEX_WAIT timed out after %lld ns",
        (long long)(mono_ns() - t0));
  CHECK(futex(&fword, FUTEX_WAKE_PRIVATE, 1, 0) == 0, "FUTEX_WAKE with no waiter woke someone");
  pthread_t t;
  CHECK(pthread_create(&t, 0, futex_waiter, 0) == 0, "pthread_create");
  /* Wake until the kernel reports that it woke the waiter (it is then
   * asleep in FUTEX_WAIT; the word stays 0 so it cannot return EAGAIN). */
  long woke = 0;
  for (int i = 0; i < 20000 && woke == 0; i++) {
    woke = futex(&fword, FUTEX_WAKE_PRIVATE, 1, 0);
    if (woke == 0) {
      struct timespec d = {0, 1000000};
      nanosleep(&d, 0);
    }
  }
  pthread_join(t, 0);
  CHECK(woke == 1, "FUTEX_WAKE returned %ld", woke);
  CHECK(waiter_ret == 0, "the waiter's FUTEX_WAIT returned %ld errno %d", (long)waiter_ret,
        waiter_errno);
  return CHECK_PASS;
}

static __thread int tls_value = 17;
static __thread char tls_block[256];

struct tls_result {
  int initial, value;
  void *addr;
  uintptr_t tp;
};

static uintptr_t thread_pointer(void) {
  uintptr_t p;
#if defined(__x86_64__)
  __asm__("mov %%fs:0, %0" : "=r"(p));
#else
  __asm__("mov %%gs:0, %0" : "=r"(p));
#endif
  return p;
}

static void *tls_thread(void *arg) {
  struct tls_result *r = arg;
  r->initial = tls_value;
  tls_value = (int)(intptr_t)r->addr;  /* a per-thread value */
  memset(tls_block, tls_value & 0xff, sizeof tls_block);
  struct timespec d = {0, 2000000};
  nanosleep(&d, 0);
  int ok = 1;
  for (size_t i = 0; i < sizeof tls_block; i++) ok &= tls_block[i] == (char)(tls_value & 0xff);
  r->value = ok ? tls_value : -1;
  r->addr = &tls_value;
  r->tp = thread_pointer();
  return 0;
}

static int c_tls(char *why, size_t n) {
  struct tls_result r[3];
  pthread_t t[3];
  tls_value = 1000;
  for (int i = 0; i < 3; i++) {
    r[i].addr = (void *)(intptr_t)(i + 1);
    CHECK(pthread_create(&t[i], 0, tls_thread, &r[i]) == 0, "pthread_create");
  }
  for (int i = 0; i < 3; i++) pthread_join(t[i], 0);
  CHECK(tls_value == 1000, "main thread's TLS changed to %d", tls_value);
  for (int i = 0; i < 3; i++) {
    CHECK(r[i].initial == 17, "thread %d saw initial TLS %d", i, r[i].initial);
    CHECK(r[i].value == i + 1, "thread %d kept TLS value %d", i, r[i].value);
    CHECK(r[i].addr != &tls_value, "thread %d shares the main thread's TLS", i);
    CHECK(r[i].tp != thread_pointer(), "thread %d has the main thread pointer", i);
    for (int j = 0; j < i; j++) CHECK(r[i].addr != r[j].addr, "threads %d, %d share TLS", i, j);
  }
#if defined(__x86_64__)
  unsigned long fs = 0;
  CHECK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs) == 0, "arch_prctl: %s", strerror(errno));
  CHECK(fs == thread_pointer(), "FS base %#lx != %%fs:0 %#lx", fs, (unsigned long)thread_pointer());
#else
  /* i386 TLS is a GDT descriptor installed by set_thread_area. */
  unsigned short gs;
  __asm__("mov %%gs, %0" : "=r"(gs));
  CHECK(gs != 0 && (gs & 4) == 0 && (gs & 3) == 3, "%%gs = %#x is not a ring-3 GDT selector", gs);
  struct {
    unsigned entry, base, limit, flags;
  } d = {gs >> 3, 0, 0, 0};
  CHECK(syscall(SYS_get_thread_area, &d) == 0, "get_thread_area: %s", strerror(errno));
  CHECK(d.base == thread_pointer(), "GDT entry %u base %#x != %%gs:0 %#x", d.entry, d.base,
        (unsigned)thread_pointer());
#endif
  return CHECK_PASS;
}

const struct check thread_checks[] = {
    {"thread.mutex", c_mutex},
    {"thread.condvar", c_condvar},
    {"thread.futex", c_futex},
    {"thread.tls", c_tls},
    {0, 0},
};
