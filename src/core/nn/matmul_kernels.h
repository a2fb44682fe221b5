// The bodies of the three matrix kernels (matmul.h), written once over a vector backend V (simd_backends.h)
// and instantiated per instruction set in its own translation unit. Internal linkage on purpose: each unit is
// compiled with different target flags, and the copies must never be merged by the linker.
#pragma once

#include <type_traits>

#include "core/nn/matmul.h"
#include "core/nn/simd_backends.h"

namespace bs {
namespace {

// ---- forward: z(i, j) = dot(row i of w, column j of x) + b(i), and a = max(z, 0)
// ---------------------------

template <class V, class = void>
struct HasSum16 : std::false_type {};
template <class V>
struct HasSum16<V, std::void_t<decltype(V::kHasSum16)>> : std::true_type {};

// R rows x C columns of z: their loads are shared, their R*C partial sums reduced at the end.
template <class V, int R, int C>
void forward_block(float* z, float* a, const float* w, const float* b, const float* x, int out, int in,
                   int i0, int j0) {
  constexpr int L = V::kLanes;
  typename V::T acc[R][C];
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) acc[r][c] = V::zero();
  const int kv = in / L * L;
  for (int k = 0; k < kv; k += L) {
    typename V::T wv[R], xv[C];
    for (int r = 0; r < R; ++r) wv[r] = V::load(w + (i0 + r) * in + k);
    for (int c = 0; c < C; ++c) xv[c] = V::load(x + (j0 + c) * in + k);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) acc[r][c] = V::madd(acc[r][c], wv[r], xv[c]);
  }
  if constexpr (HasSum16<V>::value && R == 4 && C == 4) {
    if (kv == in) {  // one reduction tree for all 16; lane 4c + r is z(i0 + r, j0 + c)
      typename V::T t[16];
      for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) t[4 * c + r] = acc[r][c];
      V::store_block4x4(z + j0 * out + i0, a ? a + j0 * out + i0 : nullptr, out, V::sum16(t), b + i0);
      return;
    }
  }
  for (int c = 0; c < C; ++c)
    for (int r = 0; r < R; ++r) {
      float s = V::sum(acc[r][c]);
      for (int k = kv; k < in; ++k) s += w[(i0 + r) * in + k] * x[(j0 + c) * in + k];
      s += b[i0 + r];
      z[(j0 + c) * out + i0 + r] = s;
      if (a) a[(j0 + c) * out + i0 + r] = s > 0.0f ? s : 0.0f;
    }
}

template <class V, int R>
void forward_rows(float* z, float* a, const float* w, const float* b, const float* x, int out, int in,
                  int batch, int i0) {
  int j = 0;
  for (; j + V::kForwardCols <= batch; j += V::kForwardCols)
    forward_block<V, R, V::kForwardCols>(z, a, w, b, x, out, in, i0, j);
  for (; j < batch; ++j) forward_block<V, R, 1>(z, a, w, b, x, out, in, i0, j);
}

// How a block of the input kernel's sums starts and what it stores besides them. The backward pass starts
// from zero. The transposed forward (below) starts from the bias in its first chunk of inputs and from the
// partial sums already in its output after that, and with its last chunk stores the ReLU too.
struct Sums {
  const float* bias = nullptr;  // start from bias[k] instead of zero
  bool resume = false;          // start from what the output holds
  float* relu = nullptr;        // also store max(sum, 0) here
};

// The input kernel's operands: dx (in, batch) = sums over `terms` rows i of dz(i, j) times row i of w. Row i
// of w is at w + i * in; column j of dz at dz + j * dz_stride (the backward pass's dz has stride `terms`; a
// chunk of the forward's x keeps the layer's full input stride).
struct InputProduct {
  float* dx;
  const float* w;
  const float* dz;
  int dz_stride, terms, in, batch;
};

template <class V>
void input_impl(const InputProduct& p, const Sums& sums);

