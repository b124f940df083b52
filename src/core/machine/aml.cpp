// AML and resource-template builders (see aml.h).
#include "machine/aml.h"

namespace pc64 {

Aml& Aml::byte(u8 b) {
  if (len_ >= cap_) ok_ = false;
  else buf_[len_++] = b;
  return *this;
}

Aml& Aml::bytes(const u8* p, u32 n) {
  for (u32 i = 0; i < n; ++i) byte(p[i]);
  return *this;
}

Aml& Aml::integer(u64 v) {
  if (v <= 1) return byte((u8)v);  // ZeroOp 00h, OneOp 01h
  int n = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffffu ? 4 : 8;
  byte(n == 1 ? 0x0a : n == 2 ? 0x0b : n == 4 ? 0x0c : 0x0e);
  for (int i = 0; i < n; ++i) byte((u8)(v >> (8 * i)));
  return *this;
}

Aml& Aml::string(const char* s) {
  byte(0x0d);
  while (s && *s) byte((u8)*s++);
  return byte(0);
}

Aml& Aml::name_string(const char* path) {
  const char* p = path;
  if (*p == '\\') byte((u8)*p++);
  while (*p == '^') byte((u8)*p++);
  int segs = 0;
  for (const char* q = p; *q; ++q)
    if (q == p || q[-1] == '.') ++segs;
  if (segs == 0) return byte(0x00);  // NullName
  if (segs == 2) byte(0x2e);         // DualNamePrefix
  if (segs > 2) byte(0x2f).byte((u8)segs);  // MultiNamePrefix SegCount
  while (*p) {
    int n = 0;
    for (; *p && *p != '.'; ++p)
      if (n++ < 4) byte((u8)*p);
    for (; n < 4; ++n) byte('_');
    if (*p == '.') ++p;
  }
  return *this;
}

u32 Aml::eisa_id_value(const char* id) {
  auto hex = [](char c) -> u32 { return c <= '9' ? (u32)(c - '0') : (u32)((c | 0x20) - 'a' + 10); };
  const u32 v = ((u32)(id[0] - 0x40) << 26) | ((u32)(id[1] - 0x40) << 21) |
                ((u32)(id[2] - 0x40) << 16) | (hex(id[3]) << 12) | (hex(id[4]) << 8) |
                (hex(id[5]) << 4) | hex(id[6]);
  return bswap32(v);
}

Aml& Aml::eisa_id(const char* id) {
  const u32 v = eisa_id_value(id);
  byte(0x0c);
  for (int i = 0; i < 4; ++i) byte((u8)(v >> (8 * i)));
  return *this;
}

u32 Aml::open() {
  const u32 mark = len_;
  for (int i = 0; i < 4; ++i) byte(0);
  return mark;
}

// PkgLength (§20.2.4): one byte for totals up to 63 (bits 5:0); otherwise
// the lead byte's bits 7:6 count the bytes that follow (1-3), its bits 3:0
// are the low nibble and each following byte the next 8 bits.
void Aml::close(u32 mark) {
  if (!ok_ || mark + 4 > len_) {
    ok_ = false;
    return;
  }
  const u32 body = len_ - (mark + 4);
  u32 n = 1;
  while (n < 4 && body + n > (n == 1 ? 0x3fu : (1u << (4 + 8 * (n - 1))) - 1)) ++n;
  const u32 total = body + n;
  if (n == 4 && total > 0x0fffffffu) {
    ok_ = false;
    return;
  }
  u8* p = buf_ + mark;
  if (n == 1) {
    p[0] = (u8)total;
  } else {
    p[0] = (u8)(((n - 1) << 6) | (total & 15));
    for (u32 i = 1; i < n; ++i) p[i] = (u8)(total >> (4 + 8 * (i - 1)));
  }
  __builtin_memmove(p + n, p + 4, body);
  len_ -= 4 - n;
}

bool Aml::decode_pkg_length(const u8* p, u32 avail, u32* value, u32* nbytes) {
  if (avail < 1) return false;
  const u32 n = 1 + (p[0] >> 6);
  if (avail < n) return false;
  if (n == 1) {
    *value = p[0] & 0x3f;
  } else {
    if (p[0] & 0x30) return false;
    u32 v = p[0] & 15;
    for (u32 i = 1; i < n; ++i) v |= (u32)p[i] << (4 + 8 * (i - 1));
    *value = v;
  }
  *nbytes = n;
  return true;
}

u32 Aml::scope(const char* n) {
  byte(0x10);
  const u32 m = open();
  name_string(n);
  return m;
}

u32 Aml::device(const char* n) {
  byte(0x5b).byte(0x82);
  const u32 m = open();
  name_string(n);
  return m;
}

// MethodFlags: bits 2:0 ArgCount, bit 3 SerializeFlag, bits 7:4 SyncLevel 0.
u32 Aml::method(const char* n, int args, bool serialized) {
  byte(0x14);
  const u32 m = open();
  name_string(n);
  byte((u8)((args & 7) | (serialized ? 8 : 0)));
  return m;
}

u32 Aml::package(int elements) {
  byte(0x12);
  const u32 m = open();
  byte((u8)elements);
  return m;
}

u32 Aml::buffer() {
  byte(0x11);
  return open();
}

// The BufferSize term goes first in the package, so the raw bytes move up
// by its size before the PkgLength is fixed.
void Aml::close_buffer(u32 mark) {
  if (!ok_ || mark + 4 > len_) {
    ok_ = false;
    return;
  }
  const u32 n = len_ - (mark + 4);
  u8 tmp[9];
  Aml sz(tmp, sizeof tmp);
  sz.integer(n);
  if (len_ + sz.size() > cap_) {
    ok_ = false;
    return;
  }
  __builtin_memmove(buf_ + mark + 4 + sz.size(), buf_ + mark + 4, n);
  __builtin_memcpy(buf_ + mark + 4, tmp, sz.size());
  len_ += sz.size();
  close(mark);
}

ResTemplate& ResTemplate::put(const u8* p, u32 n) {
  if (!ok_ || len_ + n > cap_) {
    ok_ = false;
    return *this;
  }
  __builtin_memcpy(buf_ + len_, p, n);
  len_ += n;
  return *this;
}

ResTemplate& ResTemplate::io(u16 min, u16 max, u8 align, u8 len) {
  const u8 d[8] = {0x47, 0x01, (u8)min, (u8)(min >> 8), (u8)max, (u8)(max >> 8), align, len};
  return put(d, 8);
}

ResTemplate& ResTemplate::irq(u16 mask) {
  const u8 d[3] = {0x22, (u8)mask, (u8)(mask >> 8)};
  return put(d, 3);
}

ResTemplate& ResTemplate::mem32_fixed(u32 base, u32 len, bool writable) {
  u8 d[12] = {0x86, 0x09, 0x00, (u8)(writable ? 1 : 0)};
  store_le<u32>(d + 4, base);
  store_le<u32>(d + 8, len);
  return put(d, 12);
}

// General flags 0Ch: _MAF and _MIF set (fixed), positive decode, producer.
ResTemplate& ResTemplate::word_space(u8 type, u8 flags, u16 min, u16 max) {
  u8 d[16] = {0x88, 0x0d, 0x00, type, 0x0c, flags};
  store_le<u16>(d + 8, min);
  store_le<u16>(d + 10, max);
  store_le<u16>(d + 14, (u16)(max - min + 1));
  return put(d, 16);
}

ResTemplate& ResTemplate::dword_space(u8 type, u8 flags, u32 min, u32 max) {
  u8 d[26] = {0x87, 0x17, 0x00, type, 0x0c, flags};
  store_le<u32>(d + 10, min);
  store_le<u32>(d + 14, max);
  store_le<u32>(d + 22, max - min + 1);
  return put(d, 26);
}

ResTemplate& ResTemplate::end() {
  const u8 d[2] = {0x79, 0x00};
  return put(d, 2);
}

}  // namespace pc64
