// Four-lane float vectors for the hand-written matrix kernels (matmul.cpp). Two backends with one meaning:
// WebAssembly SIMD128 for the page, SSE2 natively, so the same kernel code runs (and is tested) in both.
// There is deliberately no scalar fallback: a WebAssembly build without -msimd128 must fail here rather than
// quietly run four times slower.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__wasm__)
#error "Booksmart's kernels need WebAssembly SIMD: compile with -msimd128"
#elif defined(__SSE2__)
#include <emmintrin.h>
#else
#error "Booksmart's kernels need SSE2 (x86-64) or WebAssembly SIMD128"
#endif

namespace bs::simd {

#if defined(__wasm_simd128__)
using f32x4 = v128_t;
inline f32x4 zero() { return wasm_f32x4_splat(0.0f); }
inline f32x4 splat(float v) { return wasm_f32x4_splat(v); }
inline f32x4 load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, f32x4 v) { wasm_v128_store(p, v); }
inline f32x4 add(f32x4 a, f32x4 b) { return wasm_f32x4_add(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return wasm_f32x4_mul(a, b); }
// [a0 b0 a1 b1], [a2 b2 a3 b3], [a0 a1 b0 b1], [a2 a3 b2 b3]
inline f32x4 unpacklo(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 0, 4, 1, 5); }
inline f32x4 unpackhi(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 2, 6, 3, 7); }
inline f32x4 movelh(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 0, 1, 4, 5); }
inline f32x4 movehl(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 2, 3, 6, 7); }
template <int L> inline f32x4 lane_splat(f32x4 v) { return wasm_i32x4_shuffle(v, v, L, L, L, L); }
#else
using f32x4 = __m128;
inline f32x4 zero() { return _mm_setzero_ps(); }
inline f32x4 splat(float v) { return _mm_set1_ps(v); }
inline f32x4 load(const float* p) { return _mm_loadu_ps(p); }
inline void store(float* p, f32x4 v) { _mm_storeu_ps(p, v); }
inline f32x4 add(f32x4 a, f32x4 b) { return _mm_add_ps(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return _mm_mul_ps(a, b); }
inline f32x4 unpacklo(f32x4 a, f32x4 b) { return _mm_unpacklo_ps(a, b); }
inline f32x4 unpackhi(f32x4 a, f32x4 b) { return _mm_unpackhi_ps(a, b); }
inline f32x4 movelh(f32x4 a, f32x4 b) { return _mm_movelh_ps(a, b); }
inline f32x4 movehl(f32x4 a, f32x4 b) { return _mm_movehl_ps(b, a); }
template <int L> inline f32x4 lane_splat(f32x4 v) { return _mm_shuffle_ps(v, v, _MM_SHUFFLE(L, L, L, L)); }
#endif

// acc + a * b. SIMD128 has no fused multiply-add, so this is two operations on both backends (and rounds the
// same way on both).
inline f32x4 madd(f32x4 acc, f32x4 a, f32x4 b) { return add(acc, mul(a, b)); }

// The four horizontal sums of a, b, c, d as one vector [sum a, sum b, sum c, sum d].
inline f32x4 sum4(f32x4 a, f32x4 b, f32x4 c, f32x4 d) {
  f32x4 ab_lo = unpacklo(a, b), ab_hi = unpackhi(a, b);  // a0 b0 a1 b1 | a2 b2 a3 b3
  f32x4 cd_lo = unpacklo(c, d), cd_hi = unpackhi(c, d);
  f32x4 ab = add(ab_lo, ab_hi);                           // a02 b02 a13 b13
  f32x4 cd = add(cd_lo, cd_hi);
  return add(movelh(ab, cd), movehl(ab, cd));             // a b c d
}

inline float sum(f32x4 v) {
  alignas(16) float t[4];
  store(t, v);
  return (t[0] + t[2]) + (t[1] + t[3]);
}

}  // namespace bs::simd
