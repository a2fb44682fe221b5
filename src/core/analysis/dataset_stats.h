// One pass of the network over a set of images, keeping every neuron's activation on every image, and from it
// each neuron's dataset-derived feature: the average of the images weighted by that neuron's activation
// (post-ReLU for hidden neurons, softmax probability for output neurons). Where the effective weights say
// what a neuron would respond to most over all possible pixel grids, this says what it responds to among real
// data.
#pragma once

#include <array>
#include <vector>

#include "core/analysis/neurons.h"
#include "core/data/dataset.h"
#include "core/nn/mlp.h"
#include "core/nn/params.h"

namespace bs {

struct DatasetStats {
  size_t count = 0;
  std::array<Mat, 3> act;        // (h1, N), (h2, N), (out, N): activation of each neuron on each image
  std::array<MatRM, 3> feature;  // (units, 784): activation-weighted average image of each neuron, in [0, 1]
  std::array<Vec, 3> weight;  // (units): sum of each neuron's activations (0 for a neuron that never fires)
  std::vector<uint8_t> predicted;  // (N)

  const float* feature_image(NeuronId n) const { return feature[n.layer - 1].row(n.index).data(); }
};

// The k images that activate neuron n most (indices into the analysed images, strongest first; ties: lower
// index).
std::vector<size_t> top_activating(const DatasetStats& s, NeuronId n, int k);

// Over the first min(limit, data.size()) images (limit 0: all).
DatasetStats dataset_stats(const Params& p, const Dataset& data, size_t limit = 0);

// The same pass in pieces, so an interface can spread it over frames: begin(), then step() until it returns
// true, then take the result. The parameters are copied at begin(), so the result describes one model state
// even while training goes on; `data` may grow meanwhile (only its first images are read) but must stay
// alive.
class DatasetStatsBuilder {
 public:
  static constexpr int kBatch = 25;  // a page frame takes at least one, so it is kept small

  void begin(const Params& p, const Dataset& data, size_t limit);
  // Takes at least `images` more images, in whole batches of kBatch: the batches, and so the result, are the
  // same however a pass is sliced. True once every image is in and the result is final.
  bool step(size_t images);
  bool running() const { return data_ != nullptr; }
  const Params& params() const { return p_; }
  // Moves the finished result into `out` (the buffers of `out` are recycled for the next run).
  void take(DatasetStats* out);

 private:
  Params p_;
  const Dataset* data_ = nullptr;
  size_t next_ = 0;
  DatasetStats s_;
  Workspace ws_{Arch{}, kBatch};
  std::vector<uint32_t> idx_ = std::vector<uint32_t>(kBatch);
};

}  // namespace bs
