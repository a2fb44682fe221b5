#include "core/robust/square.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/robust/norm.h"
#include "core/util/rng.h"

namespace bs {
namespace {

// The fraction of pixels a window covers after `query` of `total` queries: the paper's schedule, written for
// 10,000 queries and rescaled to the budget.
float window_fraction(float p_init, int query, int total) {
  const int it = int(int64_t(query) * 10000 / std::max(1, total));
  static const int kEdges[] = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
  float p = p_init;
  for (int e : kEdges)
    if (it > e) p /= 2;
  return p;
}

// Everything one image's search needs, sized once.
struct SquareSearch {
  explicit SquareSearch(const Params& p)
      : p(p), w1t(p.w1.transpose()), z1(p.w1.rows()), z1_try(p.w1.rows()), z2(p.w2.rows()), z3(p.w3.rows()) {}
  const Params& p;
  MatRM w1t;  // (in, h1): each pixel's weights contiguous, for the windowed update
  Vec z1, z1_try, z2, z3;

  float margin_from_z1(const Vec& z, const Goal& g) {
    z2.noalias() = p.w2 * z.cwiseMax(0.0f) + p.b2;
    z3.noalias() = p.w3 * z2.cwiseMax(0.0f) + p.b3;
    return goal_margin(z3.data(), int(z3.size()), g);
  }
};

}  // namespace

AttackRun square_attack(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                        const std::vector<float>& eps, const SquareSettings& s) {
  const int n = int(x.rows());
  const int side = int(std::lround(std::sqrt(double(n))));
  assert(side * side == n && goals.size() == size_t(x.cols()) && eps.size() == goals.size());
  AttackRun run(x);
  SquareSearch search(p);
  Vec cur(n), delta(n);
  Workspace ws(p.arch(), 1);
  for (int i = 0; i < int(x.cols()); ++i) {
    const Goal& g = goals[size_t(i)];
    const float e = eps[size_t(i)];
    const float* x0 = x.col(i).data();
    Pcg32 rng(s.seed, (uint64_t(g.id) << 8) | 0x5A);
    for (int c = 0; c < side; ++c) {
      const float v = rng.below(2) ? e : -e;
      for (int r = 0; r < side; ++r) delta[r * side + c] = v;
    }
    for (int k = 0; k < n; ++k) cur[k] = std::clamp(x0[k] + delta[k], 0.0f, 1.0f);
    search.z1.noalias() = p.w1 * cur + p.b1;
    float margin = search.margin_from_z1(search.z1, g);
    for (int q = 1; q < s.queries && margin <= 0; ++q) {
      const int w = std::clamp(
          int(std::lround(std::sqrt(window_fraction(s.p_init, q, s.queries) * float(n)))), 1, side - 1);
      const int r0 = int(rng.below(uint32_t(side - w + 1))), c0 = int(rng.below(uint32_t(side - w + 1)));
      float v = rng.below(2) ? e : -e;
      bool same = true;  // a proposal that changes nothing wastes a query: take the other sign
      for (int r = r0; r < r0 + w && same; ++r)
        for (int c = c0; c < c0 + w && same; ++c) same = delta[r * side + c] == v;
      if (same) v = -v;
      search.z1_try = search.z1;
      for (int r = r0; r < r0 + w; ++r)
        for (int c = c0; c < c0 + w; ++c) {
          const int k = r * side + c;
          const float dx = std::clamp(x0[k] + v, 0.0f, 1.0f) - cur[k];
          if (dx != 0) search.z1_try.noalias() += dx * search.w1t.row(k).transpose();
        }
      const float m = search.margin_from_z1(search.z1_try, g);
      if (m <= margin) continue;
      margin = m;
      search.z1 = search.z1_try;
      for (int r = r0; r < r0 + w; ++r)
        for (int c = c0; c < c0 + w; ++c) {
          const int k = r * side + c;
          delta[k] = v;
          cur[k] = std::clamp(x0[k] + v, 0.0f, 1.0f);
        }
    }
    if (margin <= 0) continue;
    // The incremental first layer drifts by rounding; the point found is checked by the same forward pass as
    // every other prediction.
    ws.x.col(0) = cur;
    attack_logits(p, ws, 1);
    const float* z = ws.logits.col(0).data();
    if (!goal_reached(z, int(ws.logits.rows()), g)) continue;
    run.success[size_t(i)] = 1;
    run.adversarial.col(i) = cur;
    run.radius[size_t(i)] = distance(Norm::kLinf, cur.data(), x0, n);
    run.prediction[size_t(i)] = int(std::max_element(z, z + ws.logits.rows()) - z);
  }
  return run;
}

}  // namespace bs
