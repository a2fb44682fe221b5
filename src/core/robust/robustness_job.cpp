#include "core/robust/robustness_job.h"

#include <cmath>
#include <limits>

#include "core/robust/deepfool.h"
#include "core/robust/pgd.h"
#include "core/robust/sound_radius.h"
#include "core/robust/square.h"

namespace bs {

RobustnessJob::RobustnessJob(const Params& model, const Dataset& data, const std::vector<uint32_t>& indices,
                             const RobustnessSettings& s)
    : RobustnessJob(model, dataset_columns(data, indices), dataset_goals(data, indices), s) {}

RobustnessJob::RobustnessJob(const Params& model, Mat x, std::vector<Goal> goals, const RobustnessSettings& s)
    : p_(model),
      images_(std::move(x)),
      goals_(std::move(goals)),
      s_(s),
      bc_(p_),
      net_(p_),
      adversarial_(kPixels, 0),
      x_(kPixels, 1),
      goal_(1),
      best_(Mat(kPixels, 1)) {
  results_.reserve(goals_.size());
  adversarial_.resize(kPixels, long(goals_.size()));
  if (!goals_.empty()) start_image();
}

void RobustnessJob::start_image() {
  x_ = images_.col(long(results_.size()));
  goal_[0] = goals_[results_.size()];
  r_ = {};
  r_.index = goal_[0].id;
  r_.label = goal_[0].label;
  best_ = AttackRun(x_);
  for (Vec& v : points_) v.resize(0);
  stage_ = Stage::kDeepFool;
  attack_search_.reset();
  certified_search_.reset();
}

void RobustnessJob::take(const AttackRun& run) {
  if (run.success[0] && run.radius[0] < best_.radius[0]) {
    best_.success[0] = 1;
    best_.radius[0] = run.radius[0];
    best_.prediction[0] = run.prediction[0];
    best_.adversarial = run.adversarial;
  }
}

void RobustnessJob::finish_attacks() {
  r_.best = best_.radius[0];
  r_.adversarial_prediction = best_.prediction[0];
  // The attack's radius is a hint for the search, never its cap (CertifiedRadiusSearch).
  certified_search_.emplace(max_radius(s_.norm, bc_.inputs()), s_.certify_tolerance, 0, r_.best);
  stage_ = Stage::kIbp;
}

void RobustnessJob::step() {
  if (done()) return;
  const float top = max_radius(s_.norm, kPixels);
  switch (stage_) {
    case Stage::kDeepFool: {
      DeepFoolSettings d;
      d.norm = s_.norm;
      const AttackRun run = deepfool_attack(p_, x_, goal_, d);
      r_.deepfool = run.radius[0];
      if (run.success[0]) points_[kDeepFoolPoint] = run.adversarial.col(0);
      take(run);
      attack_search_.emplace(top, s_.attack_tolerance, run.radius[0]);
      stage_ = Stage::kPgd;
      return;
    }
    case Stage::kPgd:
    case Stage::kSquare: {
      const bool pgd = stage_ == Stage::kPgd;
      AttackRadiusSearch& search = *attack_search_;
      if (!search.done()) {
        const std::vector<float> eps = {search.probe()};
        AttackRun run(x_);
        if (pgd) {
          run = pgd_attack(p_, x_, goal_, eps, pgd_settings(s_));
        } else {
          run = square_attack(p_, x_, goal_, eps, square_settings(s_));
        }
        search.report(run.success[0], run.radius[0]);
        if (run.success[0] && run.radius[0] == search.radius())  // this attack's closest point so far
          points_[pgd ? kPgdPoint : kSquarePoint] = run.adversarial.col(0);
        // The batch tool keeps each attack's own closest point and picks the best attack after; taking the
        // attack's points in order gives the same point (a later attack wins only if strictly closer).
        if (run.success[0]) take(run);
        if (!search.done()) return;
      }
      (pgd ? r_.pgd : r_.square) = search.radius();
      if (pgd && s_.norm == Norm::kLinf && s_.square_queries > 0) {
        attack_search_.emplace(top, s_.attack_tolerance, search.radius());
        stage_ = Stage::kSquare;
        return;
      }
      if (pgd) r_.square = std::numeric_limits<float>::quiet_NaN();
      finish_attacks();
      return;
    }
    case Stage::kIbp:
    case Stage::kCrown: {
      const bool ibp = stage_ == Stage::kIbp;
      CertifiedRadiusSearch& search = *certified_search_;
      const BoundMethod method = ibp ? BoundMethod::kIbp : BoundMethod::kCrown;
      search.report(bc_.compute(x_.data(), r_.label, s_.norm, search.probe(), method).margin.minCoeff());
      if (!search.done()) return;
      if (ibp) {
        r_.ibp = search.radius();
        certified_search_.emplace(top, s_.certify_tolerance, r_.ibp, r_.best);
        stage_ = Stage::kCrown;
        return;
      }
      // Reported as certified only where the sound bound proves it (docs/verification.md).
      r_.ibp = sound_certified_radius(net_, x_.data(), r_.label, s_.norm, r_.ibp);
      r_.crown = sound_certified_radius(net_, x_.data(), r_.label, s_.norm, search.radius());
      adversarial_.col(long(results_.size())) = best_.adversarial.col(0);
      results_.push_back(r_);
      last_points_ = points_;
      if (!done()) start_image();
      return;
    }
  }
}

}  // namespace bs
