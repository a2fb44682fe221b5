// Projection of columns onto the span of a few orthonormal rows Q (k, n), or onto its complement: coef = Q v,
// then v <- Q^T coef (or v - Q^T coef). Two products with the network's SIMD kernels (matmul.h), as Eigen has
// no WebAssembly SIMD backend and the page projects every training batch and every restricted attack step.
// Scratch is sized once for up to `max_cols` columns, so apply() allocates nothing.
#pragma once

#include <vector>

#include "core/nn/params.h"

namespace bs {

class RowProjection {
 public:
  RowProjection(const MatRM& q, int max_cols);
  // v: (n, cols) column-major, cols <= max_cols.
  void apply(float* v, int cols, bool complement);

 private:
  const MatRM& q_;
  std::vector<float> coef_, back_, zero_;
};

}  // namespace bs
