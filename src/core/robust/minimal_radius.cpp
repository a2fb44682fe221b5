#include "core/robust/minimal_radius.h"

#include <cmath>

namespace bs {

AttackRun minimal_radius(const Mat& x, const std::vector<Goal>& goals, const RadiusAttack& attack,
                         const RadiusSearch& s) {
  const int count = int(x.cols());
  const float top = max_radius(s.norm, int(x.rows()));
  AttackRun best(x);
  std::vector<float> lo(size_t(count), 0.0f), hi(size_t(count), top);
  std::vector<uint8_t> open(size_t(count), 1);  // still bisecting
  std::vector<float> probe(size_t(count), top);
  for (int i = 0; i < count && i < int(s.first_guess.size()); ++i)
    if (std::isfinite(s.first_guess[size_t(i)]) && s.first_guess[size_t(i)] > 0)
      probe[size_t(i)] = std::min(top, s.first_guess[size_t(i)]);
  for (;;) {
    std::vector<int> cols;
    for (int i = 0; i < count; ++i)
      if (open[size_t(i)]) cols.push_back(i);
    if (cols.empty()) break;
    Mat sub(x.rows(), long(cols.size()));
    std::vector<Goal> sub_goals;
    std::vector<float> sub_eps;
    for (size_t k = 0; k < cols.size(); ++k) {
      sub.col(long(k)) = x.col(cols[k]);
      sub_goals.push_back(goals[size_t(cols[k])]);
      sub_eps.push_back(probe[size_t(cols[k])]);
    }
    const AttackRun r = attack(sub, sub_goals, sub_eps);
    for (size_t k = 0; k < cols.size(); ++k) {
      const size_t i = size_t(cols[k]);
      if (r.success[k]) {
        hi[i] = std::min(hi[i], r.radius[k]);
        if (!best.success[i] || r.radius[k] < best.radius[i]) {
          best.success[i] = 1;
          best.radius[i] = r.radius[k];
          best.prediction[i] = r.prediction[k];
          best.adversarial.col(long(i)) = r.adversarial.col(long(k));
        }
      } else {
        lo[i] = std::max(lo[i], sub_eps[k]);
      }
      if (!best.success[i] && lo[i] >= top)
        open[i] = 0;  // not even the whole box is enough
      else if (best.success[i] && hi[i] - lo[i] <= s.tolerance)
        open[i] = 0;
      else
        probe[i] = best.success[i] ? 0.5f * (lo[i] + hi[i]) : top;
    }
  }
  return best;
}

}  // namespace bs
