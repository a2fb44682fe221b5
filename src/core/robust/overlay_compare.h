// The seed's attack against the minimal ones: how large is the change the overlay pattern (the output
// neuron's effective weights, blended in until the prediction flips, analysis/attack.h) makes, measured in
// the same norm as the minimal attacks? Compared with a targeted minimal-radius PGD towards the same class,
// so both answer the same question ("make this 7 a 0"), and with the untargeted best attack.
#pragma once

#include "core/robust/robustness.h"

namespace bs {

struct OverlayComparison {
  int digit = 7, target = 0;
  int images = 0;             // images of `digit` in the report
  int flipped = 0;            // of those, flipped by the overlay within its alpha range
  float median_overlay = 0;   // norm of the overlay's change at its flip point (flipped images)
  float median_targeted = 0;  // targeted minimal-radius PGD (all images of `digit`)
  float median_best = 0;      // the report's untargeted best attack (same images)
  float median_ratio = 0;     // overlay / targeted, per flipped image
};

OverlayComparison compare_overlay(const Params& p, const Dataset& data, const RobustnessReport& report,
                                  const RobustnessSettings& s, int digit = 7, int target = 0);

}  // namespace bs
