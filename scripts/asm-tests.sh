#!/usr/bin/env bash
# Bare-metal test images (tests/asm/*.asm): builds each with nasm + ld,
# boots it with `pc64 -kernel`, and compares COM1 output plus the exit
# status with tests/asm/golden/NAME.txt. The golden files come from QEMU:
#
#   BLESS=1 scripts/asm-tests.sh [BUILD_DIR] [NAME...]
#
# regenerates them with qemu-system-x86_64 -accel tcg (Debian's
# qemu-system-x86). A test whose source has a line "; golden: SDM" has a
# hand-checked golden file (QEMU 7.2 TCG departs from the SDM there; the
# source says where and cites the section): BLESS leaves it alone.
# Two more source lines are read (tests/asm/README.md):
#   ; args: -append "a b" -initrd "$IMG x=1,tests/asm/data/f.bin"
#       extra options for both the QEMU and the pc64 run, split like shell
#       words; $IMG is the test's own image (the first is used);
#   ; format: bin
#       a flat binary (nasm -f bin, the source sets its ORG and a multiboot
#       header with the a.out address fields) instead of an ELF32 image.
# Prints PASS/FAIL/SKIP per test; the last line is
# "N passed, M failed". Exit status 1 if any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/release}
shift || true
src=tests/asm
out=$dir/asm-tests
mkdir -p "$out"
TIMEOUT=${PC64_ASM_TIMEOUT:-20}

# Tests that need CPU pieces not implemented yet: NAME -> reason. They are
# built and (with BLESS=1) blessed, but not run against pc64.
declare -A skip=(
)

names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for f in "$src"/*.asm; do names+=("$(basename "$f" .asm)"); done
fi

if [[ -z ${BLESS:-} && ! -x $dir/pc64 ]]; then
  echo "asm-tests: no $dir/pc64" >&2
  exit 1
fi

# run_qemu IMAGE [EXTRA...], run_pc64 IMAGE ERRFILE [EXTRA...]
run_qemu() {
  local img=$1
  shift
  timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 512 -kernel "$img" -display none \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot \
    "$@" </dev/null 2>/dev/null
}
run_pc64() {
  local img=$1 err=$2
  shift 2
  timeout "$TIMEOUT" "$dir/pc64" -m 512 -kernel "$img" -nographic ${PC64_ASM_CLOCK--icount shift=0} "$@" </dev/null 2>"$err"
}

# build NAME ASM IMG: nasm (+ ld for ELF); errors go to $out/NAME.build.
build() {
  local name=$1 asm=$2 img=$3
  if grep -q '^; format: bin' "$asm"; then
    nasm -f bin -I"$src/" -o "$img" "$asm" 2>"$out/$name.build"
    return
  fi
  nasm -f elf32 -I"$src/" -o "$out/$name.o" "$asm" 2>"$out/$name.build" &&
    ld -m elf_i386 -nostdlib -Ttext 0x100000 -z max-page-size=0x1000 --build-id=none -e start \
      -o "$img" "$out/$name.o" 2>>"$out/$name.build"
}

pass=0 fail=0 skipped=0
for name in "${names[@]}"; do
  asm=$src/$name.asm elf=$out/$name.elf golden=$src/golden/$name.txt
  if ! build "$name" "$asm" "$elf"; then
    echo "FAIL  $name (build)"; sed 's/^/      | /' "$out/$name.build" | head -5
    fail=$((fail + 1)); continue
  fi
  extra=() IMG=$elf
  args=$(sed -n 's/^; args: //p' "$asm" | head -1)
  if [[ -n $args ]] && ! eval "extra=($args)"; then
    echo "FAIL  $name (bad '; args:' line)"
    fail=$((fail + 1)); continue
  fi
  if [[ -n ${BLESS:-} ]] && grep -q '^; golden: SDM' "$asm"; then
    echo "KEEP  $name (hand-checked golden: QEMU departs from the SDM)"
    continue
  fi
  if [[ -n ${BLESS:-} ]]; then
    run_qemu "$elf" "${extra[@]}" >"$golden.tmp"
    echo "exit=$?" >>"$golden.tmp"
    mv "$golden.tmp" "$golden"
    echo "BLESS $name ($(tail -1 "$golden"))"
    continue
  fi
  if [[ -n ${skip[$name]:-} ]]; then
    echo "SKIP  $name: ${skip[$name]}"
    skipped=$((skipped + 1)); continue
  fi
  if [[ ! -f $golden ]]; then
    echo "FAIL  $name (no golden file $golden; run with BLESS=1)"
    fail=$((fail + 1)); continue
  fi
  run_pc64 "$elf" "$out/$name.err" "${extra[@]}" >"$out/$name.txt"
  echo "exit=$?" >>"$out/$name.txt"
  if cmp -s "$golden" "$out/$name.txt"; then
    echo "PASS  $name"
    pass=$((pass + 1))
  else
    echo "FAIL  $name"
    diff "$golden" "$out/$name.txt" | head -10 | sed 's/^/      | /'
    sed 's/^/      stderr: /' "$out/$name.err" | head -3
    fail=$((fail + 1))
  fi
done
[[ -n ${BLESS:-} ]] && exit 0
[[ $skipped -gt 0 ]] && echo "($skipped skipped, counted in neither number below)"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
