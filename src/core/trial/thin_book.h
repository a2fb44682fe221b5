// Experiment c of the trial, the thin book: train on images confined to the top d principal directions (plus
// the mean image), d in {10, 30, 154, 784}, from initial weights scaled by 0.25 or 1. Then the part of the
// weights outside the data's span is exactly the initialisation's, and its size is set by the init scale.
//
// Predictions: the off-span story wants the attack restricted to off-span directions to flip images at a
// radius that shrinks as that leftover grows (larger init scale, smaller d); if instead the in-span attack
// stays the cheaper one whatever the leftover, the leftovers are not what attacks exploit.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/robust/robustness.h"
#include "core/train/trainer.h"
#include "core/trial/measures.h"
#include "core/trial/stages.h"

namespace bs {

struct ThinBookSettings {
  std::vector<int> dims = {10, 30, 154, 784};
  std::vector<float> init_scales = {0.25f, 1.0f};
  int epochs = 5;
  // The restricted attacks project every step several times (784-wide products with up to 155 rows), so
  // they run on fewer images and lighter settings than experiment a's free attack.
  int images = 50;                             // correctly classified raw test images attacked per model
  RobustnessSettings attack = light_attack();  // its norm is ignored: always L2
  int restrict_rounds = 5;                     // PgdSettings::restrict_rounds for the restricted attacks

  static RobustnessSettings light_attack() {
    RobustnessSettings r;
    r.steps = 20;
    r.restarts = 1;
    return r;
  }
};

struct ThinBookRun {
  int d = 0;
  float init_scale = 1;
  Model model;
  double accuracy_projected = 0, accuracy_raw = 0;  // on the projected and on the raw test images
  double off_share = 0;       // ||W1 off the span|| / ||W1||, the span being span(top d, mean)
  double init_off_share = 0;  // the same for the initial W1
  double off_change = 0;      // ||(W1 - W1_0) off the span|| / ||W1 - W1_0||: 0 up to rounding
  // Median minimal L2 radius over the attacked images with the attack restricted to the span and to its
  // complement (+inf when the median image found no flip; off-span is empty at d = 784), and how many
  // flipped.
  float radius_in = 0, radius_off = 0;
  int found_in = 0, found_off = 0, attacked = 0;
  // Per attacked image, in order: the two restricted radii (+inf: no flip; radii_off empty at d = 784).
  std::vector<double> radii_in, radii_off;
};

// The rules' c quantities (docs/trial-rules.md) from one seed's runs: c.off_over_in.<d> at init scale 1 (per
// image the off-span radius over the in-span one, median; an image with neither flip is left out) and
// c.scale_effect.<d> (the median off-span radius at scale 1 over at 0.25: one value per seed, the two models
// attack different images), for d = 10, 30, 154; the checks c.leftovers_untouched (the largest off-span
// change of W1 over its total change) and c.learned (the lowest raw accuracy at d = 30 and 154).
SeedMeasures thin_measures(const std::vector<ThinBookRun>& runs, uint64_t seed);

// The projection onto mean + span(top d directions); null at d >= 784 (the images as they are).
std::shared_ptr<const InputProjection> input_projection(const Subspace& s, int d);
// An orthonormal basis (rows) of span(top d directions, mean image).
MatRM affine_span_basis(const Subspace& s, int d);

// The same in stages: per model, `slicing.train_steps` minibatch steps per call, then its accuracies and
// shares over 100 x `slicing.images` test images per call, then `slicing.images` attacked images per call.
// The datasets and the subspace must outlive the job unchanged.
class ThinBookJob : public StagedJob {
 public:
  ThinBookJob(const Dataset& train, const Dataset& test, const Subspace& s, uint64_t seed,
              const ThinBookSettings& settings, Slicing slicing);
  // The finished models' runs, in the order of dims then init_scales.
  const std::vector<ThinBookRun>& runs() const { return runs_; }
  std::vector<ThinBookRun>& runs() { return runs_; }
  size_t models_total() const { return settings_.dims.size() * settings_.init_scales.size(); }

 private:
  void add_model(int d, float scale);
  void start_attack(bool complement);

  const Dataset &train_, &test_;
  const Subspace& s_;
  uint64_t seed_;
  ThinBookSettings settings_;
  Slicing slicing_;
  std::vector<ThinBookRun> runs_;
  // The model in progress.
  ThinBookRun run_;
  std::unique_ptr<Trainer> trainer_;
  MatRM q_;  // affine_span_basis(s, d)
  int epochs_ = 0;
  size_t next_ = 0;
  long right_projected_ = 0, right_raw_ = 0;
  std::vector<uint32_t> attacked_;
  std::vector<double> radius_in_, radius_off_;
  std::optional<MinimalRadiusJob> radius_;
  bool complement_ = false;
};

std::vector<ThinBookRun> thin_book(const Dataset& train, const Dataset& test, const Subspace& s,
                                   uint64_t seed, const ThinBookSettings& settings);

}  // namespace bs
