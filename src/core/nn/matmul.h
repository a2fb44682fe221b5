// The three matrix products of a dense layer, as plain functions over flat arrays, vectorised four floats at
// a time (matmul_kernels.h, over the SIMD backends of simd_backends.h). These are what the page trains with:
// Eigen has no WebAssembly SIMD backend, so in the browser it would run these products one float at a time.
// matmul_reference.h holds the plain loops they are checked against.
//
// Layouts are the network's: weights w are (out, in) row-major, so row i is neuron i's weights; activations
// are (features, batch) column-major, so column j is sample j. No function allocates.
#pragma once

#include <cstdint>

namespace bs {

// Which instruction set the kernels use. Portable is SIMD128 in WebAssembly and SSE2 natively, with the same
// arithmetic in both (no fused multiply-add), so its results are the same on every x86-64 machine and close
// to the page's. AVX2 + FMA and AVX-512 are faster and round differently; the best one the CPU has is the
// default.
enum class KernelIsa { kPortable, kAvx2, kAvx512 };
const char* kernel_isa_name(KernelIsa isa);
KernelIsa best_kernel_isa();
KernelIsa kernel_isa();
bool use_kernel_isa(KernelIsa isa);  // false (and no change) if this CPU lacks it

// Forward: z = w x + b, and with `a` also a = max(z, 0) (bias and ReLU fused into the product's last step).
// z, a: (out, batch)   w: (out, in)   b: (out)   x: (in, batch)
// Each z(i, j) is a dot product of two contiguous runs (row i of w, column j of x); blocks of 4 rows x 4
// columns share their loads, and the 16 partial sums are reduced at the end with shuffles. With AVX2 or
// AVX-512, at batch >= 16, a layer whose neuron count is a multiple of the vector width is instead computed
// on transposed chunks of w (8,192 weights in a stack buffer: 128 inputs of a 64-neuron layer), as sums of
// x(k, j) times row k of w^T: no reductions, and the transpose costs a fraction of a shuffle per weight.
void matmul_forward(float* z, float* a, const float* w, const float* b, const float* x, int out, int in,
                    int batch);

// Forward from input-major weights: the same z and a as matmul_forward's transposed path, with wt (in, out)
// row-major (row k: every neuron's weight on input k) kept so by a training loop (trainer.h keeps layer 1 so
// with the wide instruction sets), which then pays no transpose per step. Any batch size. Only where
// input_major_forward_fits(out): a wide instruction set in use and `out` a multiple of its vector width; the
// portable kernels never do (they keep the page's order of summation).
bool input_major_forward_fits(int out);
// The batch from which matmul_forward takes the transposed path where it can (below it, a single image would
// pay for the whole transpose).
constexpr int kTransposedForwardMinBatch = 16;
void matmul_forward_input_major(float* z, float* a, const float* wt, const float* b, const float* x, int out,
                                int in, int batch);

// ReLU backward, in place: d[i] = z[i] > 0 ? d[i] : 0 (a branch-free mask; the gate is unpredictable).
void relu_gate(float* d, const float* z, int n);

// Bytes 0..255 to floats in [0, 1] (the network's input scale), 16 at a time.
void unit_floats(float* out, const uint8_t* in, int n);

// Backward, weights: dw = dz x^T, or dw += dz x^T with `accumulate` (sums over several chunks of a batch, as
// the dataset features do).   dw: (out, in)   dz: (out, batch)
// Row i of dw is a sum over the batch of dz(i, j) times column j of x: rank-1 updates along contiguous runs,
// 4 rows x 16 columns of dw kept in registers while the batch streams past.
void matmul_backward_weights(float* dw, const float* dz, const float* x, int out, int in, int batch,
                             bool accumulate = false);

// Backward, input: dx = w^T dz.   dx: (in, batch)
// Column j of dx is a sum over neurons i of dz(i, j) times row i of w; 16 rows x 4 columns of dx in
// registers.
void matmul_backward_input(float* dx, const float* w, const float* dz, int out, int in, int batch);

}  // namespace bs