// With few inputs per neuron, each dot product of forward_block is a short run of multiply-adds followed by a
// reduction, and with many, each 4 x 4 block still pays its reductions and its set-up: the 784 -> 64 layer
// ran at 75 GFLOP/s against 97 for the same product without reductions (AVX-512, batch 64). So the wide
// instruction sets compute z = (w^T)^T x with the input kernel instead, on transposed chunks of w in a 32 kB
// stack buffer (128 inputs of 64 neurons; 64-input chunks measured 10 % slower, from the partial sums'
// reloads and each block's set-up). Tiles are transposed in registers (V::transpose_tile): a fraction of a
// shuffle per weight, about 4 us for the 784 -> 64 layer against its 70. Only for the wide instruction sets,
// and only from 16 columns on: it sums in another order, the portable kernels must keep the page's rounding,
// and a single image would pay for the whole transpose.
constexpr int kChunkFloats = 128 * 64;

template <class V>
void transpose_chunk(float* wt, const float* w, int out, int in, int k0, int kc) {
  constexpr int L = V::kLanes;
  const int kv = kc / L * L;
  for (int i = 0; i < out; i += L) {
    for (int k = 0; k < kv; k += L) V::transpose_tile(wt + k * out + i, out, w + i * in + k0 + k, in);
    for (int r = 0; r < L; ++r)
      for (int k = kv; k < kc; ++k) wt[k * out + i + r] = w[(i + r) * in + k0 + k];
  }
}

// Whether V computes a layer of `out` neurons on transposed weights (the wide instruction sets only).
template <class V>
constexpr bool transposed_forward_fits(int out) {
  return V::kLanes >= 8 && out % V::kLanes == 0 && out * V::kLanes <= kChunkFloats;
}

// The inputs per transposed chunk: 128 for a 64-neuron layer. The input-major forward (below) keeps the same
// chunks, so that it sums in the same order as the transposed one.
template <class V>
constexpr int chunk_inputs(int out) {
  return kChunkFloats / out / V::kLanes * V::kLanes;
}

// Chunk [k0, k0 + kc) of the inputs: wt holds row k0 + k of w^T at wt + k * out.
template <class V>
void forward_chunk(float* z, float* a, const float* wt, const float* b, const float* x, int out, int in,
                   int batch, int k0, int kc) {
  Sums sums;
  sums.bias = k0 == 0 ? b : nullptr;
  sums.resume = k0 > 0;
  sums.relu = k0 + kc == in ? a : nullptr;
  input_impl<V>(InputProduct{z, wt, x + k0, in, kc, out, batch}, sums);
}

template <class V>
bool forward_transposed(float* z, float* a, const float* w, const float* b, const float* x, int out, int in,
                        int batch) {
  if constexpr (V::kLanes < 8) {
    return false;
  } else {
    if (!transposed_forward_fits<V>(out) || batch < kTransposedForwardMinBatch) return false;
    alignas(64) float wt[kChunkFloats];  // (kc, out): row k holds every neuron's weight on input k0 + k
    const int chunk = chunk_inputs<V>(out);
    for (int k0 = 0; k0 < in; k0 += chunk) {
      const int kc = in - k0 < chunk ? in - k0 : chunk;
      transpose_chunk<V>(wt, w, out, in, k0, kc);
      forward_chunk<V>(z, a, wt, b, x, out, in, batch, k0, kc);
    }
    return true;
  }
}

// The same sums from weights kept input-major (wt: (in, out), as a training loop may keep layer 1): no
// transpose. For any batch size; only where transposed_forward_fits.
template <class V>
void forward_input_major(float* z, float* a, const float* wt, const float* b, const float* x, int out, int in,
                         int batch) {
  const int chunk = chunk_inputs<V>(out);
  for (int k0 = 0; k0 < in; k0 += chunk) {
    const int kc = in - k0 < chunk ? in - k0 : chunk;
    forward_chunk<V>(z, a, wt + k0 * out, b, x, out, in, batch, k0, kc);
  }
}

