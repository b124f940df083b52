// The x87 tag of a register from its contents: the one computation shared by
// the x87 handlers (x87.h), the MMX state change (vec.h) and the state images
// (FSTENV/FSAVE, FXSAVE/FXRSTOR, XSAVE).
#pragma once
#include "base/base.h"

namespace pc64 {

// The two-bit tags (SDM Vol. 1 §8.1.7, Figure 8-7).
constexpr u8 kTagValid = 0, kTagZero = 1, kTagSpecial = 2, kTagEmpty = 3;

// The tag a non-empty register with sign/exponent `se` and significand
// `mant` has (SDM Vol. 1 §8.1.7 and §10.5.1.1 Table 10-2, the tag FXRSTOR
// and FLDENV rebuild): exponent all ones: special (NaN, infinity); exponent
// 0: zero if the significand is 0, else special (denormal, pseudo-denormal);
// otherwise valid if the integer bit is set, else special (unnormal).
PC64_ALWAYS_INLINE u8 x87_tag_of(u16 se, u64 mant) {
  const u32 e = se & 0x7FFFu;
  if (e == 0x7FFF) return kTagSpecial;
  if (e == 0) return mant ? kTagSpecial : kTagZero;
  return (mant >> 63) ? kTagValid : kTagSpecial;
}

}  // namespace pc64
