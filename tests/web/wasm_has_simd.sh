#!/bin/sh
# Fails unless the page's .wasm uses SIMD128 arithmetic in quantity: a build that lost -msimd128 (or whose
# kernels stopped vectorising) would train several times slower without any other symptom.
#   wasm_has_simd.sh FILE.wasm
set -eu
wasm="$1"
[ -f "$wasm" ] || { echo "wasm_has_simd: $wasm is missing" >&2; exit 1; }
text=$(wasm-dis "$wasm")
mul=$(printf '%s\n' "$text" | grep -c 'f32x4.mul' || true)
add=$(printf '%s\n' "$text" | grep -c 'f32x4.add' || true)
echo "$wasm: f32x4.mul x$mul, f32x4.add x$add"
[ "$mul" -ge 20 ] && [ "$add" -ge 20 ] || { echo "wasm_has_simd: too few SIMD instructions in $wasm" >&2; exit 1; }
