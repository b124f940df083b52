/* System calls and signals. */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int c_getpid(char *why, size_t n) {
  pid_t me = getpid();
  CHECK(me > 1, "getpid() = %d", (int)me);
  CHECK(syscall(SYS_getpid) == me, "raw SYS_getpid differs from getpid()");
  CHECK(syscall(SYS_gettid) == me, "gettid() != getpid() in a single-threaded process");
  int fd[2];
  CHECK(pipe(fd) == 0, "pipe: %s", strerror(errno));
  pid_t c = fork();
  CHECK(c >= 0, "fork: %s", strerror(errno));
  if (c == 0) {
    pid_t v[2] = {getpid(), getppid()};
    _exit(write(fd[1], v, sizeof v) == sizeof v ? 0 : 1);
  }
  pid_t v[2] = {0, 0};
  CHECK(read(fd[0], v, sizeof v) == sizeof v, "short read from the child");
  int st;
  CHECK(waitpid(c, &st, 0) == c, "waitpid: %s", strerror(errno));
  CHECK(v[0] == c, "child's getpid() %d != fork()'s %d", (int)v[0], (int)c);
  CHECK(v[1] == me, "child's getppid() %d != parent's pid %d", (int)v[1], (int)me);
  return CHECK_PASS;
}

static int c_uname(char *why, size_t n) {
  struct utsname u;
  CHECK(uname(&u) == 0, "uname: %s", strerror(errno));
  info("sys.uname", "sysname=%s release=%s machine=%s", u.sysname, u.release, u.machine);
  CHECK(strcmp(u.sysname, "Linux") == 0, "sysname %s", u.sysname);
  CHECK(u.release[0] >= '2' && u.release[0] <= '9', "release %s", u.release);
#if defined(__x86_64__)
  CHECK(strcmp(u.machine, "x86_64") == 0, "machine %s, expected x86_64", u.machine);
#else
  CHECK(strcmp(u.machine, "x86_64") == 0 ||
            (u.machine[0] == 'i' && u.machine[1] >= '3' && u.machine[1] <= '6' &&
             strcmp(u.machine + 2, "86") == 0),
        "machine %s, expected i[3-6]86 (or x86_64 under a 64-bit kernel)", u.machine);
#endif
  return CHECK_PASS;
}

static int c_pipe(char *why, size_t n) {
  int fd[2];
  CHECK(pipe(fd) == 0, "pipe: %s", strerror(errno));
  char buf[4096], got[4096];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(i * 7 + 3);
  CHECK(write(fd[1], buf, sizeof buf) == (ssize_t)sizeof buf, "write: %s", strerror(errno));
  size_t have = 0;
  while (have < sizeof got) {
    ssize_t r = read(fd[0], got + have, sizeof got - have);
    CHECK(r > 0, "read returned %zd", r);
    have += (size_t)r;
  }
  CHECK(memcmp(buf, got, sizeof buf) == 0, "pipe data differs");
  close(fd[1]);
  CHECK(read(fd[0], got, 1) == 0, "read after the writer closed is not EOF");
  close(fd[0]);
  /* A write to a pipe with no reader: EPIPE (SIGPIPE ignored). */
  CHECK(pipe(fd) == 0, "pipe: %s", strerror(errno));
  signal(SIGPIPE, SIG_IGN);
  close(fd[0]);
  errno = 0;
  CHECK(write(fd[1], "x", 1) == -1 && errno == EPIPE, "write without a reader: errno %d", errno);
  return CHECK_PASS;
}

static int c_file(char *why, size_t n) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/pc64-check-%d", (int)getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
  unlink(path);  /* stays usable through fd */
  static char buf[10000];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(i ^ (i >> 8));
  CHECK(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf, "write: %s", strerror(errno));
  CHECK(lseek(fd, 0, SEEK_END) == (off_t)sizeof buf, "SEEK_END size");
  CHECK(lseek(fd, 5000, SEEK_SET) == 5000, "SEEK_SET");
  char got[100];
  CHECK(read(fd, got, sizeof got) == (ssize_t)sizeof got, "read at 5000");
  CHECK(memcmp(got, buf + 5000, sizeof got) == 0, "data at 5000 differs");
  CHECK(lseek(fd, -10, SEEK_CUR) == 5090, "SEEK_CUR");
  CHECK(pread(fd, got, 10, 9995) == 5, "pread at the end is not short");
  CHECK(memcmp(got, buf + 9995, 5) == 0, "pread data differs");
  CHECK(ftruncate(fd, 100) == 0, "ftruncate: %s", strerror(errno));
  CHECK(lseek(fd, 0, SEEK_END) == 100, "size after ftruncate");
  close(fd);
  CHECK(access(path, F_OK) != 0, "%s still exists after unlink", path);
  return CHECK_PASS;
}

