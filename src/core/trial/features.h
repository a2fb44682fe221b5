// Experiment e of the trial, bugs or features (after Ilyas et al. 2019): push training images towards another
// class with targeted L2 PGD on model A until A reads that class, label them with it, and train a fresh model
// on nothing else. To a person the pushed images still show their own digit, so the labels are wrong; a model
// trained on them can do well on the real test set only if the pushes carry real, predictive patterns of the
// new class. docs/trial-rules.md, e, fixes the sets:
//   det              target t = (y + 1) mod 10 (Ilyas's deterministic set)
//   rand             t drawn uniformly from the nine other classes, so that shape no longer predicts the
//   label det_off_span,    the same pushes kept off the data's span (the seed's story's territory: leftovers
//   rand_off_span    carry nothing a fresh model could learn)
//   control_det,     the unpushed images that det (rand) kept, with det's (rand's) labels: what the labels
//   control_rand     alone teach, which is the floor the pushed sets are read against
// Each push starts at radius 0.5, grows by 0.5 every 10 steps up to 8 and stops at the first step where A
// reads the target, judged on the image as stored in bytes; images never pushed across are left out and
// counted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/evaluate.h"
#include "core/train/trainer.h"
#include "core/trial/measures.h"
#include "core/trial/stages.h"

namespace bs {

struct FeaturesSettings {
  size_t images = 60000;    // the first training images (all of them by the rules)
  float eps_start = 0.5f;   // the push's first radius (L2)
  float eps_grow = 0.5f;    // added every `steps` steps
  float eps_max = 8.0f;     // the largest radius
  int steps = 10;           // PGD steps at each radius
  int restrict_rounds = 3;  // for the pushes kept off the span
  int epochs = 5;           // training of each fresh model on its set (the recipe's)
  int k = 0;                // 0: the smallest k holding 95 % of the variance
  bool keep_sets = false;   // keep each set in its variant (for the CLI's exports)
  int total_steps() const;  // of the whole schedule
};

// The sets in the order they are made; their names are the rules' (e.clean_accuracy.<name>).
enum class PushSet { kDet, kRand, kDetOffSpan, kRandOffSpan, kControlDet, kControlRand };
constexpr int kPushSets = 6;
const char* push_set_name(PushSet s);  // "det", "rand", "det_off_span", ..., "control_rand"

struct FeaturesVariant {
  std::string name;                // push_set_name
  size_t attempted = 0;            // images pushed (a control: the images of its set)
  size_t kept = 0;                 // images in the set (pushes that reached their target)
  double target_rate = 0;          // kept / attempted: the share A reads as the new label
  double median_push_l2 = 0;       // of the kept images' pushes, as stored (0 for a control)
  double clean_test_accuracy = 0;  // the fresh model's, on the real test set with the true labels
  size_t test_images = 0;          // of that test set
  Model model;
  // With keep_sets: the set itself, and each image's true label.
  Dataset set;
  std::vector<uint8_t> source_labels;
};

struct FeaturesReport {
  int k = 0;
  size_t images = 0;
  std::vector<FeaturesVariant> variants;  // in PushSet order
};

// `a` makes the pushes; each fresh model starts from `seed` (the recipe otherwise), and rand's targets are
// drawn from `seed` too.
FeaturesReport features_experiment(const Params& a, const Dataset& train, const Dataset& test,
                                   const Subspace& subspace, uint64_t seed, const FeaturesSettings& s);

// The same in stages: per set, the pushes (`slicing.images` images per call), the fresh model's training
// (`slicing.train_steps` steps per call) and its evaluation. The model `a` is copied; the datasets and the
// subspace must outlive the job unchanged.
class FeaturesJob : public StagedJob {
 public:
  FeaturesJob(const Params& a, const Dataset& train, const Dataset& test, const Subspace& subspace,
              uint64_t seed, const FeaturesSettings& s, Slicing slicing);
  // The finished variants.
  const FeaturesReport& report() const { return rep_; }
  FeaturesReport& report() { return rep_; }

 private:
  void add_set(PushSet set);
  bool push_chunk(PushSet set);  // true once the set is made
  void make_control(PushSet set);
  int target_of(PushSet set, size_t i) const;

  Params a_;
  const Dataset &train_, &test_;
  uint64_t seed_;
  FeaturesSettings s_;
  Slicing slicing_;
  FeaturesReport rep_;
  MatRM top_;
  std::vector<uint8_t> rand_targets_;  // rand's target per image, drawn once
  // Which images det and rand kept, for their controls.
  std::vector<uint32_t> kept_det_, kept_rand_;
  // The set in progress.
  FeaturesVariant v_;
  Dataset set_;
  std::vector<uint8_t> source_;
  std::vector<double> push_l2_;
  size_t next_ = 0;
  int epochs_ = 0;
  std::unique_ptr<Trainer> trainer_;
  EvaluationBuilder eval_;
  std::unique_ptr<Workspace> ws_;
};

// What the rules read from one seed's experiment e (docs/trial-rules.md, e): each set's clean accuracy and
// median push, and each pushed set's target rate as its manipulation check.
SeedMeasures features_measures(const FeaturesReport& r, uint64_t seed);

}  // namespace bs
