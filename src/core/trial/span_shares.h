// Where a perturbation's energy lies against the training images' global span: the top k principal
// directions, the pixels no training image ever lights, and the rest (the low-variance directions among lit
// pixels). The seed's story says minimal adversarial perturbations live mostly outside the top k; a random
// direction is the baseline: its expected shares are the three subspaces' dimensions over 784.
#pragma once

#include "core/analysis/subspace.h"

namespace bs {

struct SpanShares {
  double top_k = 0, rest = 0, never_lit = 0;  // fractions of ||delta||^2; they sum to 1
};

// The shares of one perturbation (784 floats). A zero perturbation has all shares 0.
SpanShares span_shares(const Subspace& s, int k, const float* delta);
// The expected shares of a direction drawn uniformly from the sphere.
SpanShares random_direction_shares(const Subspace& s, int k);

// The energy curve (docs/trial-rules.md, a.energy_curve): adds to curve[k - 1], for k = 1 ... 784, the share
// of delta's energy in the top k directions; a zero perturbation adds nothing. A direction drawn uniformly
// from the sphere has k / 784 there in expectation, exactly.
void add_energy_curve(const Subspace& s, const float* delta, double* curve);

}  // namespace bs
