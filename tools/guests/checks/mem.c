/* mmap, mprotect, mremap, munmap, MAP_SHARED files. */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static long page(void) { return sysconf(_SC_PAGESIZE); }

static int c_anon64(char *why, size_t n) {
  const size_t size = 64u << 20;
  long pg = page();
  CHECK(pg == 4096, "page size %ld", pg);
  unsigned char *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED, "mmap 64 MiB: %s", strerror(errno));
  CHECK(((uintptr_t)p & (pg - 1)) == 0, "mapping %p not page aligned", (void *)p);
  uint32_t want = 0, got = 0;
  size_t pages = size / pg;
  for (size_t i = 0; i < pages; i++) {
    CHECK(p[i * pg + (i % pg)] == 0, "fresh page %zu not zero", i);
    uint32_t v = (uint32_t)i * 2654435761u;
    memcpy(p + i * pg + 16, &v, 4);
    p[i * pg + pg - 1] = (unsigned char)i;
    want += v + (unsigned char)i;
  }
  for (size_t i = 0; i < pages; i++) {
    uint32_t v;
    memcpy(&v, p + i * pg + 16, 4);
    got += v + p[i * pg + pg - 1];
  }
  CHECK(got == want, "checksum %#x, expected %#x", got, want);
  CHECK(munmap(p, size) == 0, "munmap: %s", strerror(errno));
  return CHECK_PASS;
}

