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

# Multiboot images, good and bad, written byte by byte (ELF32 header, program
# headers, then a multiboot header at 0x100 and code at 0x110 that writes
# "ok" to COM1 and 0x21 to isa-debug-exit; the good one exits with 0x43).
python3 - "$tmp" <<'PY'
import struct, sys
d = sys.argv[1]
code = bytes([0xb0, 0x6f, 0x66, 0xba, 0xf8, 0x03, 0xee, 0xb0, 0x6b, 0xee, 0xb0, 0x0a, 0xee,
              0xb0, 0x21, 0xe6, 0xf4, 0xf4])  # mov al,'o'; mov dx,0x3f8; out; ...; out 0xf4,al; hlt
def mb(flags=0):
    return struct.pack('<III', 0x1BADB002, flags, (-(0x1BADB002 + flags)) & 0xffffffff)
def elf(phdrs, cls=1, entry=0x100110, header=True, size=None, code=code):
    eh = b'\x7fELF' + bytes([cls, 1, 1]) + bytes(9)
    eh += struct.pack('<HHIIIIIHHHHHH', 2, 3, 1, entry, 52, 0, 0, 52, 32, len(phdrs), 40, 0, 0)
    img = bytearray(eh)
    for (off, paddr, filesz, memsz) in phdrs:
        img += struct.pack('<IIIIIIII', 1, off, paddr, paddr, filesz, memsz, 7, 0x1000)
    img += bytes(0x100 - len(img))
    img += (mb() if header else bytes(12)) + bytes(4) + code
    img += bytes(0x200 - len(img))
    return bytes(img[:size] if size else img)
def put(name, data):
    open(f'{d}/{name}', 'wb').write(data)
put('good.elf', elf([(0, 0x100000, 0x200, 0x200)]))
put('nomb.elf', elf([(0, 0x100000, 0x200, 0x200)], header=False))
put('elf64.elf', elf([(0, 0x100000, 0x200, 0x200)], cls=2))
put('outside.elf', elf([(0, 0x100000, 0x200, 0x200), (0, 0x7ff00000, 0x200, 0x200)]))
put('overlap.elf', elf([(0, 0x100000, 0x200, 0x200), (0, 0x100100, 0x100, 0x1000)]))
put('truncated.elf', elf([(0, 0x100000, 0x400, 0x400)]))
put('badentry.elf', elf([(0, 0x100000, 0x200, 0x200)], entry=0x300000))
put('text.bin', b'hello, world\n' * 10)
# echo.elf: polls COM1's LSR, echoes each byte until 'q', then exits with
# 0x21 (status 67). spin.elf loops forever (for the Ctrl-A escapes).
echo = bytes([0x66, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xfb, 0x66, 0xba, 0xf8, 0x03, 0xec,
              0xee, 0x3c, 0x71, 0x74, 0x02, 0xeb, 0xe5, 0xb0, 0x21, 0xe6, 0xf4, 0xf4])
put('echo.elf', elf([(0, 0x100000, 0x200, 0x200)], code=echo))
put('spin.elf', elf([(0, 0x100000, 0x200, 0x200)], code=bytes([0xeb, 0xfe])))
# a.out kludge: flat binary, header at file offset 0 loaded at 0x100000.
aout = struct.pack('<III', 0x1BADB002, 0x10000, (-(0x1BADB002 + 0x10000)) & 0xffffffff)
aout += struct.pack('<IIIII', 0x100000, 0x100000, 0, 0x101000, 0x100020)
aout += bytes(0x20 - len(aout)) + code
put('aout.bin', aout)
def aout_img(header_addr=0x100000, load_addr=0x100000, load_end=0, bss_end=0x100100,
             entry=0x100020, flags=0x10000):
    h = struct.pack('<III', 0x1BADB002, flags, (-(0x1BADB002 + flags)) & 0xffffffff)
    h += struct.pack('<IIIII', header_addr, load_addr, load_end, bss_end, entry)
    return h + bytes(0x20 - len(h)) + code
