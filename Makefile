# pc64: short, stable commands. `make help` lists them.
#
# Every target that builds first runs scripts/install-deps.sh, which on a
# prepared machine only checks (no apt-get) and on a fresh Debian 12
# installs what is missing.

JOBS ?= $(shell nproc)
CMAKE ?= cmake
DEPS = scripts/install-deps.sh
SOAK_CASES ?= 10000000

.PHONY: all release debug wasm-check test soak bench demo guests boot-test guest-test deps node clean distclean help

all: release

## release     build everything with the release preset into build/release/
release: deps
	@[ -f build/release/build.ninja ] || $(CMAKE) --preset release
	$(CMAKE) --build --preset release -j $(JOBS)

## debug       the same with ASan + UBSan into build/debug/
debug: deps
	@[ -f build/debug/build.ninja ] || $(CMAKE) --preset debug
	$(CMAKE) --build --preset debug -j $(JOBS)

## wasm-check  link the core for wasm64 (build/wasm64/pc64_core_check.wasm)
wasm-check: deps
	@[ -f build/wasm64/build.ninja ] || $(CMAKE) --preset wasm64
	$(CMAKE) --build --preset wasm64 -j $(JOBS) --target pc64_core_check

## test        the whole CI suite (scripts/run-tests.sh); last line "N passed, M failed"
test: deps
	JOBS=$(JOBS) scripts/run-tests.sh

## soak        long differential runs: 10,000,000 FP/SIMD cases over modes 64/32/16 (>= 1,000 per row), then 1,000,000 per mode over all rows
soak: release
	SOAK_CASES=$(SOAK_CASES) scripts/soak.sh

## bench       interpreter MIPS (bench/interp); records it in docs/PERFORMANCE.md
bench: deps
	@[ -f build/release/build.ninja ] || $(CMAKE) --preset release
	$(CMAKE) --build --preset release -j $(JOBS) --target bench-interp
	scripts/bench.sh

## demo        build pc64 and boot Debian's 64-bit kernel to a shell on this terminal (Ctrl-A x quits)
demo: deps
	@[ -f build/release/build.ninja ] || $(CMAKE) --preset release
	$(CMAKE) --build --preset release -j $(JOBS) --target pc64
	tools/guests/build-guests.sh
	build/release/pc64 -m 512 -kernel build/guests/bzImage-amd64 \
	  -initrd build/guests/initrd-amd64.cpio.gz -append "console=ttyS0 quiet"

## guests      Debian kernels and busybox initramfs images into build/guests/ (cached)
guests:
	tools/guests/build-guests.sh

## boot-test   boot the Debian kernels on pc64 past the decompressor (minutes)
boot-test: release guests
	scripts/boot-test.sh build/release

## guest-test  boot both kernels to the shell, run the in-guest checks, power off
guest-test: release guests
	scripts/guest-test.sh build/release

## deps        install missing Debian packages and the local Node 24
deps:
	@$(DEPS)

## node        only the local Node 24 (tools/node, for the wasm64 run)
node:
	@scripts/node.sh

## clean       remove the preset build folders
clean:
	rm -rf build/release build/debug build/wasm64 build/test-logs build/soak-logs

## distclean   clean, and remove the local Node (tools/node/node_modules)
distclean: clean
	rm -rf tools/node/node_modules

help:
	@sed -n 's/^## /make /p' $(MAKEFILE_LIST)
