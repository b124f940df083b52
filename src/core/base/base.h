// Basic types and bit utilities for the portable core.
//
// The core compiles for wasm64-unknown-unknown with no libc and no libc++
// (see docs/TOOLCHAIN.md), so it includes only the compiler's own
// <stdint.h>/<stddef.h> and uses compiler builtins instead of <bit>,
// <type_traits> or <cstring>.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace pc64 {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;
using u128 = unsigned __int128;
using i128 = __int128;

#define PC64_LIKELY(x) __builtin_expect(!!(x), 1)
#define PC64_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PC64_ALWAYS_INLINE inline __attribute__((always_inline))

// Unsigned integer type of N bytes.
template <int N> struct UintOf;
template <> struct UintOf<1> { using T = u8; using S = i8; };
template <> struct UintOf<2> { using T = u16; using S = i16; };
template <> struct UintOf<4> { using T = u32; using S = i32; };
template <> struct UintOf<8> { using T = u64; using S = i64; };

constexpr u64 width_mask(int bytes) { return bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1; }
constexpr u64 sign_bit(int bytes) { return 1ull << (bytes * 8 - 1); }
constexpr i64 sign_extend(u64 v, int bytes) {
  return bytes >= 8 ? (i64)v : (i64)(v << (64 - bytes * 8)) >> (64 - bytes * 8);
}

inline int popcount64(u64 v) { return __builtin_popcountll(v); }
inline bool parity8(u64 v) { return !(__builtin_popcount((u32)(v & 0xff)) & 1); }  // PF=1 if even

template <typename T> inline T load_le(const void* p) { T v; __builtin_memcpy(&v, p, sizeof(T)); return v; }
template <typename T> inline void store_le(void* p, T v) { __builtin_memcpy(p, &v, sizeof(T)); }

inline u64 bswap64(u64 v) { return __builtin_bswap64(v); }
inline u32 bswap32(u32 v) { return __builtin_bswap32(v); }
inline u16 bswap16(u16 v) { return __builtin_bswap16(v); }

template <typename T, size_t N> constexpr size_t array_size(const T (&)[N]) { return N; }

}  // namespace pc64
