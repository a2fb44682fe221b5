#include "core/robust/pgd.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <optional>

#include "core/nn/row_projection.h"
#include "core/util/rng.h"

namespace bs {
namespace {

constexpr int kBatch = 128;

// Projects columns (n floats each, back to back) onto the attack's subspace: a shared one as a whole block,
// per-image ones column by column. Scratch sized once, so the step loop allocates nothing.
class Restriction {
 public:
  Restriction(const PgdSettings& s, int n, int max_cols) : s_(s), n_(n) {
    if (s.restrict_rows) rows_.emplace(*s.restrict_rows, max_cols);
    if (s.restricted()) {
      block_.resize(n, max_cols);
      ids_.resize(size_t(max_cols));
    }
  }
  void project_block(float* v, int cols, const uint32_t* ids) {
    if (rows_) {
      rows_->apply(v, cols, s_.restrict_complement);
      return;
    }
    for (int j = 0; j < cols; ++j) s_.restrict_to(ids[j], v + size_t(j) * size_t(n_));
  }
  // Moves each listed column of `cur` towards {x0 + d : d in the subspace, ||d|| <= eps} ∩ [0, 1]^n by
  // alternating projections. cols[j]: the column of cur, images[j]: the matching column of x.
  void restrict_points(Mat& cur, const Mat& x, const std::vector<int>& cols, const std::vector<int>& images,
                       const std::vector<Goal>& goals, const std::vector<float>& eps) {
    const int m = int(cols.size());
    for (int j = 0; j < m; ++j) ids_[size_t(j)] = goals[size_t(images[size_t(j)])].id;
    for (int round = 0; round < std::max(1, s_.restrict_rounds); ++round) {
      for (int j = 0; j < m; ++j) block_.col(j) = cur.col(cols[size_t(j)]) - x.col(images[size_t(j)]);
      project_block(block_.data(), m, ids_.data());
      for (int j = 0; j < m; ++j) {
        const int i = images[size_t(j)];
        float* c = cur.col(cols[size_t(j)]).data();
        Eigen::Map<Vec>(c, n_) = x.col(i) + block_.col(j);
        project(s_.norm, c, x.col(i).data(), eps[size_t(i)], n_);
      }
    }
  }

 private:
  const PgdSettings& s_;
  int n_;
  std::optional<RowProjection> rows_;
  Mat block_;
  std::vector<uint32_t> ids_;
};

// Rounds each pixel to the nearest 1/255, the precision of a stored image.
void round_to_bytes(float* v, int n) {
  for (int k = 0; k < n; ++k) v[k] = std::nearbyint(v[k] * 255.0f) / 255.0f;
}

}  // namespace

float pgd_radius_at(const PgdSettings& s, float eps, int t) {
  if (!s.grows()) return eps;
  return std::min(std::max(eps, s.eps_max), eps + s.grow_by * float(t / s.grow_every));
}

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
  Restriction restriction(s, n, ws.max_batch);
  std::vector<int> moved, moved_images;  // the columns a step moved, for the restriction
  std::vector<uint32_t> batch_ids(size_t(ws.max_batch));
  std::vector<float> radius(eps);  // the ball's current radius per image (eps unless the budget grows)
  moved.reserve(size_t(ws.max_batch));
  moved_images.reserve(size_t(ws.max_batch));
  done.reserve(size_t(ws.max_batch));
  still.reserve(size_t(ws.max_batch));
  active.reserve(size_t(ws.max_batch));
  for (int first = 0; first < count; first += ws.max_batch) {
    const int b0 = std::min(ws.max_batch, count - first);
    for (int r = 0; r < std::max(1, s.restarts); ++r) {
      active.clear();
      moved.clear();
      moved_images.clear();
      image.assign(size_t(b0), -1);
      for (int k = 0; k < b0; ++k) {
        const int i = first + k;
        if (run.success[size_t(i)]) continue;
        image[size_t(k)] = i;
        radius[size_t(i)] = eps[size_t(i)];
        active.push_back(k);
        float* c = cur.col(k).data();
        if (r == 0 || eps[size_t(i)] <= 0) {
          std::copy(x.col(i).data(), x.col(i).data() + n, c);
        } else {
          Pcg32 rng(s.seed, (uint64_t(goals[size_t(i)].id) << 8) | uint64_t(r));
          random_point_in_ball(s.norm, c, x.col(i).data(), eps[size_t(i)], n, rng);
          moved.push_back(k);
          moved_images.push_back(i);
        }
      }
      if (s.restricted()) restriction.restrict_points(cur, x, moved, moved_images, goals, eps);
      const AttackLoss loss = r % 2 == 1 ? AttackLoss::kMargin : AttackLoss::kCrossEntropy;
      for (int t = 0; t <= s.steps && !active.empty(); ++t) {
        const int b = int(active.size());
        for (int j = 0; j < b; ++j) {
          ws.x.col(j) = cur.col(active[size_t(j)]);
          if (s.byte_pixels) round_to_bytes(ws.x.col(j).data(), n);
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
        for (int j = 0; j < b && s.grows(); ++j) {
          const int i = image[size_t(active[size_t(j)])];
          radius[size_t(i)] = pgd_radius_at(s, eps[size_t(i)], t);
        }
        objective_input_gradient(p, ws, b, batch_goals.data(), loss);
        if (s.restricted()) {  // the step's directions, all columns at once
          for (int j = 0; j < b; ++j) batch_ids[size_t(j)] = batch_goals[size_t(j)].id;
          restriction.project_block(ws.dx.data(), b, batch_ids.data());
        }
        still.clear();
        moved.clear();
        moved_images.clear();
        for (int j = 0; j < b; ++j) {
          if (done[size_t(j)]) continue;
          const int k = active[size_t(j)], i = image[size_t(k)];
          const float e = radius[size_t(i)];
          if (e <= 0) continue;
          const int per = s.grows() ? s.grow_every : s.steps;
          const float step = r == 0 && t == 0 ? e : s.step_ratio * e / float(std::max(1, per));
          ascent_step(s.norm, cur.col(k).data(), ws.dx.col(j).data(), step, n);
          if (s.restricted()) {
            moved.push_back(k);
            moved_images.push_back(i);
          } else {
            project(s.norm, cur.col(k).data(), x.col(i).data(), e, n);
          }
          still.push_back(k);
        }
        if (s.restricted()) restriction.restrict_points(cur, x, moved, moved_images, goals, radius);
        active.swap(still);
      }
    }
  }
  return run;
}

}  // namespace bs
