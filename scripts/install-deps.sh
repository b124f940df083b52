#!/usr/bin/env bash
# Installs what pc64's build and tests need on Debian 12, and nothing else.
#
#   scripts/install-deps.sh          # apt packages (only the missing ones) + Node 24 for the wasm checks
#   PC64_NO_NODE=1 scripts/install-deps.sh   # apt packages only
#
# A prepared machine costs one dpkg-query and no apt-get at all; `apt-get
# update` runs only when something must be installed. Runs as root (as CI
# does) or through sudo otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: cmake ninja g++ (+ multilib for the 32-bit differential tests and the
# static i386 pc64-check of tools/guests/checks), GoogleTest.
# Tests: binutils (objdump for the disassembler check; ld for tests/asm), nasm,
# python3, qemu-system-x86 (golden output of tests/asm, BLESS=1 scripts/asm-tests.sh),
# acpica-tools (iasl: pc64-unit disassembles the ACPI tables, Acpi.IaslDisassembles*).
# wasm64: clang/lld/llvm 22 and the wasm64 compiler-rt builtins.
packages=(
  make cmake ninja-build g++ gcc-multilib g++-multilib libgtest-dev
  binutils nasm python3 qemu-system-x86 acpica-tools
  clang-22 lld-22 llvm-22 libclang-rt-22-dev-wasm64
  ca-certificates
)
# npm fetches Node 24 (system Node 18/20 cannot run table64 modules). Any npm
# will do, so only ask Debian for one if there is none on the PATH.
if [[ -z "${PC64_NO_NODE:-}" ]] && ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: no dpkg-query: not a Debian system; install by hand: ${packages[*]}" >&2
  exit 1
fi

missing=()
while read -r pkg status; do
  [[ "$status" == ii* ]] || missing+=("$pkg")
done < <(for p in "${packages[@]}"; do
           printf '%s %s\n' "$p" "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || echo none)"
         done)

if ((${#missing[@]})); then
  echo "install-deps: installing: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: not root and no sudo; as root run: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [[ -z "${PC64_NO_NODE:-}" ]]; then
  # Not fatal: without Node 24 only the wasm64 run is skipped (with a notice).
  scripts/node.sh >/dev/null || echo "install-deps: warning: Node 24 unavailable; the wasm64 run will be skipped" >&2
fi