put('aout_loadend.bin', aout_img(load_end=0xff000))           # load_end_addr below load_addr
put('aout_hdraddr.bin', aout_img(header_addr=0xff000))        # header_addr below load_addr
put('aout_hdrfar.bin', aout_img(header_addr=0x100100))        # header would be past its file offset
put('aout_bss.bin', aout_img(load_end=0x100030, bss_end=0x100010))  # bss_end_addr below load_end_addr
put('aout_trunc.bin', aout_img(load_end=0x100080))           # load_end_addr past the file's end
put('aout_entry.bin', aout_img(entry=0x200000))               # entry outside the image
put('aout_ram.bin', aout_img(load_addr=0x7ff00000, header_addr=0x7ff00000, bss_end=0x7ff00100,
                             entry=0x7ff00020))                # outside a 512 MiB guest
put('aout_flags.bin', aout_img(flags=0x10008))                 # required feature bit 3: unknown
put('elf64nomb.elf', elf([(0, 0x100000, 0x200, 0x200)], cls=2, header=False))
put('mod.bin', b'module contents\n')
# A kernel whose bss ends 8 KiB below the top of a 16 MiB guest: the
# information page fits, a module of two pages after it does not.
put('big.elf', elf([(0, 0x100000, 0x200, 0xefe000)]))
# Linux bzImages (Documentation/arch/x86/boot.rst setup header): a 64-bit
# and a 32-bit "kernel" that read the command line's first byte through
# boot_params.cmd_line_ptr and write it to isa-debug-exit ('!' -> 67).
probe = bytes([0x8b, 0x86, 0x28, 0x02, 0, 0, 0x8a, 0x00, 0xe6, 0xf4, 0xf4])
def bz(k64=True, version=0x020f, kbytes=0x1000, size=None, init_size=0x400000):
    img = bytearray(5 * 512 + kbytes)
    img[0x1f1] = 4
    struct.pack_into('<I', img, 0x1f4, kbytes // 16)
    img[0x201] = 0x6a
    img[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', img, 0x206, version)
    img[0x211] = 1
    struct.pack_into('<IIBBHI', img, 0x22c, 0x7fffffff, 0x200000, 1, 0, 0x7f if k64 else 4, 2047)
    struct.pack_into('<QI', img, 0x258, 0x1000000, init_size)
    img[5 * 512:5 * 512 + len(probe)] = probe
    img[5 * 512 + 0x200:5 * 512 + 0x200 + len(probe)] = probe
    return bytes(img[:size] if size else img)
put('bz64.bin', bz())
put('bz32.bin', bz(k64=False))
put('bzold.bin', bz(version=0x020b))
put('bztrunc.bin', bz(size=5 * 512 + 0x800))
put('bzhuge.bin', bz(init_size=0x7ffff000))
PY
truncate -s 32M "$tmp/huge.bin"    # sparse: larger than a -m 16M guest
truncate -s 10M "$tmp/10m.bin"     # two of them exceed a -m 16M guest
cp "$tmp/good.elf" "$tmp/long.elf" && truncate -s 20M "$tmp/long.elf"  # a small kernel in a big file
head -c 8192 /dev/zero >"$tmp/two_pages.bin"
head -c 400K /dev/zero >"$tmp/400k.bin"  # two fit in a 2 MiB guest, three do not

# check_kernel WANT_STATUS WANT_STDOUT ARGS...: a guest run's exit status and serial output.
check_kernel() {
  local want_rc=$1 want_out=$2
  shift 2
  "$dir/pc64" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  if [[ $rc -eq $want_rc && "$(cat "$tmp/out")" == "$want_out" ]]; then
    pass=$((pass + 1))
    printf 'ok    %-44s rc=%s\n' "pc64 $*" "$rc"
  else
    fail=$((fail + 1))
    printf 'FAIL  %-44s rc=%s (want %s), stdout %q (want %q)\n' "pc64 $*" "$rc" "$want_rc" \
      "$(cat "$tmp/out")" "$want_out"
    sed 's/^/      | /' "$tmp/err" | head -5
  fi
}

# check_pty NAME KEYS WANT_STATUS WANT_TEXT ARGS...: runs pc64 on a pseudo-terminal,
# types KEYS (a Python bytes literal) after a moment, and checks the exit
# status and that WANT_TEXT appeared on the terminal.
check_pty() {
  local name=$1 keys=$2 want_rc=$3 want_text=$4
  shift 4
  if python3 - "$keys" "$want_rc" "$want_text" "$dir/pc64" "$@" <<'PY'
import ast, os, pty, select, sys, time, termios
keys, want_rc, want_text = ast.literal_eval(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[4], sys.argv[4:])
before = termios.tcgetattr(fd)
out = b''
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return
time.sleep(0.3)
raw = termios.tcgetattr(fd)
os.write(fd, keys)
pump(1.5)
deadline = time.time() + 5
while time.time() < deadline:
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        break
    pump(0.1)
else:
    os.kill(pid, 9)
    print('pc64 did not exit', out)
    sys.exit(1)
rc = os.waitstatus_to_exitcode(status)
echo_off = not (raw[3] & termios.ECHO)
ok = rc == want_rc and want_text.encode() in out and echo_off
if not ok:
    print(f'rc={rc} raw-mode={echo_off} output={out!r}')
sys.exit(0 if ok else 1)
PY
  then
    pass=$((pass + 1))
    printf 'ok    %-44s\n' "pty: $name"
  else
    fail=$((fail + 1))
    printf 'FAIL  %-44s\n' "pty: $name"
  fi
}

{
  check_kernel 67 ok -kernel "$tmp/good.elf"
  # COM1 input from stdin: a pipe (its end does not stop the guest) and a pty.
  printf 'hi q' | "$dir/pc64" -kernel "$tmp/echo.elf" >"$tmp/out" 2>"$tmp/err"
  if [[ $? -eq 67 && "$(cat "$tmp/out")" == "hi q" ]]; then
    pass=$((pass + 1)); printf 'ok    %-44s\n' "pc64 -kernel echo.elf <pipe"
  else
    fail=$((fail + 1)); printf 'FAIL  %-44s stdout %q\n' "pc64 -kernel echo.elf <pipe" "$(cat "$tmp/out")"
  fi
  check_pty "Ctrl-A x quits" "b'\\x01x'" 0 "" -kernel "$tmp/spin.elf"
  check_pty "Ctrl-A h, then Ctrl-A x" "b'\\x01h\\x01x'" 0 "C-a x    exit pc64" -kernel "$tmp/spin.elf"
  check_pty "typing reaches COM1; Ctrl-A a" "b'ab\\x01aq'" 67 "ab"$'\x01'"q" -kernel "$tmp/echo.elf"
  check_kernel 67 ok -kernel "$tmp/good.elf" -icount shift=0
  check_kernel 67 "" -kernel "$tmp/good.elf" -serial "file:$tmp/serial.txt"
  [[ "$(cat "$tmp/serial.txt")" == ok ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL  -serial file: content"; }
  check_kernel 67 ok -kernel "$tmp/good.elf" -d in_asm,int,ioport,cpu -D "$tmp/trace.txt"
  if grep -q 'out dx,al' "$tmp/trace.txt" && grep -q 'io out    0x3f8 size 1 value 0x6f' "$tmp/trace.txt" &&
     grep -q '^rax=' "$tmp/trace.txt"; then
    pass=$((pass + 1)); printf 'ok    %-44s\n' "-d in_asm,int,ioport,cpu trace contents"
  else
    fail=$((fail + 1)); printf 'FAIL  %-44s\n' "-d trace contents"; head -5 "$tmp/trace.txt"
  fi
  check usage pc64 -kernel "$tmp/good.elf" -d unimp
  check_kernel 67 ok -kernel "$tmp/good.elf" -icount shift=3
  check usage pc64 -kernel "$tmp/good.elf" -icount shift=11
  check_kernel 67 ok -kernel "$tmp/good.elf" -append "a b c" -m 16M -nographic
  check_kernel 67 ok -kernel "$tmp/aout.bin"
  check_kernel 67 "" -kernel "$tmp/good.elf" -serial null
  check usage pc64 -kernel "$tmp/nomb.elf"
  check usage pc64 -kernel "$tmp/elf64.elf"
  check usage pc64 -kernel "$tmp/outside.elf"
  check usage pc64 -kernel "$tmp/overlap.elf"
  check usage pc64 -kernel "$tmp/truncated.elf"
  check usage pc64 -kernel "$tmp/badentry.elf"
  check usage pc64 -kernel "$tmp/elf64nomb.elf"
  for f in aout_loadend aout_hdraddr aout_hdrfar aout_bss aout_trunc aout_entry aout_ram aout_flags; do
    check usage pc64 -kernel "$tmp/$f.bin"
  done
  check usage pc64 -kernel "$tmp/text.bin"
  check usage pc64 -m 1M -kernel "$tmp/good.elf"
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
  # Multiboot modules (-initrd "FILE ARGS,FILE2")
  check_kernel 67 ok -kernel "$tmp/good.elf" -initrd "$tmp/mod.bin"
  check_kernel 67 ok -kernel "$tmp/good.elf" -initrd "$tmp/mod.bin a=1 b,$tmp/mod.bin,$tmp/empty"
  check_kernel 67 ok -kernel "$tmp/aout.bin" -initrd "$tmp/mod.bin x,,y" -m 2M
  check usage pc64 -kernel "$tmp/good.elf" -initrd "$tmp/missing"
  check usage pc64 -kernel "$tmp/good.elf" -initrd "$tmp/mod.bin,$tmp/missing arg"
  check usage pc64 -kernel "$tmp/good.elf" -initrd "$tmp/dir"
  check usage pc64 -kernel "$tmp/good.elf" -initrd "$tmp/mod.bin,"
  check usage pc64 -kernel "$tmp/good.elf" -initrd ",$tmp/mod.bin"
  check usage pc64 -kernel "$tmp/good.elf" -initrd ""
  check usage pc64 -kernel "$tmp/good.elf" -initrd " $tmp/mod.bin"
  check usage pc64 -kernel "$tmp/good.elf" -initrd "$tmp/huge.bin" -m 16M
  check usage pc64 -kernel "$tmp/big.elf" -initrd "$tmp/two_pages.bin" -m 16M
  check usage pc64 -kernel "$tmp/good.elf" -initrd "$tmp/10m.bin,$tmp/10m.bin" -m 16M
  check usage pc64 -kernel "$tmp/good.elf" -initrd /dev/zero -m 16M  # endless: stops at the RAM size
  check_kernel 67 ok -kernel "$tmp/good.elf" -initrd /dev/null -m 16M
  check_kernel 67 ok -kernel "$tmp/big.elf" -initrd "$tmp/empty" -m 16M
  check_kernel 67 ok -kernel "$tmp/good.elf" -initrd "$tmp/400k.bin,$tmp/400k.bin" -m 2M
  check usage pc64 -kernel "$tmp/good.elf" -initrd "$tmp/400k.bin,$tmp/400k.bin,$tmp/400k.bin" -m 2M
  check usage pc64 -initrd "$tmp/mod.bin"
  check usage pc64 -m 16M -kernel "$tmp/huge.bin"  # larger than RAM, and no header
  # bzImages: the 64- and 32-bit entries, then bad kernels and initrds.
  check_kernel 67 "" -kernel "$tmp/bz64.bin" -append '!'
  check_kernel 67 "" -kernel "$tmp/bz32.bin" -append '!' -initrd "$tmp/mod.bin"
  check_kernel 67 "" -m 5G -kernel "$tmp/bz64.bin" -append '!'
  check usage pc64 -kernel "$tmp/bzold.bin"
  check usage pc64 -kernel "$tmp/bztrunc.bin"
  check usage pc64 -kernel "$tmp/bzhuge.bin"
  check usage pc64 -m 19M -kernel "$tmp/bz64.bin"  # 16 MiB + init_size does not fit
  check usage pc64 -m 24M -kernel "$tmp/bz64.bin" -initrd "$tmp/10m.bin"
  check usage pc64 -m 16M -kernel "$tmp/bz64.bin" -initrd "$tmp/huge.bin"
  check usage pc64 -kernel "$tmp/bz64.bin" -initrd "$tmp/missing"
  check usage pc64 -kernel "$tmp/bz64.bin" -initrd "$tmp/dir"
  check usage pc64 -kernel "$tmp/bz64.bin" -append "$(head -c 3000 /dev/zero | tr '\0' x)"
  check_kernel 67 ok -m 16M -kernel "$tmp/long.elf"  # only the segments must fit
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
  check usage "$prog" --mode 8  # pc64-difftest has 64|32|16, pc64-disasm-check 64|32
  [[ $prog == pc64-disasm-check ]] && check usage "$prog" --mode 16
  check usage "$prog" --cases
done
# The native runners are internal: run by hand they refuse with one line.
for prog in pc64-difftest-native64 pc64-difftest-native32; do
  [[ -x $dir/$prog ]] || continue
  check usage "$prog" --help
done

echo "cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
