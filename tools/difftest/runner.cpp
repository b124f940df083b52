// The native runner child process: start, batch exchange over pipes, restart
// after a crash.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#include "difftest.h"

namespace pc64::difftest {
namespace {

constexpr int kReplyTimeoutMs = 20000;  // a whole batch; guest loops end by the runner's timer

}  // namespace

NativeRunner::~NativeRunner() { stop(); }

void NativeRunner::stop() {
  if (to_ >= 0) close(to_);
  if (from_ >= 0) close(from_);
  to_ = from_ = -1;
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
  rpos_ = rlen_ = 0;
}

bool NativeRunner::start(const std::string& path, const std::string& arg, std::string* err) {
  stop();
  path_ = path;
  arg_ = arg;
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) {
    *err = "pipe failed";
    return false;
  }
  signal(SIGPIPE, SIG_IGN);
  pid_t pid = fork();
  if (pid < 0) {
    *err = "fork failed";
    return false;
  }
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]); close(in[1]); close(out[0]); close(out[1]);
    // Without address randomisation a restarted runner has the same TLS
    // (FS or GS) base as the first one, which the pc64 guest mirrors.
    personality(ADDR_NO_RANDOMIZE);
    if (arg.empty()) execl(path.c_str(), path.c_str(), (char*)nullptr);
    else execl(path.c_str(), path.c_str(), arg.c_str(), (char*)nullptr);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  pid_ = pid;
  to_ = in[1];
  from_ = out[0];
  if (!fill(&hello_, sizeof hello_) || hello_.magic != kHelloMagic) {
    *err = "native runner " + path + " did not start";
    stop();
    return false;
  }
  if (have_first_ && memcmp(&hello_, &first_hello_, sizeof hello_) != 0) {
    *err = "restarted native runner reports different segments than the first";
    stop();
    return false;
  }
  if (!have_first_) {
    first_hello_ = hello_;
    have_first_ = true;
  }
  if (hello_.error == 2) {
    *err = "native runner could not install its 16-bit LDT segments (modify_ldt)";
    stop();
    return false;
  }
  if (hello_.error) {
    *err = "native runner could not map its fixed areas (code 0x20000000, data 0x10000000)";
    stop();
    return false;
  }
  return true;
}

// Reads exactly n bytes from the child, buffered; false on EOF or timeout.
bool NativeRunner::fill(void* p, size_t n) {
  u8* d = (u8*)p;
  while (n) {
    if (rpos_ == rlen_) {
      pollfd pf{from_, POLLIN, 0};
      int pr = poll(&pf, 1, kReplyTimeoutMs);
      if (pr < 0 && errno == EINTR) continue;
      if (pr <= 0) return false;
      if (rbuf_.size() < (1u << 20)) rbuf_.resize(1u << 20);
      ssize_t k = read(from_, rbuf_.data(), rbuf_.size());
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) return false;
      rpos_ = 0;
      rlen_ = (size_t)k;
    }
    size_t k = rlen_ - rpos_ < n ? rlen_ - rpos_ : n;
    memcpy(d, rbuf_.data() + rpos_, k);
    rpos_ += k;
    d += k;
    n -= k;
  }
  return true;
}

bool NativeRunner::send(const std::vector<GenCase>& cases, size_t from, size_t n) {
  static std::vector<u8> buf;  // kept: a fresh large buffer costs page faults per batch
  buf.assign(2 * sizeof(u32), 0);
  for (size_t i = 0; i < n; ++i) {
    const Case& c = cases[from + i].c;
    const u8* p = (const u8*)&c;
    buf.insert(buf.end(), p, p + case_wire_size(c));
  }
  const u32 head[2] = {(u32)n, (u32)(buf.size() - sizeof head)};
  memcpy(buf.data(), head, sizeof head);
  return write_full(to_, buf.data(), buf.size());
}

bool NativeRunner::receive(const std::vector<GenCase>& cases, size_t n, std::vector<Outcome>* out, size_t at) {
  for (size_t i = 0; i < n; ++i) {
    Outcome& o = (*out)[at + i];
    o.r.fp = FpState{};
    if (!fill(&o.r, result_wire_size(cases[at + i].c.fp_used))) return false;
    if (o.r.ndirty > kMaxDirty) return false;
    o.dirty.resize(o.r.ndirty);
    if (o.r.ndirty && !fill(o.dirty.data(), o.r.ndirty * sizeof(DirtyByte))) return false;
    o.crashed = false;
  }
  return true;
}

bool NativeRunner::run_batch(const std::vector<GenCase>& cases, std::vector<Outcome>* out,
                             const std::function<void()>& meanwhile) {
  out->resize(cases.size());
  const bool sent = pid_ > 0 && send(cases, 0, cases.size());
  meanwhile();  // the pc64 side runs while the child works
  if (sent && receive(cases, cases.size(), out, 0)) return true;
  std::string err;
  if (!start(path_, arg_, &err)) fprintf(stderr, "pc64-difftest: %s\n", err.c_str());
  return false;
}

void NativeRunner::run_singly(const std::vector<GenCase>& cases, std::vector<Outcome>* out) {
  out->resize(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    // A case gets a second try in a fresh child: a rare child death that the
    // case itself did not cause (seen once in 10^7 16-bit cases on a loaded
    // machine) must not count as a divergence. Twice in a row is reported.
    bool ok = false;
    for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
      ok = pid_ > 0 && send(cases, i, 1) && receive(cases, 1, out, i);
      if (!ok) {
        std::string err;
        if (!start(path_, arg_, &err)) fprintf(stderr, "pc64-difftest: %s\n", err.c_str());
      }
    }
    if (ok) continue;
    (*out)[i] = Outcome{};
    (*out)[i].crashed = true;
  }
}

}  // namespace pc64::difftest
