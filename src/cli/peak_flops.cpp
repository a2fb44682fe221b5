#include "cli/peak_flops.h"

#include <immintrin.h>

#include <chrono>

namespace bs::cli {
namespace {

// 12 independent accumulators cover FMA latency (4 cycles) x 2 ports with room to spare. Each iteration does
// 12 vector FMAs = 12 * lanes * 2 flops. The result is returned so the work cannot be optimised away.
constexpr int kChains = 12;

__attribute__((target("avx2,fma"))) float avx2_kernel(long iters) {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_ps(float(i) * 1e-3f);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long n = 0; n < iters; ++n)
    for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  __m256 s = acc[0];
  for (int i = 1; i < kChains; ++i) s = _mm256_add_ps(s, acc[i]);
  return _mm256_cvtss_f32(s);
}

__attribute__((target("avx512f"))) float avx512_kernel(long iters) {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(float(i) * 1e-3f);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long n = 0; n < iters; ++n)
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 s = acc[0];
  for (int i = 1; i < kChains; ++i) s = _mm512_add_ps(s, acc[i]);
  alignas(64) float t[16];
  _mm512_store_ps(t, s);
  return t[0] + t[15];
}

float sse_kernel(long iters) {
  __m128 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm_set1_ps(float(i) * 1e-3f);
  const __m128 a = _mm_set1_ps(0.999999f), b = _mm_set1_ps(1e-7f);
  for (long n = 0; n < iters; ++n)
    for (int i = 0; i < kChains; ++i) acc[i] = _mm_add_ps(_mm_mul_ps(acc[i], a), b);
  __m128 s = acc[0];
  for (int i = 1; i < kChains; ++i) s = _mm_add_ps(s, acc[i]);
  return _mm_cvtss_f32(s);
}

volatile float g_sink;

// Doubles the iteration count until one run takes `seconds`; flops per iteration = kChains * lanes * 2.
double time_kernel(float (*kernel)(long), int lanes, double seconds) {
  long iters = 1 << 16;
  for (;;) {
    auto t0 = std::chrono::steady_clock::now();
    g_sink = kernel(iters);
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (dt >= seconds) return double(iters) * kChains * lanes * 2 / dt / 1e9;
    iters *= 2;
  }
}

}  // namespace

std::vector<Peak> measure_peaks(double seconds) {
  std::vector<Peak> out;
  __builtin_cpu_init();
  out.push_back({"SSE2 mul+add", time_kernel(sse_kernel, 4, seconds)});
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    out.push_back({"AVX2-FMA", time_kernel(avx2_kernel, 8, seconds)});
  if (__builtin_cpu_supports("avx512f"))
    out.push_back({"AVX-512-FMA", time_kernel(avx512_kernel, 16, seconds)});
  return out;
}

}  // namespace bs::cli
