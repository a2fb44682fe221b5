// out = lam * W for row-major lam (rows, W.rows()) and out (rows, W.cols()): the bounds' backward passes and
// DeepFool's Jacobian end in such a product with W1 (64 x 784). Row-major lam is column-major lam^T, so the
// product is the backward pass's input gradient W^T lam^T, which goes through the network's SIMD kernel
// (several times faster here than Eigen's general product).
#pragma once

#include "core/nn/matmul.h"
#include "core/nn/params.h"

namespace bs {

inline void rows_times_weights(float* out, const float* lam, int rows, const MatRM& w) {
  matmul_backward_input(out, w.data(), lam, int(w.rows()), int(w.cols()), rows);
}

}  // namespace bs
