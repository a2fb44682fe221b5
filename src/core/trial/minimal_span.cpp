#include "core/trial/minimal_span.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/robust/deepfool.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/objective.h"

namespace bs {
namespace {

// The minimal-radius PGD attack with perturbations restricted to each image's tangent space or its
// complement.
AttackRun restricted_minimal(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                             const std::unordered_map<uint32_t, const MatRM*>& basis, bool complement,
                             const RobustnessSettings& rs, const std::vector<float>& first_guess) {
  PgdSettings pgd = pgd_settings(rs);
  pgd.restrict_to = [&](uint32_t id, float* v) { project_onto_rows(*basis.at(id), v, complement); };
  RadiusSearch search;
  search.norm = Norm::kL2;
  search.tolerance = rs.attack_tolerance;
  search.first_guess = first_guess;
  return minimal_radius(
      x, goals,
      [&](const Mat& xs, const std::vector<Goal>& g, const std::vector<float>& e) {
        return pgd_attack(p, xs, g, e, pgd);
      },
      search);
}

}  // namespace

MinimalSpanJob::MinimalSpanJob(const Params& p, const Dataset& train, const Dataset& test,
                               const Subspace& subspace, const MinimalSpanSettings& s, Slicing slicing)
    : p_(p), train_(train), test_(test), subspace_(subspace), s_(s), slicing_(slicing) {
  s_.attack.norm = Norm::kL2;
  rep_.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep_.explained = subspace.explained(rep_.k);
  rep_.random_shares = random_direction_shares(subspace, rep_.k);
  stages_.add([this] {
    indices_ = first_correct_images(p_, test_, size_t(std::max(0, s_.images)));
    rep_.perturbations = Mat::Zero(kPixels, long(indices_.size()));
    return true;
  });
  stages_.add([this] {
    neighbours_ = std::make_unique<ClassNeighbours>(train_);
    return true;
  });
  stages_.add([this] {
    const int n = int(indices_.size());
    const int count = std::min(std::max(1, slicing_.images), n - next_);
    if (count > 0) measure(next_, count);
    next_ += std::max(count, 0);
    return next_ >= n;
  });
}

// Images first .. first + count - 1 of indices_: their minimal perturbations, shares and restricted radii.
void MinimalSpanJob::measure(int first, int count) {
  const std::vector<uint32_t> idx(indices_.begin() + first, indices_.begin() + first + count);
  const Mat x = dataset_columns(test_, idx);
  const std::vector<Goal> goals = dataset_goals(test_, idx);
  DeepFoolSettings df;
  df.norm = Norm::kL2;
  const AttackRun deepfool = deepfool_attack(p_, x, goals, df);
  const AttackRun pgd = minimal_radius_pgd(p_, x, goals, s_.attack, deepfool.radius);

  // The linear estimates, from the margin's gradient at each image.
  Workspace ws(p_.arch(), count);
  ws.x.leftCols(count) = x;
  attack_logits(p_, ws, count);
  objective_input_gradient(p_, ws, count, goals.data(), AttackLoss::kMargin);

  std::vector<MatRM> tangents(static_cast<size_t>(count));
  std::unordered_map<uint32_t, const MatRM*> by_id;
  std::vector<float> guess(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const float* xi = x.col(i).data();
    tangents[size_t(i)] = tangent_basis(
        train_, neighbours_->nearest(xi, goals[size_t(i)].label, s_.neighbours), xi, s_.tangent_dims);
    by_id[goals[size_t(i)].id] = &tangents[size_t(i)];
    MinimalSpanImage im;
    im.index = goals[size_t(i)].id;
    im.label = goals[size_t(i)].label;
    const AttackRun& best = pgd.radius[size_t(i)] <= deepfool.radius[size_t(i)] ? pgd : deepfool;
    im.radius = best.radius[size_t(i)];
    guess[size_t(i)] = im.radius;
    im.tangent_rank = int(tangents[size_t(i)].rows());
    const float* z = ws.logits.col(i).data();
    float runner_up = -INFINITY;
    for (int c = 0; c < kClasses; ++c)
      if (c != im.label) runner_up = std::max(runner_up, z[c]);
    const float g = ws.dx.col(i).norm();
    im.linear_radius = g > 0 ? (z[im.label] - runner_up) / g : INFINITY;
    sum_rank_ += im.tangent_rank;
    if (best.success[size_t(i)]) {
      auto delta = rep_.perturbations.col(first + i);
      delta = best.adversarial.col(i) - x.col(i);
      im.shares = span_shares(subspace_, rep_.k, delta.data());
      Eigen::VectorXf t = delta;
      project_onto_rows(tangents[size_t(i)], t.data(), false);
      im.tangent_share = double(t.squaredNorm()) / double(delta.squaredNorm());
      sum_shares_.top_k += im.shares.top_k;
      sum_shares_.rest += im.shares.rest;
      sum_shares_.never_lit += im.shares.never_lit;
      sum_tangent_ += im.tangent_share;
      ++measured_;
    }
    rep_.images.push_back(im);
  }
  const AttackRun on = restricted_minimal(p_, x, goals, by_id, false, s_.attack, guess);
  const AttackRun off = restricted_minimal(p_, x, goals, by_id, true, s_.attack, guess);
  for (int i = 0; i < count; ++i) {
    rep_.images[size_t(first + i)].tangent_radius = on.radius[size_t(i)];
    rep_.images[size_t(first + i)].complement_radius = off.radius[size_t(i)];
  }
  if (measured_ > 0) {
    rep_.mean_shares = {sum_shares_.top_k / measured_, sum_shares_.rest / measured_,
                        sum_shares_.never_lit / measured_};
    rep_.mean_tangent_share = sum_tangent_ / measured_;
  }
  rep_.random_tangent_share = sum_rank_ / kPixels / double(rep_.images.size());
}

MinimalSpanReport minimal_span(const Params& p, const Dataset& train, const Dataset& test,
                               const Subspace& subspace, const MinimalSpanSettings& s) {
  MinimalSpanJob run(p, train, test, subspace, s, Slicing{});
  while (!run.done()) run.step();
  return run.report();
}

}  // namespace bs