template <class V>
void forward_impl(float* z, float* a, const float* w, const float* b, const float* x, int out, int in,
                  int batch) {
  if (forward_transposed<V>(z, a, w, b, x, out, in, batch)) return;
  int i = 0;
  for (; i + V::kForwardRows <= out; i += V::kForwardRows)
    forward_rows<V, V::kForwardRows>(z, a, w, b, x, out, in, batch, i);
  switch (out - i) {
    case 3:
      forward_rows<V, 3>(z, a, w, b, x, out, in, batch, i);
      break;
    case 2:
      forward_rows<V, 2>(z, a, w, b, x, out, in, batch, i);
      break;
    case 1:
      forward_rows<V, 1>(z, a, w, b, x, out, in, batch, i);
      break;
    default:
      break;
  }
}

// ---- backward for the weights: rows of dw as sums of dz(i, j) x column j ---------------------------------

// R rows x (N vectors) of dw in registers while the batch streams past.
template <class V, int R, int N>
void weights_block(float* dw, const float* dz, const float* x, int out, int in, int batch, int i0, int k0,
                   bool acc0) {
  constexpr int L = V::kLanes;
  typename V::T acc[R][N];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < N; ++v) acc[r][v] = acc0 ? V::load(dw + (i0 + r) * in + k0 + L * v) : V::zero();
  for (int j = 0; j < batch; ++j) {
    typename V::T xv[N];
    for (int v = 0; v < N; ++v) xv[v] = V::load(x + j * in + k0 + L * v);
    for (int r = 0; r < R; ++r) {
      typename V::T d = V::splat(dz[j * out + i0 + r]);
      for (int v = 0; v < N; ++v) acc[r][v] = V::madd(acc[r][v], d, xv[v]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < N; ++v) V::store(dw + (i0 + r) * in + k0 + L * v, acc[r][v]);
}

template <class V, int R>
void weights_rows(float* dw, const float* dz, const float* x, int out, int in, int batch, int i0, bool acc0) {
  constexpr int L = V::kLanes;
  int k = 0;
  for (; k + V::kWeightVectors * L <= in; k += V::kWeightVectors * L)
    weights_block<V, R, V::kWeightVectors>(dw, dz, x, out, in, batch, i0, k, acc0);
  for (; k + L <= in; k += L) weights_block<V, R, 1>(dw, dz, x, out, in, batch, i0, k, acc0);
  for (; k < in; ++k)
    for (int r = 0; r < R; ++r) {
      float s = acc0 ? dw[(i0 + r) * in + k] : 0.0f;
      for (int j = 0; j < batch; ++j) s += dz[j * out + i0 + r] * x[j * in + k];
      dw[(i0 + r) * in + k] = s;
    }
}

template <class V>
void weights_impl(float* dw, const float* dz, const float* x, int out, int in, int batch, bool accumulate) {
  int i = 0;
  for (; i + V::kWeightRows <= out; i += V::kWeightRows)
    weights_rows<V, V::kWeightRows>(dw, dz, x, out, in, batch, i, accumulate);
  for (; i < out; ++i) weights_rows<V, 1>(dw, dz, x, out, in, batch, i, accumulate);
}

// ---- backward for the input: columns of dx as sums of dz(i, j) x row i of w ------------------------------

template <class V, int N, int C>
void input_block(const InputProduct& p, int k0, int j0, const Sums& sums) {
  constexpr int L = V::kLanes;
  typename V::T acc[N][C];
  for (int v = 0; v < N; ++v)
    for (int c = 0; c < C; ++c)
      acc[v][c] = sums.resume ? V::load(p.dx + (j0 + c) * p.in + k0 + L * v)
                  : sums.bias ? V::load(sums.bias + k0 + L * v)
                              : V::zero();
  for (int i = 0; i < p.terms; ++i) {
    typename V::T wv[N];
    for (int v = 0; v < N; ++v) wv[v] = V::load(p.w + i * p.in + k0 + L * v);
    for (int c = 0; c < C; ++c) {
      typename V::T d = V::splat(p.dz[(j0 + c) * p.dz_stride + i]);
      for (int v = 0; v < N; ++v) acc[v][c] = V::madd(acc[v][c], d, wv[v]);
    }
  }
  for (int v = 0; v < N; ++v)
    for (int c = 0; c < C; ++c) {
      V::store(p.dx + (j0 + c) * p.in + k0 + L * v, acc[v][c]);
      if (sums.relu) V::store(sums.relu + (j0 + c) * p.in + k0 + L * v, V::relu(acc[v][c]));
    }
}

template <class V, int C>
void input_cols(const InputProduct& p, int j0, const Sums& sums) {
  constexpr int L = V::kLanes;
  int k = 0;
  for (; k + V::kInputVectors * L <= p.in; k += V::kInputVectors * L)
    input_block<V, V::kInputVectors, C>(p, k, j0, sums);
  for (; k + L <= p.in; k += L) input_block<V, 1, C>(p, k, j0, sums);
  for (; k < p.in; ++k)
    for (int c = 0; c < C; ++c) {
      float* out = p.dx + (j0 + c) * p.in + k;
      float s = sums.resume ? *out : sums.bias ? sums.bias[k] : 0.0f;
      for (int i = 0; i < p.terms; ++i) s += p.w[i * p.in + k] * p.dz[(j0 + c) * p.dz_stride + i];
      *out = s;
      if (sums.relu) sums.relu[(j0 + c) * p.in + k] = s > 0.0f ? s : 0.0f;
    }
}

template <class V>
void input_impl(const InputProduct& p, const Sums& sums) {
  int j = 0;
  for (; j + V::kInputCols <= p.batch; j += V::kInputCols) input_cols<V, V::kInputCols>(p, j, sums);
  for (; j < p.batch; ++j) input_cols<V, 1>(p, j, sums);
}

// ---- input conversion: bytes 0..255 to floats in [0, 1], 16 bytes at a time -----------------------------

template <class V>
void unit_floats_impl(float* out, const uint8_t* in, int n) {
  constexpr int L = V::kLanes;
  const typename V::T scale = V::splat(1.0f / 255.0f);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    typename V::T f[16 / L];
    V::bytes_to_floats(in + i, f);
    for (int k = 0; k < 16 / L; ++k) V::store(out + i + L * k, V::mul(f[k], scale));
  }
  for (; i < n; ++i) out[i] = float(in[i]) * (1.0f / 255.0f);
}

}  // namespace
}  // namespace bs

