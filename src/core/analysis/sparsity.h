// How many hidden neurons each image activates. Activations differ in scale from neuron to neuron, so the
// thresholds are relative to each neuron's own maximum over the image set:
//   strong: a >= 0.5 * max     mild: 0.1 * max <= a < 0.5 * max     inactive: below (ReLU's zeros included)
// Both hidden layers (128 neurons) are counted; output neurons are left out (softmax always sums to 1).
#pragma once

#include <vector>

#include "core/analysis/dataset_stats.h"

namespace bs {

constexpr float kStrongFraction = 0.5f;
constexpr float kMildFraction = 0.1f;

struct Sparsity {
  std::vector<int> strong, mild;  // (N): per image, neurons strongly / mildly active
  double mean_strong = 0, mean_mild = 0;
  double median_strong = 0, median_mild = 0;
  double mean_zero = 0;               // neurons exactly 0 (ReLU off) per image
  std::vector<int> active_histogram;  // [k] = images with k neurons strongly or mildly active (k = 0..128)
  int hidden = 0;                     // neurons counted
  int dead = 0;                       // hidden neurons that never fire on the set
  // Per neuron: how many images activate it strongly / mildly. Layout: layer 1 then layer 2.
  std::vector<int> images_strong, images_mild;
};

Sparsity sparsity(const DatasetStats& stats);

}  // namespace bs
