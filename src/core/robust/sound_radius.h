// The float bounds' certified radii, confirmed by the sound bound: a radius is reported as certified only
// when the dual bound, with every rounding counted (dual_bound.h), proves the label there.
#pragma once

#include "core/robust/dual_bound.h"

namespace bs {

// Whether the sound dual bound with CROWN's multipliers (no branching, no ascent) proves the label at eps.
bool soundly_certified(const NetworkD& net, const float* x, int label, Norm norm, float eps);

// `eps` if it is proved so; otherwise the first of eps (1 - 1e-4 2^k), k = 0, 1, ..., that is (a float
// bound's margin at its radius can lie within rounding of 0); 0 if none down to eps / 2 is.
float sound_certified_radius(const NetworkD& net, const float* x, int label, Norm norm, float eps);

}  // namespace bs
