#!/usr/bin/env bash
# memtest86+ (Debian package memtest86+) on pc64: /boot/memtest86+x64.bin
# loaded with -kernel and -append "console=ttyS0" must start its tests, i.e.
# print a test banner such as "[Address test, walking ones, no cache]" on
# the serial console within MEMTEST_SECONDS (default 120) of deterministic
# time. Exit 77 with a SKIP line when the package cannot be fetched.
#
#   scripts/memtest-test.sh [build/release]
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/release}
limit=${MEMTEST_SECONDS:-120}
out=build/guests
mkdir -p "$out/deb" "$out/pkg"
deb=$(ls "$out"/deb/memtest86+_*.deb 2>/dev/null | head -n1 || true)
if [[ -z $deb ]]; then
  if ! (cd "$out/deb" && apt-get download -q memtest86+ >/dev/null 2>&1); then
    echo "SKIP: memtest86+ cannot be fetched with apt-get download"
    exit 77
  fi
  deb=$(ls "$out"/deb/memtest86+_*.deb | head -n1)
fi
rm -rf "$out/pkg/memtest"
dpkg-deb -x "$deb" "$out/pkg/memtest"
bin=$out/pkg/memtest/boot/memtest86+x64.bin
[[ -s $bin ]] || { echo "memtest-test: $deb has no boot/memtest86+x64.bin"; exit 1; }
log=$out/memtest.log
timeout "$limit" "$dir/pc64" -m 256 -icount shift=0 -kernel "$bin" -append "console=ttyS0" \
  </dev/null >"$log" 2>&1 &
pid=$!
banner() { tr -d '\033' <"$log" | grep -aqE '\[(Address test|Moving inversions)'; }
while kill -0 "$pid" 2>/dev/null && ! banner; do sleep 1; done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if banner; then
  echo "PASS  memtest86+ ($(basename "$deb")) started its tests"
  exit 0
fi
echo "FAIL  memtest86+ printed no test banner in ${limit}s; log: $log"
tail -c 400 "$log" | tr -d '\033'
exit 1
