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

#include <memory>
#include <optional>
#include <vector>

#include "core/analysis/input_gradient.h"
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

// optimize_input a few steps at a time, so that an interface can spread the ascent over frames (its 200 steps
// took 40 ms in one frame of a throttled phone page). The same arithmetic in the same order: the image is the
// same however the steps are sliced. It ascends on its own copy of the weights, so the model may change
// meanwhile. Not copyable: its gradient refers to that copy.
class InputAscent {
 public:
  InputAscent() = default;
  InputAscent(const InputAscent&) = delete;
  InputAscent& operator=(const InputAscent&) = delete;

  // `borrow`: ascend on `p` itself, not a copy; it must then outlive the ascent unchanged (optimize_input,
  // which runs the ascent whole).
  void begin(const Params& p, NeuronId n, const OptimizeSettings& s, bool borrow = false);
  // Up to `steps` more steps; true once the ascent is over (all steps, or a vanished gradient).
  bool step(int steps);
  bool running() const { return running_; }
  const std::vector<float>& image() const { return x_; }

 private:
  std::optional<Params> copy_;  // the copy ascended on; never made for a borrowing ascent
  OptimizeSettings s_;
  std::vector<float> x_, g_;
  std::unique_ptr<InputGradient> gradient_;
  int done_ = 0;
  bool running_ = false;
};

// Total variation (sum of squared differences of horizontal and vertical neighbours) of a 28x28 image.
double roughness(const float* img);

}  // namespace bs
