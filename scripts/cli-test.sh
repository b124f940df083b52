#!/usr/bin/env bash
# Command-line checks of pc64 and the other programs in a build folder:
# bad input must give exactly one line on stderr and a non-zero exit that is
# not a crash; --help, --version and --demo must work.
#   scripts/cli-test.sh build/release
set -uo pipefail
dir=${1:-build/release}
if [[ ! -x $dir/pc64 ]]; then
  echo "cli-test: no $dir/pc64" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/empty"
mkdir "$tmp/dir"
pass=0 fail=0

check() {  # check WANT PROGRAM ARGS...; WANT = ok | usage (non-zero, one stderr line)
  local want=$1 prog=$2
  shift 2
  "$dir/$prog" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$? lines
  lines=$(wc -l <"$tmp/err")
  local ok=0
  if [[ $want == ok ]]; then
    [[ $rc -eq 0 ]] && ok=1
  else
    [[ $rc -ne 0 && $rc -lt 128 && $lines -eq 1 ]] && ok=1
  fi
  if [[ $ok -eq 1 ]]; then
    pass=$((pass + 1))
    printf 'ok    %-44s rc=%-3s %s\n' "$prog $*" "$rc" "$(head -c 100 "$tmp/err")"
  else
    fail=$((fail + 1))
    printf 'FAIL  %-44s rc=%s, %s stderr lines (want %s)\n' "$prog $*" "$rc" "$lines" "$want"
    sed 's/^/      | /' "$tmp/err" | head -5
  fi
}

{
  check ok pc64 --help
  check ok pc64 --version
  check ok pc64 -d help
  check ok pc64 --demo
  check ok pc64 -m 64M -nographic -serial stdio --demo
  check usage pc64
  check usage pc64 --no-such-option
  check usage pc64 -kernel
  check usage pc64 -kernel "$tmp/missing"
  check usage pc64 -kernel "$tmp/dir"
  check usage pc64 -kernel "$tmp/empty"
  check usage pc64 -kernel "$tmp/empty" -initrd "$tmp/missing"
  check usage pc64 -bios "$tmp/missing"
  check usage pc64 -cdrom "$tmp/missing"
  check usage pc64 -drive "file=$tmp/missing"
  check usage pc64 -drive if=ide
  check usage pc64 -m 12Q --demo
  check usage pc64 -m 1K --demo
  check usage pc64 -m 99999999999999999999 --demo
  check usage pc64 -m 2M --demo
  check usage pc64 -m 8T --demo
  check usage pc64 -smp 0
  check usage pc64 -smp 4
  check usage pc64 -serial bogus
  check usage pc64 -d nonsense
  check usage pc64 -gdb nonsense
  check usage pc64 -s
  check usage pc64 -icount shift=x
  check usage pc64 -append "console=ttyS0"
  check usage pc64 --demo=yes
  check usage pc64 disk.img
}
# Every other program shares the error style for unknown options.
for prog in pc64-difftest pc64-disasm-check bench-interp; do
  [[ -x $dir/$prog ]] || continue
  check usage "$prog" --no-such-option
  check usage "$prog" --cases x
  check usage "$prog" stray-argument
done
for prog in pc64-difftest pc64-disasm-check; do
  [[ -x $dir/$prog ]] || continue
  check usage "$prog" --mode 16
  check usage "$prog" --cases
done
# The native runners are internal: run by hand they refuse with one line.
for prog in pc64-difftest-native64 pc64-difftest-native32; do
  [[ -x $dir/$prog ]] || continue
  check usage "$prog" --help
done

echo "cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
