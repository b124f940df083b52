/* Timers and sleeping. */
#include "check.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static int c_nanosleep(char *why, size_t n) {
  int64_t t0 = mono_ns();
  struct timespec d = {0, 20 * MS}, rem = {9, 9};
  CHECK(nanosleep(&d, &rem) == 0, "nanosleep: %s", strerror(errno));
  int64_t dt = mono_ns() - t0;
  CHECK(dt >= 20 * MS && dt <= 2000 * MS, "20 ms nanosleep took %lld us", (long long)(dt / 1000));
  errno = 0;
  struct timespec bad = {0, 1000000000};
  CHECK(nanosleep(&bad, 0) == -1 && errno == EINVAL, "tv_nsec 1e9: errno %d", errno);
  return CHECK_PASS;
}

static volatile sig_atomic_t alarms;
static void on_alrm(int sig) { (void)sig; alarms++; }

static int c_itimer(char *why, size_t n) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alrm;
  sigaction(SIGALRM, &sa, 0);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  sigprocmask(SIG_BLOCK, &set, &old);
  struct itimerval it = {{0, 5000}, {0, 10000}};  /* 10 ms, then every 5 ms */
  int64_t t0 = mono_ns();
  CHECK(setitimer(ITIMER_REAL, &it, 0) == 0, "setitimer: %s", strerror(errno));
  struct itimerval cur;
  CHECK(getitimer(ITIMER_REAL, &cur) == 0, "getitimer");
  CHECK(cur.it_interval.tv_usec == 5000 && cur.it_value.tv_sec == 0 &&
            cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 10000,
        "getitimer: value %ld us interval %ld us", (long)cur.it_value.tv_usec,
        (long)cur.it_interval.tv_usec);
  while (alarms < 3) sigsuspend(&old);
  int64_t dt = mono_ns() - t0;
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, 0);
  CHECK(dt >= 19 * MS, "3 SIGALRMs (10+5+5 ms) after %lld us", (long long)(dt / 1000));
  return CHECK_PASS;
}

static int c_posix_timer(char *why, size_t n) {
  int sig = SIGRTMIN + 1;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_BLOCK, &set, 0);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = sig;
  ev.sigev_value.sival_int = 0x5eed;
  timer_t t;
  CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create: %s", strerror(errno));
  struct itimerspec its = {{0, 5 * MS}, {0, 5 * MS}};
  int64_t t0 = mono_ns();
  CHECK(timer_settime(t, 0, &its, 0) == 0, "timer_settime: %s", strerror(errno));
  for (int i = 0; i < 3; i++) {
    siginfo_t si;
    struct timespec lim = {5, 0};
    CHECK(sigtimedwait(&set, &si, &lim) == sig, "expiry %d: %s", i, strerror(errno));
    CHECK(si.si_code == SI_TIMER, "si_code %d, expected SI_TIMER", si.si_code);
    CHECK(si.si_value.sival_int == 0x5eed, "sigev_value %#x", si.si_value.sival_int);
  }
  int64_t dt = mono_ns() - t0;
  struct itimerspec cur;
  CHECK(timer_gettime(t, &cur) == 0 && cur.it_interval.tv_nsec == 5 * MS, "timer_gettime");
  CHECK(timer_delete(t) == 0, "timer_delete: %s", strerror(errno));
  CHECK(dt >= 15 * MS - MS / 2, "3 expiries of a 5 ms timer after %lld us",
        (long long)(dt / 1000));
  return CHECK_PASS;
}

static int c_timerfd(char *why, size_t n) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  CHECK(fd >= 0, "timerfd_create: %s", strerror(errno));
  struct itimerspec its = {{0, 0}, {0, 10 * MS}};
  int64_t t0 = mono_ns();
  CHECK(timerfd_settime(fd, 0, &its, 0) == 0, "timerfd_settime: %s", strerror(errno));
  uint64_t exp = 0;
  CHECK(read(fd, &exp, 8) == 8, "read: %s", strerror(errno));
  int64_t dt = mono_ns() - t0;
  CHECK(exp == 1, "%llu expirations of a one-shot timer", (unsigned long long)exp);
  CHECK(dt >= 10 * MS && dt <= 2000 * MS, "10 ms timerfd fired after %lld us",
        (long long)(dt / 1000));
  close(fd);
  /* clock_nanosleep TIMER_ABSTIME: wakes at or after the deadline. */
  struct timespec now, until;
  clock_gettime(CLOCK_MONOTONIC, &now);
  until = now;
  until.tv_nsec += 15 * MS;
  if (until.tv_nsec >= 1000000000) until.tv_sec++, until.tv_nsec -= 1000000000;
  int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, 0);
  CHECK(r == 0, "clock_nanosleep: %s", strerror(r));
  int64_t late = mono_ns() - ((int64_t)until.tv_sec * 1000000000 + until.tv_nsec);
  CHECK(late >= 0 && late < 2000 * MS, "TIMER_ABSTIME woke %lld us after the deadline",
        (long long)(late / 1000));
  /* A deadline in the past returns at once. */
  r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now, 0);
  CHECK(r == 0, "clock_nanosleep (past): %s", strerror(r));
  return CHECK_PASS;
}

static int c_poll(char *why, size_t n) {
  int64_t m0 = mono_ns(), r0 = real_ns();
  CHECK(poll(0, 0, 30) == 0, "poll(0, 0, 30): %s", strerror(errno));
  int64_t dm = mono_ns() - m0, dr = real_ns() - r0;
  CHECK(dm >= 30 * MS, "MONOTONIC advanced %lld us over poll 30 ms", (long long)(dm / 1000));
  CHECK(dr >= 25 * MS, "REALTIME advanced %lld us over poll 30 ms", (long long)(dr / 1000));
  /* poll on a pipe: times out empty, then sees data. */
  int fd[2];
  CHECK(pipe(fd) == 0, "pipe");
  struct pollfd p = {fd[0], POLLIN, 0};
  m0 = mono_ns();
  CHECK(poll(&p, 1, 10) == 0, "poll on an empty pipe returned ready");
  CHECK(mono_ns() - m0 >= 10 * MS, "poll timed out early");
  CHECK(write(fd[1], "x", 1) == 1, "write");
  CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "poll misses data (revents %#x)",
        p.revents);
  return CHECK_PASS;
}

const struct check timer_checks[] = {
    {"timer.nanosleep", c_nanosleep}, {"timer.itimer", c_itimer},
    {"timer.posix", c_posix_timer},   {"timer.timerfd", c_timerfd},
    {"timer.poll", c_poll},           {0, 0},
};
