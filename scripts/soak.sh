#!/usr/bin/env bash
# `make soak`: the long differential runs, SOAK_CASES (10,000,000) cases in
# 64-bit, 32-bit and 16-bit mode. All run even if one fails; logs go to
# build/soak-logs/. The last line is "N passed, M failed" over the three modes.
set -uo pipefail
cd "$(dirname "$0")/.."
cases=${SOAK_CASES:-10000000}
bin=build/release/pc64-difftest
if [[ ! -x $bin ]]; then
  echo "soak: $bin does not exist (run make first)" >&2
  exit 1
fi
mkdir -p build/soak-logs
passed=0 failed=0
for mode in 64 32 16; do
  echo "==== pc64-difftest --cases $cases --mode $mode ===="
  t0=$SECONDS
  "$bin" --cases "$cases" --mode "$mode" 2>&1 | tee "build/soak-logs/mode$mode.log"
  rc=${PIPESTATUS[0]}
  echo "---- mode $mode: exit $rc in $((SECONDS - t0))s"
  if [[ $rc -eq 0 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
