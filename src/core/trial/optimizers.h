// Experiment d of the trial: the same network, seed and data trained with SGD (momentum) and with Adam. Adam
// rescales each weight's step by its own gradient history, so weights that see tiny gradients (the directions
// the data barely uses) move much more than under SGD. If the off-span leftovers were what attacks exploit,
// the two optimizers' different off-span weights would give different minimal perturbations that do not
// transfer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/evaluate.h"
#include "core/trial/measures.h"
#include "core/trial/transfer.h"

namespace bs {

struct OptimizerRun {
  std::string name;  // sgd, adam
  Model model;
  double accuracy = 0;      // on the test set
  double off_drift = 0;     // ||off(W1 - W1_0)|| / ||off(W1_0)||, off = outside the top k directions
  float median_radius = 0;  // median minimal L2 radius (the closer of DeepFool and minimal-radius PGD)
  // The second trial's (docs/trial-rules.md, d): ||W1 P_off||_F; per image, on the first test images both
  // models classify correctly, the minimal radius (+inf: none found) and ||grad_x (z_y - z_runner-up)||, a
  // local Lipschitz estimate, with its median.
  double off_span_norm = 0;
  std::vector<double> radii, gradient_norms;
  double lipschitz = 0;
};

struct OptimizersReport {
  int k = 0;
  OptimizerRun sgd, adam;
  int correct_sgd = 0, correct_adam = 0;
  std::vector<DirectionTransfer> sgd_to_adam, adam_to_sgd;  // on_a: the maker, on_b: the other
  // The second trial's per-image flags of each way (experiment b's equal-norm directions, made on the first).
  std::vector<TransferImage> sgd_to_adam_images, adam_to_sgd_images;
};

// The rules' d quantities (docs/trial-rules.md) from one seed's report: d.radius_ratio (the median radius of
// the model with the larger off-span norm over the other's, paired by image) and the check
// d.optimizers_differ
// (|Adam's off-span norm - SGD's| / SGD's).
SeedMeasures optimizer_measures(const OptimizersReport& r, uint64_t seed);

// `sgd` is the recipe's model for `seed` (transfer_experiment's A); Adam (lr 1e-3, otherwise the recipe) is
// trained here from the same seed. `images`: test images for the minimal radii.
OptimizersReport optimizers_experiment(const Model& sgd, const Dataset& train, const Dataset& test,
                                       const Subspace& subspace, uint64_t seed, int images,
                                       const TransferSettings& s);

// The same in stages: Adam's training (`slicing.train_steps` steps per call), both models' evaluation, their
// minimal radii (`slicing.images` images per call) and the two transfer measurements.
class OptimizersJob : public StagedJob {
 public:
  OptimizersJob(const Model& sgd, const Dataset& train, const Dataset& test, const Subspace& subspace,
                uint64_t seed, int images, const TransferSettings& s, Slicing slicing);
  const OptimizersReport& report() const { return rep_; }
  OptimizersReport& report() { return rep_; }

 private:
  void add_radius(OptimizerRun* r);
  void add_transfer(bool from_sgd);

  const Dataset &train_, &test_;
  const Subspace& subspace_;
  int images_;
  TransferSettings s_;
  Slicing slicing_;
  OptimizersReport rep_;
  std::unique_ptr<Trainer> trainer_;
  int epochs_ = 0;
  EvaluationBuilder eval_;
  std::unique_ptr<Workspace> ws_;
  std::vector<uint32_t> idx_;
  std::vector<double> radii_, gradient_norms_;
  std::vector<float> deepfool_radius_;
  std::optional<MinimalRadiusJob> pgd_;
  size_t next_ = 0;
  std::unique_ptr<TransferMeasureJob> measure_;
};

// ||off(W1 - W1_0)|| / ||off(W1_0)|| with off = outside the top k principal directions.
double off_span_drift(const Model& m, const Subspace& subspace, int k);

}  // namespace bs
