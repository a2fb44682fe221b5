// measure_robustness one small unit at a time, for an interface that must keep drawing between units: one
// DeepFool run, one PGD or Square probe, or one bound evaluation, on one image. A job works on its own copy
// of the model, so a pass never mixes two models while the live one trains; the results equal
// measure_robustness's on the same images (checked by a test).
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "core/robust/attack_run.h"
#include "core/robust/bounds.h"
#include "core/robust/dual_bound.h"
#include "core/robust/objective.h"
#include "core/robust/radius_search.h"
#include "core/robust/robustness.h"

namespace bs {

class RobustnessJob {
 public:
  // Images are the columns of x (pixels in [0, 1]); goals[i].id is reported as the image's index.
  RobustnessJob(const Params& model, Mat x, std::vector<Goal> goals, const RobustnessSettings& s);
  // Images `indices` of `data`.
  RobustnessJob(const Params& model, const Dataset& data, const std::vector<uint32_t>& indices,
                const RobustnessSettings& s);
  bool done() const { return results_.size() == goals_.size(); }
  void step();  // one unit of work; nothing when done
  const std::vector<ImageRobustness>& results() const { return results_; }
  const Mat& adversarial() const { return adversarial_; }  // (in, results().size() so far)
  const Mat& images() const { return images_; }            // (in, total())
  // Each attack's closest point on the image finished last (DeepFool, PGD, Square); empty where that attack
  // found nothing or did not run. The page shows them side by side.
  enum Attack { kDeepFoolPoint, kPgdPoint, kSquarePoint };
  const std::array<Vec, 3>& last_points() const { return last_points_; }
  const RobustnessSettings& settings() const { return s_; }
  const Params& model() const { return p_; }
  size_t total() const { return goals_.size(); }

 private:
  enum class Stage { kDeepFool, kPgd, kSquare, kIbp, kCrown };
  void start_image();
  void take(const AttackRun& run);  // keeps the closest adversarial point of the image so far
  void finish_attacks();

  Params p_;
  Mat images_;
  std::vector<Goal> goals_;
  RobustnessSettings s_;
  BoundComputer bc_;
  NetworkD net_;  // the weights in double, for the sound confirmation of the certified radii
  std::vector<ImageRobustness> results_;
  Mat adversarial_;
  // The image in progress.
  Stage stage_ = Stage::kDeepFool;
  Mat x_;
  std::vector<Goal> goal_;
  ImageRobustness r_;
  AttackRun best_;
  std::optional<AttackRadiusSearch> attack_search_;
  std::optional<CertifiedRadiusSearch> certified_search_;
  std::array<Vec, 3> points_, last_points_;
};

}  // namespace bs
