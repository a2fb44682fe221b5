// Experiment e of the trial, bugs or features (after Ilyas et al. 2019's "deterministic" dataset): push each
// training image towards the class after its own, t = (y + 1) mod 10, with targeted L2 PGD on model A, and
// label it t. To a person the images still show y, so the labels are wrong; a network trained only on them
// can do well on the real test set only if the perturbations carry real, predictive patterns of class t.
//   pgd       the free attack
//   off_span  the same attack restricted to the directions outside the top k (the seed's story's territory)
//   control   no perturbation, the same shifted labels
// Predictions: the non-robust-features story expects `pgd` far above chance (10 %), and says nothing of
// `off_span`; if the off-span leftovers were the features that matter, `off_span` would do as well as `pgd`.
// The control shows what the shifted labels alone give.
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
#include "core/trial/stages.h"

namespace bs {

struct FeaturesSettings {
  size_t images = 10000;  // the first training images
  float eps = 2.0f;       // L2 radius of the push
  int steps = 20;
  int restrict_rounds = 3;  // for the off-span attack
  int epochs = 5;           // training of each fresh model on its set
  int k = 0;                // 0: the smallest k holding 95 % of the variance
};

struct FeaturesVariant {
  std::string name;                // pgd, off_span, control
  double target_rate = 0;          // share of the pushed images that model A classifies as their new label t
  double clean_test_accuracy = 0;  // the fresh model's, on the real test set with the true labels
  Model model;
};

struct FeaturesReport {
  int k = 0;
  size_t images = 0;
  std::vector<FeaturesVariant> variants;
};

// `a` makes the perturbations; each fresh model starts from `seed` (the recipe otherwise). Pixels are stored
// as bytes, so each pushed image is rounded to the nearest 1/255.
FeaturesReport features_experiment(const Params& a, const Dataset& train, const Dataset& test,
                                   const Subspace& subspace, uint64_t seed, const FeaturesSettings& s);

// The same in stages: per variant, the push (`slicing.images` x 4 images per call), the fresh model's
// training (`slicing.train_steps` steps per call) and its evaluation. The model `a` is copied; the datasets
// and the subspace must outlive the job unchanged.
class FeaturesJob : public StagedJob {
 public:
  FeaturesJob(const Params& a, const Dataset& train, const Dataset& test, const Subspace& subspace,
              uint64_t seed, const FeaturesSettings& s, Slicing slicing);
  // The finished variants.
  const FeaturesReport& report() const { return rep_; }
  FeaturesReport& report() { return rep_; }

 private:
  void add_variant(const char* name);

  Params a_;
  const Dataset &train_, &test_;
  uint64_t seed_;
  FeaturesSettings s_;
  Slicing slicing_;
  FeaturesReport rep_;
  MatRM top_;
  // The variant in progress.
  FeaturesVariant v_;
  Dataset set_;
  size_t next_ = 0, reached_ = 0;
  int epochs_ = 0;
  std::unique_ptr<Trainer> trainer_;
  EvaluationBuilder eval_;
  std::unique_ptr<Workspace> ws_;
};

}  // namespace bs