static int c_fixed(char *why, size_t n) {
  long pg = page();
  unsigned char *p = mmap(0, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
  memset(p, 0xab, 4 * pg);
  unsigned char *q = mmap(p + pg, pg, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  CHECK(q == p + pg, "MAP_FIXED at %p returned %p", (void *)(p + pg), (void *)q);
  for (long i = 0; i < 4 * pg; i++) {
    unsigned char want = (i >= pg && i < 2 * pg) ? 0 : 0xab;
    CHECK(p[i] == want, "byte %ld = %#x, expected %#x", i, p[i], want);
  }
#ifdef MAP_FIXED_NOREPLACE
  q = mmap(p + 2 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  CHECK(q == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping: %p errno %d",
        (void *)q, errno);
#endif
  munmap(p, 4 * pg);
  return CHECK_PASS;
}

static int c_mremap(char *why, size_t n) {
  long pg = page();
  /* Three pages; the third stays mapped, so the first two cannot grow in
   * place. */
  unsigned char *p = mmap(0, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
  for (long i = 0; i < 2 * pg; i++) p[i] = (unsigned char)(i * 13);
  unsigned char *block = p + 2 * pg;
  errno = 0;
  CHECK(mremap(p, 2 * pg, 64 * pg, 0) == MAP_FAILED && errno == ENOMEM,
        "mremap grew in place over a mapping (errno %d)", errno);
  unsigned char *q = mremap(p, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
  CHECK(q != MAP_FAILED, "mremap MAYMOVE: %s", strerror(errno));
  CHECK(q != p, "mremap did not move");
  for (long i = 0; i < 2 * pg; i++)
    CHECK(q[i] == (unsigned char)(i * 13), "byte %ld lost in the move", i);
  for (long i = 2 * pg; i < 64 * pg; i += pg) CHECK(q[i] == 0, "grown page not zero");
  q[64 * pg - 1] = 1;
  int code;
  CHECK(probe_read(p, &code, 0) == SIGSEGV && code == SEGV_MAPERR, "old address still mapped");
  /* Shrink in place. */
  CHECK(mremap(q, 64 * pg, pg, 0) == q, "mremap shrink: %s", strerror(errno));
  CHECK(probe_read(q + pg, &code, 0) == SIGSEGV, "shrunk tail still mapped");
  munmap(q, pg);
  munmap(block, pg);
  return CHECK_PASS;
}

static int c_mprotect(char *why, size_t n) {
  long pg = page();
  unsigned char *p = mmap(0, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
  memset(p, 0x11, 3 * pg);
  CHECK(mprotect(p + pg, pg, PROT_READ) == 0, "mprotect: %s", strerror(errno));
  int code;
  void *addr;
  CHECK(probe_write(p + pg + 100, &code, &addr) == SIGSEGV, "write to a read-only page worked");
  CHECK(code == SEGV_ACCERR && addr == p + pg + 100, "code %d addr %p", code, addr);
  CHECK(p[pg + 100] == 0x11, "the faulting write changed memory");
  CHECK(probe_write(p + 5, 0, 0) == 0 && probe_write(p + 2 * pg, 0, 0) == 0,
        "neighbouring pages lost write access");
  CHECK(mprotect(p + pg, pg, PROT_READ | PROT_WRITE) == 0, "mprotect RW: %s", strerror(errno));
  CHECK(probe_write(p + pg + 100, 0, 0) == 0 && p[pg + 100] == 0x5a, "write after PROT_WRITE");
  CHECK(mprotect(p, pg, PROT_NONE) == 0, "mprotect NONE");
  CHECK(probe_read(p, &code, 0) == SIGSEGV && code == SEGV_ACCERR, "read of PROT_NONE");
  munmap(p, 3 * pg);
  return CHECK_PASS;
}

static int c_munmap(char *why, size_t n) {
  long pg = page();
  unsigned char *p = mmap(0, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
  memset(p, 1, 3 * pg);
  CHECK(munmap(p + pg, pg) == 0, "munmap: %s", strerror(errno));
  int code;
  void *addr;
  CHECK(probe_read(p + pg + 8, &code, &addr) == SIGSEGV, "read of an unmapped page worked");
  CHECK(code == SEGV_MAPERR && addr == p + pg + 8, "code %d addr %p", code, addr);
  CHECK(probe_write(p + pg, &code, 0) == SIGSEGV && code == SEGV_MAPERR, "write to unmapped");
  CHECK(p[0] == 1 && p[2 * pg] == 1, "neighbours of the hole changed");
  errno = 0;
  CHECK(munmap(p + 1, pg) == -1 && errno == EINVAL, "unaligned munmap: errno %d", errno);
  munmap(p, 3 * pg);
  return CHECK_PASS;
}

static int c_shared(char *why, size_t n) {
  long pg = page();
  char path[64];
  snprintf(path, sizeof path, "/tmp/pc64-check-map-%d", (int)getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
  unlink(path);
  CHECK(ftruncate(fd, 2 * pg) == 0, "ftruncate: %s", strerror(errno));
  unsigned char *p = mmap(0, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  CHECK(p != MAP_FAILED, "mmap MAP_SHARED: %s", strerror(errno));
  for (long i = 0; i < 2 * pg; i++) p[i] = (unsigned char)(i * 3 + 1);
  CHECK(msync(p, 2 * pg, MS_SYNC) == 0, "msync: %s", strerror(errno));
  unsigned char buf[256];
  CHECK(pread(fd, buf, sizeof buf, pg + 7) == (ssize_t)sizeof buf, "pread: %s", strerror(errno));
  for (size_t i = 0; i < sizeof buf; i++)
    CHECK(buf[i] == (unsigned char)((pg + 7 + i) * 3 + 1), "file byte %ld differs",
          (long)(pg + 7 + i));
  CHECK(pwrite(fd, "PC64", 4, 100) == 4, "pwrite: %s", strerror(errno));
  CHECK(memcmp(p + 100, "PC64", 4) == 0, "pwrite not visible in the mapping");
  /* A child's store through the shared mapping reaches the parent. */
  pid_t c = fork();
  if (c == 0) {
    p[2 * pg - 1] = 0xee;
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  CHECK(p[2 * pg - 1] == 0xee, "child's store not visible: %#x", p[2 * pg - 1]);
  /* A MAP_PRIVATE view does not write through. */
  unsigned char *q = mmap(0, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  CHECK(q != MAP_FAILED, "mmap MAP_PRIVATE: %s", strerror(errno));
  CHECK(memcmp(q + 100, "PC64", 4) == 0, "private view content");
  q[100] = 'X';
  CHECK(p[100] == 'P', "MAP_PRIVATE write reached the file");
  munmap(q, pg);
  munmap(p, 2 * pg);
  close(fd);
  return CHECK_PASS;
}

const struct check mem_checks[] = {
    {"mem.anon64", c_anon64}, {"mem.fixed", c_fixed},   {"mem.mremap", c_mremap},
    {"mem.mprotect", c_mprotect}, {"mem.munmap", c_munmap}, {"mem.shared", c_shared},
    {0, 0},
};
