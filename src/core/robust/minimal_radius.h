// The smallest radius at which an attack finds an adversarial point, by bisection on eps for all images in
// lockstep: a success at eps lowers the image's upper end to the distance of the point found (which may be
// less than eps), a failure raises the lower end to eps. The result is an upper bound on the image's true
// minimal adversarial perturbation: a point at that distance exists and is returned.
#pragma once

#include <functional>
#include <vector>

#include "core/robust/attack_run.h"
#include "core/robust/norm.h"
#include "core/robust/objective.h"
#include "core/robust/radius_search.h"

namespace bs {

// An attack with one radius per image (pgd_attack and square_attack with their settings bound).
using RadiusAttack =
    std::function<AttackRun(const Mat& x, const std::vector<Goal>& goals, const std::vector<float>& eps)>;

struct RadiusSearch {
  Norm norm = Norm::kLinf;
  float tolerance = 1e-3f;  // stop when the bracket is this narrow
  // Optional: a radius per image to try first (e.g. DeepFool's). It only orders the probes; every radius
  // reported is one the attack itself reached.
  std::vector<float> first_guess;
};

// radius[i] = +inf when the attack fails even at the largest radius that matters (norm.h's max_radius).
AttackRun minimal_radius(const Mat& x, const std::vector<Goal>& goals, const RadiusAttack& attack,
                         const RadiusSearch& s);

// The same search one round at a time, for an interface that must keep drawing: each step() runs one batched
// attack over the images whose search is still open, each at its own probe. Equals minimal_radius once done.
class MinimalRadiusJob {
 public:
  MinimalRadiusJob(Mat x, std::vector<Goal> goals, RadiusAttack attack, const RadiusSearch& s);
  bool done() const { return open_ == 0; }
  void step();
  const AttackRun& result() const { return best_; }

 private:
  Mat x_;
  std::vector<Goal> goals_;
  RadiusAttack attack_;
  AttackRun best_;
  std::vector<AttackRadiusSearch> search_;
  int open_ = 0;
};

}  // namespace bs
