#!/usr/bin/env bash
# Builds the Linux guest images pc64 boots, from Debian packages only:
#
#   build/guests/bzImage-amd64        linux-image-amd64's kernel (64-bit entry)
#   build/guests/bzImage-686          linux-image-686:i386's kernel (32-bit entry)
#   build/guests/initrd-amd64.cpio.gz busybox-static (amd64) + /init + /bin/pc64-check
#   build/guests/initrd-686.cpio.gz   busybox-static (i386) + /init + /bin/pc64-check
#   build/guests/pc64-check-amd64     tools/guests/checks/*.c, gcc -static
#   build/guests/pc64-check-686       the same, gcc -m32 -march=i686 -static
#
#   tools/guests/build-guests.sh          # build what is missing (cached)
#   tools/guests/build-guests.sh --force  # rebuild everything
#
# The kernel package names come from the metapackages' dependencies
# (`apt-cache depends linux-image-amd64`), so the newest packaged kernel is
# used; `apt-get download` fetches the .deb without installing it, and
# `dpkg-deb -x` unpacks it under build/guests/pkg/. The initramfs is a newc
# cpio archive (Documentation/driver-api/early-userspace/buffer-format.rst)
# written by tools/guests/mkcpio.py, so no cpio package is needed.
#
# /init mounts proc, sys and devtmpfs, prints PC64-SHELL-READY on the
# console, then runs the kernel command line's pc64.cmd="..." (if any) and
# powers off, or else runs a shell on ttyS0.
#
# pc64-check (docs/PLATFORM.md, "In-guest checks") is rebuilt when the
# sha256 of its sources, the compiler flags and `gcc --version` changes
# (build/guests/pc64-check-TAG.sha256), and then the initramfs with it.
#
# Exit status 0 when all four images are there; 1 (with one line saying
# why) when a step fails, e.g. no network to the Debian mirror.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/guests
force=0
[[ "${1:-}" == "--force" ]] && force=1
mkdir -p "$out/pkg" "$out/deb"

die() { echo "build-guests: $*" >&2; exit 1; }

want=()
for f in bzImage-amd64 bzImage-686 initrd-amd64.cpio.gz initrd-686.cpio.gz; do
  [[ $force == 1 || ! -s "$out/$f" ]] && want+=("$f")
done

# The in-guest checks: static, so they need nothing from the initramfs.
command -v gcc >/dev/null || die "no gcc (for pc64-check; scripts/install-deps.sh)"
build_check() {  # arch tag, gcc flags...
  local tag=$1 bin="$out/pc64-check-$1" sum
  shift
  sum=$( { cat tools/guests/checks/*.c tools/guests/checks/*.h; echo "$*"; gcc --version; } |
        sha256sum | cut -d' ' -f1)
  if [[ $force == 1 || ! -x "$bin" || "$(cat "$bin.sha256" 2>/dev/null)" != "$sum" ]]; then
    gcc "$@" -Wall -o "$bin.tmp" tools/guests/checks/*.c 2>"$out/pc64-check-$tag.log" ||
      die "gcc $* for pc64-check failed (gcc-multilib for -m32?): $(head -n1 "$out/pc64-check-$tag.log")"
    mv "$bin.tmp" "$bin"
    echo "$sum" >"$bin.sha256"
    echo "build-guests: built $bin"
  fi
  # A newer check binary or /init means a new initramfs.
  local rd="$out/initrd-$tag.cpio.gz"
  if [[ -s "$rd" && ( "$bin" -nt "$rd" || tools/guests/init.sh -nt "$rd" ) ]] &&
     [[ " ${want[*]} " != *" initrd-$tag.cpio.gz "* ]]; then
    want+=("initrd-$tag.cpio.gz")
  fi
}
build_check amd64 -static -O2 -pthread
build_check 686 -m32 -static -O2 -pthread -march=i686
if ((${#want[@]} == 0)); then
  echo "build-guests: up to date ($out)"
  exit 0
fi
command -v apt-get >/dev/null || die "no apt-get: needs Debian"
command -v python3 >/dev/null || die "no python3 (for the cpio packer)"

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx i386; then
  "${sudo[@]}" dpkg --add-architecture i386
  "${sudo[@]}" apt-get update -qq || die "apt-get update failed"
fi
# Package lists that do not know the metapackages yet (a fresh machine, or
# i386 added by hand) need one update.
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1 ||
   ! apt-cache show linux-image-686:i386 >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -qq || die "apt-get update failed"
fi

# The kernel package a metapackage depends on: linux-image-6.1.0-NN-amd64.
kernel_pkg() {
  apt-cache depends "$1" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n1
}

# Downloads package $1 (cached in $out/deb) and unpacks it into $out/pkg/$2.
fetch() {
  local pkg=$1 dir=$2 deb
  deb=$(ls "$out/deb/${pkg%%:*}"_*"${3:-}".deb 2>/dev/null | head -n1 || true)
  if [[ -z "$deb" ]]; then
    (cd "$out/deb" && apt-get download -q "$pkg" >/dev/null) || die "apt-get download $pkg failed"
    deb=$(ls "$out/deb/${pkg%%:*}"_*"${3:-}".deb | head -n1)
  fi
  rm -rf "${out:?}/pkg/$dir"
  mkdir -p "$out/pkg/$dir"
  dpkg-deb -x "$deb" "$out/pkg/$dir"
}

build_kernel() {  # meta, arch tag, deb arch
  local meta=$1 tag=$2 arch=$3 pkg
  pkg=$(kernel_pkg "$meta")
  [[ -n "$pkg" ]] || die "cannot resolve the kernel package of $meta (apt-cache depends)"
  echo "build-guests: $meta -> $pkg"
  fetch "$pkg" "kernel-$tag" "_$arch"
  local vmlinuz
  vmlinuz=$(ls "$out/pkg/kernel-$tag"/boot/vmlinuz-* | head -n1)
  [[ -s "$vmlinuz" ]] || die "$pkg has no /boot/vmlinuz-*"
  cp "$vmlinuz" "$out/bzImage-$tag"
  basename "$vmlinuz" >"$out/bzImage-$tag.version"
}

build_initrd() {  # busybox package, arch tag, deb arch
  local pkg=$1 tag=$2 arch=$3
  fetch "$pkg" "busybox-$tag" "_$arch"
  local bb="$out/pkg/busybox-$tag/bin/busybox"
  [[ -x "$bb" ]] || die "$pkg has no /bin/busybox"
  # The ACPI button driver is a module in Debian's kernels; /init loads it
  # so that the power button shows up (dmesg "ACPI: button: Power Button").
  local extra=("bin/pc64-check=$out/pc64-check-$tag") mod
  mod=$(ls "$out/pkg/kernel-$tag"/lib/modules/*/kernel/drivers/acpi/button.ko 2>/dev/null | head -n1 || true)
  [[ -n "$mod" ]] && extra+=("lib/button.ko=$mod")
  python3 tools/guests/mkcpio.py "$bb" tools/guests/init.sh "$out/initrd-$tag.cpio.gz" "${extra[@]}"
}

for f in "${want[@]}"; do
  case $f in
    bzImage-amd64) build_kernel linux-image-amd64 amd64 amd64 ;;
    bzImage-686) build_kernel linux-image-686:i386 686 i386 ;;
    initrd-amd64.cpio.gz) build_initrd busybox-static amd64 amd64 ;;
    initrd-686.cpio.gz) build_initrd busybox-static:i386 686 i386 ;;
  esac
done
ls -l "$out"/bzImage-* "$out"/initrd-*.cpio.gz "$out"/pc64-check-{amd64,686}
