// The arithmetic of AES-NI, PCLMULQDQ, SHA and the SSE4.2 string compares,
// as pure functions on 128-bit values (handlers in aes.cpp, pclmul.cpp,
// sha.cpp, pcmpstr.cpp). Kept free of Cpu so unit tests can check them
// against known-answer vectors directly.
//
// Lanes use the compiler's vector extensions (SSE natively, simd128 in
// wasm); a 128-bit value is little-endian: byte 0 / dword 0 is bits 7:0 /
// 31:0, as in an XMM register.
#pragma once
#include "base/base.h"

namespace pc64 {

typedef u8 v16u8 __attribute__((vector_size(16)));
typedef i8 v16i8 __attribute__((vector_size(16)));
typedef u16 v8u16 __attribute__((vector_size(16)));
typedef i16 v8i16 __attribute__((vector_size(16)));
typedef u32 v4u32 __attribute__((vector_size(16)));
typedef u64 v2u64 __attribute__((vector_size(16)));

template <typename V> PC64_ALWAYS_INLINE V vload(const void* p) {
  V v;
  __builtin_memcpy(&v, p, sizeof(V));
  return v;
}
template <typename V> PC64_ALWAYS_INLINE void vstore(void* p, V v) { __builtin_memcpy(p, &v, sizeof(V)); }

// ---- AES (FIPS-197 §5; SDM Vol. 2A "AESENC" ... "AESKEYGENASSIST") ----
v16u8 aes_enc(v16u8 state, v16u8 round_key);       // AESENC
v16u8 aes_enc_last(v16u8 state, v16u8 round_key);  // AESENCLAST
v16u8 aes_dec(v16u8 state, v16u8 round_key);       // AESDEC
v16u8 aes_dec_last(v16u8 state, v16u8 round_key);  // AESDECLAST
v16u8 aes_imc(v16u8 state);                        // AESIMC
v16u8 aes_keygen_assist(v16u8 src, u8 rcon);       // AESKEYGENASSIST

// ---- PCLMULQDQ: carry-less product of two 64-bit polynomials over GF(2) ----
v2u64 clmul64(u64 a, u64 b);

// ---- SHA (FIPS 180-4; SDM Vol. 2B "SHA1RNDS4" ... "SHA256MSG2") ----
v4u32 sha1_rnds4(v4u32 src1, v4u32 src2, int func);
v4u32 sha1_nexte(v4u32 src1, v4u32 src2);
v4u32 sha1_msg1(v4u32 src1, v4u32 src2);
v4u32 sha1_msg2(v4u32 src1, v4u32 src2);
v4u32 sha256_rnds2(v4u32 src1, v4u32 src2, v4u32 wk);
v4u32 sha256_msg1(v4u32 src1, v4u32 src2);
v4u32 sha256_msg2(v4u32 src1, v4u32 src2);

// ---- PCMPxSTRx (SDM Vol. 2B §4.1) ----
// The string lengths: explicit ones from EAX/EDX (absolute value, saturated
// to the element count, §4.1.1), implicit ones up to the first null element.
int pcmpstr_explicit_len(u64 reg, bool rex_w, u8 imm);
int pcmpstr_implicit_len(v16u8 s, u8 imm);
struct PcmpStrResult {
  u32 intres2;  // IntRes2, one bit per element
  u32 flags;    // CF ZF SF OF as RFLAGS bits (AF = PF = 0)
};
// a = the first operand (xmm1) with la valid elements, b = the second
// (xmm2/m128) with lb.
PcmpStrResult pcmpstr(v16u8 a, v16u8 b, int la, int lb, u8 imm);
u32 pcmpstr_index(u32 intres2, u8 imm);      // ECX of PCMPxSTRI
v16u8 pcmpstr_mask(u32 intres2, u8 imm);     // XMM0 of PCMPxSTRM

}  // namespace pc64
