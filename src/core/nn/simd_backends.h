// Vector backends for the matrix kernels (matmul_kernels.h). Each is a struct of static functions over one
// register type with kLanes floats. V128 is the portable one: WebAssembly SIMD128 in the page, SSE2 natively,
// with the same operation order in both. V256 (AVX2 + FMA) and V512 (AVX-512F) exist only in the translation
// units compiled for them (matmul_avx2.cpp, matmul_avx512.cpp), chosen at run time on CPUs that have them.
// There is deliberately no scalar backend: a WebAssembly build without -msimd128 fails here rather than run
// four times slower unnoticed.
#pragma once

#include <cstdint>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__wasm__)
#error "Booksmart's kernels need WebAssembly SIMD: compile with -msimd128"
#elif defined(__SSE2__)
#include <immintrin.h>
#else
#error "Booksmart's kernels need SSE2 (x86-64) or WebAssembly SIMD128"
#endif

namespace bs::simd {

struct V128 {
  static constexpr int kLanes = 4;
  // Register blocks of the kernels (matmul_kernels.h): rows x columns of z, rows x vectors of dw, vectors x
  // columns of dx. Smaller than the wide sets' 4 x 4: the browser maps SIMD128 onto 16 XMM registers, and 16
  // accumulators with their operands spill. Measured in Chromium at batch 64 (two runs each, kernels alone):
  // 784 -> 64 forward 178-196 us against 238-308 for 4 x 4, its weight gradient 213-227 against 251-333. A
  // block's size changes no output's order of summation, so results stay the same bit for bit.
  static constexpr int kForwardRows = 2, kForwardCols = 4, kWeightRows = 4, kWeightVectors = 2,
                       kInputVectors = 2, kInputCols = 4;
#if defined(__wasm_simd128__)
  using T = v128_t;
  static T zero() {
    return wasm_f32x4_splat(0.0f);
  }
  static T splat(float v) {
    return wasm_f32x4_splat(v);
  }
  static T load(const float* p) {
    return wasm_v128_load(p);
  }
  static void store(float* p, T v) {
    wasm_v128_store(p, v);
  }
  static T add(T a, T b) {
    return wasm_f32x4_add(a, b);
  }
  static T mul(T a, T b) {
    return wasm_f32x4_mul(a, b);
  }
  static T relu(T v) {  // v > 0 ? v : 0, lane by lane (NaN -> 0)
    return wasm_f32x4_pmax(wasm_f32x4_splat(0.0f), v);
  }
  static float lane(T v, int i) {
    alignas(16) float t[4];
    wasm_v128_store(t, v);
    return t[i];
  }
  static T gate(T d, T z) {
    return wasm_v128_and(d, wasm_f32x4_gt(z, zero()));
  }
  // 16 bytes -> four vectors of floats 0..255.
  static void bytes_to_floats(const uint8_t* p, T out[4]) {
    v128_t b = wasm_v128_load(p);
    v128_t lo = wasm_u16x8_extend_low_u8x16(b), hi = wasm_u16x8_extend_high_u8x16(b);
    out[0] = wasm_f32x4_convert_u32x4(wasm_u32x4_extend_low_u16x8(lo));
    out[1] = wasm_f32x4_convert_u32x4(wasm_u32x4_extend_high_u16x8(lo));
    out[2] = wasm_f32x4_convert_u32x4(wasm_u32x4_extend_low_u16x8(hi));
    out[3] = wasm_f32x4_convert_u32x4(wasm_u32x4_extend_high_u16x8(hi));
  }
#else
  using T = __m128;
  static T zero() {
    return _mm_setzero_ps();
  }
  static T splat(float v) {
    return _mm_set1_ps(v);
  }
  static T load(const float* p) {
    return _mm_loadu_ps(p);
  }
  static void store(float* p, T v) {
    _mm_storeu_ps(p, v);
  }
  static T add(T a, T b) {
    return _mm_add_ps(a, b);
  }
  static T mul(T a, T b) {
    return _mm_mul_ps(a, b);
  }
  static T relu(T v) {  // v > 0 ? v : 0, lane by lane (NaN -> 0)
    return _mm_max_ps(v, _mm_setzero_ps());
  }
  static float lane(T v, int i) {
    alignas(16) float t[4];
    _mm_store_ps(t, v);
    return t[i];
  }
  static T gate(T d, T z) {
    return _mm_and_ps(d, _mm_cmpgt_ps(z, zero()));
  }
  static void bytes_to_floats(const uint8_t* p, T out[4]) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), zero8 = _mm_setzero_si128();
    const __m128i lo = _mm_unpacklo_epi8(b, zero8), hi = _mm_unpackhi_epi8(b, zero8);
    out[0] = _mm_cvtepi32_ps(_mm_unpacklo_epi16(lo, zero8));
    out[1] = _mm_cvtepi32_ps(_mm_unpackhi_epi16(lo, zero8));
    out[2] = _mm_cvtepi32_ps(_mm_unpacklo_epi16(hi, zero8));
    out[3] = _mm_cvtepi32_ps(_mm_unpackhi_epi16(hi, zero8));
  }
