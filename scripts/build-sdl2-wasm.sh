#!/usr/bin/env bash
# Builds SDL 2.26.5 for WebAssembly from the Debian source in third_party/SDL2 (Emscripten's own SDL port would
# download from GitHub, which Debian's emscripten cannot do). The result is cached under
# build/sdl2-wasm-<version>/install and reused until the version changes: the configure step alone runs emcc
# for every feature check and takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

SDL_VERSION=2.26.5
prefix=build/sdl2-wasm-$SDL_VERSION/install
stamp=$prefix/.booksmart-done

if [ -f "$stamp" ]; then exit 0; fi
[ -f third_party/SDL2/CMakeLists.txt ] || { echo "build-sdl2-wasm: third_party/SDL2 is missing (run scripts/fetch-sources.sh)" >&2; exit 1; }
grep -q "set(SDL_MICRO_VERSION 5)" third_party/SDL2/CMakeLists.txt || { echo "build-sdl2-wasm: third_party/SDL2 is not SDL $SDL_VERSION" >&2; exit 1; }

export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs acorn from there (NodeSource's node does not look)
work=build/sdl2-wasm-$SDL_VERSION/build
mkdir -p "$work"
echo "build-sdl2-wasm: configuring SDL $SDL_VERSION for WebAssembly (about two minutes, once)"
emcmake cmake -S third_party/SDL2 -B "$work" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DCMAKE_INSTALL_PREFIX="$PWD/$prefix" >"$work.log" 2>&1 \
  || { tail -30 "$work.log" >&2; exit 1; }
cmake --build "$work" -j"$(nproc)" >>"$work.log" 2>&1 || { tail -30 "$work.log" >&2; exit 1; }
cmake --install "$work" >>"$work.log" 2>&1 || { tail -30 "$work.log" >&2; exit 1; }
touch "$stamp"
echo "build-sdl2-wasm: installed in $prefix"
