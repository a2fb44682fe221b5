// Experiment f of the trial: regularisation and tilt (docs/trial-rules.md, "f"). The book's recipe with
// weight decay lambda in {0, 1e-4, 1e-3, 1e-2, 3e-2}, otherwise the same seed. Boundary tilting (Tanay &
// Griffin 2016) says the boundary lies close to the data because it is tilted along low-variance directions
// and that decay tilts it back: the input gradient of the margin turns towards the direction between the two
// class means, and the minimal perturbation grows. The off-span story says decay shrinks the leftovers (with
// plain SGD, W1's off-span part decays like (1 - lr lambda)^t) and so moves the minimal perturbation into the
// span. Per model: clean accuracy, W1's off-span norm, and per image the minimal L2 radius, the tilt angle
// and the top-k share.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/robustness.h"
#include "core/train/evaluate.h"
#include "core/train/trainer.h"
#include "core/trial/geometry.h"
#include "core/trial/measures.h"
#include "core/trial/stages.h"

namespace bs {

struct TiltSettings {
  std::vector<float> decays = {0.0f, 1e-4f, 1e-3f, 1e-2f,
                               3e-2f};  // 0 (the book's model) is always run, first
  int epochs = 5;
  int images = 200;           // test images that the decay-0 model and each model both classify correctly
  int k = 0;                  // 0: the smallest k holding 95 % of the variance
  RobustnessSettings attack;  // the minimal-radius PGD (its norm is ignored: always L2)
};

// One image under one model: its minimal L2 perturbation (the closer of DeepFool's and minimal-radius PGD's),
// reaching class `reached` (-1, an infinite radius and NaN angle and share where neither found one).
struct TiltImage {
  uint32_t index = 0;
  int label = 0, reached = -1;
  float radius = 0;
  double angle_deg = 0;    // between -grad(z_label - z_reached) at the image and mean(reached) - mean(label)
  double top_k_share = 0;  // of the perturbation's energy in the span's top k directions
};

struct DecayRun {
  float decay = 0;
  Model model;
  double clean_accuracy = 0;  // on the whole test set
  double off_span_norm = 0;   // ||W1 P_off||_F: W1's part outside the top k directions
  std::vector<TiltImage> images;
  double median_radius = 0, median_angle_deg = 0, mean_top_k_share = 0;  // angle, share: over flipped images
};

struct TiltReport {
  int k = 0;
  std::vector<DecayRun> runs;  // in the order of TiltSettings::decays
};

// `book` is the recipe's model for `seed` without decay (experiment b's A); the other decays are trained here
// from the same seed. The stages: each model's training (`slicing.train_steps` steps per call), the class
// means, then per model its evaluation and its images' minimal attacks (`slicing.images` per call).
class TiltJob : public StagedJob {
 public:
  TiltJob(const Model& book, const Dataset& train, const Dataset& test, const Subspace& subspace,
          uint64_t seed, const TiltSettings& s, Slicing slicing);
  const TiltReport& report() const { return rep_; }
  TiltReport& report() { return rep_; }

 private:
  void add_training(DecayRun* r);
  void add_measures(DecayRun* r);
  void finish_chunk(DecayRun* r);

  const Dataset &train_, &test_;
  const Subspace& subspace_;
  uint64_t seed_;
  TiltSettings s_;
  Slicing slicing_;
  TiltReport rep_;
  Mat means_;
  std::unique_ptr<Trainer> trainer_;
  int epochs_ = 0;
  EvaluationBuilder eval_;
  std::unique_ptr<Workspace> ws_;
  std::vector<uint32_t> idx_;
  size_t next_ = 0;
  std::vector<uint32_t> chunk_;
  Mat chunk_x_;  // the chunk's images as columns, for the attacks and then the measures
  AttackRun deepfool_{Mat()};
  std::optional<MinimalRadiusJob> pgd_;
};

// The rules' f quantities (docs/trial-rules.md) from one seed's report: the model with decay 1e-2 against the
// decay-0 model, paired over the images both measured (the radius over every one of them, +inf where no flip
// was found; the angle and the share over those both flipped, the rest counted as left out), and the checks
// f.decay_took and f.still_learns. Nothing when the report has no 1e-2 model.
SeedMeasures tilt_measures(const TiltReport& r, uint64_t seed);
// The decay the rules judge, against 0.
constexpr float kJudgedDecay = 1e-2f;

TiltReport tilt_experiment(const Model& book, const Dataset& train, const Dataset& test,
                           const Subspace& subspace, uint64_t seed, const TiltSettings& s);

}  // namespace bs
