#include "core/nn/matmul.h"

#include "core/nn/f32x4.h"

namespace bs {
namespace {

using namespace simd;

// ---- forward: dot products of rows of w with columns of x -------------------------------------------------

// R rows x C columns of z (R, C <= 4). Vector part over k in steps of 4, then the scalar tail k % 4.
template <int R, int C>
void forward_block(float* z, const float* w, const float* x, int out, int in, int i0, int j0) {
  f32x4 acc[R][C];
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) acc[r][c] = zero();
  const int k4 = in & ~3;
  for (int k = 0; k < k4; k += 4) {
    f32x4 wv[R], xv[C];
    for (int r = 0; r < R; ++r) wv[r] = load(w + (i0 + r) * in + k);
    for (int c = 0; c < C; ++c) xv[c] = load(x + (j0 + c) * in + k);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) acc[r][c] = madd(acc[r][c], wv[r], xv[c]);
  }
  for (int c = 0; c < C; ++c) {
    float* zc = z + (j0 + c) * out + i0;
    if constexpr (R == 4) {
      f32x4 s = sum4(acc[0][c], acc[1][c], acc[2][c], acc[3][c]);
      alignas(16) float t[4];
      store(t, s);
      for (int r = 0; r < 4; ++r) zc[r] = t[r];
    } else {
      for (int r = 0; r < R; ++r) zc[r] = sum(acc[r][c]);
    }
    for (int r = 0; r < R; ++r)
      for (int k = k4; k < in; ++k) zc[r] += w[(i0 + r) * in + k] * x[(j0 + c) * in + k];
  }
}

template <int R>
void forward_rows(float* z, const float* w, const float* x, int out, int in, int batch, int i0) {
  int j = 0;
  for (; j + 4 <= batch; j += 4) forward_block<R, 4>(z, w, x, out, in, i0, j);
  for (; j < batch; ++j) forward_block<R, 1>(z, w, x, out, in, i0, j);
}

// ---- backward for the weights: rank-1 updates of rows of dw ---------------------------------------------

// R rows x (4 V) columns of dw, starting at (i0, k0); the batch streams through.
template <int R, int V>
void weights_block(float* dw, const float* dz, const float* x, int out, int in, int batch, int i0, int k0, bool acc0) {
  f32x4 acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = acc0 ? load(dw + (i0 + r) * in + k0 + 4 * v) : zero();
  for (int j = 0; j < batch; ++j) {
    f32x4 xv[V];
    for (int v = 0; v < V; ++v) xv[v] = load(x + j * in + k0 + 4 * v);
    for (int r = 0; r < R; ++r) {
      f32x4 d = splat(dz[j * out + i0 + r]);
      for (int v = 0; v < V; ++v) acc[r][v] = madd(acc[r][v], d, xv[v]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) store(dw + (i0 + r) * in + k0 + 4 * v, acc[r][v]);
}

template <int R>
void weights_rows(float* dw, const float* dz, const float* x, int out, int in, int batch, int i0, bool acc0) {
  int k = 0;
  for (; k + 16 <= in; k += 16) weights_block<R, 4>(dw, dz, x, out, in, batch, i0, k, acc0);
  for (; k + 4 <= in; k += 4) weights_block<R, 1>(dw, dz, x, out, in, batch, i0, k, acc0);
  for (; k < in; ++k)
    for (int r = 0; r < R; ++r) {
      float s = acc0 ? dw[(i0 + r) * in + k] : 0.0f;
      for (int j = 0; j < batch; ++j) s += dz[j * out + i0 + r] * x[j * in + k];
      dw[(i0 + r) * in + k] = s;
    }
}

// ---- backward for the input: columns of dx as combinations of rows of w ---------------------------------

// (4 V) rows x C columns of dx, starting at (k0, j0); the neurons stream through.
template <int V, int C>
void input_block(float* dx, const float* w, const float* dz, int out, int in, int k0, int j0) {
  f32x4 acc[V][C];
  for (int v = 0; v < V; ++v)
    for (int c = 0; c < C; ++c) acc[v][c] = zero();
  for (int i = 0; i < out; ++i) {
    f32x4 wv[V];
    for (int v = 0; v < V; ++v) wv[v] = load(w + i * in + k0 + 4 * v);
    for (int c = 0; c < C; ++c) {
      f32x4 d = splat(dz[(j0 + c) * out + i]);
      for (int v = 0; v < V; ++v) acc[v][c] = madd(acc[v][c], d, wv[v]);
    }
  }
  for (int v = 0; v < V; ++v)
    for (int c = 0; c < C; ++c) store(dx + (j0 + c) * in + k0 + 4 * v, acc[v][c]);
}

template <int C>
void input_cols(float* dx, const float* w, const float* dz, int out, int in, int j0) {
  int k = 0;
  for (; k + 16 <= in; k += 16) input_block<4, C>(dx, w, dz, out, in, k, j0);
  for (; k + 4 <= in; k += 4) input_block<1, C>(dx, w, dz, out, in, k, j0);
  for (; k < in; ++k)
    for (int c = 0; c < C; ++c) {
      float s = 0;
      for (int i = 0; i < out; ++i) s += w[i * in + k] * dz[(j0 + c) * out + i];
      dx[(j0 + c) * in + k] = s;
    }
}

}  // namespace

void matmul_forward(float* z, const float* w, const float* x, int out, int in, int batch) {
  int i = 0;
  for (; i + 4 <= out; i += 4) forward_rows<4>(z, w, x, out, in, batch, i);
  switch (out - i) {
    case 3: forward_rows<3>(z, w, x, out, in, batch, i); break;
    case 2: forward_rows<2>(z, w, x, out, in, batch, i); break;
    case 1: forward_rows<1>(z, w, x, out, in, batch, i); break;
    default: break;
  }
}

void matmul_backward_weights(float* dw, const float* dz, const float* x, int out, int in, int batch,
                             bool accumulate) {
  int i = 0;
  for (; i + 4 <= out; i += 4) weights_rows<4>(dw, dz, x, out, in, batch, i, accumulate);
  for (; i < out; ++i) weights_rows<1>(dw, dz, x, out, in, batch, i, accumulate);
}

void matmul_backward_input(float* dx, const float* w, const float* dz, int out, int in, int batch) {
  int j = 0;
  for (; j + 4 <= batch; j += 4) input_cols<4>(dx, w, dz, out, in, j);
  for (; j < batch; ++j) input_cols<1>(dx, w, dz, out, in, j);
}

}  // namespace bs
