// What an attack over a batch of images returns: per image, whether it found a point that meets the goal, how
// far that point is from the image (in the attack's norm), the prediction there, and the point itself.
#pragma once

#include <limits>
#include <vector>

#include "core/nn/params.h"

namespace bs {

struct AttackRun {
  explicit AttackRun(const Mat& x)
      : success(size_t(x.cols()), 0),
        radius(size_t(x.cols()), std::numeric_limits<float>::infinity()),
        prediction(size_t(x.cols()), -1),
        adversarial(x) {}
  std::vector<uint8_t> success;
  std::vector<float> radius;    // ||adversarial - x||; +inf where nothing was found
  std::vector<int> prediction;  // at the adversarial point (-1 where nothing was found)
  Mat adversarial;              // (in, n): the point found, or the image itself
  int found() const {
    int n = 0;
    for (uint8_t s : success) n += s;
    return n;
  }
};

}  // namespace bs
