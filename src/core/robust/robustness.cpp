#include "core/robust/robustness.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/nn/mlp.h"
#include "core/robust/bounds.h"
#include "core/robust/deepfool.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/pgd.h"
#include "core/robust/sound_radius.h"
#include "core/robust/square.h"

namespace bs {

PgdSettings pgd_settings(const RobustnessSettings& s) {
  PgdSettings pgd;
  pgd.norm = s.norm;
  pgd.steps = s.steps;
  pgd.restarts = s.restarts;
  pgd.seed = s.seed;
  return pgd;
}

SquareSettings square_settings(const RobustnessSettings& s) {
  SquareSettings sq;
  sq.queries = s.square_queries;
  sq.seed = s.seed;
  return sq;
}

MinimalRadiusJob minimal_radius_pgd_job(const Params& p, Mat x, std::vector<Goal> goals,
                                        const RobustnessSettings& s, std::vector<float> first_guess,
                                        const PgdSettings* pgd) {
  RadiusSearch search;
  search.norm = s.norm;
  search.tolerance = s.attack_tolerance;
  search.first_guess = std::move(first_guess);
  const PgdSettings settings = pgd ? *pgd : pgd_settings(s);
  return MinimalRadiusJob(
      std::move(x), std::move(goals),
      [&p, settings](const Mat& xs, const std::vector<Goal>& g, const std::vector<float>& e) {
        return pgd_attack(p, xs, g, e, settings);
      },
      search);
}

AttackRun minimal_radius_pgd(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                             const RobustnessSettings& s, std::vector<float> first_guess) {
  MinimalRadiusJob job = minimal_radius_pgd_job(p, x, goals, s, std::move(first_guess));
  while (!job.done()) job.step();
  return job.result();
}

Mat dataset_columns(const Dataset& data, const std::vector<uint32_t>& indices) {
  Mat x(kPixels, long(indices.size()));
  for (size_t i = 0; i < indices.size(); ++i) data.image_floats(indices[i], x.col(long(i)).data());
  return x;
}

std::vector<Goal> dataset_goals(const Dataset& data, const std::vector<uint32_t>& indices) {
  std::vector<Goal> goals;
  for (uint32_t i : indices) goals.push_back({data.label(i), -1, i});
  return goals;
}

std::vector<uint32_t> first_correct_images(const Params& p, const Dataset& data, size_t count,
                                           const Params* also) {
  std::vector<uint32_t> out;
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(size_t(p.w3.rows()));
  std::vector<float> x(kPixels);
  for (size_t i = 0; i < data.size() && out.size() < count; ++i) {
    data.image_floats(i, x.data());
    if (predict_one(p, ws, x.data(), probs.data()) == data.label(i) &&
        (!also || predict_one(*also, ws, x.data(), probs.data()) == data.label(i)))
      out.push_back(uint32_t(i));
  }
  return out;
}

RobustnessReport measure_robustness(const Params& p, const Dataset& data,
                                    const std::vector<uint32_t>& indices, const RobustnessSettings& s) {
  const int n = int(indices.size());
  const Mat x = dataset_columns(data, indices);
  const std::vector<Goal> goals = dataset_goals(data, indices);
  RobustnessReport rep;
  rep.norm = s.norm;
  rep.images.resize(size_t(n));

  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  auto t = Clock::now();
  DeepFoolSettings df;
  df.norm = s.norm;
  const AttackRun deepfool = deepfool_attack(p, x, goals, df);
  rep.deepfool_seconds = since(t);
  t = Clock::now();

  const AttackRun pgd_run = minimal_radius_pgd(p, x, goals, s, deepfool.radius);
  rep.pgd_seconds = since(t);
  t = Clock::now();

  const bool run_square = s.norm == Norm::kLinf && s.square_queries > 0;
  AttackRun square_run(x);
  if (run_square) {
    const SquareSettings sq = square_settings(s);
    RadiusSearch search;
    search.norm = s.norm;
    search.tolerance = s.attack_tolerance;
    search.first_guess = pgd_run.radius;
    square_run = minimal_radius(
        x, goals,
        [&](const Mat& xs, const std::vector<Goal>& g, const std::vector<float>& e) {
          return square_attack(p, xs, g, e, sq);
        },
        search);
  }

  rep.square_seconds = since(t);
  rep.adversarial = x;
  BoundComputer bc(p);
  const NetworkD net(p);
  for (int i = 0; i < n; ++i) {
    ImageRobustness& r = rep.images[size_t(i)];
    r.index = indices[size_t(i)];
    r.label = goals[size_t(i)].label;
    r.deepfool = deepfool.radius[size_t(i)];
    r.pgd = pgd_run.radius[size_t(i)];
    r.square = run_square ? square_run.radius[size_t(i)] : std::numeric_limits<float>::quiet_NaN();
    const AttackRun* best = &deepfool;
    if (pgd_run.radius[size_t(i)] < best->radius[size_t(i)]) best = &pgd_run;
    if (run_square && square_run.radius[size_t(i)] < best->radius[size_t(i)]) best = &square_run;
    r.best = best->radius[size_t(i)];
    r.adversarial_prediction = best->prediction[size_t(i)];
    rep.adversarial.col(i) = best->adversarial.col(i);
    // The attack's radius is where a sound bound must fail: a hint that saves probes, never a cap.
    const float* xi = x.col(i).data();
    t = Clock::now();
    r.ibp = certified_radius(bc, xi, r.label, s.norm, BoundMethod::kIbp, s.certify_tolerance, 0, r.best);
    rep.ibp_seconds += since(t);
    t = Clock::now();
    r.crown =
        certified_radius(bc, xi, r.label, s.norm, BoundMethod::kCrown, s.certify_tolerance, r.ibp, r.best);
    rep.crown_seconds += since(t);
    // Reported as certified only where the sound bound proves it (docs/verification.md).
    r.ibp = sound_certified_radius(net, xi, r.label, s.norm, r.ibp);
    r.crown = sound_certified_radius(net, xi, r.label, s.norm, r.crown);
  }
  return rep;
}

std::vector<RobustnessPoint> robustness_curve(const std::vector<ImageRobustness>& images, float max_eps,
                                              int points) {
  std::vector<RobustnessPoint> out;
  const double n = double(std::max<size_t>(1, images.size()));
  for (int k = 0; k < points; ++k) {
    RobustnessPoint pt;
    pt.eps = points > 1 ? max_eps * float(k) / float(points - 1) : 0.0f;
    for (const ImageRobustness& r : images) {
      pt.certified += std::max(r.ibp, r.crown) >= pt.eps;
      pt.attacked += r.best > pt.eps;
    }
    pt.certified /= n;
    pt.attacked /= n;
    out.push_back(pt);
  }
  return out;
}

float largest_attack_radius(const std::vector<ImageRobustness>& images) {
  float top = 0;
  for (const ImageRobustness& r : images)
    if (std::isfinite(r.best)) top = std::max(top, r.best);
  return top;
}

float median_of(const std::vector<ImageRobustness>& images, float ImageRobustness::*field) {
  std::vector<float> v;
  for (const ImageRobustness& r : images)
    if (!std::isnan(r.*field)) v.push_back(r.*field);
  if (v.empty()) return std::numeric_limits<float>::quiet_NaN();
  std::nth_element(v.begin(), v.begin() + long((v.size() - 1) / 2), v.end());
  return v[(v.size() - 1) / 2];
}

}  // namespace bs
