// Perceptual alignment: do the network's own patterns look like the data? Tsipras et al. (2019) observed that
// a robust model's input gradients look like the objects they separate, while a standard model's look like
// noise. Two measures, both cosines (1: the same direction, 0: unrelated):
//   neurons    per neuron, cos(effective weights, dataset-derived feature): the pattern the neuron would
//              respond to most among all pixel grids against what it responds to among real images
//              (effective.h, dataset_stats.h); averaged per layer over the neurons that fire at all;
//   gradients  per correctly classified image of class y, cos(grad_x (z_y - z_t), mean_y - mean_t), with t
//              the runner-up class and mean_c the average image of class c: whether the direction that most
//              widens the winning margin is the direction in which the two classes' images really differ.
//              Averaged over the images.
#pragma once

#include <array>
#include <vector>

#include "core/analysis/dataset_stats.h"
#include "core/analysis/effective.h"
#include "core/data/dataset.h"
#include "core/nn/params.h"

namespace bs {

struct PerceptualAlignment {
  std::array<double, 3> layer{};  // mean neuron cosine per layer (hidden 1, hidden 2, output)
  std::array<int, 3> neurons{};   // neurons counted per layer (those that fire on some image)
  double gradient = 0;            // mean gradient cosine
  int images = 0;                 // images counted for it (the correctly classified ones)
};

// cos(row i of patterns, row i of features) for every neuron whose activation sum (weight) is positive; NaN
// for the others (a neuron that never fires has no dataset-derived feature).
Vec neuron_cosines(const MatRM& patterns, const MatRM& features, const Vec& weight);

// The mean image of each class over the first `count` images of data (0: all), (10, 784); a class with no
// image is zero.
MatRM class_means(const Dataset& data, size_t count);

// The gradient cosine of each of the first `count` images (NaN for a misclassified one).
std::vector<float> gradient_cosines(const Params& p, const Dataset& data, size_t count, const MatRM& means);
// The same for images [first, first + b) into cos[first..], through ws (max_batch >= b).
void gradient_cosines(const Params& p, const Dataset& data, size_t first, int b, const MatRM& means,
                      Workspace& ws, float* cos);

// Both measures over the first `count` images of data (0: all); `stats` must cover the same images.
PerceptualAlignment perceptual_alignment(const Params& p, const Dataset& data, size_t count,
                                         const DatasetStats& stats);
PerceptualAlignment perceptual_alignment(const Params& p, const Dataset& data, size_t count);

// The same in pieces for an interface: begin(), step() until true, then result(). The parameters are copied
// at begin(); `data` must stay alive and keep its first `count` images. The result equals
// perceptual_alignment's.
class AlignmentBuilder {
 public:
  void begin(const Params& p, const Dataset& data, size_t count);
  // At least `images` more images of work (the stats pass, then the gradient pass). True once done.
  bool step(size_t images);
  bool running() const { return data_ != nullptr; }
  const PerceptualAlignment& result() const { return result_; }

 private:
  Params p_;
  const Dataset* data_ = nullptr;
  size_t count_ = 0, next_ = 0;
  DatasetStatsBuilder stats_;
  DatasetStats done_stats_;
  MatRM means_;
  std::vector<float> cos_;
  Workspace ws_{Arch{}, DatasetStatsBuilder::kBatch};
  PerceptualAlignment result_;
};

}  // namespace bs
