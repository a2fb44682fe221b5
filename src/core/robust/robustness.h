// Both sides of "how far is this image from being misclassified?": the certified radius (IBP and CROWN, lower
// bounds: nothing closer flips it) and the attacks' radii (DeepFool, minimal-radius PGD, and for L-infinity
// the gradient-free Square attack; upper bounds: a flipping point that close exists). The truth lies between
// the largest certified radius and the smallest attack radius (`best`).
#pragma once

#include <cstdint>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/params.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/norm.h"
#include "core/robust/pgd.h"
#include "core/robust/square.h"

namespace bs {

struct RobustnessSettings {
  Norm norm = Norm::kLinf;
  int steps = 40;             // PGD iterations per restart and radius probe
  int restarts = 2;           // PGD restarts per probe
  int square_queries = 1000;  // Square attack queries per probe (L-infinity only; 0 skips it)
  float attack_tolerance = 1e-3f;
  float certify_tolerance = 1e-4f;
  uint64_t seed = 1;
};

struct ImageRobustness {
  uint32_t index = 0;  // in the dataset
  int label = 0;
  float ibp = 0, crown = 0;  // certified radii
  // Attack radii: +inf when the attack found nothing; NaN when it was not run (Square under L2).
  float pgd = 0, deepfool = 0, square = 0;
  float best = 0;  // the smallest attack radius
  int adversarial_prediction = -1;
};

struct RobustnessReport {
  Norm norm = Norm::kLinf;
  std::vector<ImageRobustness> images;
  Mat adversarial;  // (in, N): for each image the point of its best attack (the image itself if none found)
  // Wall time of each stage, for the benchmarks.
  double deepfool_seconds = 0, pgd_seconds = 0, square_seconds = 0, ibp_seconds = 0, crown_seconds = 0;
};

// The attacks' settings as these settings choose them (norm, steps, restarts, queries, seed).
PgdSettings pgd_settings(const RobustnessSettings& s);
SquareSettings square_settings(const RobustnessSettings& s);

// Minimal-radius PGD (minimal_radius.h) with these settings; `first_guess` as RadiusSearch's.
AttackRun minimal_radius_pgd(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                             const RobustnessSettings& s, std::vector<float> first_guess = {});
// The same as a job, one round of probes per step(); `p` must outlive it. `pgd` adjusts the attack's settings
// (e.g. a restriction to a subspace).
MinimalRadiusJob minimal_radius_pgd_job(const Params& p, Mat x, std::vector<Goal> goals,
                                        const RobustnessSettings& s, std::vector<float> first_guess = {},
                                        const PgdSettings* pgd = nullptr);

// The images at `indices` as columns (784 floats in [0, 1] each), and their untargeted goals (label, id =
// the index).
Mat dataset_columns(const Dataset& data, const std::vector<uint32_t>& indices);
std::vector<Goal> dataset_goals(const Dataset& data, const std::vector<uint32_t>& indices);

// The first `count` images of `data`, in file order, that the network classifies correctly (and `also`, when
// given: the images two models are compared on).
std::vector<uint32_t> first_correct_images(const Params& p, const Dataset& data, size_t count,
                                           const Params* also = nullptr);

RobustnessReport measure_robustness(const Params& p, const Dataset& data,
                                    const std::vector<uint32_t>& indices, const RobustnessSettings& s);

struct RobustnessPoint {
  float eps = 0;
  double certified =
      0;                // share of the images whose certified radius (the larger of IBP's and CROWN's) >= eps
  double attacked = 0;  // share that no attack flips within eps (best attack radius > eps)
};
// `points` radii evenly spaced from 0 to `max_eps`.
std::vector<RobustnessPoint> robustness_curve(const std::vector<ImageRobustness>& images, float max_eps,
                                              int points);

// The largest attack radius any attack reached (0 for none): where the accuracy curve ends.
float largest_attack_radius(const std::vector<ImageRobustness>& images);

// The median of a field over the images (the lower middle value for an even count); NaN for none.
float median_of(const std::vector<ImageRobustness>& images, float ImageRobustness::*field);

}  // namespace bs
