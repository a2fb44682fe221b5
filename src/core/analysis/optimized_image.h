// The input a neuron likes best, found by gradient ascent on the pixels instead of read off the weights.
//   unconstrained: start at 0, step along the gradient of the neuron's pre-activation (its logit for an
//   output
//                  neuron), no bounds, no penalty. Inside one ReLU pattern that gradient is the neuron's
//                  effective weights restricted to the open paths, so the result drifts to the same noise.
//   regularised:   the image stays in [0, 1] and pays for its size (L2) and its roughness (total variation:
//   the
//                  squared differences of neighbouring pixels), which pulls it towards smooth, digit-like
//                  blobs.
#pragma once

#include <vector>

#include "core/analysis/neurons.h"
#include "core/nn/params.h"

namespace bs {

struct OptimizeSettings {
  int steps = 200;
  float step_size = 0.05f;
  float l2 = 0.0f;          // penalty on |x|^2
  float smoothness = 0.0f;  // penalty on the sum of squared neighbour differences
  bool clip = false;        // keep pixels in [0, 1]
};

inline OptimizeSettings unconstrained_settings() {
  return OptimizeSettings{};
}
inline OptimizeSettings regularised_settings() {
  return OptimizeSettings{200, 0.05f, 0.02f, 0.5f, true};
}

std::vector<float> optimize_input(const Params& p, NeuronId n, const OptimizeSettings& s);

// Total variation (sum of squared differences of horizontal and vertical neighbours) of a 28x28 image.
double roughness(const float* img);

}  // namespace bs
