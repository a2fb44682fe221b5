// The image that maximally activates a neuron, read off its effective weight on each pixel (biases and ReLU
// gates ignored, as in the article): the neuron's pre-activation changes by exactly that weight per unit of
// pixel intensity when every ReLU on the way is open, so the unit-norm image that excites it most is this row
// of weights, normalised.
//   layer 1: its row of W1
//   layer 2: the sum over every length-2 path pixel -> layer-1 neuron -> it of the weight products = row of
//   W2 W1 output:  the same over length-3 paths = row of W3 W2 W1
#pragma once

#include <array>

#include "core/analysis/neurons.h"
#include "core/nn/params.h"

namespace bs {

struct EffectiveWeights {
  std::array<MatRM, 3>
      layer;  // (h1, in), (h2, in), (out, in); row i is neuron i's pattern over the 784 pixels

  const float* pattern(NeuronId n) const { return layer[n.layer - 1].row(n.index).data(); }
};

EffectiveWeights effective_weights(const Params& p);
// The same into `e`, reusing its storage when the shapes match: the page refreshes them several times a
// second, and a 230 kB allocation each time fragments a WebAssembly heap that cannot shrink.
void effective_weights(const Params& p, EffectiveWeights* e);

}  // namespace bs
