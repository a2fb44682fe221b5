#include "core/trial/thin_book.h"

#include <algorithm>
#include <cmath>

#include "core/robust/minimal_radius.h"
#include "core/robust/pgd.h"
#include "core/util/median.h"

namespace bs {
namespace {

// ||M (I - Q^T Q)||_F / ||M||_F for Q with orthonormal rows.
double off_fraction(const MatRM& m, const MatRM& q) {
  const double total = double(m.norm());
  if (total <= 0) return 0;
  const MatRM off = m - (m * q.transpose()) * q;
  return double(off.norm()) / total;
}

// The share of images in the columns of x that p classifies as labelled.
double accuracy(const Params& p, const Mat& x, const std::vector<uint8_t>& labels) {
  Workspace ws(p.arch(), 500);
  long right = 0;
  for (long first = 0; first < x.cols(); first += ws.max_batch) {
    const int b = int(std::min<long>(ws.max_batch, x.cols() - first));
    ws.x.leftCols(b) = x.middleCols(first, b);
    forward(p, ws, b, nullptr);
    for (int j = 0; j < b; ++j) {
      Eigen::Index c = 0;
      ws.logits.col(j).maxCoeff(&c);
      right += c == labels[size_t(first + j)];
    }
  }
  return x.cols() ? double(right) / double(x.cols()) : 0.0;
}

// The median minimal L2 radius with perturbations restricted to the rows' span (or its complement).
float restricted_median(const Params& p, const Mat& x, const std::vector<Goal>& goals, const MatRM& basis,
                        bool complement, const ThinBookSettings& s, int* found) {
  RobustnessSettings rs = s.attack;
  rs.norm = Norm::kL2;
  PgdSettings pgd = pgd_settings(rs);
  pgd.restrict_rounds = s.restrict_rounds;
  // A span of every direction restricts nothing: the free attack (without 784 x 784 projections).
  if (complement || basis.rows() < basis.cols()) {
    pgd.restrict_rows = &basis;
    pgd.restrict_complement = complement;
  }
  RadiusSearch search;
  search.norm = Norm::kL2;
  search.tolerance = rs.attack_tolerance;
  const AttackRun run = minimal_radius(
      x, goals,
      [&](const Mat& xs, const std::vector<Goal>& g, const std::vector<float>& e) {
        return pgd_attack(p, xs, g, e, pgd);
      },
      search);
  *found = run.found();
  return float(median(std::vector<double>(run.radius.begin(), run.radius.end())));
}

}  // namespace

MatRM affine_span_basis(const Subspace& s, int d) {
  d = std::clamp(d, 0, kPixels);
  MatRM q(d + 1, kPixels);
  q.topRows(d) = s.basis.topRows(d);
  // The mean image, minus its part in the top d (Gram-Schmidt); dropped when it lies in them already.
  Eigen::VectorXf m = s.mean.cast<float>();
  m -= q.topRows(d).transpose() * (q.topRows(d) * m);
  const float norm = m.norm();
  if (d == kPixels || norm < 1e-4f) return q.topRows(d);
  q.row(d) = (m / norm).transpose();
  return q;
}

std::shared_ptr<const InputProjection> input_projection(const Subspace& s, int d) {
  if (d >= kPixels) return nullptr;
  auto pr = std::make_shared<InputProjection>();
  pr->basis = s.basis.topRows(d);
  pr->mean = s.mean.cast<float>();
  return pr;
}

std::vector<ThinBookRun> thin_book(const Dataset& train, const Dataset& test, const Subspace& s,
                                   uint64_t seed, const ThinBookSettings& settings) {
  std::vector<ThinBookRun> runs;
  Mat raw(kPixels, long(test.size()));
  std::vector<uint8_t> labels(test.size());
  for (size_t i = 0; i < test.size(); ++i) {
    test.image_floats(i, raw.col(long(i)).data());
    labels[i] = uint8_t(test.label(i));
  }
  for (int d : settings.dims)
    for (float scale : settings.init_scales) {
      ThinBookRun r;
      r.d = d;
      r.init_scale = scale;
      TrainConfig cfg = default_train_config();
      cfg.shuffle_seed = seed;
      cfg.projection = input_projection(s, d);
      r.model = make_model(Arch{}, seed, scale);
      Trainer t(cfg, Arch{});
      for (int e = 0; e < settings.epochs && train.size() > 0; ++e)
        while (!t.train_steps(r.model.params, train, 1000) || !t.epoch_just_ended()) {
        }
      const Params& p = r.model.params;
      Mat projected = raw;
      if (cfg.projection) {
        const InputProjection& pr = *cfg.projection;
        projected.colwise() -= pr.mean;
        projected = pr.basis.transpose() * (pr.basis * projected);
        projected.colwise() += pr.mean;
      }
      r.accuracy_projected = accuracy(p, projected, labels);
      r.accuracy_raw = accuracy(p, raw, labels);
      const MatRM q = affine_span_basis(s, d);
      r.off_share = off_fraction(p.w1, q);
      r.init_off_share = off_fraction(r.model.init.w1, q);
      r.off_change = off_fraction(p.w1 - r.model.init.w1, q);
      // The attacks, on raw test images the model gets right.
      const std::vector<uint32_t> idx = first_correct_images(p, test, size_t(settings.images));
      const Mat x = dataset_columns(test, idx);
      const std::vector<Goal> goals = dataset_goals(test, idx);
      r.attacked = int(idx.size());
      r.radius_in = restricted_median(p, x, goals, q, false, settings, &r.found_in);
      if (q.rows() < kPixels) {
        r.radius_off = restricted_median(p, x, goals, q, true, settings, &r.found_off);
      } else {
        r.radius_off = INFINITY;  // no direction is left outside the span
      }
      runs.push_back(std::move(r));
    }
  return runs;
}

}  // namespace bs
