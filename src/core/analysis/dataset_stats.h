// One pass of the network over a set of images, keeping every neuron's activation on every image, and from it
// each neuron's dataset-derived feature: the average of the images weighted by that neuron's activation
// (post-ReLU for hidden neurons, softmax probability for output neurons). Where the effective weights say what
// a neuron would respond to most over all possible pixel grids, this says what it responds to among real data.
#pragma once

#include <array>
#include <vector>

#include "core/analysis/neurons.h"
#include "core/data/dataset.h"
#include "core/nn/params.h"

namespace bs {

struct DatasetStats {
  size_t count = 0;
  std::array<Mat, 3> act;       // (h1, N), (h2, N), (out, N): activation of each neuron on each image
  std::array<MatRM, 3> feature; // (units, 784): activation-weighted average image of each neuron, in [0, 1]
  std::array<Vec, 3> weight;    // (units): sum of each neuron's activations (0 for a neuron that never fires)
  std::vector<uint8_t> predicted;  // (N)

  const float* feature_image(NeuronId n) const { return feature[n.layer - 1].row(n.index).data(); }
};

// Over the first min(limit, data.size()) images (limit 0: all).
DatasetStats dataset_stats(const Params& p, const Dataset& data, size_t limit = 0);

}  // namespace bs