static int c_clock(char *why, size_t n) {
  struct timespec r;
  CHECK(clock_getres(CLOCK_MONOTONIC, &r) == 0, "clock_getres: %s", strerror(errno));
  CHECK(r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 10000000, "MONOTONIC resolution %ld ns",
        r.tv_nsec);
  int64_t m0 = mono_ns(), r0 = real_ns(), prev = m0;
  CHECK(m0 > 0, "MONOTONIC %lld", (long long)m0);
  CHECK(r0 > 0, "REALTIME %lld", (long long)r0);
  info("sys.clock", "realtime=%lld s monotonic=%lld ms", (long long)(r0 / 1000000000),
       (long long)(m0 / 1000000));
  for (int i = 0; i < 1000; i++) {
    int64_t t = mono_ns();
    CHECK(t >= prev, "MONOTONIC went back by %lld ns", (long long)(prev - t));
    prev = t;
  }
  struct timespec d = {0, 30000000};
  nanosleep(&d, 0);
  int64_t m1 = mono_ns(), r1 = real_ns();
  CHECK(m1 - m0 >= 30000000, "MONOTONIC advanced %lld ns over a 30 ms sleep",
        (long long)(m1 - m0));
  /* REALTIME runs at the same rate (nobody steps it here). */
  int64_t dm = m1 - m0, dr = r1 - r0;
  CHECK(dr > dm - 5000000 && dr < dm + 5000000, "REALTIME advanced %lld ns, MONOTONIC %lld ns",
        (long long)dr, (long long)dm);
  CHECK(time(0) == r1 / 1000000000 || time(0) == r1 / 1000000000 + 1, "time() disagrees");
  return CHECK_PASS;
}

static int c_getrandom(char *why, size_t n) {
  unsigned char a[64], b[64];
  CHECK(getrandom(a, sizeof a, GRND_NONBLOCK) == (ssize_t)sizeof a ||
            getrandom(a, sizeof a, 0) == (ssize_t)sizeof a,
        "getrandom: %s", strerror(errno));
  CHECK(getrandom(b, sizeof b, 0) == (ssize_t)sizeof b, "getrandom: %s", strerror(errno));
  CHECK(memcmp(a, b, sizeof a) != 0, "two getrandom() calls gave the same 64 bytes");
  int bits = 0;
  for (size_t i = 0; i < sizeof a; i++) bits += __builtin_popcount(a[i]);
  CHECK(bits > 160 && bits < 352, "%d of 512 bits set", bits);
  return CHECK_PASS;
}

const struct check sys_checks[] = {
    {"sys.getpid", c_getpid},   {"sys.uname", c_uname}, {"sys.pipe", c_pipe},
    {"sys.file", c_file},       {"sys.clock", c_clock}, {"sys.getrandom", c_getrandom},
    {0, 0},
};

/* ---- signals ---- */

static volatile sig_atomic_t got_sig, got_code, got_pid, got_val;
static void on_usr1(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got_sig = sig;
  got_code = si->si_code;
  got_pid = si->si_pid;
  got_val = si->si_value.sival_int;
}

static int c_sigaction(char *why, size_t n) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  CHECK(sigaction(SIGUSR1, &sa, 0) == 0, "sigaction: %s", strerror(errno));
  CHECK(sigaction(SIGUSR1, 0, &old) == 0 && old.sa_sigaction == on_usr1 &&
            (old.sa_flags & SA_SIGINFO),
        "sigaction does not read back");
  CHECK(raise(SIGUSR1) == 0, "raise: %s", strerror(errno));
  CHECK(got_sig == SIGUSR1, "handler saw signal %d", (int)got_sig);
  CHECK(got_code == SI_TKILL || got_code == SI_USER, "si_code %d after raise", (int)got_code);
  CHECK(got_pid == getpid(), "si_pid %d", (int)got_pid);
  got_sig = 0;
  union sigval v = {.sival_int = 1234};
  CHECK(sigqueue(getpid(), SIGUSR1, v) == 0, "sigqueue: %s", strerror(errno));
  CHECK(got_sig == SIGUSR1 && got_code == SI_QUEUE && got_val == 1234,
        "sigqueue: sig %d code %d value %d", (int)got_sig, (int)got_code, (int)got_val);
  return CHECK_PASS;
}

