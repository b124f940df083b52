// A small AML (ACPI Machine Language) builder for the DSDT (ACPI 6.5
// §20.2, "AML Grammar Definition"), and a resource-template builder for
// _CRS buffers (§6.4, "Resource Data Types for ACPI").
//
// Aml writes into a caller's buffer and never past it: an overflow sets
// ok() false and drops the rest. Named objects that contain others (Scope,
// Device, Method, Package, Buffer) are opened with the matching call,
// which returns a mark, and closed with close(mark). A package length
// (PkgLength, §20.2.4) counts its own bytes plus everything up to the
// close; its size (1-4 bytes) depends on that count, so open reserves four
// bytes and close writes the shortest encoding and moves the body down.
//
// Name strings (§20.2.2) are written from dotted paths: "\\_SB.PCI0" is
// RootChar + DualNamePrefix + two segments, "^FOO" a parent prefix, and a
// segment shorter than four characters is padded with '_'.
#pragma once
#include "base/base.h"

namespace pc64 {

class Aml {
 public:
  Aml(u8* buf, u32 cap) : buf_(buf), cap_(cap) {}
  u32 size() const { return len_; }
  bool ok() const { return ok_; }
  const u8* data() const { return buf_; }

  Aml& byte(u8 b);
  Aml& bytes(const u8* p, u32 n);
  // An integer: ZeroOp/OneOp, or the shortest of BytePrefix, WordPrefix,
  // DWordPrefix, QWordPrefix (§20.2.3).
  Aml& integer(u64 v);
  Aml& string(const char* s);       // StringPrefix AsciiCharList NullChar
  Aml& name_string(const char* path);
  // An EISA ID ("PNP0A03"): the compressed 32-bit form ASL's EISAID()
  // makes (three 5-bit letters, four hex digits, byte-swapped), as a DWord.
  Aml& eisa_id(const char* id);
  static u32 eisa_id_value(const char* id);

  Aml& name(const char* n) { return byte(0x08).name_string(n); }  // NameOp; the value follows
  Aml& ret() { return byte(0xa4); }                                 // ReturnOp; the value follows

  u32 scope(const char* n);                               // ScopeOp
  u32 device(const char* n);                              // ExtOpPrefix DeviceOp
  u32 method(const char* n, int args, bool serialized);   // MethodOp
  u32 package(int elements);                              // PackageOp (at most 255)
  // BufferOp: the BufferSize integer is written on close (the bytes
  // between the mark and the close), so only raw bytes go in between.
  u32 buffer();
  void close(u32 mark);
  void close_buffer(u32 mark);

  // Decodes a PkgLength at p (avail bytes): its value and its own size.
  // False if it is truncated or malformed (bits 5:4 of a multi-byte lead
  // byte must be 0).
  static bool decode_pkg_length(const u8* p, u32 avail, u32* value, u32* nbytes);

 private:
  u32 open();
  u8* buf_;
  u32 cap_, len_ = 0;
  bool ok_ = true;
};

// Resource descriptors for a ResourceTemplate buffer (ACPI 6.5 §6.4).
class ResTemplate {
 public:
  ResTemplate(u8* buf, u32 cap) : buf_(buf), cap_(cap) {}
  ResTemplate& io(u16 min, u16 max, u8 align, u8 len);         // IO(Decode16, ...) §6.4.2.5
  ResTemplate& irq(u16 mask);                                  // IRQNoFlags §6.4.2.1
  ResTemplate& mem32_fixed(u32 base, u32 len, bool writable);  // Memory32Fixed §6.4.3.4
  // Word/DWord address space descriptors (§6.4.3.5.2-3), ResourceProducer,
  // MinFixed, MaxFixed, PosDecode. `type` 0 memory, 1 I/O, 2 bus number;
  // `flags` the type-specific byte.
  ResTemplate& word_space(u8 type, u8 flags, u16 min, u16 max);
  ResTemplate& dword_space(u8 type, u8 flags, u32 min, u32 max);
  ResTemplate& end();  // End Tag §6.4.2.9 (checksum 0: "treated as valid")
  u32 size() const { return len_; }
  bool ok() const { return ok_; }
  const u8* data() const { return buf_; }

 private:
  ResTemplate& put(const u8* p, u32 n);
  u8* buf_;
  u32 cap_, len_ = 0;
  bool ok_ = true;
};

}  // namespace pc64