#endif
  // acc + a * b as two roundings: SIMD128 has no fused multiply-add, and SSE2 matches it exactly.
  static T madd(T acc, T a, T b) {
    return add(acc, mul(a, b));
  }
  static float sum(T v) {
    return (lane(v, 0) + lane(v, 2)) + (lane(v, 1) + lane(v, 3));
  }
};

#if defined(__AVX2__) && defined(__FMA__)
struct V256 {
  static constexpr int kLanes = 8;
  static constexpr int kForwardRows = 4, kForwardCols = 4, kWeightRows = 4, kWeightVectors = 4,
                       kInputVectors = 4, kInputCols = 4;
  using T = __m256;
  static T zero() { return _mm256_setzero_ps(); }
  static T splat(float v) { return _mm256_set1_ps(v); }
  static T load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, T v) { _mm256_storeu_ps(p, v); }
  static T madd(T acc, T a, T b) { return _mm256_fmadd_ps(a, b, acc); }
  static T mul(T a, T b) { return _mm256_mul_ps(a, b); }
  static T relu(T v) { return _mm256_max_ps(v, _mm256_setzero_ps()); }  // v > 0 ? v : 0 (NaN -> 0)
  static void bytes_to_floats(const uint8_t* p, T out[2]) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    out[0] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b));
    out[1] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_unpackhi_epi64(b, b)));
  }
  static float sum(T v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
  }
  // dst row c = src column c of an 8 x 8 tile (rows `ss` floats apart in src, `ds` in dst): pairs of rows
  // interleaved, then pairs of pairs, then the 128-bit halves exchanged; 24 shuffles for 64 floats.
  static void transpose_tile(float* dst, int ds, const float* src, int ss) {
    T r[8], t[8], u[8];
    for (int i = 0; i < 8; ++i) r[i] = load(src + i * ss);
    for (int i = 0; i < 8; i += 2) {
      t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
      t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int q = 0; q < 8; q += 4) {  // u[q + c], half h: column 4h + c of rows q..q+3
      u[q] = _mm256_shuffle_ps(t[q], t[q + 2], 0x44);
      u[q + 1] = _mm256_shuffle_ps(t[q], t[q + 2], 0xEE);
      u[q + 2] = _mm256_shuffle_ps(t[q + 1], t[q + 3], 0x44);
      u[q + 3] = _mm256_shuffle_ps(t[q + 1], t[q + 3], 0xEE);
    }
    for (int c = 0; c < 4; ++c) {
      store(dst + c * ds, _mm256_permute2f128_ps(u[c], u[4 + c], 0x20));
      store(dst + (4 + c) * ds, _mm256_permute2f128_ps(u[c], u[4 + c], 0x31));
    }
  }
};
#endif

