#include "core/robust/minimal_radius.h"

#include <cmath>

#include "core/robust/radius_search.h"

namespace bs {

AttackRun minimal_radius(const Mat& x, const std::vector<Goal>& goals, const RadiusAttack& attack,
                         const RadiusSearch& s) {
  const int count = int(x.cols());
  const float top = max_radius(s.norm, int(x.rows()));
  AttackRun best(x);
  std::vector<AttackRadiusSearch> search;
  for (int i = 0; i < count; ++i)
    search.emplace_back(top, s.tolerance, i < int(s.first_guess.size()) ? s.first_guess[size_t(i)] : 0.0f);
  // Every open image probes at once, each at its own radius: one batched attack per round.
  for (;;) {
    std::vector<int> cols;
    for (int i = 0; i < count; ++i)
      if (!search[size_t(i)].done()) cols.push_back(i);
    if (cols.empty()) break;
    Mat sub(x.rows(), long(cols.size()));
    std::vector<Goal> sub_goals;
    std::vector<float> sub_eps;
    for (size_t k = 0; k < cols.size(); ++k) {
      sub.col(long(k)) = x.col(cols[k]);
      sub_goals.push_back(goals[size_t(cols[k])]);
      sub_eps.push_back(search[size_t(cols[k])].probe());
    }
    const AttackRun r = attack(sub, sub_goals, sub_eps);
    for (size_t k = 0; k < cols.size(); ++k) {
      const size_t i = size_t(cols[k]);
      search[i].report(r.success[k], r.radius[k]);
      if (r.success[k] && (!best.success[i] || r.radius[k] < best.radius[i])) {
        best.success[i] = 1;
        best.radius[i] = r.radius[k];
        best.prediction[i] = r.prediction[k];
        best.adversarial.col(long(i)) = r.adversarial.col(long(k));
      }
    }
  }
  return best;
}

}  // namespace bs
