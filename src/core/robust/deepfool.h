// DeepFool (Moosavi-Dezfooli et al. 2016): a minimal-perturbation attack. At the current point it replaces
// the network by its linearisation, finds the nearest of the linearised decision boundaries (class k's
// boundary with the label y is at distance |z_k - z_y| / ||grad(z_k - z_y)||_q, q the dual norm: 2 for L2, 1
// for L-infinity), steps just across it, and repeats until the prediction changes. The final step is
// lengthened by `overshoot` so the point lands on the far side. Untargeted only; the points are clipped to
// [0, 1].
#pragma once

#include <vector>

#include "core/robust/attack_run.h"
#include "core/robust/norm.h"
#include "core/robust/objective.h"

namespace bs {

struct DeepFoolSettings {
  Norm norm = Norm::kL2;
  int max_iterations = 50;
  float overshoot = 0.02f;
};

// Attacks each column of x (in, n) away from goals[i].label (targets are ignored).
AttackRun deepfool_attack(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                          const DeepFoolSettings& s);

}  // namespace bs
