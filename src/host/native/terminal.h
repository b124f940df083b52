// The native host's serial console: COM1 on the process's stdin/stdout.
//
// When stdin is a terminal it is put in raw mode (no echo, no line
// editing, no signals from ^C: every byte goes to the guest) and restored
// at exit, on SIGINT/SIGTERM/SIGHUP/SIGQUIT and on the crash signals
// (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT), which are then re-raised.
// Ctrl-A is the escape key, as in QEMU: Ctrl-A x quits (exit status 0),
// Ctrl-A h prints the escape help, Ctrl-A a sends a literal Ctrl-A; any
// other byte after Ctrl-A is dropped. Stdin that is not a terminal (a
// pipe, a file, /dev/null) is read the same way without the raw mode;
// its end stops the input, not the guest.
#pragma once
#include <cstdio>

#include "machine/uart16550.h"

namespace pc64 {

class HostTerminal {
 public:
  // `interactive`: read stdin (and make a terminal raw); false leaves
  // stdin alone (-serial null or file:).
  explicit HostTerminal(bool interactive);
  ~HostTerminal();
  HostTerminal(const HostTerminal&) = delete;
  HostTerminal& operator=(const HostTerminal&) = delete;

  // Moves whatever stdin has now into `uart`, first waiting up to
  // `wait_ms` for it to have something (0: don't wait, -1: no limit).
  // Called once per run slice.
  void pump(Uart16550& uart, int wait_ms = 0);
  // Stdin can still deliver bytes (not at its end, and read at all).
  bool live() const { return live_; }
  bool quit_requested() const { return quit_; }

 private:
  void handle(Uart16550& uart, const unsigned char* p, int n);
  bool live_ = false, quit_ = false, escape_ = false;
  unsigned char pending_[256];
  int npending_ = 0, pending_at_ = 0;
};

}  // namespace pc64
