#include "core/nn/matmul.h"

#include <cassert>

#include "core/nn/matmul_kernels.h"

namespace bs {

#if defined(__x86_64__) && !defined(__EMSCRIPTEN__)
// Defined in matmul_avx2.cpp and matmul_avx512.cpp, compiled with those instruction sets.
void matmul_forward_avx2(float*, float*, const float*, const float*, const float*, int, int, int);
void matmul_backward_weights_avx2(float*, const float*, const float*, int, int, int, bool);
void matmul_backward_input_avx2(float*, const float*, const float*, int, int, int);
void matmul_forward_avx512(float*, float*, const float*, const float*, const float*, int, int, int);
void matmul_backward_weights_avx512(float*, const float*, const float*, int, int, int, bool);
void matmul_backward_input_avx512(float*, const float*, const float*, int, int, int);
void matmul_forward_input_major_avx2(float*, float*, const float*, const float*, const float*, int, int, int);
void matmul_forward_input_major_avx512(float*, float*, const float*, const float*, const float*, int, int,
                                       int);
bool input_major_fits_avx2(int);
bool input_major_fits_avx512(int);
void unit_floats_avx2(float*, const uint8_t*, int);
void unit_floats_avx512(float*, const uint8_t*, int);
#define BOOKSMART_X86_KERNELS 1
#endif

namespace {

KernelIsa detect() {
#ifdef BOOKSMART_X86_KERNELS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return KernelIsa::kAvx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return KernelIsa::kAvx2;
#endif
  return KernelIsa::kPortable;
}

KernelIsa& current() {
  static KernelIsa isa = detect();
  return isa;
}

}  // namespace

const char* kernel_isa_name(KernelIsa isa) {
  switch (isa) {
    case KernelIsa::kPortable:
#if defined(__wasm_simd128__)
      return "wasm-simd128";
#else
      return "sse2";
#endif
    case KernelIsa::kAvx2:
      return "avx2-fma";
    case KernelIsa::kAvx512:
      return "avx512";
  }
  return "?";
}

KernelIsa best_kernel_isa() {
  return detect();
}
KernelIsa kernel_isa() {
  return current();
}

bool use_kernel_isa(KernelIsa isa) {
  if (int(isa) > int(detect())) return false;
  current() = isa;
  return true;
}

void matmul_forward(float* z, float* a, const float* w, const float* b, const float* x, int out, int in,
                    int batch) {
#ifdef BOOKSMART_X86_KERNELS
  if (current() == KernelIsa::kAvx512) return matmul_forward_avx512(z, a, w, b, x, out, in, batch);
  if (current() == KernelIsa::kAvx2) return matmul_forward_avx2(z, a, w, b, x, out, in, batch);
#endif
  forward_impl<simd::V128>(z, a, w, b, x, out, in, batch);
}

bool input_major_forward_fits(int out) {
#ifdef BOOKSMART_X86_KERNELS
  if (current() == KernelIsa::kAvx512) return input_major_fits_avx512(out);
  if (current() == KernelIsa::kAvx2) return input_major_fits_avx2(out);
#endif
  (void)out;
  return false;  // the portable kernels keep the page's order of summation
}

void matmul_forward_input_major(float* z, float* a, const float* wt, const float* b, const float* x, int out,
                                int in, int batch) {
#ifdef BOOKSMART_X86_KERNELS
  if (current() == KernelIsa::kAvx512)
    return matmul_forward_input_major_avx512(z, a, wt, b, x, out, in, batch);
  if (current() == KernelIsa::kAvx2) return matmul_forward_input_major_avx2(z, a, wt, b, x, out, in, batch);
#endif
  (void)z, (void)a, (void)wt, (void)b, (void)x, (void)out, (void)in, (void)batch;
  assert(!"matmul_forward_input_major without input_major_forward_fits");
}

void relu_gate(float* d, const float* z, int n) {
  using V = simd::V128;
  int i = 0;
  for (; i + 4 <= n; i += 4) V::store(d + i, V::gate(V::load(d + i), V::load(z + i)));
  for (; i < n; ++i) d[i] = z[i] > 0.0f ? d[i] : 0.0f;
}

void unit_floats(float* out, const uint8_t* in, int n) {
#ifdef BOOKSMART_X86_KERNELS
  if (current() == KernelIsa::kAvx512) return unit_floats_avx512(out, in, n);
  if (current() == KernelIsa::kAvx2) return unit_floats_avx2(out, in, n);
#endif
  unit_floats_impl<simd::V128>(out, in, n);
}

void matmul_backward_weights(float* dw, const float* dz, const float* x, int out, int in, int batch,
                             bool accumulate) {
#ifdef BOOKSMART_X86_KERNELS
  if (current() == KernelIsa::kAvx512)
    return matmul_backward_weights_avx512(dw, dz, x, out, in, batch, accumulate);
  if (current() == KernelIsa::kAvx2)
    return matmul_backward_weights_avx2(dw, dz, x, out, in, batch, accumulate);
#endif
  weights_impl<simd::V128>(dw, dz, x, out, in, batch, accumulate);
}

void matmul_backward_input(float* dx, const float* w, const float* dz, int out, int in, int batch) {
#ifdef BOOKSMART_X86_KERNELS
  if (current() == KernelIsa::kAvx512) return matmul_backward_input_avx512(dx, w, dz, out, in, batch);
  if (current() == KernelIsa::kAvx2) return matmul_backward_input_avx2(dx, w, dz, out, in, batch);
#endif
  input_impl<simd::V128>(InputProduct{dx, w, dz, out, out, in, batch}, Sums{});
}

}  // namespace bs
