// The matrix kernels for CPUs with AVX2 and FMA (this file is compiled with those instructions enabled; matmul.cpp
// calls into it only after checking the CPU has them).
#include "core/nn/matmul_kernels.h"

namespace bs {

void matmul_forward_avx2(float* z, float* a, const float* w, const float* b, const float* x, int out, int in,
                        int batch) {
  forward_impl<simd::V256>(z, a, w, b, x, out, in, batch);
}

void matmul_backward_weights_avx2(float* dw, const float* dz, const float* x, int out, int in, int batch,
                                  bool accumulate) {
  weights_impl<simd::V256>(dw, dz, x, out, in, batch, accumulate);
}

void matmul_backward_input_avx2(float* dx, const float* w, const float* dz, int out, int in, int batch) {
  input_impl<simd::V256>(dx, w, dz, out, in, batch);
}

void unit_floats_avx2(float* out, const uint8_t* in, int n) { unit_floats_impl<simd::V256>(out, in, n); }

}  // namespace bs
