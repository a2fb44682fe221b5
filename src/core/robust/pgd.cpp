#include "core/robust/pgd.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/util/rng.h"

namespace bs {
namespace {

constexpr int kBatch = 128;

// A random point of the ball around x0 (then inside the box): uniform in the L-infinity cube; for L2 a random
// direction at a uniformly drawn fraction of the radius.
void random_start(Norm norm, float* x, const float* x0, float eps, int n, Pcg32& rng) {
  if (norm == Norm::kLinf) {
    for (int i = 0; i < n; ++i) x[i] = x0[i] + eps * (2 * rng.uniform01() - 1);
  } else {
    double sq = 0;
    for (int i = 0; i < n; ++i) {
      x[i] = rng.normal_portable();
      sq += double(x[i]) * x[i];
    }
    const float scale = sq > 0 ? float(eps * rng.uniform01() / std::sqrt(sq)) : 0.0f;
    for (int i = 0; i < n; ++i) x[i] = x0[i] + scale * x[i];
  }
  project(norm, x, x0, eps, n);
}

// Moves point c towards {x0 + d : d in the subspace, ||d|| <= eps} ∩ [0, 1]^n by alternating projections.
void restrict_point(const PgdSettings& s, uint32_t id, float* c, const float* x0, float eps, float* delta,
                    int n) {
  for (int round = 0; round < std::max(1, s.restrict_rounds); ++round) {
    for (int k = 0; k < n; ++k) delta[k] = c[k] - x0[k];
    s.restrict_to(id, delta);
    for (int k = 0; k < n; ++k) c[k] = x0[k] + delta[k];
    project(s.norm, c, x0, eps, n);
  }
}

}  // namespace

AttackRun pgd_attack(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                     const std::vector<float>& eps, const PgdSettings& s) {
  assert(goals.size() == size_t(x.cols()) && eps.size() == goals.size());
  const int n = int(x.rows()), count = int(x.cols());
  const int out = int(p.w3.rows());
  AttackRun run(x);
  Workspace ws(p.arch(), std::min(kBatch, std::max(1, count)));
  Mat cur(n, ws.max_batch);
  std::vector<int> active,
      image;  // active: columns of cur still attacking; image[k]: x's column of cur col k
  std::vector<Goal> batch_goals(size_t(ws.max_batch));
  std::vector<uint8_t> done;  // sized once: the step loop below allocates nothing
  std::vector<int> still;
  std::vector<float> delta(s.restrict_to ? size_t(n) : 0);
  done.reserve(size_t(ws.max_batch));
  still.reserve(size_t(ws.max_batch));
  active.reserve(size_t(ws.max_batch));
  for (int first = 0; first < count; first += ws.max_batch) {
    const int b0 = std::min(ws.max_batch, count - first);
    for (int r = 0; r < std::max(1, s.restarts); ++r) {
      active.clear();
      image.assign(size_t(b0), -1);
      for (int k = 0; k < b0; ++k) {
        const int i = first + k;
        if (run.success[size_t(i)]) continue;
        image[size_t(k)] = i;
        active.push_back(k);
        float* c = cur.col(k).data();
        if (r == 0 || eps[size_t(i)] <= 0) {
          std::copy(x.col(i).data(), x.col(i).data() + n, c);
        } else {
          Pcg32 rng(s.seed, (uint64_t(goals[size_t(i)].id) << 8) | uint64_t(r));
          random_start(s.norm, c, x.col(i).data(), eps[size_t(i)], n, rng);
          if (s.restrict_to)
            restrict_point(s, goals[size_t(i)].id, c, x.col(i).data(), eps[size_t(i)], delta.data(), n);
        }
      }
      const AttackLoss loss = r % 2 == 1 ? AttackLoss::kMargin : AttackLoss::kCrossEntropy;
      for (int t = 0; t <= s.steps && !active.empty(); ++t) {
        const int b = int(active.size());
        for (int j = 0; j < b; ++j) {
          ws.x.col(j) = cur.col(active[size_t(j)]);
          batch_goals[size_t(j)] = goals[size_t(image[size_t(active[size_t(j)])])];
        }
        attack_logits(p, ws, b);
        done.assign(size_t(b), 0);
        for (int j = 0; j < b && (s.early_stop || t == s.steps); ++j) {
          const float* z = ws.logits.col(j).data();
          if (!goal_reached(z, out, batch_goals[size_t(j)])) continue;
          const int i = image[size_t(active[size_t(j)])];
          run.success[size_t(i)] = 1;
          run.adversarial.col(i) = ws.x.col(j);
          run.radius[size_t(i)] = distance(s.norm, ws.x.col(j).data(), x.col(i).data(), n);
          run.prediction[size_t(i)] = int(std::max_element(z, z + out) - z);
          done[size_t(j)] = 1;
        }
        if (t == s.steps) break;
        objective_input_gradient(p, ws, b, batch_goals.data(), loss);
        still.clear();
        for (int j = 0; j < b; ++j) {
          if (done[size_t(j)]) continue;
          const int k = active[size_t(j)], i = image[size_t(k)];
          const float e = eps[size_t(i)];
          if (e <= 0) continue;
          const float step = r == 0 && t == 0 ? e : s.step_ratio * e / float(std::max(1, s.steps));
          if (s.restrict_to) s.restrict_to(goals[size_t(i)].id, ws.dx.col(j).data());
          ascent_step(s.norm, cur.col(k).data(), ws.dx.col(j).data(), step, n);
          if (s.restrict_to)
            restrict_point(s, goals[size_t(i)].id, cur.col(k).data(), x.col(i).data(), e, delta.data(), n);
          else
            project(s.norm, cur.col(k).data(), x.col(i).data(), e, n);
          still.push_back(k);
        }
        active.swap(still);
      }
    }
  }
  return run;
}

}  // namespace bs
