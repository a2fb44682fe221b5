#include "core/nn/mlp.h"

#include <cassert>

#include "core/nn/matmul.h"

namespace bs {
namespace {

// An image's 784 bytes, 13 cache lines, asked for ahead of use; Locality is __builtin_prefetch's (3: every
// cache level, 1: the second level and beyond).
template <int Locality>
void prefetch_image(const uint8_t* image) {
  for (int line = 0; line < kPixels; line += 64) __builtin_prefetch(image + line, 0, Locality);
}

}  // namespace

Workspace::Workspace(const Arch& a, int batch)
    : max_batch(batch),
      x(a.in, batch),
      z1(a.h1, batch),
      a1(a.h1, batch),
      z2(a.h2, batch),
      a2(a.h2, batch),
      logits(a.out, batch),
      probs(a.out, batch),
      d3(a.out, batch),
      d2(a.h2, batch),
      d1(a.h1, batch),
      dx(a.in, batch),
      y(batch),
      grad(a) {}

void load_batch(Workspace& ws, const Dataset& data, const uint32_t* indices, int b) {
  assert(b <= ws.max_batch);
  for (int j = 0; j < b; ++j) {
    // Shuffled images are scattered over 47 MB: ask for the next one while this one converts.
    if (j + 1 < b) prefetch_image<3>(data.image(indices[j + 1]));
    unit_floats(ws.x.col(j).data(), data.image(indices[j]), kPixels);
    ws.y[j] = uint8_t(data.label(indices[j]));
  }
}

void prefetch_batch(const Dataset& data, const uint32_t* indices, int b) {
  // Into the second-level cache (locality 1): the batch's 50 kB would only crowd the first level, which the
  // step's weights and activations need until then.
  for (int j = 0; j < b; ++j) prefetch_image<1>(data.image(indices[j]));
}

float forward(const Params& p, Workspace& ws, int b, const uint8_t* labels) {
  assert(b <= ws.max_batch);
  if (ws.layer1_input_major)
    matmul_forward_input_major(ws.z1.data(), ws.a1.data(), p.w1.data(), p.b1.data(), ws.x.data(),
                               int(p.w1.rows()), int(p.w1.cols()), b);
  else
    dense_relu_forward(ws.z1.leftCols(b), ws.a1.leftCols(b), p.w1, p.b1, ws.x.leftCols(b));
  dense_relu_forward(ws.z2.leftCols(b), ws.a2.leftCols(b), p.w2, p.b2, ws.a1.leftCols(b));
  dense_forward(ws.logits.leftCols(b), p.w3, p.b3, ws.a2.leftCols(b));
  if (labels) return softmax_xent_forward(ws.probs.leftCols(b), ws.logits.leftCols(b), labels);
  // Without labels only the probabilities are wanted: label 0 is a harmless stand-in for the loss term.
  for (int j = 0; j < b; ++j) ws.y[j] = 0;
  softmax_xent_forward(ws.probs.leftCols(b), ws.logits.leftCols(b), ws.y.data());
  return 0.0f;
}

void backward(const Params& p, Workspace& ws, int b, const uint8_t* labels, bool input_grad) {
  softmax_xent_backward(ws.d3.leftCols(b), ws.probs.leftCols(b), labels);
  dense_backward_params(ws.grad.w3, ws.grad.b3, ws.d3.leftCols(b), ws.a2.leftCols(b));
  dense_backward_input(ws.d2.leftCols(b), p.w3, ws.d3.leftCols(b));
  relu_backward(ws.d2.leftCols(b), ws.z2.leftCols(b));
  dense_backward_params(ws.grad.w2, ws.grad.b2, ws.d2.leftCols(b), ws.a1.leftCols(b));
  dense_backward_input(ws.d1.leftCols(b), p.w2, ws.d2.leftCols(b));
  relu_backward(ws.d1.leftCols(b), ws.z1.leftCols(b));
  if (ws.layer1_input_major) {
    // dw^T = x dz^T: the same products as dw = dz x^T, each summed over the batch in the same order.
    assert(!input_grad);
    matmul_backward_weights(ws.grad.w1.data(), ws.x.data(), ws.d1.data(), int(p.w1.cols()), int(p.w1.rows()),
                            b);
    bias_backward(ws.grad.b1, ws.d1.leftCols(b));
    return;
  }
  dense_backward_params(ws.grad.w1, ws.grad.b1, ws.d1.leftCols(b), ws.x.leftCols(b));
  if (input_grad) dense_backward_input(ws.dx.leftCols(b), p.w1, ws.d1.leftCols(b));
}

void input_backward(const Params& p, Workspace& ws, int b, const uint8_t* labels) {
  assert(!ws.layer1_input_major);
  softmax_xent_backward(ws.d3.leftCols(b), ws.probs.leftCols(b), labels);
  dense_backward_input(ws.d2.leftCols(b), p.w3, ws.d3.leftCols(b));
  relu_backward(ws.d2.leftCols(b), ws.z2.leftCols(b));
  dense_backward_input(ws.d1.leftCols(b), p.w2, ws.d2.leftCols(b));
  relu_backward(ws.d1.leftCols(b), ws.z1.leftCols(b));
  dense_backward_input(ws.dx.leftCols(b), p.w1, ws.d1.leftCols(b));
}

int predict_one(const Params& p, Workspace& ws, const float* x, float* probs) {
  ws.x.col(0) = Eigen::Map<const Vec>(x, ws.x.rows());
  return predict_column0(p, ws, probs);
}

int predict_column0(const Params& p, Workspace& ws, float* probs) {
  forward(p, ws, 1, nullptr);
  int best = 0;
  for (int c = 0; c < ws.probs.rows(); ++c) {
    probs[c] = ws.probs(c, 0);
    if (probs[c] > probs[best]) best = c;
  }
  return best;
}

}  // namespace bs
