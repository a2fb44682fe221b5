#include "core/nn/row_projection.h"

#include <cassert>

#include "core/nn/matmul.h"

namespace bs {

RowProjection::RowProjection(const MatRM& q, int max_cols)
    : q_(q),
      coef_(size_t(q.rows()) * size_t(max_cols)),
      back_(size_t(q.cols()) * size_t(max_cols)),
      zero_(size_t(q.rows()), 0.0f) {}

void RowProjection::apply(float* v, int cols, bool complement) {
  assert(size_t(cols) * size_t(q_.cols()) <= back_.size());
  const int k = int(q_.rows()), n = int(q_.cols());
  if (k == 0) {
    if (!complement) std::fill(v, v + size_t(n) * size_t(cols), 0.0f);
    return;
  }
  matmul_forward(coef_.data(), nullptr, q_.data(), zero_.data(), v, k, n, cols);
  matmul_backward_input(back_.data(), q_.data(), coef_.data(), k, n, cols);
  const size_t total = size_t(n) * size_t(cols);
  if (complement) {
    for (size_t i = 0; i < total; ++i) v[i] -= back_[i];
  } else {
    std::copy(back_.begin(), back_.begin() + long(total), v);
  }
}

}  // namespace bs
