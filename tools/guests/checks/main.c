/* pc64-check runner: `pc64-check [--list] [--timeout S] [NAME...]`.
 * Runs every subtest (or the named ones, or those whose group prefix
 * matches, e.g. "mem" runs every mem.NAME) in a forked child with a timeout and
 * prints one line each:
 *   PC64-CHECK <name> PASS | FAIL <why> | SKIP (<why>)
 * then "PC64-CHECKS pass=N fail=M skip=K"; exit status 1 on any failure. */
#include "check.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *check_self = "/proc/self/exe";

int64_t mono_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int64_t real_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

void info(const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("PC64-INFO %s ", name);
  vprintf(fmt, ap);
  printf("\n");
  fflush(stdout);
  va_end(ap);
}

static sigjmp_buf probe_jmp;
static volatile int probe_code;
static void *volatile probe_addr;

static void probe_handler(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  probe_code = si->si_code;
  probe_addr = si->si_addr;
  siglongjmp(probe_jmp, sig);
}

static int probe(volatile unsigned char *p, int write, int *code, void **addr) {
  struct sigaction sa, old_segv, old_bus;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = probe_handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
  int sig = sigsetjmp(probe_jmp, 1);
  if (sig == 0) {
    if (write)
      *p = 0x5a;
    else
      (void)*(volatile const unsigned char *)p;
  }
  sigaction(SIGSEGV, &old_segv, 0);
  sigaction(SIGBUS, &old_bus, 0);
  if (code) *code = probe_code;
  if (addr) *addr = probe_addr;
  return sig;
}

int probe_read(volatile const unsigned char *p, int *code, void **addr) {
  return probe((volatile unsigned char *)p, 0, code, addr);
}

int probe_write(volatile unsigned char *p, int *code, void **addr) {
  return probe(p, 1, code, addr);
}

static const struct check *const groups[] = {
    sys_checks,    sig_checks,  proc_checks,  thread_checks,
    mem_checks,    fpu_checks,  simd_checks,  timer_checks,
};

static volatile sig_atomic_t timed_out;
static void on_alarm(int sig) { (void)sig; timed_out = 1; }

static int selected(const char *name, int argc, char **argv, int first) {
  if (first >= argc) return 1;
  for (int i = first; i < argc; i++) {
    size_t l = strlen(argv[i]);
    if (strcmp(name, argv[i]) == 0) return 1;
    if (strncmp(name, argv[i], l) == 0 && name[l] == '.') return 1;
  }
  return 0;
}

/* Runs one subtest in a child; returns CHECK_PASS/FAIL/SKIP. */
static int run_one(const struct check *c, unsigned timeout) {
  char why[256] = "";
  int pfd[2];
  if (pipe(pfd) != 0) {
    printf("PC64-CHECK %s FAIL pipe: %s\n", c->name, strerror(errno));
    return CHECK_FAIL;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    printf("PC64-CHECK %s FAIL fork: %s\n", c->name, strerror(errno));
    return CHECK_FAIL;
  }
  if (pid == 0) {
    close(pfd[0]);
    signal(SIGALRM, SIG_DFL);
    int r = c->fn(why, sizeof why);
    why[sizeof why - 1] = 0;
    fflush(stdout);
    if (write(pfd[1], why, strlen(why)) < 0) r = CHECK_FAIL;
    _exit(r);
  }
  close(pfd[1]);
  timed_out = 0;
  alarm(timeout);
  int st = 0;
  pid_t w;
  while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR && !timed_out) {
  }
  if (w < 0 && timed_out) {
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
  }
  alarm(0);
  ssize_t got = read(pfd[0], why, sizeof why - 1);
  why[got > 0 ? got : 0] = 0;
  close(pfd[0]);
  if (timed_out && w < 0) {
    printf("PC64-CHECK %s FAIL timed out after %u s\n", c->name, timeout);
    return CHECK_FAIL;
  }
  if (WIFSIGNALED(st)) {
    printf("PC64-CHECK %s FAIL killed by signal %d (%s)\n", c->name, WTERMSIG(st),
           strsignal(WTERMSIG(st)));
    return CHECK_FAIL;
  }
  int r = WIFEXITED(st) ? WEXITSTATUS(st) : CHECK_FAIL;
  if (r == CHECK_PASS) {
    printf("PC64-CHECK %s PASS\n", c->name);
  } else if (r == CHECK_SKIP) {
    printf("PC64-CHECK %s SKIP (%s)\n", c->name, why);
  } else {
    printf("PC64-CHECK %s FAIL %s\n", c->name,
           why[0] ? why : (r == 1 ? "(no reason)" : "unexpected exit status"));
    r = CHECK_FAIL;
  }
  fflush(stdout);
  return r;
}

int main(int argc, char **argv) {
  /* proc.exec re-executes this program with these arguments. */
  if (argc >= 2 && strcmp(argv[1], "--exec-child") == 0) {
    const char *env = getenv("PC64_CHECK_ENV");
    if (argc == 3 && strcmp(argv[2], "hello") == 0 && env && strcmp(env, "yes") == 0)
      return 42;
    return 3;
  }
  setvbuf(stdout, 0, _IOLBF, 0);
  unsigned timeout = 120;  /* generous: an emulator may be ~50x slower */
  int first = 1, list = 0;
  while (first < argc && argv[first][0] == '-') {
    if (strcmp(argv[first], "--list") == 0) {
      list = 1;
      first++;
    } else if (strcmp(argv[first], "--timeout") == 0 && first + 1 < argc) {
      timeout = (unsigned)atoi(argv[first + 1]);
      first += 2;
    } else {
      fprintf(stderr, "usage: pc64-check [--list] [--timeout S] [NAME|GROUP...]\n");
      return 2;
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;  /* no SA_RESTART: waitpid returns EINTR */
  sigaction(SIGALRM, &sa, 0);
  int pass = 0, fail = 0, skip = 0, ran = 0;
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
    for (const struct check *c = groups[g]; c->name; c++) {
      if (!selected(c->name, argc, argv, first)) continue;
      ran++;
      if (list) {
        printf("%s\n", c->name);
        continue;
      }
      int r = run_one(c, timeout);
      if (r == CHECK_PASS) pass++;
      else if (r == CHECK_SKIP) skip++;
      else fail++;
    }
  }
  if (list) return 0;
  if (ran == 0) {
    printf("PC64-CHECK select FAIL no subtest matches the arguments\n");
    fail++;
  }
  printf("PC64-CHECKS pass=%d fail=%d skip=%d\n", pass, fail, skip);
  return fail ? 1 : 0;
}
