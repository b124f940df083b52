// The x87/SSE vectors that `make test` also runs in wasm64 (tests/portable):
// deterministic, and each kind executes a real share of its instructions.
#include <gtest/gtest.h>

#include "fp_vectors.h"

using namespace pc64;

TEST(FpVectors, DeterministicAndCovering) {
  fpvec::Stats a, b;
  fpvec::run(1, 20000, &a);
  fpvec::run(1, 20000, &b);
  EXPECT_EQ(a.all, b.all);
  fpvec::run(2, 20000, &b);
  EXPECT_NE(a.all, b.all);
  for (int k = 0; k < fpvec::kKinds; ++k) {
    EXPECT_GT(a.cases[k], 4000u) << k;
    EXPECT_GT(a.completed[k], a.cases[k] / 40) << k;  // not all #UD
  }
  EXPECT_GT(a.completed[fpvec::kX87], a.cases[fpvec::kX87] / 2);
  EXPECT_GT(a.faults[fpvec::kX87], 0u);  // pending exceptions give #MF
}
