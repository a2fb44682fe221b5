#include "core/robust/minimal_radius.h"

#include <cmath>

namespace bs {

MinimalRadiusJob::MinimalRadiusJob(Mat x, std::vector<Goal> goals, RadiusAttack attack, const RadiusSearch& s)
    : x_(std::move(x)), goals_(std::move(goals)), attack_(std::move(attack)), best_(x_) {
  const int count = int(x_.cols());
  const float top = max_radius(s.norm, int(x_.rows()));
  for (int i = 0; i < count; ++i)
    search_.emplace_back(top, s.tolerance, i < int(s.first_guess.size()) ? s.first_guess[size_t(i)] : 0.0f);
  for (const AttackRadiusSearch& a : search_) open_ += !a.done();
}

// Every open image probes at once, each at its own radius: one batched attack per round.
void MinimalRadiusJob::step() {
  std::vector<int> cols;
  for (int i = 0; i < int(search_.size()); ++i)
    if (!search_[size_t(i)].done()) cols.push_back(i);
  if (cols.empty()) return;
  Mat sub(x_.rows(), long(cols.size()));
  std::vector<Goal> sub_goals;
  std::vector<float> sub_eps;
  for (size_t k = 0; k < cols.size(); ++k) {
    sub.col(long(k)) = x_.col(cols[k]);
    sub_goals.push_back(goals_[size_t(cols[k])]);
    sub_eps.push_back(search_[size_t(cols[k])].probe());
  }
  const AttackRun r = attack_(sub, sub_goals, sub_eps);
  open_ = 0;
  for (size_t k = 0; k < cols.size(); ++k) {
    const size_t i = size_t(cols[k]);
    search_[i].report(r.success[k], r.radius[k]);
    open_ += !search_[i].done();
    if (r.success[k] && (!best_.success[i] || r.radius[k] < best_.radius[i])) {
      best_.success[i] = 1;
      best_.radius[i] = r.radius[k];
      best_.prediction[i] = r.prediction[k];
      best_.adversarial.col(long(i)) = r.adversarial.col(long(k));
    }
  }
}

AttackRun minimal_radius(const Mat& x, const std::vector<Goal>& goals, const RadiusAttack& attack,
                         const RadiusSearch& s) {
  MinimalRadiusJob job(x, goals, attack, s);
  while (!job.done()) job.step();
  return job.result();
}

}  // namespace bs