#if defined(__AVX512F__)
struct V512 {
  static constexpr int kLanes = 16;
  static constexpr int kForwardRows = 4, kForwardCols = 4, kWeightRows = 4, kWeightVectors = 4,
                       kInputVectors = 4, kInputCols = 4;
  using T = __m512;
  static T zero() { return _mm512_setzero_ps(); }
  static T splat(float v) { return _mm512_set1_ps(v); }
  static T load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static T madd(T acc, T a, T b) { return _mm512_fmadd_ps(a, b, acc); }
  static T mul(T a, T b) { return _mm512_mul_ps(a, b); }
  static T relu(T v) { return _mm512_max_ps(v, _mm512_setzero_ps()); }  // v > 0 ? v : 0 (NaN -> 0)
  static void bytes_to_floats(const uint8_t* p, T out[1]) {
    out[0] = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  }
  // The 16 horizontal sums of a[0..15] as one vector (lane i = sum of a[i]): a transpose-and-add tree, about
  // two instructions per sum instead of ten for sixteen separate reductions.
  static constexpr bool kHasSum16 = true;
  static T sum16(const T* a) {
    T r[4];
    for (int g = 0; g < 4; ++g) {  // within 128-bit blocks: block b of r[g] = partial sums of a[4g..4g+3]
      const T* v = a + 4 * g;
      T u0 = _mm512_add_ps(_mm512_unpacklo_ps(v[0], v[1]), _mm512_unpackhi_ps(v[0], v[1]));
      T u1 = _mm512_add_ps(_mm512_unpacklo_ps(v[2], v[3]), _mm512_unpackhi_ps(v[2], v[3]));
      r[g] = _mm512_add_ps(_mm512_shuffle_ps(u0, u1, _MM_SHUFFLE(1, 0, 1, 0)),
                           _mm512_shuffle_ps(u0, u1, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    // across blocks: fold blocks (0+2, 1+3), then gather group g's halves into block g.
    T q01 = _mm512_add_ps(_mm512_shuffle_f32x4(r[0], r[1], 0x44), _mm512_shuffle_f32x4(r[0], r[1], 0xEE));
    T q23 = _mm512_add_ps(_mm512_shuffle_f32x4(r[2], r[3], 0x44), _mm512_shuffle_f32x4(r[2], r[3], 0xEE));
    return _mm512_add_ps(_mm512_shuffle_f32x4(q01, q23, 0x88), _mm512_shuffle_f32x4(q01, q23, 0xDD));
  }
  // The epilogue of a 4 x 4 block of sum16's lanes (lane 4c + r is output r of column c): adds the four
  // biases, writes each column's four outputs to z + c * stride and, with `a`, their ReLU to a + c * stride.
  // Read back as scalars, a just-stored vector stalls each load on store forwarding; this keeps it in
  // registers.
  static void store_block4x4(float* z, float* a, int stride, T sums, const float* bias) {
    const T s = _mm512_add_ps(sums, _mm512_broadcast_f32x4(_mm_loadu_ps(bias)));
    const T r = _mm512_max_ps(s, _mm512_setzero_ps());
    for (int c = 0; c < 4; ++c) {
      const __mmask16 lanes = __mmask16(0xF << (4 * c));
      _mm512_mask_storeu_ps(z + c * stride - 4 * c, lanes, s);
      if (a) _mm512_mask_storeu_ps(a + c * stride - 4 * c, lanes, r);
    }
  }
  // dst row c = src column c of a 16 x 16 tile (rows `ss` floats apart in src, `ds` in dst), as four 8 x 8
  // tiles: 256-bit shuffles issue twice as fast as 512-bit ones on CPUs that split the wider registers.
  static void transpose_tile(float* dst, int ds, const float* src, int ss) {
    for (int r = 0; r < 16; r += 8)
      for (int c = 0; c < 16; c += 8) V256::transpose_tile(dst + c * ds + r, ds, src + r * ss + c, ss);
  }
  static float sum(T v) {
    // Through memory: GCC 12's _mm512_extractf64x4_pd trips -Wuninitialized inside its own header.
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    __m256 h = _mm256_add_ps(_mm256_load_ps(t), _mm256_load_ps(t + 8));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
  }
};
#endif

}  // namespace bs::simd
