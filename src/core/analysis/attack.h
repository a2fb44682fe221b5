// The overlay attack: blend a neuron's effective-weight pattern into an image and watch the prediction.
//   x(alpha) = clip(x + alpha * p / max|p|, 0, 1)      (unclipped: without clip)
// With p the output "0" neuron's pattern, a correctly classified 7 turns into a confident "0" once alpha is
// large enough, although the blend still looks like a 7 to a person.
#pragma once

#include <vector>

#include "core/nn/mlp.h"
#include "core/util/status.h"

namespace bs {

struct OverlaySettings {
  bool clip = true;
  float alpha_max = 3.0f;   // search range [0, alpha_max]
  int scan_steps = 300;     // coarse scan, then bisection inside the first step that flips
  float tolerance = 1e-4f;  // bisection stops when the bracket is this narrow
};

// p / max|p| (all zeros stays zeros).
std::vector<float> unit_pattern(const float* pattern, int n);

// out = x + alpha * unit, clipped to [0, 1] if `clip`. All arrays have n elements.
void overlay(float* out, const float* x, const float* unit, float alpha, bool clip, int n);

struct FlipResult {
  bool flipped = false;        // some alpha in [0, alpha_max] makes the prediction `target`
  float alpha = 0;             // the smallest such alpha found (scan + bisection)
  int source_prediction = -1;  // prediction at alpha = 0
  float source_confidence = 0;
  float target_confidence = 0;  // probability of `target` at `alpha`
  float l2 = 0, linf = 0;       // norms of the actual perturbation x(alpha) - x (after clipping)
};

// `x` and `unit` have 784 floats (x in [0, 1]). The workspace needs max_batch >= 1.
FlipResult find_flip(const Params& p, Workspace& ws, const float* x, const float* unit, int target,
                     const OverlaySettings& s);

// Size of a perturbation: L2, L-infinity and per-pixel RMS of blend - x (n values each).
struct PerturbationSize {
  float l2 = 0, linf = 0, rms = 0;
};
PerturbationSize perturbation_size(const float* blend, const float* x, int n);

// Prediction and probabilities of x(alpha): returns the predicted class; probs gets `out` floats.
int predict_overlay(const Params& p, Workspace& ws, const float* x, const float* unit, float alpha, bool clip,
                    float* probs);

}  // namespace bs

namespace bs {

struct FlipRate {
  int count = 0;    // correctly classified images of the source digit (the ones attacked)
  int flipped = 0;  // of those, predicted as the target at the given alpha
  double rate() const { return count ? double(flipped) / double(count) : 0.0; }
};

// The first image of `data` labelled `digit` that the network classifies correctly, if any.
Expected<size_t> first_correct(const Params& p, const Dataset& data, int digit);
// The next such image after `from` (or before it, with step -1), wrapping around the dataset; `from` itself
// only if it is the only one.
Expected<size_t> next_correct(const Params& p, const Dataset& data, int digit, size_t from, int step);

// Over every image of `data` labelled `digit` that the network classifies correctly.
FlipRate flip_rate(const Params& p, const Dataset& data, int digit, int target, const float* unit,
                   float alpha, bool clip);

}  // namespace bs
