// The Square attack (Andriushchenko et al. 2020), L-infinity: a random search that never looks at a gradient,
// so it is the check against gradient masking (a model whose gradients mislead PGD still falls to it if it is
// not robust). It starts from vertical stripes of +-eps, then repeatedly proposes to set a random square
// window of the perturbation to +eps or -eps, and keeps the proposal when the margin objective (objective.h)
// grows. The window shrinks on the published schedule as queries are spent.
//
// Each proposal changes only the window's pixels, so the first layer is updated by those pixels' weight
// columns instead of a full 784-wide product: a query costs about a tenth of a forward pass.
#pragma once

#include <cstdint>
#include <vector>

#include "core/robust/attack_run.h"
#include "core/robust/objective.h"

namespace bs {

struct SquareSettings {
  int queries = 1000;   // forward passes per image, the start included
  float p_init = 0.8f;  // the first windows cover this fraction of the image (the paper's value for MNIST)
  uint64_t seed = 1;
};

// Attacks each column of x (side*side pixels in [0, 1], a square image) within L-infinity radius eps[i].
AttackRun square_attack(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                        const std::vector<float>& eps, const SquareSettings& s);

}  // namespace bs
