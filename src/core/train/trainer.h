// Minibatch training in bounded slices: train_steps(n) runs at most n optimizer steps and returns, so a UI
// can interleave training with frames. Works on a dataset that is still growing (streamed): each epoch
// shuffles the images that have arrived when it starts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/mlp.h"
#include "core/nn/row_projection.h"
#include "core/train/adversarial.h"
#include "core/train/optimizer.h"
#include "core/util/rng.h"

namespace bs {

// Trains on images confined to an affine subspace (the trial's "thin book", docs/trial.md): each input x is
// replaced by mean + B^T B (x - mean), B's rows orthonormal. The layer-1 weight gradient is then a
// combination of such inputs, so training changes W1 only inside span(B's rows, mean).
struct InputProjection {
  MatRM basis;  // (d, 784)
  Vec mean;     // (784)
};

struct TrainConfig {
  OptimizerConfig opt;
  int batch = 64;
  uint64_t shuffle_seed = 1;
  // The learning rate decays smoothly by this factor per epoch: lr(t) = lr * decay^(images seen / epoch
  // size).
  float lr_decay = 1.0f;
  // For data that is still arriving (0: off). Epoch e covers the first min(total, start_images * 2^e) images
  // and waits until they are there, so what is trained on never depends on when bytes happened to arrive: the
  // same seed gives the same weights on every run, however fast or slow the network.
  size_t start_images = 0;
  // "Street-smart" options, 0 = off. Gaussian noise of this standard deviation is added to every training
  // image (then clipped to [0, 1]).
  float input_noise = 0.0f;
  // Adversarial training (adversarial.h): FGSM or PGD-k, off by default.
  AdversarialConfig adversarial;
  std::shared_ptr<const InputProjection> projection;  // null: the images as they are
  // With the wide kernels (AVX2, AVX-512) and enough steps per call, layer 1's weights are kept input-major
  // while training (below): the same results bit for bit, without the transpose each forward pass would
  // otherwise make. false keeps them as the model has them (a test compares the two).
  bool layer1_input_major = true;
};

// The documented default recipe (docs/training.md, "Training recipe"): SGD with momentum, decaying learning
// rate.
TrainConfig default_train_config();
// The learning rate each optimizer trains this network well at: SGD with momentum 0.03, Adam 0.001. Choosing
// an optimizer (the CLI's --optimizer, the page's field) brings its rate unless one is given.
float default_learning_rate(OptimizerKind kind);
// Fashion-MNIST's (docs/training.md, "Two books"): Adam at 1e-3, decaying by 0.8 per epoch, batch 32. Clothes
// take longer to learn than digits, and SGD's halving per epoch stops them early: after 10 epochs this
// reaches 88.4-88.7 % on the test set (seeds 1-4) where the digits' recipe stays at 87.3 %.
TrainConfig fashion_train_config();

// Where a run stands: what a thread that trains reports to the one that shows it (remote_run.h).
struct TrainerProgress {
  long long step = 0;
  long long images_seen = 0;
  int epochs_completed = 0;
  bool epoch_just_ended = false;
  float last_loss = 0.0f;
  std::vector<float> epoch_losses;
};

class Trainer {
 public:
  Trainer(const TrainConfig& cfg, const Arch& arch);

  // Runs up to `steps` minibatch steps on `data` (only its complete images). Stops early after the step that
  // ends an epoch, so callers can report per-epoch figures. Returns the number of steps run (0 if no data, or
  // when the growing schedule waits for images).
  int train_steps(Params& p, const Dataset& data, int steps);

  const TrainConfig& config() const { return cfg_; }
  long long step() const { return progress_.step; }
  long long images_seen() const { return progress_.images_seen; }
  int epochs_completed() const { return progress_.epochs_completed; }
  bool epoch_just_ended() const { return progress_.epoch_just_ended; }
  float last_loss() const { return progress_.last_loss; }
  // Mean training loss over the current epoch so far (or the epoch that just ended).
  float epoch_loss() const { return epoch_images_ ? float(epoch_loss_sum_ / double(epoch_images_)) : 0.0f; }
  float current_lr(const Dataset& data) const;
  // Mean training loss of each completed epoch.
  const std::vector<float>& epoch_losses() const { return progress_.epoch_losses; }
  const TrainerProgress& progress() const { return progress_; }
  // Takes on another trainer's progress (the run trains elsewhere, this one mirrors it): the counters only,
  // not the shuffle or the optimizer's state, so train_steps must not be called on it afterwards.
  void adopt(const TrainerProgress& p);

 private:
  bool start_epoch(const Dataset& data);           // false: the schedule's images have not all arrived yet
  float train_batch(Params& p, int b, float eps);  // forward + backward (+ the options) on ws_.x: ws_.grad
  // Puts layer 1's weights in `p`, and the optimizer's moments of them, in the layout a step of b images
  // will use (workspace's layer1_input_major), transposing what is not in it yet.
  void use_layer1_layout(Params& p, bool input_major);

  TrainConfig cfg_;
  Optimizer opt_;
  Workspace ws_;
  Pcg32 rng_;
  Pcg32 noise_rng_;  // its own stream: switching the options on does not change the shuffling
  AdversarialBatch adversarial_;
  std::optional<RowProjection> projection_;  // of cfg_.projection, its scratch sized once
  // Layer 1 input-major (TrainConfig::layer1_input_major): where p's and the moments' data are now, and room
  // for a transpose, sized once.
  bool weights_input_major_ = false, moments_input_major_ = false;
  MatRM layer1_scratch_;
  std::vector<uint32_t> order_;
  size_t cursor_ = 0;
  TrainerProgress progress_;
  double epoch_loss_sum_ = 0.0;
  long long epoch_images_ = 0;
};

}  // namespace bs
