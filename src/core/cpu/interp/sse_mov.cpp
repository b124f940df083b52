// SSE/AVX full-register moves (rows: cpu/table/sse_mov.def). One handler
// serves the legacy and the VEX rows: simd.h applies the alignment rule of
// the row and the upper-half rule of the encoding.
#include "cpu/interp/simd.h"

namespace pc64 {
namespace {

void mov_full(Cpu& c, const Insn& i) {
  if (!fp_ok(c, i)) return;
  Vec256 v;
  if (!vec_get(c, i, 1, &v)) return;
  vec_put(c, i, 0, v);
}

}  // namespace

void bind_sse_mov(HandlerTable& t) {
  static constexpr Mn kMoves[] = {Mn::MOVUPS, Mn::MOVAPS, Mn::MOVUPD,
                                  Mn::MOVAPD, Mn::MOVDQU, Mn::MOVDQA};
  for (Mn m : kMoves) t.set_all(m, &mov_full);
}

}  // namespace pc64
