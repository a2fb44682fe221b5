// Adversarial training: each minibatch is replaced by, or averaged with, its worst case inside a small ball
// around every image, found by gradient ascent on the batch's loss. FGSM training (Goodfellow et al. 2014) is
// one full-length sign step from the image itself, averaged with the clean batch. PGD training (Madry et al.
// 2018) takes k shorter steps from a random point of the ball, projecting back after each, and trains on the
// adversarial batch alone: it finds a far worse case than one step, which is what makes the model robust
// rather than merely robust to FGSM.
#pragma once

#include <cstdint>

#include "core/nn/mlp.h"
#include "core/robust/norm.h"
#include "core/util/rng.h"

namespace bs {

struct AdversarialConfig {
  float eps = 0.0f;  // the ball's radius in `norm`; 0: off
  Norm norm = Norm::kLinf;
  int steps = 1;
  float step_ratio = 1.0f;  // each step's length is step_ratio * eps / steps
  bool random_start = false;
  bool mix_clean = true;  // the gradient is the mean of the clean and the adversarial one; false: adversarial
  // eps grows linearly from 0 over this many epochs of images seen (0: full eps from the first step). A
  // network at its random start has no margin to defend; the ramp lets it learn the digits first.
  float ramp_epochs = 0.0f;
  bool on() const { return eps > 0 && steps > 0; }
};

// FGSM training at radius eps (L-infinity): one step of eps from the image, mean with the clean gradient.
AdversarialConfig fgsm_training(float eps);

// PGD-k training at radius eps: random start, k steps of 2.5 eps / k, the adversarial batch alone, eps
// ramped up over the first epoch.
AdversarialConfig pgd_training(float eps, int steps, Norm norm);

// The radius in force after `images_seen` images of an epoch of `epoch_size` (the ramp).
float ramped_eps(const AdversarialConfig& c, double images_seen, double epoch_size);

// The training gradient on an adversarial batch. Scratch sized once; gradient() allocates nothing.
class AdversarialBatch {
 public:
  AdversarialBatch(const AdversarialConfig& c, const Arch& arch, int max_batch, uint64_t seed);

  // The first b columns of ws.x (labels ws.y) are the clean batch. Moves them to the adversarial batch at
  // radius eps, fills ws.grad with the gradient to step along (see mix_clean) and returns the matching loss.
  float gradient(const Params& p, Workspace& ws, int b, float eps);

 private:
  AdversarialConfig c_;
  Mat x0_;             // (in, max_batch): the clean batch, the balls' centres
  Params clean_grad_;  // mix_clean: the clean batch's gradient while the adversarial one is computed
  Pcg32 rng_;          // random starts; its own stream, so the option does not change the shuffling
};

}  // namespace bs
