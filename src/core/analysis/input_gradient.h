// The gradient of one neuron's pre-activation (an output neuron's logit) with respect to the input pixels at
// x, through the ReLU pattern x switches on. Used by gradient ascent on the input (optimized_image) and by
// the per-pixel account of why a blend flips the prediction (linear_view); it runs hundreds of times per
// figure, so it goes through the SIMD kernels and makes its buffers once.
#pragma once

#include "core/analysis/neurons.h"
#include "core/nn/params.h"

namespace bs {

class InputGradient {
 public:
  InputGradient(const Params& p, NeuronId n);
  // grad (in floats) = d pre-activation / d x at x (in floats).
  void operator()(const float* x, float* grad);

 private:
  const Params& p_;
  NeuronId n_;
  Vec z1_, a1_, z2_, d1_, d2_;
};

// The same, once.
void neuron_input_gradient(const Params& p, NeuronId n, const float* x, float* grad);

}  // namespace bs
