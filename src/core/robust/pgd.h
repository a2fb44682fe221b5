// Projected gradient descent (Madry et al. 2018), the attack the robustness literature trusts most, batched
// over images through the SIMD kernels. From a start point, repeat: step along the objective's steepest
// ascent direction for the norm, then project back onto the ball of radius eps around the image and onto [0,
// 1].
//
// Restart 0 starts at the image itself and its first step has the full length eps: that iterate is exactly
// FGSM's (Goodfellow et al. 2014), so PGD succeeds wherever FGSM does. Later restarts start at a random point
// of the ball and alternate the margin and cross-entropy objectives. Every iterate is checked; an image stops
// at its first success. Deterministic: each image's random draws come from (seed, goal id, restart).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/robust/attack_run.h"
#include "core/robust/norm.h"
#include "core/robust/objective.h"

namespace bs {

struct PgdSettings {
  Norm norm = Norm::kLinf;
  int steps = 40;
  float step_ratio = 2.5f;  // step length = step_ratio * eps / steps
  int restarts = 1;
  uint64_t seed = 1;
  // true: an image stops at its first successful iterate, which is the one reported. false: every image runs
  // all steps and the final iterate is reported, successful or not (PGD as most libraries run it; the
  // benchmark times it so, the same work as its peer's).
  bool early_stop = true;
  // Optional: keeps the perturbation in a linear subspace (the attacks restricted to the data's span, to its
  // complement, or to an image's local tangent space). Called with the image's goal id and a vector of
  // x.rows() floats, it must replace the vector by its orthogonal projection onto the subspace. The step's
  // direction is projected, and after each step the perturbation is projected, put back in the ball and
  // clipped to [0, 1], `restrict_rounds` times: the clipping can move it out of the subspace again, and
  // alternating the projections brings it back towards the intersection (with 10 rounds, under 10 % of the
  // perturbation's length is left outside the subspace in the tests, against about 20 % with 3).
  std::function<void(uint32_t id, float* v)> restrict_to;
  // The same subspace for every image, as orthonormal rows (`restrict_complement`: its orthogonal complement
  // instead). Used in place of restrict_to, and much faster: whole batches are projected with two matrix
  // products. The caller keeps the matrix alive during the attack.
  const MatRM* restrict_rows = nullptr;
  bool restrict_complement = false;
  int restrict_rounds = 10;
  bool restricted() const { return restrict_rows != nullptr || bool(restrict_to); }
  // A budget that grows while the image resists (the pushes of the trial's experiment e, which run until they
  // succeed): with grow_every > 0, the ball's radius at step t is min(eps_max, eps + grow_by * (t /
  // grow_every)) and each step is step_ratio times the current radius over grow_every, so every radius gets
  // its own short PGD. `steps` is then the whole schedule's length.
  int grow_every = 0;
  float grow_by = 0;
  float eps_max = 0;
  // Each iterate is rounded to the nearest 1/255 before it is checked and reported, so that success means
  // success of the image as stored in bytes (and gradients are taken there too).
  bool byte_pixels = false;
  bool grows() const { return grow_every > 0 && grow_by > 0; }
};

// The ball's radius at step t for an image whose budget starts at eps (eps itself without growth).
float pgd_radius_at(const PgdSettings& s, float eps, int t);

// Attacks each column of x (in, n), pixels in [0, 1], within radius eps[i] towards goals[i].
AttackRun pgd_attack(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                     const std::vector<float>& eps, const PgdSettings& s);

}  // namespace bs
