// Accuracy at one fixed radius, the figure adversarial-training papers report, over a set of images with
// the misclassified ones counted as lost:
//   clean      the network classifies the image correctly;
//   robust     it is correct and no attack we have flips it within eps: PGD (the settings' restarts and
//              steps, alternating cross-entropy and margin), then for L-infinity the gradient-free Square
//              attack on what PGD left standing. A model that merely hides its gradients (gradient masking)
//              stops PGD but not Square;
//   certified  it is correct and CROWN or IBP proves that no point within eps changes the prediction.
// certified <= robust <= clean: the truth about the model lies between the last two.
#pragma once

#include <cstdint>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/params.h"
#include "core/robust/robustness.h"

namespace bs {

struct RadiusAccuracy {
  float eps = 0;
  int images = 0, clean = 0, robust = 0, certified = 0;
  int pgd_flips = 0, square_flips = 0;  // images each attack flipped (Square: only those PGD left)
};

RadiusAccuracy accuracy_at_radius(const Params& p, const Dataset& data, const std::vector<uint32_t>& indices,
                                  float eps, const RobustnessSettings& s);

}  // namespace bs
