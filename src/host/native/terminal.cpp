// Raw-mode terminal and the Ctrl-A escapes (see terminal.h).
#include "terminal.h"

#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace pc64 {
namespace {

struct termios g_saved;
volatile sig_atomic_t g_raw = 0;

// Async-signal-safe: tcsetattr is on the POSIX list.
void restore_terminal() {
  if (g_raw) {
    tcsetattr(STDIN_FILENO, TCSANOW, &g_saved);
    g_raw = 0;
  }
}

void on_signal(int sig) {
  restore_terminal();
  signal(sig, SIG_DFL);
  raise(sig);
}

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

const char kHelp[] =
    "\r\nC-a h    print this help\r\n"
    "C-a x    exit pc64\r\n"
    "C-a a    send C-a to the guest\r\n";

}  // namespace

HostTerminal::HostTerminal(bool interactive) {
  if (!interactive) return;
  live_ = true;
  if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &g_saved) != 0) return;
  struct termios raw = g_saved;
  // Raw input, as cfmakeraw() sets it, but keep output post-processing so
  // host messages still start at column 0.
  raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  raw.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  raw.c_cflag &= ~(CSIZE | PARENB);
  raw.c_cflag |= CS8;
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  static bool hooks = false;
  if (!hooks) {
    hooks = true;
    std::atexit(restore_terminal);
    for (int s : kSignals) signal(s, on_signal);
  }
  if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) g_raw = 1;
}

HostTerminal::~HostTerminal() { restore_terminal(); }

void HostTerminal::handle(Uart16550& uart, const unsigned char* p, int n) {
  for (int i = 0; i < n && !quit_; ++i) {
    unsigned char b = p[i];
    if (escape_) {
      escape_ = false;
      if (b == 'x' || b == 'X') {
        quit_ = true;
        return;
      }
      if (b == 'h' || b == 'H' || b == '?') {
        std::fputs(kHelp, stderr);
        continue;
      }
      if (b != 'a' && b != 'A' && b != 1) continue;
      b = 1;  // a literal Ctrl-A
    } else if (b == 1) {
      escape_ = true;
      continue;
    }
    pending_[npending_++] = b;
  }
  (void)uart;
}

void HostTerminal::pump(Uart16550& uart, int wait_ms) {
  // Bytes the UART had no room for go first.
  if (pending_at_ < npending_) {
    pending_at_ += (int)uart.host_input(pending_ + pending_at_, (u32)(npending_ - pending_at_));
    if (pending_at_ < npending_) return;
  }
  npending_ = pending_at_ = 0;
  if (!live_ || quit_) {
    if (wait_ms > 0) poll(nullptr, 0, wait_ms);  // nothing to read: just wait
    return;
  }
  struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
  if (poll(&pfd, 1, wait_ms) <= 0 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR))) return;
  unsigned char buf[128];
  const ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
  if (n <= 0) {
    live_ = false;  // end of input (or an error): the guest runs on
    return;
  }
  handle(uart, buf, (int)n);
  pending_at_ = (int)uart.host_input(pending_, (u32)npending_);
  if (pending_at_ == npending_) npending_ = pending_at_ = 0;
}

}  // namespace pc64
