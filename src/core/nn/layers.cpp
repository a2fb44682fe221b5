#include "core/nn/layers.h"

#include <cmath>

namespace bs {

void dense_forward(MatOut z, WeightIn w, VecIn b, MatIn x) {
  z.noalias() = w * x;
  z.colwise() += b;
}

void relu_forward(MatOut a, MatIn z) { a = z.cwiseMax(0.0f); }

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
  dw.noalias() = dz * x.transpose();
  db = dz.rowwise().sum();
}

void dense_backward_input(MatOut dx, WeightIn w, MatIn dz) { dx.noalias() = w.transpose() * dz; }

void relu_backward(MatOut da, MatIn z) { da = (z.array() > 0.0f).select(da, 0.0f); }

}  // namespace bs
