// Experiment b of the trial: do the patterns that fool model A also fool model B, trained with the same
// recipe from another seed? The off-span story says no for the off-span part (each seed leaves different
// random leftovers); the non-robust-features story says yes (the features are the data's, not the seed's).
//
// Directions made on A and blended into test 7s at alpha = 1, x + d clipped to [0, 1]:
//   full, in_span, off_span  A's output pattern for the target and its two parts (max |d| = 1;
//   attack_survey.h) pgd                      each image's minimal targeted L2 PGD perturbation on A, scaled
//   by pgd_scale fgsm                     the targeted sign step on A's gradient (max |d| = 1)
// For each, the share of the 7s that A classifies correctly, and of those B does, that turn into the target.
// While both train (in lockstep), the cosine between A's and B's output patterns, in-span and off-span parts
// apart, every `track_every` steps.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/attack_survey.h"
#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/robust/robustness.h"
#include "core/train/trainer.h"
#include "core/trial/measures.h"
#include "core/trial/stages.h"

namespace bs {

struct TransferSettings {
  int source = 7, target = 0;
  int k = 0;  // 0: the smallest k holding 95 % of the variance
  int epochs = 5;
  float pgd_scale = 1.5f;
  int track_every = 100;      // training steps between cosine points
  int max_images = 0;         // test images of the source digit to use (0: all)
  RobustnessSettings attack;  // for the pgd direction (its norm is ignored: always L2)
};

struct DirectionTransfer {
  std::string name;           // full, in_span, off_span, pgd, fgsm
  double on_a = 0, on_b = 0;  // share of the correctly classified source images turned into the target
};

struct CosinePoint {
  long step = 0;
  double in_span = 0, off_span = 0;  // mean over the classes of cos(A's part, B's part)
};

// The second trial's b (docs/trial-rules.md), per source image: which model reads it correctly, which of the
// directions at one L2 norm turn it into the target on each model, and where along the full pattern it flips.
constexpr int kEqualDirections =
    4;  // in_span, off_span, pgd at the full pattern's L2 norm; fgsm, a small step
const char* equal_direction_name(int i);
struct TransferImage {
  uint32_t index = 0;
  bool right_a = false, right_b = false;
  std::array<bool, kEqualDirections> flip_a{}, flip_b{};
  // alpha* over alpha_lin: the first alpha (0 to 3 by 0.01) at which A reads the target on x + alpha full
  // (unclipped), over the first-order prediction from the clean image; +inf when alpha_lin is not positive or
  // nothing flips by 3. Measured where A reads the image correctly.
  double flip_point_ratio = 0;
};

struct TransferReport {
  Model a, b;
  int k = 0;
  int count_a = 0, count_b = 0;  // source images each model classifies correctly
  std::vector<DirectionTransfer> directions;
  std::vector<CosinePoint> cosine;
  double common_norm = 0;  // the full pattern's L2 norm at max |d| = 1: every equal-norm direction's
  double fgsm_eps = 0;     // 1.5 x the median minimal L-inf radius (targeted) of A's correct source images
  std::vector<TransferImage> images;
};

// The rules' b quantities from one seed's report: b.transfer.<d> (the rate on B over the rate on A, images
// resampled with their four flags), b.off_over_in_on_a, b.flip_point_ratio (median) and the checks
// b.source_works.<d> (A's own rate).
SeedMeasures transfer_measures(const TransferReport& r, uint64_t seed);

// Trains A from seed_a and B from seed_b (default_train_config(), `epochs` epochs each), then measures.
TransferReport transfer_experiment(const Dataset& train, const Dataset& test, const Subspace& subspace,
                                   uint64_t seed_a, uint64_t seed_b, const TransferSettings& s);

// The directions made on `a`, applied to `a` and to `b` (the second half of transfer_experiment); the counts
// of source images each model classifies correctly.
std::vector<DirectionTransfer> measure_transfer(const Params& a, const Params& b, const Dataset& test,
                                                const Subspace& subspace, int k, const TransferSettings& s,
                                                int* count_a, int* count_b);

// measure_transfer in stages: `slicing.images` source images per call (their PGD perturbation and the five
// directions). The models are copied; `test` and `subspace` must outlive the run unchanged.
class TransferMeasureJob : public StagedJob {
 public:
  TransferMeasureJob(const Params& a, const Params& b, const Dataset& test, const Subspace& subspace, int k,
                     const TransferSettings& s, Slicing slicing);
  // The shares over the images so far.
  std::vector<DirectionTransfer> directions() const;
  int count_a() const { return count_a_; }
  int count_b() const { return count_b_; }
  // The second trial's per-image figures so far, and the norms they use.
  const std::vector<TransferImage>& images() const { return images_out_; }
  double common_norm() const { return common_norm_; }
  double fgsm_eps() const { return fgsm_eps_; }
  int images_done() const { return next_; }
  int images_total() const { return int(images_.size()); }

 private:
  void start_chunk(int first, int count);
  void finish_chunk();
  void equal_norm_chunk(const AttackRun& pgd_equal);
  bool linf_step();
  double flip_point_ratio(const float* x, const float* full);
  int predicts(const Params& p, const float* x, const float* d);

  Params a_, b_;
  const Dataset& test_;
  TransferSettings s_;
  Slicing slicing_;
  FixedDirections fixed_;
  std::vector<uint32_t> images_;
  int next_ = 0, count_a_ = 0, count_b_ = 0;
  int flipped_a_[5] = {}, flipped_b_[5] = {};
  Workspace ws_;
  std::vector<float> probs_, zero_;
  // The chunk in progress.
  Mat x_;
  std::vector<uint8_t> right_a_, right_b_;
  std::vector<Goal> goals_;
  std::optional<MinimalRadiusJob> pgd_;
  // The second trial's: the fgsm step's size from A's minimal L-inf radii (a first pass over the images),
  // the common norm, each image's figures, and a batch for the flip-point scan.
  std::vector<float> linf_radii_;
  size_t linf_next_ = 0;
  std::optional<MinimalRadiusJob> linf_;
  std::vector<Goal> linf_goals_;
  double common_norm_ = 0, fgsm_eps_ = 0;
  std::vector<TransferImage> images_out_;
  Workspace scan_ws_;
};

// Experiment b in stages: A (or the given fixed model A) and B trained in lockstep, `slicing.train_steps`
// minibatch steps per call, a cosine point every `track_every` steps; then the measurement. With a fixed A,
// the cosine points follow B's patterns towards A's final ones.
class TransferJob : public StagedJob {
 public:
  TransferJob(const Dataset& train, const Dataset& test, const Subspace& subspace, uint64_t seed_a,
              uint64_t seed_b, const TransferSettings& s, Slicing slicing, const Model* fixed_a = nullptr);
  // Complete once done; while training, the models and cosine points so far.
  const TransferReport& report() const { return rep_; }
  TransferReport& report() { return rep_; }
  bool training() const { return stages_.finished() == 0; }
  int epochs_done() const { return epochs_; }
  const TransferMeasureJob* measure() const { return measure_.get(); }

 private:
  const Dataset &train_, &test_;
  const Subspace& subspace_;
  TransferSettings s_;
  Slicing slicing_;
  bool train_a_;
  Trainer ta_, tb_;
  TransferReport rep_;
  std::unique_ptr<TransferMeasureJob> measure_;
  long step_ = 0;
  int in_block_ = 0, epochs_ = 0;
};

// The cosine point of two models' output patterns (rows of W3 W2 W1), split against the top k directions.
CosinePoint pattern_cosine(const Params& a, const Params& b, const Subspace& subspace, int k);

}  // namespace bs