static int c_sigsegv(char *why, size_t n) {
  long pg = sysconf(_SC_PAGESIZE);
  unsigned char *p = mmap(0, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
  CHECK(mprotect(p, pg, PROT_NONE) == 0, "mprotect NONE: %s", strerror(errno));
  CHECK(mprotect(p + pg, pg, PROT_READ) == 0, "mprotect READ: %s", strerror(errno));
  int code;
  void *addr;
  int s = probe_read(p + 123, &code, &addr);
  CHECK(s == SIGSEGV, "read of a PROT_NONE page: signal %d", s);
  CHECK(code == SEGV_ACCERR, "PROT_NONE read: si_code %d, expected SEGV_ACCERR", code);
  CHECK(addr == p + 123, "PROT_NONE read: si_addr %p, expected %p", addr, (void *)(p + 123));
  CHECK(probe_read(p + pg + 5, 0, 0) == 0, "read of a read-only page faulted");
  s = probe_write(p + pg + 7, &code, &addr);
  CHECK(s == SIGSEGV && code == SEGV_ACCERR && addr == p + pg + 7,
        "write to a read-only page: signal %d code %d addr %p", s, code, addr);
  /* Recovered twice: the mask was restored by siglongjmp. */
  s = probe_write(p + 1, &code, &addr);
  CHECK(s == SIGSEGV && addr == p + 1, "second fault: signal %d addr %p", s, addr);
  s = probe_read((const unsigned char *)8, &code, &addr);
  CHECK(s == SIGSEGV && code == SEGV_MAPERR, "NULL+8 read: signal %d code %d", s, code);
  return CHECK_PASS;
}

static volatile sig_atomic_t usr2_count;
static void on_usr2(int sig) { (void)sig; usr2_count++; }

static int c_sigprocmask(char *why, size_t n) {
  signal(SIGUSR2, on_usr2);
  sigset_t set, old, pend;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0, "sigprocmask: %s", strerror(errno));
  raise(SIGUSR2);
  raise(SIGUSR2);  /* standard signals do not queue: one delivery */
  CHECK(usr2_count == 0, "a blocked signal was delivered");
  CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2), "SIGUSR2 not pending");
  CHECK(!sigismember(&pend, SIGUSR1), "SIGUSR1 pending");
  CHECK(sigprocmask(SIG_SETMASK, &old, 0) == 0, "unblock: %s", strerror(errno));
  CHECK(usr2_count == 1, "delivered %d times after unblocking", (int)usr2_count);
  CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2), "still pending");
  /* Real-time signals queue. */
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &set, 0);
  for (int i = 0; i < 3; i++) sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i});
  for (int i = 0; i < 3; i++) {
    siginfo_t si;
    struct timespec z = {0, 0};
    CHECK(sigtimedwait(&set, &si, &z) == SIGRTMIN, "sigtimedwait #%d: %s", i, strerror(errno));
    CHECK(si.si_value.sival_int == i, "RT signal #%d carried %d (order)", i,
          si.si_value.sival_int);
  }
  return CHECK_PASS;
}

static volatile sig_atomic_t chld_pid, chld_status, chld_code;
static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  chld_pid = si->si_pid;
  chld_status = si->si_status;
  chld_code = si->si_code;
}

static int c_sigchld(char *why, size_t n) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, 0);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, &old);
  pid_t c = fork();
  CHECK(c >= 0, "fork: %s", strerror(errno));
  if (c == 0) _exit(7);
  sigset_t wait_mask = old;
  sigdelset(&wait_mask, SIGCHLD);
  while (chld_pid == 0) sigsuspend(&wait_mask);
  CHECK(chld_pid == c, "SIGCHLD si_pid %d, child %d", (int)chld_pid, (int)c);
  CHECK(chld_code == CLD_EXITED && chld_status == 7, "SIGCHLD code %d status %d",
        (int)chld_code, (int)chld_status);
  int st;
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 7, "waitpid status %x",
        st);
  return CHECK_PASS;
}

const struct check sig_checks[] = {
    {"sig.sigaction", c_sigaction},
    {"sig.sigsegv", c_sigsegv},
    {"sig.sigprocmask", c_sigprocmask},
    {"sig.sigchld", c_sigchld},
    {0, 0},
};
