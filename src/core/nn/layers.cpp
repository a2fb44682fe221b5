#include "core/nn/layers.h"

#include <cassert>
#include <cmath>

#include "core/nn/matmul.h"

namespace bs {
namespace {

// The matrix products go through matmul.h's flat-array kernels, which need each column contiguous and the
// columns back to back: true of every block the network passes (a workspace's leftCols(b)).
template <typename M>
bool packed(const M& m) {
  return m.innerStride() == 1 && m.outerStride() == m.rows();
}

}  // namespace

void dense_forward(MatOut z, WeightIn w, VecIn b, MatIn x) {
  assert(packed(z) && packed(x) && w.cols() == x.rows() && z.rows() == w.rows() && z.cols() == x.cols());
  matmul_forward(z.data(), nullptr, w.data(), b.data(), x.data(), int(w.rows()), int(w.cols()),
                 int(x.cols()));
}

void dense_relu_forward(MatOut z, MatOut a, WeightIn w, VecIn b, MatIn x) {
  assert(packed(z) && packed(a) && packed(x) && w.cols() == x.rows() && z.rows() == w.rows() &&
         z.cols() == x.cols() && a.rows() == z.rows() && a.cols() == z.cols());
  matmul_forward(z.data(), a.data(), w.data(), b.data(), x.data(), int(w.rows()), int(w.cols()),
                 int(x.cols()));
}

float softmax_xent_forward(MatOut probs, MatIn logits, const uint8_t* labels) {
  double total = 0.0;
  const Eigen::Index batch = logits.cols();
  for (Eigen::Index j = 0; j < batch; ++j) {
    float m = logits.col(j).maxCoeff();
    probs.col(j) = (logits.col(j).array() - m).exp();
    float sum = probs.col(j).sum();
    probs.col(j) /= sum;
    total += double(std::log(sum) + m - logits(labels[j], j));
  }
  return float(total / double(batch));
}

void softmax_xent_backward(MatOut dlogits, MatIn probs, const uint8_t* labels) {
  const Eigen::Index batch = probs.cols();
  const float inv = 1.0f / float(batch);
  dlogits = probs * inv;
  for (Eigen::Index j = 0; j < batch; ++j) dlogits(labels[j], j) -= inv;
}

void dense_backward_params(WeightOut dw, VecOut db, MatIn dz, MatIn x) {
  assert(packed(dz) && packed(x) && dw.rows() == dz.rows() && dw.cols() == x.rows() && dz.cols() == x.cols());
  matmul_backward_weights(dw.data(), dz.data(), x.data(), int(dw.rows()), int(dw.cols()), int(x.cols()));
  bias_backward(db, dz);
}

void bias_backward(VecOut db, MatIn dz) {
  db = dz.rowwise().sum();
}

void dense_backward_input(MatOut dx, WeightIn w, MatIn dz) {
  assert(packed(dx) && packed(dz) && dx.rows() == w.cols() && dz.rows() == w.rows() &&
         dx.cols() == dz.cols());
  matmul_backward_input(dx.data(), w.data(), dz.data(), int(w.rows()), int(w.cols()), int(dz.cols()));
}

void relu_backward(MatOut da, MatIn z) {
  assert(packed(da) && packed(z) && da.size() == z.size());
  relu_gate(da.data(), z.data(), int(da.size()));
}

}  // namespace bs
