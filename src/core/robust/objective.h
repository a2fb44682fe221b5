// What an attack pushes up, and its gradient with respect to the input pixels, for a batch of images at once
// (the columns of Workspace::x) through the network's SIMD kernels.
//
//   untargeted (target < 0): leave the true label y.      targeted: reach class t.
//   cross-entropy:  CE(z, y)                              -CE(z, t)
//   margin (Carlini & Wagner): max_{j != y} z_j - z_y      z_t - max_{j != t} z_j
// The attack has succeeded once the prediction leaves y (untargeted) or is t (targeted); the margin objective
// is then > 0. Margin gradients stay informative where the softmax saturates, cross-entropy is the classic
// PGD loss; the attacks alternate them over restarts.
#pragma once

#include <cstdint>

#include "core/nn/mlp.h"

namespace bs {

enum class AttackLoss { kCrossEntropy, kMargin };

struct Goal {
  int label = 0;
  int target = -1;  // -1: any class but `label`
  uint32_t id = 0;  // the image's index in its dataset: seeds the attack's random draws for this image
};

// The logits of the first b columns of ws.x into ws.logits (no softmax), keeping the hidden layers' z and a.
void attack_logits(const Params& p, Workspace& ws, int b);

// The class with the largest of the logits (out values) other than `skip` (ties: the lower class).
int best_other(const float* z, int out, int skip);

// Whether logits (out values) meet the goal.
bool goal_reached(const float* logits, int out, const Goal& g);

// The margin objective of the formula above for logits (out values): > 0 exactly when the goal is reached
// (ties aside).
float goal_margin(const float* logits, int out, const Goal& g);

// After attack_logits: ws.dx column j = d objective_j / d x_j for each of the first b columns (each image its
// own objective, not a batch mean). goals has b entries.
void objective_input_gradient(const Params& p, Workspace& ws, int b, const Goal* goals, AttackLoss loss);

}  // namespace bs
