// Why a blend flips the prediction, written as a sum over pixels. With delta = x' - x and
//   m(x) = logit_target(x) - logit_source(x),
// inside one ReLU activation pattern the network is linear, m has a constant gradient g there, and
//   m(x') - m(x) = sum_i g_i delta_i
// exactly: each pixel's share is g_i delta_i. When the path from x to x' crosses pattern boundaries, g is
// replaced by its average along the straight path (midpoint rule over `steps` points), which keeps the sum
// equal to the actual change up to the quadrature error. The sum splits two ways: over the data's principal
// directions (g . P_k delta + g . (delta - P_k delta)) and over pixels (lit in some training image or never
// lit).
#pragma once

#include <vector>

#include "core/analysis/subspace.h"
#include "core/nn/params.h"

namespace bs {

struct LinearView {
  std::vector<float> contribution;   // (784) g_i delta_i
  double total = 0;                  // sum of the contributions
  double actual = 0;                 // m(x') - m(x), computed by the network
  double in_span = 0, off_span = 0;  // g . P_k delta and g . (delta - P_k delta)
  double lit = 0, never_lit = 0;     // contributions of pixels lit in some training image / in none
  int switched = 0;                  // hidden neurons whose ReLU state differs between x and x'
};

LinearView linear_view(const Params& p, const Subspace& s, int k, const float* x, const float* x_adv,
                       int source, int target, int steps = 64);

}  // namespace bs
