// Experiment a of the trial: where minimal adversarial perturbations live. Each correctly classified test
// image's minimal L2 perturbation (the closer of DeepFool's and minimal-radius PGD's) is split against the
// data's global span (span_shares.h) and against the image's local tangent space (tangent.h), each beside
// what a random direction would give; then the minimal attack is run again, restricted to the tangent space
// and to its complement, and the three radii are compared.
//
// The linearity story (Goodfellow et al.) predicts each radius from the gradient at the image alone: the
// margin over the gradient's norm (linear_radius).
//
// Predictions: the off-span story (leftover initial weights) wants the perturbations mostly outside the top k
// directions and outside the tangent space, and the complement-restricted attack about as strong as the free
// one; the non-robust-features story wants them largely in-span.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/nn/params.h"
#include "core/robust/robustness.h"
#include "core/trial/geometry.h"
#include "core/trial/measures.h"
#include "core/trial/span_shares.h"
#include "core/trial/stages.h"
#include "core/trial/tangent.h"

namespace bs {

struct MinimalSpanSettings {
  int images = 500;     // the first correctly classified test images
  int k = 0;            // top principal directions; 0: the smallest k holding 95 % of the variance
  int neighbours = 50;  // same-class training images that define the tangent space
  int tangent_dims = 10;
  int wide_tangent_dims = 40;  // a second, wider tangent space (docs/trial-rules.md, a); 0: none
  RobustnessSettings attack;   // its norm is ignored: always L2
};

struct MinimalSpanImage {
  uint32_t index = 0;
  int label = 0;
  float radius = 0;  // the minimal L2 perturbation's length (+inf: no flip found)
  SpanShares shares;
  double tangent_share = 0;  // ||P_T delta||^2 / ||delta||^2
  int tangent_rank = 0;      // dimensions of this image's tangent space (<= tangent_dims)
  float tangent_radius = 0, complement_radius = 0;  // the restricted attacks' radii (+inf: none found)
  // The same against the wider tangent space: its share of delta's energy, its dimensions, and the radius of
  // the attack kept out of it.
  double wide_tangent_share = 0;
  int wide_tangent_rank = 0;
  float wide_complement_radius = 0;
  // The linear estimate of the radius: the logit margin (own class over the runner-up) divided by its input
  // gradient's L2 norm. Exact for a linear model; the linearity story says it stays close.
  float linear_radius = 0;
  // Where a flip was found (docs/trial-rules.md, a): the class reached (-1: none), the cosine between the
  // perturbation and -grad(z_label - z_reached) at the clean image (a linear model's way there), and its
  // angle in degrees to mean(reached) - mean(label) (a nearest-mean classifier's). NaN without a flip.
  int reached = -1;
  double gradient_cosine = 0, mean_angle_deg = 0;
};

struct MinimalSpanReport {
  int k = 0;
  double explained = 0;                         // variance held by the top k directions
  int tangent_dims = 0, wide_tangent_dims = 0;  // the settings' (0: no wide tangent space)
  std::vector<MinimalSpanImage> images;
  SpanShares mean_shares, random_shares;
  double mean_tangent_share = 0, random_tangent_share = 0;
  double mean_wide_tangent_share = 0, random_wide_tangent_share = 0;
  // The energy curve: at k - 1, the mean over the images with a flip of the share of their minimal
  // perturbation's energy in the top k directions, k = 1 ... 784 (a random direction's is k / 784).
  std::vector<double> energy_curve;
  Mat perturbations;  // (784, N): each image's minimal perturbation (0 where none was found)
};

// The rules' a quantities (docs/trial-rules.md) from one seed's report: a.top_k_share (mean),
// a.gradient_cosine and a.tilt_angle (medians) over the images with a flip (the rest left out), and the check
// a.tangent_holds_energy (the tangent space's mean share). Reported, not judged: a.tangent_share.<dims>
// (means) and a.tangent_complement_ratio.<dims> (the median radius kept out of the tangent space over the
// free one) for both tangent sizes.
SeedMeasures span_measures(const MinimalSpanReport& r, uint64_t seed);

// `train` gives the neighbours, `subspace` the global span (data_subspace of the same training images).
MinimalSpanReport minimal_span(const Params& p, const Dataset& train, const Dataset& test,
                               const Subspace& subspace, const MinimalSpanSettings& s);

// The same in stages (stages.h): `slicing.images` images per call. The report grows image by image, with
// the means over the images so far; it equals minimal_span's once done. The datasets and the subspace must
// outlive the run unchanged; the model is copied.
class MinimalSpanJob : public StagedJob {
 public:
  MinimalSpanJob(const Params& p, const Dataset& train, const Dataset& test, const Subspace& subspace,
                 const MinimalSpanSettings& s, Slicing slicing);
  const MinimalSpanReport& report() const { return rep_; }
  size_t images_total() const { return indices_.size(); }

 private:
  enum class Phase { kStart, kNeighbours, kTangentBasis, kFree, kTangent, kComplement, kWideComplement };
  bool measure_step();
  void start_chunk(int first, int count);
  void tangent_spaces();
  void finish_free();
  void start_restricted(Phase phase);

  Params p_;
  const Dataset &train_, &test_;
  const Subspace& subspace_;
  MinimalSpanSettings s_;
  Slicing slicing_;
  MinimalSpanReport rep_;
  std::vector<uint32_t> indices_;
  std::unique_ptr<ClassNeighbours> neighbours_;
  int next_ = 0, measured_ = 0;
  // The chunk of images in progress.
  Phase phase_ = Phase::kStart;
  int chunk_count_ = 0;
  Mat x_;
  std::vector<Goal> goals_;
  AttackRun deepfool_{Mat()};
  std::vector<float> linear_;                   // per image: margin / |gradient|
  std::vector<std::vector<uint32_t>> nearest_;  // per image: its nearest training images of its class
  std::optional<NeighbourQuery> query_;         // the search in progress, for image query_image_
  int query_image_ = 0;
  std::vector<MatRM> tangents_, wide_tangents_;
  std::unordered_map<uint32_t, const MatRM*> by_id_, wide_by_id_;
  std::vector<float> guess_;
  std::optional<ClassMeansBuilder> means_;  // the training classes' means, for the angles
  std::optional<MinimalRadiusJob> radius_;
  SpanShares sum_shares_;
  double sum_tangent_ = 0, sum_rank_ = 0, sum_wide_tangent_ = 0, sum_wide_rank_ = 0;
  std::vector<double> sum_curve_;
};

}  // namespace bs