// The entry points of one instruction-set translation unit (matmul_avx2.cpp, matmul_avx512.cpp), declared in
// matmul.cpp, which dispatches to them.
#define BOOKSMART_DEFINE_KERNELS(isa, V)                                                                     \
  namespace bs {                                                                                             \
  void matmul_forward_##isa(float* z, float* a, const float* w, const float* b, const float* x, int out,     \
                            int in, int batch) {                                                             \
    forward_impl<simd::V>(z, a, w, b, x, out, in, batch);                                                    \
  }                                                                                                          \
  void matmul_forward_input_major_##isa(float* z, float* a, const float* wt, const float* b, const float* x, \
                                        int out, int in, int batch) {                                        \
    forward_input_major<simd::V>(z, a, wt, b, x, out, in, batch);                                            \
  }                                                                                                          \
  bool input_major_fits_##isa(int out) {                                                                     \
    return transposed_forward_fits<simd::V>(out);                                                            \
  }                                                                                                          \
  void matmul_backward_weights_##isa(float* dw, const float* dz, const float* x, int out, int in, int batch, \
                                     bool accumulate) {                                                      \
    weights_impl<simd::V>(dw, dz, x, out, in, batch, accumulate);                                            \
  }                                                                                                          \
  void matmul_backward_input_##isa(float* dx, const float* w, const float* dz, int out, int in, int batch) { \
    input_impl<simd::V>(InputProduct{dx, w, dz, out, out, in, batch}, Sums{});                               \
  }                                                                                                          \
  void unit_floats_##isa(float* out, const uint8_t* in, int n) {                                             \
    unit_floats_impl<simd::V>(out, in, n);                                                                   \
  }                                                                                                          \
  }
