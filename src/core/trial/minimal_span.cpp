#include "core/trial/minimal_span.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/robust/deepfool.h"
#include "core/robust/minimal_radius.h"
#include "core/trial/tangent.h"

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

MinimalSpanReport minimal_span(const Params& p, const Dataset& train, const Dataset& test,
                               const Subspace& subspace, const MinimalSpanSettings& s) {
  MinimalSpanReport rep;
  rep.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep.explained = subspace.explained(rep.k);
  rep.random_shares = random_direction_shares(subspace, rep.k);
  const std::vector<uint32_t> indices = first_correct_images(p, test, size_t(std::max(0, s.images)));
  const int n = int(indices.size());
  const Mat x = dataset_columns(test, indices);
  const std::vector<Goal> goals = dataset_goals(test, indices);
  RobustnessSettings rs = s.attack;
  rs.norm = Norm::kL2;
  DeepFoolSettings df;
  df.norm = Norm::kL2;
  const AttackRun deepfool = deepfool_attack(p, x, goals, df);
  const AttackRun pgd = minimal_radius_pgd(p, x, goals, rs, deepfool.radius);

  // Each image's tangent space.
  const ClassNeighbours neighbours(train);
  std::vector<MatRM> tangents(static_cast<size_t>(n));
  std::unordered_map<uint32_t, const MatRM*> by_id;
  for (int i = 0; i < n; ++i) {
    const float* xi = x.col(i).data();
    tangents[size_t(i)] = tangent_basis(train, neighbours.nearest(xi, goals[size_t(i)].label, s.neighbours),
                                        xi, s.tangent_dims);
    by_id[goals[size_t(i)].id] = &tangents[size_t(i)];
  }

  rep.perturbations = Mat::Zero(kPixels, n);
  rep.images.resize(size_t(n));
  std::vector<float> guess(static_cast<size_t>(n));
  int measured = 0;
  for (int i = 0; i < n; ++i) {
    MinimalSpanImage& im = rep.images[size_t(i)];
    im.index = goals[size_t(i)].id;
    im.label = goals[size_t(i)].label;
    const AttackRun& best = pgd.radius[size_t(i)] <= deepfool.radius[size_t(i)] ? pgd : deepfool;
    im.radius = best.radius[size_t(i)];
    guess[size_t(i)] = im.radius;
    im.tangent_rank = int(tangents[size_t(i)].rows());
    rep.random_tangent_share += double(im.tangent_rank) / kPixels / n;
    if (!best.success[size_t(i)]) continue;
    rep.perturbations.col(i) = best.adversarial.col(i) - x.col(i);
    const float* d = rep.perturbations.col(i).data();
    im.shares = span_shares(subspace, rep.k, d);
    Eigen::VectorXf t = rep.perturbations.col(i);
    project_onto_rows(tangents[size_t(i)], t.data(), false);
    im.tangent_share = double(t.squaredNorm()) / double(rep.perturbations.col(i).squaredNorm());
    rep.mean_shares.top_k += im.shares.top_k;
    rep.mean_shares.rest += im.shares.rest;
    rep.mean_shares.never_lit += im.shares.never_lit;
    rep.mean_tangent_share += im.tangent_share;
    ++measured;
  }
  if (measured > 0) {
    rep.mean_shares.top_k /= measured;
    rep.mean_shares.rest /= measured;
    rep.mean_shares.never_lit /= measured;
    rep.mean_tangent_share /= measured;
  }
  const AttackRun on = restricted_minimal(p, x, goals, by_id, false, rs, guess);
  const AttackRun off = restricted_minimal(p, x, goals, by_id, true, rs, guess);
  for (int i = 0; i < n; ++i) {
    rep.images[size_t(i)].tangent_radius = on.radius[size_t(i)];
    rep.images[size_t(i)].complement_radius = off.radius[size_t(i)];
  }
  return rep;
}

}  // namespace bs
