#!/usr/bin/env bash
# Boots Debian's own kernels (tools/guests/build-guests.sh) on pc64 and
# checks that each gets through the bzImage decompressor into the kernel
# proper: the 64-bit kernel through the 64-bit boot protocol entry, the
# 686 kernel through the 32-bit entry.
#
#   scripts/boot-test.sh build/release
#
# Debian's kernels are built without CONFIG_X86_VERBOSE_BOOTUP, so the
# decompressor prints no "Decompressing Linux... Parsing ELF... done." /
# "Booting the kernel." lines; the proof is the kernel proper's banner,
# "Linux version ...", which earlyprintk=serial shows once the kernel has
# been decompressed and started. `nokaslr` is needed until x87 lands: the
# decompressor's KASLR code probes the FPU with FNINIT (arch/x86/boot/
# cpuflags.c has_fpu()), which is #UD today.
#
# Exit status 77 with a SKIP line when the guest images cannot be built
# (no network to the Debian mirror, say). Not part of scripts/run-tests.sh
# (each boot takes minutes).
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/release}
limit=${BOOT_TEST_SECONDS:-900}
if [[ ! -x $dir/pc64 ]]; then
  echo "boot-test: no $dir/pc64" >&2
  exit 1
fi
mkdir -p build
if ! tools/guests/build-guests.sh >/dev/null 2>build/guests-build.log; then
  echo "SKIP boot-test: the guest images cannot be built ($(tail -n1 build/guests-build.log))"
  exit 77
fi
pass=0 fail=0
boot() {  # boot NAME KERNEL: waits for the banner, then stops pc64
  local name=$1 kernel=$2 log=build/guests/boot-$1.log
  local start=$SECONDS
  timeout "$limit" "$dir/pc64" -m 512 -kernel "$kernel" \
    -append "console=ttyS0 earlyprintk=serial,ttyS0,115200 nokaslr" </dev/null 2>&1 |
    tee "$log" | grep -m1 -q "Linux version"
  if grep -q "Linux version" "$log"; then
    pass=$((pass + 1))
    echo "ok    $name: $(grep -m1 -o 'Linux version [^ ]*' "$log") after $((SECONDS - start)) s"
  else
    fail=$((fail + 1))
    echo "FAIL  $name: no \"Linux version\" banner within $limit s; last lines:"
    tail -n 5 "$log" | sed 's/^/      | /'
  fi
}
boot amd64 build/guests/bzImage-amd64
boot 686 build/guests/bzImage-686
echo "boot: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
