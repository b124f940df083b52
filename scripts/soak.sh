#!/usr/bin/env bash
# `make soak`: the long differential runs (issue 4).
#
#  1. FP/SIMD soak: SOAK_CASES (10,000,000) cases of the x87, MMX, SSE..SSE4.2,
#     AES, PCLMUL, SHA and AVX-family rows (pc64-difftest --fp-only), split
#     evenly over 64-, 32- and 16-bit mode, each mode topping every tested
#     row up to SOAK_PER_ROW_MIN (1,000) cases (--per-row-min).
#  2. All rows: SOAK_ALL_CASES (1,000,000) cases per mode over every row.
#
# All runs go on even if one fails; logs go to build/soak-logs/. Rows whose
# extension the host lacks are skipped by pc64-difftest with a notice, which
# is repeated here. Prints a summary table (rows, cases, min per row,
# failures, time); the last line is "N passed, M failed" over the runs.
set -uo pipefail
cd "$(dirname "$0")/.."
cases=${SOAK_CASES:-10000000}
per_row=${SOAK_PER_ROW_MIN:-1000}
all_cases=${SOAK_ALL_CASES:-1000000}
seed=${SOAK_SEED:-1}
bin=build/release/pc64-difftest
if [[ ! -x $bin ]]; then
  echo "soak: $bin does not exist (run make first)" >&2
  exit 1
fi
logs=build/soak-logs
mkdir -p "$logs"
start=$SECONDS
passed=0 failed=0
rows=() fp_total=0 fp_fail=0 fp_min=
# run NAME ARGS...: one pc64-difftest run, its FP/SIMD line and status recorded.
run() {
  local name=$1
  shift
  echo "==== pc64-difftest $* ===="
  local t0=$SECONDS
  "$bin" --quiet-table --seed "$seed" "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]} t=$((SECONDS - t0))
  local line total fail
  line=$(grep '^FP/SIMD:' "$logs/$name.log" | tail -1)
  total=$(tail -1 "$logs/$name.log")
  if [[ $rc -eq 0 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  rows+=("$(printf '%-10s %-4s %5ss  %s | all rows: %s' "$name" "$([[ $rc -eq 0 ]] && echo PASS || echo FAIL)" "$t" "${line#FP/SIMD: }" "$total")")
  # Sum the FP/SIMD cases of every run (the all-rows runs include FP rows too).
  read -r r c m f <<<"$(sed -E 's/^FP\/SIMD: ([0-9]+) rows, ([0-9]+) cases, min ([0-9]+) per row, ([0-9]+) failures.*/\1 \2 \3 \4/' <<<"$line")"
  if [[ -n ${c:-} && $c =~ ^[0-9]+$ ]]; then
    fp_total=$((fp_total + c)) fp_fail=$((fp_fail + f))
    if [[ $name == fp-* ]] && { [[ -z $fp_min ]] || ((m < fp_min)); }; then fp_min=$m; fi
  fi
}
per_mode=$(((cases + 2) / 3))
for mode in 64 32 16; do
  run "fp-$mode" --fp-only --cases "$per_mode" --per-row-min "$per_row" --mode "$mode"
done
if [[ $all_cases -gt 0 ]]; then
  for mode in 64 32 16; do
    run "all-$mode" --cases "$all_cases" --mode "$mode"
  done
fi
printf '\n==== soak summary (%ss) ====\n' "$((SECONDS - start))"
printf '%-10s %-4s %6s  %s\n' run result time "FP/SIMD rows, cases, min per row, failures | all rows"
printf '%s\n' "${rows[@]}"
grep -h '^notice:' "$logs"/fp-*.log | sort -u
echo "FP/SIMD total: $fp_total cases (soak target $cases), min ${fp_min:-0} per row per mode (target $per_row), $fp_fail failures"
if [[ $fp_total -lt $cases || ${fp_min:-0} -lt $per_row ]]; then
  echo "soak: FP/SIMD coverage below the target"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
