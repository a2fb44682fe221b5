// The two threat models of the robustness tools: a perturbation bounded in L-infinity (no pixel moves more
// than eps) or in L2 (the whole change has Euclidean length at most eps), always inside the valid image box
// [0, 1].
#pragma once

#include <string>

#include "core/util/rng.h"
#include "core/util/status.h"

namespace bs {

enum class Norm { kLinf, kL2 };

const char* norm_name(Norm n);  // "linf", "l2"
Expected<Norm> parse_norm(const std::string& text);

// ||a - b|| in the norm (n values each).
float distance(Norm norm, const float* a, const float* b, int n);

// Puts x into {x : ||x - x0|| <= eps} ∩ [0, 1]^n: onto the ball, then clipped to the box. For L-infinity that
// is the exact projection; for L2 it is a point of the intersection (clipping only moves a coordinate towards
// x0's, which lies in the box, so the point stays in the ball).
void project(Norm norm, float* x, const float* x0, float eps, int n);

// A step of length `size` (in the norm) along the steepest ascent direction for gradient g: size * sign(g)
// for L-infinity, size * g / ||g||2 for L2. A zero gradient gives no step.
void ascent_step(Norm norm, float* x, const float* g, float size, int n);

// A random point of the ball around x0, then inside the box, into x: uniform in the L-infinity cube; for L2 a
// random direction at a uniformly drawn fraction of the radius. Portable draws only, so the page and the
// desktop pick the same point.
void random_point_in_ball(Norm norm, float* x, const float* x0, float eps, int n, Pcg32& rng);

// The largest radius that can matter for an image with n pixels in [0, 1]: 1 (L-infinity) or sqrt(n) (L2).
float max_radius(Norm norm, int n);

}  // namespace bs
