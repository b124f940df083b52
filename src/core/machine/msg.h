// Msg: a bounded one-line message builder for loader errors (the core has
// no snprintf). Never writes past `cap` bytes and keeps the text
// NUL-terminated.
#pragma once
#include "base/base.h"

namespace pc64 {

struct Msg {
  char* buf;
  u32 cap, len = 0;
  Msg(char* b, u32 c) : buf(b), cap(c) { buf[0] = 0; }
  Msg& s(const char* t) {
    while (t && *t && len + 1 < cap) buf[len++] = *t++;
    buf[len] = 0;
    return *this;
  }
  Msg& hex(u64 v) {
    char tmp[17];
    int n = 0;
    do {
      tmp[n++] = "0123456789abcdef"[v & 15];
      v >>= 4;
    } while (v);
    s("0x");
    while (n && len + 1 < cap) buf[len++] = tmp[--n];
    buf[len] = 0;
    return *this;
  }
  Msg& dec(u64 v) {
    char tmp[21];
    int n = 0;
    do {
      tmp[n++] = (char)('0' + v % 10);
      v /= 10;
    } while (v);
    while (n && len + 1 < cap) buf[len++] = tmp[--n];
    buf[len] = 0;
    return *this;
  }
};

}  // namespace pc64
