# The README's commands. Everything else is CMake (CMakePresets.json) and scripts/.
.PHONY: all setup build test test-native test-asan serve clean

all: build

setup:
	@scripts/setup.sh core

build: setup
	cmake --preset native >/dev/null
	cmake --build --preset native

# Unit tests, CLI tests and the PyTorch cross-check, then the whole suite again under ASan + UBSan + LSan.
test: test-native test-asan

test-native: build
	ctest --preset native

test-asan: setup
	cmake --preset native-asan >/dev/null
	cmake --build --preset native-asan
	ctest --preset native-asan

serve:
	@echo "make serve: the web page is not built yet (see the README's status); use the CLI: build/native/src/cli/booksmart --help" >&2
	@exit 1

clean:
	rm -rf build
