# The README's commands. Everything else is CMake (CMakePresets.json) and scripts/.
.PHONY: all setup setup-web setup-bench build web serve bench fuzz soak format test test-native test-asan test-web test-fuzz test-format flake-check clean

# Debian's emscripten needs node modules from there (acorn); the NodeSource node does not look by default.
export NODE_PATH := /usr/share/nodejs

all: build

setup:
	@scripts/setup.sh core

setup-web:
	@scripts/setup.sh core web

setup-bench:
	@scripts/setup.sh core web bench

build: setup
	cmake --preset native >/dev/null
	cmake --build --preset native

# The page: SDL2 for WebAssembly (built once, cached), then the web preset into build/web/site.
web: setup-web
	@scripts/build-sdl2-wasm.sh
	cmake --preset web >/dev/null
	cmake --build --preset web

serve: web
	node scripts/serve.mjs

# Booksmart against PyTorch, numpy and TF.js in one run (bench/README.md); prints a table, writes
# bench/results/latest.json.
bench: setup-bench build web
	node bench/run.mjs

# libFuzzer harnesses (tests/fuzz/, built in the sanitizer build), each for FUZZ_SECONDS (default 600); the corpus
# grows in build/native-asan/tests/fuzz/.
FUZZ_SECONDS ?= 600
fuzz: setup
	cmake --preset native-asan -DBOOKSMART_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	cmake --build --preset native-asan
	ctest --preset fuzz -j2

# Ten minutes of random input on the page (tests/e2e/soak.test.mjs); make test runs 90 s of it.
SOAK_SECONDS ?= 600
SOAK_SEED ?= 1
soak: web
	node tests/e2e/soak.test.mjs build/web/site $(SOAK_SECONDS) $(SOAK_SEED)

# The C++ in the style of .clang-format, the JavaScript in Prettier's (.prettierrc.json) and through ESLint
# (eslint.config.mjs); make test fails on unformatted code or a lint finding.
format: setup
	scripts/format.sh

# Unit, app, CLI and PyTorch tests; the unit and app tests and a sample of the CLI's under ASan + UBSan + LSan
# (clang; the same build holds the fuzzers); the WebAssembly build's tests and the page in headless Chromium; each
# fuzzer for 30 s; the format check.
test: setup-web test-native test-asan test-web test-fuzz test-format

test-format: setup
	scripts/format.sh --check

test-native: build
	ctest --preset native

test-asan: setup
	cmake --preset native-asan >/dev/null
	cmake --build --preset native-asan
	ctest --preset native-asan

test-web: web
	ctest --preset web

test-fuzz: setup
	cmake --preset native-asan -DBOOKSMART_FUZZ_SECONDS=30 >/dev/null
	cmake --build --preset native-asan
	ctest --preset fuzz -j2

# The browser tests FLAKE_RUNS times in a row (default 5); stops at the first red run and says which.
FLAKE_RUNS ?= 5
flake-check: web
	@for i in $$(seq 1 $(FLAKE_RUNS)); do \
	  echo "flake-check: run $$i of $(FLAKE_RUNS)"; \
	  ctest --preset web -R 'Web\.E2E' || { echo "flake-check: run $$i of $(FLAKE_RUNS) failed"; exit 1; }; \
	done; echo "flake-check: $(FLAKE_RUNS) of $(FLAKE_RUNS) runs green"

clean:
	rm -rf build
