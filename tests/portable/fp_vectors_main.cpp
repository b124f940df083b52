// pc64-fp-vectors [SEED [COUNT]]: runs the x87/SSE vectors natively and prints
// the digests the wasm64 build must reproduce (scripts/wasm-selftest.mjs).
// Output: one line "fp-vectors SEED COUNT ALL D0 D1 D2 D3" (hex digests: all
// cases, then per kind: x87, 0F, 0F 38, 0F 3A), then a line of statistics.
#include <stdio.h>
#include <stdlib.h>

#include "fp_vectors.h"

int main(int argc, char** argv) {
  const unsigned long long seed = argc > 1 ? strtoull(argv[1], nullptr, 0) : 1;
  const unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], nullptr, 0) : 20000;
  pc64::fpvec::Stats st;
  pc64::fpvec::run(seed, count, &st);
  printf("fp-vectors %llu %u %016llx", seed, count, (unsigned long long)st.all);
  for (int k = 0; k < pc64::fpvec::kKinds; ++k) printf(" %016llx", (unsigned long long)st.digest[k]);
  printf("\n");
  static const char* const kNames[] = {"x87", "0F", "0F38", "0F3A"};
  for (int k = 0; k < pc64::fpvec::kKinds; ++k)
    printf("%s%s: %u cases, %u completed, %u #UD, %u other faults", k ? "; " : "", kNames[k], st.cases[k],
           st.completed[k], st.ud[k], st.faults[k]);
  printf("\n");
  return 0;
}
