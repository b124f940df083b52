#!/usr/bin/env python3
"""Writes a gzip-compressed newc cpio initramfs with busybox and /init.

usage: mkcpio.py BUSYBOX INIT OUT.cpio.gz [DEST=SRC...]

Each DEST=SRC adds the file SRC as DEST (e.g. bin/pc64-check=build/x),
mode 0755, after the fixed entries and in the order given.

The format is the kernel's initramfs buffer format
(Documentation/driver-api/early-userspace/buffer-format.rst): "070701",
thirteen 8-digit hex fields, the NUL-terminated name padded to 4 bytes,
the data padded to 4 bytes, and a final "TRAILER!!!" entry. Every entry
is owned by root with mtime 0, so the archive is byte-identical for the
same inputs.
"""
import gzip
import sys


def entry(name, mode, data=b"", ino=1):
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = hdr + name_b
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: mkcpio.py BUSYBOX INIT OUT.cpio.gz [DEST=SRC...]")
    busybox, init, dest = sys.argv[1:4]
    extra = []
    for arg in sys.argv[4:]:
        name, sep, src = arg.partition("=")
        name = name.lstrip("/")
        if not sep or not name or not src:
            sys.exit("mkcpio.py: expected DEST=SRC, got %r" % arg)
        with open(src, "rb") as f:
            extra.append((name, f.read()))
    with open(busybox, "rb") as f:
        bb = f.read()
    with open(init, "rb") as f:
        init_data = f.read()
    parts = []
    ino = 1
    for d in ("bin", "dev", "proc", "sys", "tmp", "sbin", "usr", "usr/bin", "usr/sbin", "lib"):
        parts.append(entry(d, 0o040755, ino=ino))
        ino += 1
    parts.append(entry("dev/console", 0o020600, ino=ino))  # rdev set below
    # dev/console is char 5:1: patch rdevmajor/rdevminor (fields 11, 12).
    c = bytearray(parts[-1])
    c[6 + 8 * 9:6 + 8 * 11] = b"%08X%08X" % (5, 1)
    parts[-1] = bytes(c)
    ino += 1
    parts.append(entry("bin/busybox", 0o100755, bb, ino=ino))
    ino += 1
    parts.append(entry("bin/sh", 0o120777, b"busybox", ino=ino))
    ino += 1
    parts.append(entry("init", 0o100755, init_data, ino=ino))
    for name, data in extra:
        ino += 1
        parts.append(entry(name, 0o100755, data, ino=ino))
    parts.append(entry("TRAILER!!!", 0, ino=0))
    blob = b"".join(parts)
    blob += b"\0" * (-len(blob) % 512)
    with open(dest, "wb") as f:
        f.write(gzip.compress(blob, mtime=0))


if __name__ == "__main__":
    main()
